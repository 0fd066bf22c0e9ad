// CVSS v3.0 and v3.1 vectors: parsed, validated and scored exactly as the
// FIRST specification defines (base and temporal scores). CVSS v4.0
// vectors are recognized and reported as not supported yet.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace tmc::analyze {

struct CvssScore {
  std::string version;      // "3.0" or "3.1"
  double base = 0;          // 0.0 .. 10.0, one decimal
  std::string severity;     // None, Low, Medium, High, Critical
  std::optional<double> temporal;  // when E, RL or RC are given
  std::string vector;       // normalized: base metrics in spec order, then the rest as given
};

struct CvssError {
  std::string message;
  size_t offset = 0;  // into the vector text
  size_t length = 0;
};

// Parses and scores a vector such as "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".
std::variant<CvssScore, CvssError> score_cvss(std::string_view vector);

// The spec's Roundup: the smallest number with one decimal that is >= x
// (v3.1 computes it on integers to avoid floating-point error).
double cvss_roundup(double value);

// The qualitative severity of a score.
const char* cvss_severity(double score);

}  // namespace tmc::analyze
