// Source files and positions. Every model object and every diagnostic
// carries a SourceLocation so that errors, findings and SARIF results can
// point at the exact line and column of the user's file.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace tmc {

// A position in a loaded file. Lines and columns are 1-based; line 0 means
// "no position" (for example a problem with the command line).
struct SourceLocation {
  uint32_t file = 0;    // index into SourceManager; 0 is "no file"
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t length = 0;  // bytes of the offending text on that line, 0 = unknown

  bool known() const { return line != 0; }
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// Owns the text of every file read in one run, so that diagnostics can
// print the path and an excerpt. File ids start at 1. A file's contents
// stay at the same address for the manager's lifetime.
class SourceManager {
 public:
  // Registers a file and returns its id. `path` is shown to users as given.
  uint32_t add(std::string path, std::string contents);

  const std::string& path(uint32_t file) const;
  const std::string& contents(uint32_t file) const;
  size_t file_count() const { return files_.size(); }

  // The text of line `line` (1-based) of `file`, without its line break;
  // empty when out of range.
  std::string_view line_text(uint32_t file, uint32_t line) const;

 private:
  struct File {
    std::string path;
    std::string contents;
  };
  // A deque: a file's text never moves once added, so the syntax tree can
  // hold views into it.
  std::deque<File> files_;
};

}  // namespace tmc
