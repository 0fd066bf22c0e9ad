// libFuzzer target over CVSS vectors: any text is either scored or
// rejected with an error inside the text. A score lies in 0..10 with one
// decimal, its severity matches, a temporal score never exceeds the base,
// and the normalized vector scores the same again.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "analyze/cvss.h"
#include "fuzz_checks.h"

namespace {

bool one_decimal(double value) { return std::fabs(value * 10 - std::round(value * 10)) < 1e-6; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view vector(reinterpret_cast<const char*>(data), size);
  auto result = tmc::analyze::score_cvss(vector);
  if (const auto* error = std::get_if<tmc::analyze::CvssError>(&result)) {
    if (error->offset > size || error->length > size - error->offset) tmc::fuzz::fail("error span outside the vector", vector);
    if (error->message.empty()) tmc::fuzz::fail("error without a message", vector);
    return 0;
  }
  const auto& score = std::get<tmc::analyze::CvssScore>(result);
  if (!(score.base >= 0 && score.base <= 10) || !one_decimal(score.base)) tmc::fuzz::fail("base score out of range", vector);
  if (std::string_view(tmc::analyze::cvss_severity(score.base)) != score.severity) tmc::fuzz::fail("severity mismatch", vector);
  if (score.version != "3.0" && score.version != "3.1" && score.version != "4.0") tmc::fuzz::fail("unknown version accepted", vector);
  if (score.threat_environmental &&
      (!(*score.threat_environmental >= 0 && *score.threat_environmental <= 10) || !one_decimal(*score.threat_environmental))) {
    tmc::fuzz::fail("v4.0 threat/environmental score out of range", vector);
  }
  if (score.temporal && (!(*score.temporal >= 0 && *score.temporal <= score.base) || !one_decimal(*score.temporal))) {
    tmc::fuzz::fail("temporal score out of range", vector);
  }
  auto again = tmc::analyze::score_cvss(score.vector);
  const auto* same = std::get_if<tmc::analyze::CvssScore>(&again);
  if (same == nullptr || same->base != score.base || same->temporal != score.temporal ||
      same->threat_environmental != score.threat_environmental || same->vector != score.vector) {
    tmc::fuzz::fail("the normalized vector does not score the same", score.vector);
  }
  // Roundup never goes down and moves by less than 0.1.
  double x = score.base / 3.7;
  double up = tmc::analyze::cvss_roundup(x);
  if (up < x - 1e-9 || up - x > 0.1 + 1e-9) tmc::fuzz::fail("roundup out of bounds", score.vector);
  return 0;
}
