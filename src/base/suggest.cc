#include "base/suggest.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace tmc {

namespace {
// ASCII lower case (what std::tolower does in the "C" locale), inline.
inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

size_t distance_limit(std::string_view word) {
  return std::min(kMaxSuggestDistance, std::max<size_t>(1, word.size() / 3));
}

// The distance when it is at most `limit`, else limit + 1. Strings of at
// most kMaxSuggestLength characters; stops as soon as a whole row is over.
size_t bounded_distance(std::string_view a, std::string_view b, size_t limit) {
  const size_t n = a.size();
  const size_t m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  char la[kMaxSuggestLength], lb[kMaxSuggestLength];
  for (size_t i = 0; i < n; ++i) la[i] = lower(a[i]);
  for (size_t j = 0; j < m; ++j) lb[j] = lower(b[j]);
  std::array<size_t, kMaxSuggestLength + 1> rows[3]{};
  size_t* two_back = rows[0].data();
  size_t* previous = rows[1].data();
  size_t* current = rows[2].data();
  for (size_t j = 0; j <= m; ++j) previous[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    current[0] = i;
    size_t row_min = current[0];
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = la[i - 1] == lb[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && la[i - 1] == lb[j - 2] &&
          la[i - 2] == lb[j - 1]) {
        current[j] = std::min(current[j], two_back[j - 2] + 1);
      }
      row_min = std::min(row_min, current[j]);
    }
    // Every later cell is at least the row minimum (transpositions reach
    // back two rows, so require two rows over the limit).
    if (row_min > limit && i > 1) {
      size_t previous_min = *std::min_element(previous, previous + m + 1);
      if (previous_min > limit) return limit + 1;
    }
    size_t* oldest = two_back;
    two_back = previous;
    previous = current;
    current = oldest;
  }
  return std::min(previous[m], limit + 1);
}

// The best candidate within the limit, comparing at most `max_compared`
// candidates; `compared` receives how many were compared.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates,
                                   size_t max_compared, size_t& compared) {
  compared = 0;
  if (word.empty() || word.size() > kMaxSuggestLength) return std::nullopt;
  const size_t limit = distance_limit(word);
  const std::string* best = nullptr;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (compared >= max_compared) break;
    ++compared;
    if (candidate.size() > kMaxSuggestLength) continue;
    size_t distance = bounded_distance(word, candidate, best_distance - 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = &candidate;
      if (distance == 0) break;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}
}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  // Three rolling rows are enough for the transposition case.
  std::vector<size_t> two_back(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        current[j] = std::min(current[j], two_back[j - 2] + 1);
      }
    }
    std::swap(two_back, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  size_t compared = 0;
  return closest(word, candidates, kMaxSuggestCandidates, compared);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto match = closest_match(word, candidates);
  if (!match) return "";
  return "; did you mean '" + *match + "'?";
}

Suggester::Suggester(std::vector<std::string> candidates, size_t budget)
    : candidates_(std::move(candidates)), budget_(budget) {}

std::string Suggester::did_you_mean(std::string_view word) {
  size_t compared = 0;
  auto match = closest(word, candidates_, std::min(budget_, kMaxSuggestCandidates), compared);
  budget_ -= std::min(budget_, compared);
  if (!match) return "";
  return "; did you mean '" + *match + "'?";
}

}  // namespace tmc
