// IdIndex: the flat table behind the model's id lookups, checked against
// std::map on the same operations.
#include "model/id_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace tmc::model {
namespace {

TEST(IdIndex, KeepsTheFirstValueOfAnId) {
  IdIndex ids;
  EXPECT_EQ(ids.find("api"), -1);  // empty: no table yet
  EXPECT_EQ(ids.insert("api", 0), std::make_pair(0, true));
  EXPECT_EQ(ids.insert("db", 1), std::make_pair(1, true));
  EXPECT_EQ(ids.insert("api", 7), std::make_pair(0, false));
  EXPECT_EQ(ids.find("api"), 0);
  EXPECT_EQ(ids.find("db"), 1);
  EXPECT_EQ(ids.find("ap"), -1);
  EXPECT_EQ(ids.find("api "), -1);
  EXPECT_EQ(ids.find(""), -1);
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids.insert("", 2), std::make_pair(2, true));  // the builder never adds one, but it is a key like others
  EXPECT_EQ(ids.find(""), 2);
  EXPECT_THROW(ids.insert("negative", -1), std::invalid_argument);
}

TEST(IdIndex, CopiesAndMovesStayValid) {
  IdIndex ids;
  for (int i = 0; i < 100; ++i) ids.insert("e" + std::to_string(i), i);
  IdIndex copy = ids;
  IdIndex moved = std::move(ids);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(copy.find("e" + std::to_string(i)), i);
    EXPECT_EQ(moved.find("e" + std::to_string(i)), i);
  }
  copy.insert("new", 100);
  EXPECT_EQ(moved.find("new"), -1);
}

TEST(IdIndex, AgreesWithAMapThroughGrowth) {
  std::mt19937 random(7);
  std::map<std::string, int> reference;
  IdIndex ids;
  for (int i = 0; i < 50000; ++i) {
    // Short ids from a small alphabet: many repeats and shared prefixes.
    std::string id;
    for (size_t n = 1 + random() % 4; n > 0; --n) id += static_cast<char>('a' + random() % 6);
    if (i % 1000 == 0) ids.reserve(ids.size() + 500);
    auto [held, added] = ids.insert(id, i);
    auto [it, inserted] = reference.emplace(id, i);
    ASSERT_EQ(added, inserted) << id;
    ASSERT_EQ(held, it->second) << id;
  }
  EXPECT_EQ(ids.size(), reference.size());
  std::vector<std::string> sorted;
  for (const auto& [id, value] : reference) {
    EXPECT_EQ(ids.find(id), value);
    sorted.push_back(id);
  }
  EXPECT_EQ(ids.sorted_ids(), sorted);
  EXPECT_EQ(ids.find("zzzzz"), -1);
}

// Ids of up to 8 bytes live in their slot, longer ones in the index's own
// buffer: both kinds, side by side and through growth and copies.
TEST(IdIndex, KeepsShortAndLongIdsApart) {
  IdIndex ids;
  std::map<std::string, int> reference;
  for (int i = 0; i < 3000; ++i) {
    std::string id = std::string(static_cast<size_t>(1 + i % 20), static_cast<char>('a' + i % 26)) + std::to_string(i);
    ASSERT_TRUE(ids.insert(id, i).second) << id;
    reference.emplace(id, i);
  }
  EXPECT_EQ(ids.insert("12345678", 1).first, 1);     // 8 bytes: in the slot
  EXPECT_EQ(ids.insert("123456789", 2).first, 2);    // 9 bytes: in the buffer
  EXPECT_EQ(ids.find("12345678"), 1);
  EXPECT_EQ(ids.find("123456789"), 2);
  EXPECT_EQ(ids.find("1234567"), -1);
  EXPECT_EQ(ids.find("1234567890"), -1);
  reference.emplace("12345678", 1);
  reference.emplace("123456789", 2);
  IdIndex copy = ids;
  for (const auto& [id, value] : reference) {
    EXPECT_EQ(ids.find(id), value) << id;
    EXPECT_EQ(copy.find(id), value) << id;
  }
  std::vector<std::string> sorted;
  for (const auto& [id, value] : reference) sorted.push_back(id);
  EXPECT_EQ(copy.sorted_ids(), sorted);
}

}  // namespace
}  // namespace tmc::model
