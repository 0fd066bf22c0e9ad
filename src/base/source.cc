#include "base/source.h"

namespace tmc {

uint32_t SourceManager::add(std::string path, std::string contents) {
  files_.push_back({std::move(path), std::move(contents)});
  return static_cast<uint32_t>(files_.size());
}

const std::string& SourceManager::path(uint32_t file) const {
  static const std::string kNone;
  if (file == 0 || file > files_.size()) return kNone;
  return files_[file - 1].path;
}

const std::string& SourceManager::contents(uint32_t file) const {
  static const std::string kNone;
  if (file == 0 || file > files_.size()) return kNone;
  return files_[file - 1].contents;
}

std::string_view SourceManager::line_text(uint32_t file, uint32_t line) const {
  const std::string& text = contents(file);
  if (line == 0) return {};
  size_t start = 0;
  for (uint32_t current = 1; current < line; ++current) {
    size_t newline = text.find('\n', start);
    if (newline == std::string::npos) return {};
    start = newline + 1;
  }
  size_t end = text.find('\n', start);
  if (end == std::string::npos) end = text.size();
  if (end > start && text[end - 1] == '\r') --end;
  return std::string_view(text).substr(start, end - start);
}

}  // namespace tmc
