// "Did you mean" for commands, keys, ids, enumeration values and control
// names: one edit-distance helper used everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tmc {

// Optimal-string-alignment distance (insertions, deletions, substitutions
// and adjacent transpositions), case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate to `word` when it is close enough to be a plausible
// typo (distance <= max(1, len/3)); ties go to the earliest candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tmc
