// The rule pack: compiled rules in a compact binary form. The built-in
// rules are compiled from rules/*.yaml at build time (tools/rule_pack.cc
// runs compile_rules() and pack_rules()) and read back at every start with
// unpack_rules(), which costs a fraction of parsing their YAML. The YAML
// text is still compiled into tmc, so diagnostics and `tmc rules` point
// into it exactly as before.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/rule_language.h"

namespace tmc::analyze {

// One rule file the pack was made from, in the order of the embedded files.
struct PackedFile {
  std::string path;  // as shown to users, e.g. "rules/web.yaml"
  uint64_t bytes = 0;  // its size, to catch a pack out of step with the text
};

// Serializes `rules`. Their source locations name files 1..files.size() in
// the order of `files` (0 = no file).
std::string pack_rules(const std::vector<PackedFile>& files, const std::vector<Rule>& rules);

// Reads a pack made by pack_rules(). `file_ids[i]` is the SourceManager id
// of files[i] in this run; the packed locations are mapped to them. The
// pack's file list must equal `files` (path and size). Returns false and
// sets `error` on a damaged or stale pack; never reads out of bounds.
bool unpack_rules(std::string_view pack, const std::vector<PackedFile>& files, const std::vector<uint32_t>& file_ids,
                  std::vector<Rule>& rules, std::string& error);

}  // namespace tmc::analyze
