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

}  // namespace
}  // namespace tmc::model
