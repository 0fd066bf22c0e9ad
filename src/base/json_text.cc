#include "base/json_text.h"

#include <string_view>

namespace tmc {

std::string escape_json_controls(std::string dumped) {
  // DEL is 0x7F, a C1 control 0xC2 then 0x80..0x9F (the text is UTF-8).
  if (dumped.find_first_of("\x7f\xc2") == std::string::npos) return dumped;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(dumped.size() + 16);
  for (size_t i = 0; i < dumped.size(); ++i) {
    auto c = static_cast<unsigned char>(dumped[i]);
    unsigned char code = c;
    if (c == 0xC2 && i + 1 < dumped.size() && static_cast<unsigned char>(dumped[i + 1]) <= 0x9F) {
      code = static_cast<unsigned char>(dumped[++i]);
    } else if (c != 0x7F) {
      out += dumped[i];
      continue;
    }
    out += "\\u00";
    out += kHex[code >> 4];
    out += kHex[code & 15];
  }
  return out;
}

}  // namespace tmc
