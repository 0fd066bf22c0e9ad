#include <gtest/gtest.h>

#include <limits>

#include "cli/command.h"

namespace tmc::cli {
namespace {

TEST(ParseSize, UnitsAndPlainBytes) {
  EXPECT_EQ(parse_size("16M"), size_t{16} << 20);
  EXPECT_EQ(parse_size("512k"), size_t{512} << 10);
  EXPECT_EQ(parse_size("2G"), size_t{2} << 30);
  EXPECT_EQ(parse_size("1000000"), size_t{1000000});
  EXPECT_EQ(parse_size(""), std::nullopt);
  EXPECT_EQ(parse_size("G"), std::nullopt);
  EXPECT_EQ(parse_size("1.5M"), std::nullopt);
  EXPECT_EQ(parse_size("-1"), std::nullopt);
}

// Regression (issue 15): 17179869184G is 2^64 bytes and wrapped to 0.
TEST(ParseSize, RejectsSizesThatOverflow) {
  EXPECT_EQ(parse_size("17179869184G"), std::nullopt);
  EXPECT_EQ(parse_size("18014398509481984K"), std::nullopt);
  EXPECT_EQ(parse_size("18446744073709551616"), std::nullopt);
  EXPECT_EQ(parse_size("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_size("18446744073709551615"), std::numeric_limits<size_t>::max());
  EXPECT_EQ(parse_size("17179869183G"), size_t{17179869183} << 30);
}

}  // namespace
}  // namespace tmc::cli
