#include "base/json_text.h"

#include <string_view>

namespace tmc {

std::string escape_json_controls(std::string dumped) {
  if (dumped.find('\x7f') == std::string::npos) return dumped;
  std::string out;
  out.reserve(dumped.size() + 16);
  for (char c : dumped) {
    if (c == '\x7f') {
      out += "\\u007f";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace tmc
