#include "analyze/cvss.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace tmc::analyze {

namespace {

struct MetricSpec {
  const char* name;
  const char* values;  // allowed letters
  bool base;
};

// Base metrics in spec order, then temporal and environmental.
const std::vector<MetricSpec>& metric_specs() {
  static const std::vector<MetricSpec> kSpecs = {
      {"AV", "NALP", true}, {"AC", "LH", true},   {"PR", "NLH", true},  {"UI", "NR", true},
      {"S", "UC", true},    {"C", "HLN", true},   {"I", "HLN", true},   {"A", "HLN", true},
      {"E", "XUPFH", false}, {"RL", "XOTWU", false}, {"RC", "XURC", false},
      {"CR", "XLMH", false}, {"IR", "XLMH", false}, {"AR", "XLMH", false},
      {"MAV", "XNALP", false}, {"MAC", "XLH", false}, {"MPR", "XNLH", false}, {"MUI", "XNR", false},
      {"MS", "XUC", false}, {"MC", "XNLH", false}, {"MI", "XNLH", false}, {"MA", "XNLH", false},
  };
  return kSpecs;
}

std::string expected_list(const char* values) {
  std::string out;
  size_t n = std::char_traits<char>::length(values);
  for (size_t i = 0; i < n; ++i) {
    out += std::string(1, values[i]);
    if (i + 2 < n) out += ", ";
    else if (i + 1 < n) out += " or ";
  }
  return out;
}

double weight(const std::string& metric, char value, bool scope_changed) {
  if (metric == "AV") return value == 'N' ? 0.85 : value == 'A' ? 0.62 : value == 'L' ? 0.55 : 0.2;
  if (metric == "AC") return value == 'L' ? 0.77 : 0.44;
  if (metric == "PR") {
    if (value == 'N') return 0.85;
    if (value == 'L') return scope_changed ? 0.68 : 0.62;
    return scope_changed ? 0.5 : 0.27;
  }
  if (metric == "UI") return value == 'N' ? 0.85 : 0.62;
  if (metric == "C" || metric == "I" || metric == "A") return value == 'H' ? 0.56 : value == 'L' ? 0.22 : 0.0;
  if (metric == "E") return value == 'U' ? 0.91 : value == 'P' ? 0.94 : value == 'F' ? 0.97 : 1.0;
  if (metric == "RL") return value == 'O' ? 0.95 : value == 'T' ? 0.96 : value == 'W' ? 0.97 : 1.0;
  if (metric == "RC") return value == 'U' ? 0.92 : value == 'R' ? 0.96 : 1.0;
  return 1.0;
}

double roundup_30(double value) { return std::ceil(value * 10.0) / 10.0; }

}  // namespace

double cvss_roundup(double value) {
  long long scaled = std::llround(value * 100000.0);
  if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
  return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

const char* cvss_severity(double score) {
  if (score == 0.0) return "None";
  if (score < 4.0) return "Low";
  if (score < 7.0) return "Medium";
  if (score < 9.0) return "High";
  return "Critical";
}

std::variant<CvssScore, CvssError> score_cvss(std::string_view vector) {
  std::string version;
  if (vector.rfind("CVSS:3.1/", 0) == 0) {
    version = "3.1";
  } else if (vector.rfind("CVSS:3.0/", 0) == 0) {
    version = "3.0";
  } else if (vector.rfind("CVSS:4.0/", 0) == 0) {
    return CvssError{"CVSS v4.0 vectors are not supported yet; give a CVSS:3.1 vector", 0, 8};
  } else {
    size_t slash = vector.find('/');
    return CvssError{"a CVSS vector starts with 'CVSS:3.1/' (or 'CVSS:3.0/')", 0,
                     slash == std::string_view::npos ? vector.size() : slash};
  }
  std::map<std::string, char> values;
  size_t position = 9;
  while (position <= vector.size()) {
    size_t end = vector.find('/', position);
    if (end == std::string_view::npos) end = vector.size();
    std::string_view part = vector.substr(position, end - position);
    size_t colon = part.find(':');
    if (part.empty()) {
      // Point at the slash that has nothing after it.
      return CvssError{end == vector.size() ? "the vector ends with '/'" : "empty metric between '//'", position - 1, 1};
    }
    if (colon == std::string_view::npos || colon + 2 != part.size()) {
      return CvssError{fmt::format("'{}' is not a metric; write NAME:VALUE such as AV:N", part), position, part.size()};
    }
    std::string name(part.substr(0, colon));
    char value = part[colon + 1];
    auto spec = std::find_if(metric_specs().begin(), metric_specs().end(), [&](const MetricSpec& s) { return name == s.name; });
    if (spec == metric_specs().end()) {
      return CvssError{fmt::format("unknown CVSS v{} metric '{}'", version, name), position, colon};
    }
    if (std::string_view(spec->values).find(value) == std::string_view::npos) {
      return CvssError{fmt::format("CVSS v{} metric '{}' has no value '{}' (expected {})", version, name, value,
                                   expected_list(spec->values)),
                       position + colon + 1, 1};
    }
    if (!values.emplace(name, value).second) {
      return CvssError{fmt::format("metric '{}' is given twice", name), position, part.size()};
    }
    if (end == vector.size()) break;
    position = end + 1;
  }
  CvssScore score;
  score.version = version;
  score.vector = "CVSS:" + version;
  for (const MetricSpec& spec : metric_specs()) {
    auto it = values.find(spec.name);
    if (it == values.end()) {
      if (spec.base) return CvssError{fmt::format("the vector lacks the base metric '{}'", spec.name), 0, vector.size()};
      continue;
    }
    score.vector += fmt::format("/{}:{}", spec.name, it->second);
  }
  bool changed = values["S"] == 'C';
  double iss = 1 - (1 - weight("C", values["C"], changed)) * (1 - weight("I", values["I"], changed)) *
                       (1 - weight("A", values["A"], changed));
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * weight("AV", values["AV"], changed) * weight("AC", values["AC"], changed) *
                          weight("PR", values["PR"], changed) * weight("UI", values["UI"], changed);
  auto roundup = version == "3.1" ? cvss_roundup : roundup_30;
  if (impact <= 0) {
    score.base = 0;
  } else if (changed) {
    score.base = roundup(std::min(1.08 * (impact + exploitability), 10.0));
  } else {
    score.base = roundup(std::min(impact + exploitability, 10.0));
  }
  score.severity = cvss_severity(score.base);
  if (values.count("E") || values.count("RL") || values.count("RC")) {
    score.temporal = roundup(score.base * weight("E", values.count("E") ? values["E"] : 'X', changed) *
                             weight("RL", values.count("RL") ? values["RL"] : 'X', changed) *
                             weight("RC", values.count("RC") ? values["RC"] : 'X', changed));
  }
  return score;
}

}  // namespace tmc::analyze
