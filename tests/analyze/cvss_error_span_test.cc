// Regression (found by cvss_fuzz, issue 15): for "CVSS:3.0/" the error
// pointed one past the end of the vector. Every error span lies inside the
// text. Input also kept as fuzz/corpus/cvss/regression-trailing-slash.
#include <gtest/gtest.h>

#include <string_view>
#include <variant>

#include "analyze/cvss.h"

namespace tmc::analyze {
namespace {

TEST(CvssErrorSpan, LiesInsideTheVector) {
  for (std::string_view vector : {"CVSS:3.0/", "CVSS:3.1/", "CVSS:3.1/AV:N//AC:L", "CVSS:3.1/AV:N/"}) {
    auto result = score_cvss(vector);
    ASSERT_TRUE(std::holds_alternative<CvssError>(result)) << vector;
    const CvssError& error = std::get<CvssError>(result);
    EXPECT_LE(error.offset + error.length, vector.size()) << vector;
    EXPECT_EQ(vector.substr(error.offset, 1), "/") << vector;
  }
}

}  // namespace
}  // namespace tmc::analyze
