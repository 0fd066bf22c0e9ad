// CVSS v3.0, v3.1 and v4.0 vectors: parsed, validated and scored exactly as
// the FIRST specifications define. v3.x: base and temporal scores. v4.0: the
// base score (CVSS-B) and, when the vector carries Threat or Environmental
// metrics, the score of the whole vector (CVSS-BT, CVSS-BE or CVSS-BTE), as
// FIRST's reference calculator computes them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace tmc::analyze {

struct CvssScore {
  std::string version;      // "3.0", "3.1" or "4.0"
  double base = 0;          // 0.0 .. 10.0, one decimal; v4.0: the CVSS-B score
  std::string severity;     // None, Low, Medium, High, Critical
  std::optional<double> temporal;  // v3.x, when E, RL or RC are given
  std::string vector;       // normalized: base metrics in spec order, then the rest as given
  // v4.0 only: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE" (which metric
  // groups the vector defines; E:X and other Not Defined values do not count).
  std::string nomenclature;
  // v4.0 only, when nomenclature is not CVSS-B: the score of the whole vector
  // with its Threat and Environmental metrics.
  std::optional<double> threat_environmental;
};

struct CvssError {
  std::string message;
  size_t offset = 0;  // into the vector text
  size_t length = 0;
};

// Parses and scores a vector such as "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
// or "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N". On
// failure the error's offset and length point at the offending part of the text.
std::variant<CvssScore, CvssError> score_cvss(std::string_view vector);

// Parses and scores a vector that starts with "CVSS:4.0/". The metrics must
// follow Table 23 of the v4.0 specification: all eleven Base metrics, then
// any Threat, Environmental and Supplemental metrics, each at most once and
// in the table's order. Supplemental metrics are validated, never scored.
std::variant<CvssScore, CvssError> score_cvss_v4(std::string_view vector);

// The spec's Roundup: the smallest number with one decimal that is >= x
// (v3.1 computes it on integers to avoid floating-point error).
double cvss_roundup(double value);

// The qualitative severity of a score.
const char* cvss_severity(double score);

}  // namespace tmc::analyze
