// The known security controls: names a model may list under `controls:`
// and that the rules look for. The list is data (controls.cc) and is
// printed by `tmc controls`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tmc::model {

struct KnownControl {
  std::string_view name;         // kebab-case, e.g. "rate-limit"
  std::string_view applies_to;   // "element", "flow" or "element, flow"
  std::string_view description;  // one sentence
};

const std::vector<KnownControl>& known_controls();
std::vector<std::string> known_control_names();

}  // namespace tmc::model
