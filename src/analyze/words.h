// Reading free text: lower-casing and whole-word search, shared by the
// zone and fact readers.
#pragma once

#include <string>
#include <string_view>

namespace tmc::analyze {

// `text` with ASCII letters in lower case.
std::string lower(std::string_view text);

// True when `word` appears in `text` as a whole word or phrase: letters and
// digits around it do not count ("http" is not in "https"). Compares as
// written: lower both sides first.
bool has_word(std::string_view text, std::string_view word);

}  // namespace tmc::analyze
