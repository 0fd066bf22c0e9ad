// "Did you mean" for commands, keys, ids, enumeration values and control
// names: one edit-distance helper used everywhere. The work is bounded
// whatever the input: words and candidates longer than kMaxSuggestLength
// are never compared, a query looks at most kMaxSuggestCandidates
// candidates, and a Suggester stops suggesting once its budget is spent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tmc {

// Longer words or candidates get no suggestion (nobody typos a 200-character id).
inline constexpr size_t kMaxSuggestLength = 64;
// A query compares against at most this many candidates (the first ones).
inline constexpr size_t kMaxSuggestCandidates = 10'000;
// Suggestions are made only at this edit distance or less.
inline constexpr size_t kMaxSuggestDistance = 3;

// Optimal-string-alignment distance (insertions, deletions, substitutions
// and adjacent transpositions), case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate to `word` when it is close enough to be a plausible
// typo (distance <= min(3, max(1, len/3))); ties go to the earliest candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Many queries against one candidate list (e.g. every unknown reference of
// a model against its ids). The candidates are kept once, and the total
// number of comparisons over all queries is bounded by `budget`: past it,
// did_you_mean() returns "" (like a compiler's typo-correction limit), so
// thousands of unknown ids cost linear time, not quadratic.
class Suggester {
 public:
  explicit Suggester(std::vector<std::string> candidates, size_t budget = 1'000'000);
  std::string did_you_mean(std::string_view word);

 private:
  std::vector<std::string> candidates_;
  size_t budget_;
};

}  // namespace tmc
