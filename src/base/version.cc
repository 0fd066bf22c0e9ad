#include "base/version.h"

namespace tmc {

const char* version() { return TMC_VERSION; }

std::optional<std::array<int, 3>> parse_version(std::string_view text) {
  if (text.rfind(">=", 0) == 0) text.remove_prefix(2);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::array<int, 3> parts{0, 0, 0};
  size_t count = 0, start = 0;
  while (start <= text.size()) {
    size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) dot = text.size();
    std::string_view part = text.substr(start, dot - start);
    if (count == parts.size() || part.empty() || part.size() > 6) return std::nullopt;
    int value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    parts[count++] = value;
    start = dot + 1;
  }
  return parts;
}

std::optional<bool> version_at_least(std::string_view wanted) {
  auto needed = parse_version(wanted);
  auto running = parse_version(version());
  if (!needed || !running) return std::nullopt;
  return *running >= *needed;
}

}  // namespace tmc
