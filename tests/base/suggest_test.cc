// "Did you mean": small distances only, bounded work whatever the input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/suggest.h"

namespace tmc {
namespace {

TEST(Suggest, SuggestsCloseWordsOnly) {
  std::vector<std::string> ids{"payments-api", "ledger", "web"};
  EXPECT_EQ(did_you_mean("payment-api", ids), "; did you mean 'payments-api'?");
  EXPECT_EQ(did_you_mean("ldeger", ids), "; did you mean 'ledger'?");
  EXPECT_EQ(did_you_mean("database", ids), "");
  // A long word is at most 3 edits from its suggestion.
  std::vector<std::string> long_ids{"customer-accounts-service"};
  EXPECT_EQ(did_you_mean("customer-account-servic", long_ids), "; did you mean 'customer-accounts-service'?");
  EXPECT_EQ(did_you_mean("customer-acc-service-x", long_ids), "");
}

TEST(Suggest, IgnoresHugeWordsAndCandidates) {
  std::string huge(100'000, 'a');
  std::vector<std::string> ids{huge, "aaa"};
  EXPECT_EQ(did_you_mean(huge, ids), "");
  EXPECT_EQ(did_you_mean("aab", ids), "; did you mean 'aaa'?");
}

TEST(Suggest, DistanceMatchesTheFullComputation) {
  std::vector<std::string> words{"", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "flaw", "lawn"};
  for (const std::string& a : words) {
    for (const std::string& b : words) {
      std::vector<std::string> one{b};
      size_t limit = std::min<size_t>(3, std::max<size_t>(1, a.size() / 3));
      bool close = !a.empty() && edit_distance(a, b) <= limit;
      EXPECT_EQ(closest_match(a, one).has_value(), close) << a << " / " << b;
    }
  }
}

TEST(Suggester, StopsSuggestingWhenItsBudgetIsSpent) {
  std::vector<std::string> ids;
  for (int i = 0; i < 999; ++i) ids.push_back("unrelated-" + std::to_string(100000 + i));
  ids.push_back("target");
  Suggester suggester(ids, 1500);
  // The first query compares against all 1000 ids.
  EXPECT_EQ(suggester.did_you_mean("targte"), "; did you mean 'target'?");
  // 500 comparisons left: 'target' (the last id) is no longer reached.
  EXPECT_EQ(suggester.did_you_mean("targte"), "");
  EXPECT_EQ(suggester.did_you_mean("targte"), "");
}

}  // namespace
}  // namespace tmc
