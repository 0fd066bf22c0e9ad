// CVSS v4.0: the vector string of section 7 of FIRST's specification
// ("Common Vulnerability Scoring System v4.0: Specification Document",
// https://www.first.org/cvss/v4.0/specification-document, Table 23) and the
// MacroVector scoring of its section 8, written from the specification and
// from FIRST's reference calculator (cvss40.js of
// https://github.com/RedHatProductSecurity/cvss-v4-calculator, the code behind
// https://www.first.org/cvss/calculator/4.0; a copy is in
// tests/third_party/cvss-v4/). The MacroVector scores, the highest severity
// vectors and the MacroVector depths below are FIRST's published numeric data
// (cvss_lookup.js and max_composed/max_severity of the calculator).
//
// The arithmetic mirrors the reference step by step in IEEE doubles (the
// metric levels are the calculator's 0.1 steps, not integers), so that the
// rounding to one decimal falls the same way; tests/analyze/cvss4_test.cc
// compares thousands of vectors with the calculator's own results.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/cvss.h"
#include "base/suggest.h"

namespace tmc::analyze {

namespace {

// Every metric of Table 23, in the one order a vector may list them.
enum Metric : int {
  AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA,       // Base (mandatory)
  E,                                                // Threat
  CR, IR, AR, MAV, MAC, MAT, MPR, MUI, MVC, MVI, MVA, MSC, MSI, MSA,  // Environmental
  S, AU, R, V, RE, U,                               // Supplemental (never scored)
  kMetricCount
};
constexpr int kBaseCount = SA + 1;

struct MetricSpec {
  std::string_view name;
  std::vector<std::string_view> values;  // as Table 23 lists them; X is Not Defined
};

const std::array<MetricSpec, kMetricCount>& specs() {
  static const std::array<MetricSpec, kMetricCount> kSpecs = {{
      {"AV", {"N", "A", "L", "P"}},
      {"AC", {"L", "H"}},
      {"AT", {"N", "P"}},
      {"PR", {"N", "L", "H"}},
      {"UI", {"N", "P", "A"}},
      {"VC", {"H", "L", "N"}},
      {"VI", {"H", "L", "N"}},
      {"VA", {"H", "L", "N"}},
      {"SC", {"H", "L", "N"}},
      {"SI", {"H", "L", "N"}},
      {"SA", {"H", "L", "N"}},
      {"E", {"X", "A", "P", "U"}},
      {"CR", {"X", "H", "M", "L"}},
      {"IR", {"X", "H", "M", "L"}},
      {"AR", {"X", "H", "M", "L"}},
      {"MAV", {"X", "N", "A", "L", "P"}},
      {"MAC", {"X", "L", "H"}},
      {"MAT", {"X", "N", "P"}},
      {"MPR", {"X", "N", "L", "H"}},
      {"MUI", {"X", "N", "P", "A"}},
      {"MVC", {"X", "N", "L", "H"}},
      {"MVI", {"X", "N", "L", "H"}},
      {"MVA", {"X", "N", "L", "H"}},
      {"MSC", {"X", "N", "L", "H"}},
      {"MSI", {"X", "N", "L", "H", "S"}},
      {"MSA", {"X", "N", "L", "H", "S"}},
      {"S", {"X", "N", "P"}},
      {"AU", {"X", "N", "Y"}},
      {"R", {"X", "A", "U", "I"}},
      {"V", {"X", "D", "C"}},
      {"RE", {"X", "L", "M", "H"}},
      {"U", {"X", "Clear", "Green", "Amber", "Red"}},
  }};
  return kSpecs;
}

std::string expected_values(const std::vector<std::string_view>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    out += values[i];
    if (i + 2 < values.size()) out += ", ";
    else if (i + 1 < values.size()) out += " or ";
  }
  return out;
}

// The value of each metric as written; "X" for an omitted optional metric.
using Values = std::array<std::string_view, kMetricCount>;

// The value a metric takes in scoring (the calculator's
// getEffectiveMetricValue): Not Defined Exploit Maturity and Security
// Requirements assume the worst case (E:A, CR/IR/AR:H, specification
// Tables 28 and 29), and a defined Modified Base metric replaces its Base
// metric (section 4.2).
char effective(const Values& values, Metric metric) {
  if (metric == E && values[E] == "X") return 'A';
  if ((metric == CR || metric == IR || metric == AR) && values[metric] == "X") return 'H';
  if (metric < kBaseCount) {
    Metric modified = static_cast<Metric>(MAV + metric);  // MAV..MSA follow AV..SA
    if (values[modified] != "X") return values[modified][0];
  }
  return values[metric][0];
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The calculator's METRIC_LEVELS: how far each value is from the most
// severe one, in steps of 0.1 (NaN for a value the metric cannot take).
double level(Metric metric, char value) {
  switch (metric) {
    case AV: return value == 'N' ? 0.0 : value == 'A' ? 0.1 : value == 'L' ? 0.2 : value == 'P' ? 0.3 : kNaN;
    case PR: return value == 'N' ? 0.0 : value == 'L' ? 0.1 : value == 'H' ? 0.2 : kNaN;
    case UI: return value == 'N' ? 0.0 : value == 'P' ? 0.1 : value == 'A' ? 0.2 : kNaN;
    case AC: return value == 'L' ? 0.0 : value == 'H' ? 0.1 : kNaN;
    case AT: return value == 'N' ? 0.0 : value == 'P' ? 0.1 : kNaN;
    case VC: case VI: case VA:
      return value == 'H' ? 0.0 : value == 'L' ? 0.1 : value == 'N' ? 0.2 : kNaN;
    case SC: return value == 'H' ? 0.1 : value == 'L' ? 0.2 : value == 'N' ? 0.3 : kNaN;
    case SI: case SA:
      return value == 'S' ? 0.0 : value == 'H' ? 0.1 : value == 'L' ? 0.2 : value == 'N' ? 0.3 : kNaN;
    case CR: case IR: case AR:
      return value == 'H' ? 0.0 : value == 'M' ? 0.1 : value == 'L' ? 0.2 : kNaN;
    case E: return value == 'A' ? 0.0 : value == 'P' ? 0.1 : value == 'U' ? 0.2 : kNaN;
    default: return kNaN;
  }
}

// The metrics the severity distance is measured on, in the calculator's order.
constexpr Metric kLeveled[] = {AV, PR, UI, AC, AT, VC, VI, VA, SC, SI, SA, CR, IR, AR, E};

// A MacroVector: the levels of EQ1..EQ6 (specification Tables 24-29).
using MacroVector = std::array<int, 6>;

MacroVector macro_vector(const Values& v) {
  auto is = [&](Metric m, char value) { return effective(v, m) == value; };
  MacroVector eq{};
  // EQ1: AV/PR/UI.
  if (is(AV, 'N') && is(PR, 'N') && is(UI, 'N')) eq[0] = 0;
  else if ((is(AV, 'N') || is(PR, 'N') || is(UI, 'N')) && !is(AV, 'P')) eq[0] = 1;
  else eq[0] = 2;
  // EQ2: AC/AT.
  eq[1] = is(AC, 'L') && is(AT, 'N') ? 0 : 1;
  // EQ3: VC/VI/VA.
  if (is(VC, 'H') && is(VI, 'H')) eq[2] = 0;
  else if (is(VC, 'H') || is(VI, 'H') || is(VA, 'H')) eq[2] = 1;
  else eq[2] = 2;
  // EQ4: SC/SI/SA, with Safety (MSI:S or MSA:S) as the most severe level.
  if (is(MSI, 'S') || is(MSA, 'S')) eq[3] = 0;
  else if (is(SC, 'H') || is(SI, 'H') || is(SA, 'H')) eq[3] = 1;
  else eq[3] = 2;
  // EQ5: E.
  eq[4] = is(E, 'A') ? 0 : is(E, 'P') ? 1 : 2;
  // EQ6: VC/VI/VA against CR/IR/AR.
  eq[5] = (is(CR, 'H') && is(VC, 'H')) || (is(IR, 'H') && is(VI, 'H')) || (is(AR, 'H') && is(VA, 'H')) ? 0 : 1;
  return eq;
}

// FIRST's MacroVector scores (cvss_lookup.js of the reference calculator,
// specification section 8.3), keyed by the six EQ levels.
struct MacroScore {
  const char* macro;
  double score;
};
constexpr MacroScore kMacroScores[] = {
    {"000000", 10.0}, {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5}, {"000021", 9.2},
    {"000100", 10.0}, {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7}, {"000120", 9.1}, {"000121", 8.1},
    {"000200", 9.3}, {"000201", 9.0}, {"000210", 8.9}, {"000211", 8.0}, {"000220", 8.1}, {"000221", 6.8},
    {"001000", 9.8}, {"001001", 9.5}, {"001010", 9.5}, {"001011", 9.2}, {"001020", 9.0}, {"001021", 8.4},
    {"001100", 9.3}, {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8.0}, {"001210", 7.8}, {"001211", 7.0}, {"001220", 6.9}, {"001221", 4.8},
    {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9}, {"002111", 6.9}, {"002121", 5.0},
    {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7}, {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5},
    {"010011", 9.2}, {"010020", 9.2}, {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9.0},
    {"010111", 8.3}, {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3}, {"011010", 9.2},
    {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2}, {"011101", 8.2}, {"011110", 8.0},
    {"011111", 7.2}, {"011120", 7.0}, {"011121", 5.9}, {"011200", 8.4}, {"011201", 7.0}, {"011210", 7.1},
    {"011211", 5.2}, {"011220", 5.0}, {"011221", 3.0}, {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2},
    {"012101", 7.1}, {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1}, {"100021", 8.1},
    {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4}, {"100120", 7.7}, {"100121", 6.4},
    {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4}, {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9},
    {"101000", 9.4}, {"101001", 8.9}, {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7},
    {"101100", 8.6}, {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5.0},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2}, {"101221", 2.5},
    {"102001", 8.3}, {"102011", 7.0}, {"102021", 5.4}, {"102101", 6.5}, {"102111", 5.8}, {"102121", 2.6},
    {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3}, {"110000", 9.5}, {"110001", 9.0}, {"110010", 8.8},
    {"110011", 7.6}, {"110020", 7.6}, {"110021", 7.0}, {"110100", 9.0}, {"110101", 7.7}, {"110110", 7.5},
    {"110111", 6.2}, {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3.0}, {"111000", 8.9}, {"111001", 7.8}, {"111010", 7.6},
    {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4}, {"111101", 5.9}, {"111110", 5.7},
    {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3}, {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7},
    {"111211", 2.9}, {"111220", 2.4}, {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3.0},
    {"112101", 5.8}, {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5}, {"200021", 5.8},
    {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1}, {"200120", 5.6}, {"200121", 3.4},
    {"200200", 7.0}, {"200201", 5.4}, {"200210", 5.2}, {"200211", 4.0}, {"200220", 4.0}, {"200221", 2.2},
    {"201000", 8.5}, {"201001", 7.5}, {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1},
    {"201100", 7.2}, {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9}, {"201221", 0.8},
    {"202001", 6.4}, {"202011", 5.1}, {"202021", 2.0}, {"202101", 4.7}, {"202111", 2.1}, {"202121", 1.1},
    {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4}, {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3},
    {"210011", 5.3}, {"210020", 6.0}, {"210021", 5.0}, {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9},
    {"210111", 4.0}, {"210120", 4.1}, {"210121", 2.0}, {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2.0}, {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5}, {"211010", 5.8},
    {"211011", 4.5}, {"211020", 4.0}, {"211021", 2.1}, {"211100", 6.1}, {"211101", 5.1}, {"211110", 4.8},
    {"211111", 1.8}, {"211120", 2.0}, {"211121", 0.9}, {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7},
    {"211211", 0.7}, {"211220", 0.8}, {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4},
    {"212101", 2.4}, {"212111", 1.2}, {"212121", 0.5}, {"212201", 1.0}, {"212211", 0.3}, {"212221", 0.1},
};

// Levels run EQ1 0..2, EQ2 0..1, EQ3 0..2, EQ4 0..2, EQ5 0..2, EQ6 0..1.
constexpr MacroVector kLevelCount = {3, 2, 3, 3, 3, 2};

size_t macro_index(const MacroVector& eq) {
  size_t index = 0;
  for (size_t i = 0; i < eq.size(); ++i) index = index * static_cast<size_t>(kLevelCount[i]) + static_cast<size_t>(eq[i]);
  return index;
}

// The score of a MacroVector, or NaN when no such MacroVector exists (a level
// past the last one, or EQ3 2 with EQ6 0, which no vector reaches).
double macro_score(const MacroVector& eq) {
  static const std::vector<double> kTable = [] {
    std::vector<double> table(3 * 2 * 3 * 3 * 3 * 2, kNaN);
    for (const MacroScore& entry : kMacroScores) {
      MacroVector levels{};
      for (size_t i = 0; i < levels.size(); ++i) levels[i] = entry.macro[i] - '0';
      table[macro_index(levels)] = entry.score;
    }
    return table;
  }();
  for (size_t i = 0; i < eq.size(); ++i) {
    if (eq[i] < 0 || eq[i] >= kLevelCount[i]) return kNaN;
  }
  return kTable[macro_index(eq)];
}

// The highest severity vectors of each EQ level (the calculator's
// MAX_COMPOSED; specification Tables 24-28 and 30), as the values of the
// metrics the EQ covers.
struct HighestVectors {
  std::vector<Metric> metrics;
  std::vector<std::vector<std::string_view>> by_level;  // per level: the vectors, one char per metric
};

const HighestVectors& eq1_highest() {
  static const HighestVectors k{{AV, PR, UI}, {{"NNN"}, {"ANN", "NLN", "NNP"}, {"PNN", "ALP"}}};
  return k;
}
const HighestVectors& eq2_highest() {
  static const HighestVectors k{{AC, AT}, {{"LN"}, {"HN", "LP"}}};
  return k;
}
// EQ3 and EQ6 together, indexed by eq3 * 2 + eq6.
const HighestVectors& eq3_eq6_highest() {
  static const HighestVectors k{{VC, VI, VA, CR, IR, AR},
                                {{"HHHHHH"},
                                 {"HHLMMH", "HHHMMM"},
                                 {"LHHHHH", "HLHHHH"},
                                 {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"},
                                 {},
                                 {"LLLHHH"}}};
  return k;
}
const HighestVectors& eq4_highest() {
  static const HighestVectors k{{SC, SI, SA}, {{"HSS"}, {"HHH"}, {"LLL"}}};
  return k;
}
const HighestVectors& eq5_highest() {
  static const HighestVectors k{{E}, {{"A"}, {"P"}, {"U"}}};
  return k;
}

// The depth of each MacroVector plus one (the calculator's MAX_SEVERITY).
constexpr int kEq1Depth[] = {1, 4, 5};
constexpr int kEq2Depth[] = {1, 2};
constexpr int kEq3Eq6Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
constexpr int kEq4Depth[] = {6, 5, 4};

// Round half up to one decimal, with the calculator's 1e-6 nudge against
// representation error (JavaScript's Math.round: ties go up).
double round_to_tenth(double value) {
  double scaled = (value + 1e-6) * 10;
  double rounded = std::floor(scaled);
  if (scaled - rounded >= 0.5) rounded += 1;
  return rounded / 10;
}

// The score of a vector (specification section 8.2): the score of its
// MacroVector minus the mean proportional distance to the MacroVectors
// below it.
double score(const Values& v) {
  constexpr Metric kImpacts[] = {VC, VI, VA, SC, SI, SA};
  bool no_impact = true;
  for (Metric m : kImpacts) no_impact = no_impact && effective(v, m) == 'N';
  if (no_impact) return 0.0;

  const MacroVector eq = macro_vector(v);
  const double value = macro_score(eq);
  auto lower = [&](size_t which) {  // the MacroVector one level below in one EQ
    MacroVector next = eq;
    next[which] += 1;
    return macro_score(next);
  };

  // 1a. The maximal scoring difference to the next lower MacroVector of each EQ.
  const double eq1_next = lower(0);
  const double eq2_next = lower(1);
  double eq3eq6_next = 0;
  const int eq3 = eq[2];
  const int eq6 = eq[5];
  if (eq3 == 0 && eq6 == 0) {
    // 00 leads to 01 and to 10: take the higher.
    MacroVector left = eq;
    left[5] += 1;
    MacroVector right = eq;
    right[2] += 1;
    double l = macro_score(left);
    double r = macro_score(right);
    eq3eq6_next = std::isnan(l) || std::isnan(r) ? kNaN : std::max(l, r);
  } else if (eq3 == 1 && eq6 == 0) {
    eq3eq6_next = lower(5);  // 10 -> 11
  } else if ((eq3 == 0 || eq3 == 1) && eq6 == 1) {
    eq3eq6_next = lower(2);  // 01 -> 11, 11 -> 21
  } else {
    MacroVector next = eq;  // 21 -> 32, which does not exist
    next[2] += 1;
    next[5] += 1;
    eq3eq6_next = macro_score(next);
  }
  const double eq4_next = lower(3);
  const double eq5_next = lower(4);

  // 1b. The severity distance from a highest severity vector of the
  // MacroVector that is at least as severe in every metric: the first one
  // in the calculator's order (EQ1 outermost); the last one if none is.
  const std::vector<std::string_view>& h1 = eq1_highest().by_level[static_cast<size_t>(eq[0])];
  const std::vector<std::string_view>& h2 = eq2_highest().by_level[static_cast<size_t>(eq[1])];
  const std::vector<std::string_view>& h3 = eq3_eq6_highest().by_level[static_cast<size_t>(eq3 * 2 + eq6)];
  const std::vector<std::string_view>& h4 = eq4_highest().by_level[static_cast<size_t>(eq[3])];
  const std::vector<std::string_view>& h5 = eq5_highest().by_level[static_cast<size_t>(eq[4])];
  std::array<double, kMetricCount> distance{};
  auto measure = [&](const HighestVectors& group, std::string_view highest) {
    for (size_t i = 0; i < group.metrics.size(); ++i) {
      Metric m = group.metrics[i];
      distance[m] = level(m, effective(v, m)) - level(m, highest[i]);
    }
  };
  bool found = false;
  for (std::string_view a : h1) {
    for (std::string_view b : h2) {
      for (std::string_view c : h3) {
        for (std::string_view d : h4) {
          for (std::string_view e : h5) {
            measure(eq1_highest(), a);
            measure(eq2_highest(), b);
            measure(eq3_eq6_highest(), c);
            measure(eq4_highest(), d);
            measure(eq5_highest(), e);
            found = true;
            for (Metric m : kLeveled) found = found && distance[m] >= 0;
            if (found) break;
          }
          if (found) break;
        }
        if (found) break;
      }
      if (found) break;
    }
    if (found) break;
  }

  const double eq1_distance = distance[AV] + distance[PR] + distance[UI];
  const double eq2_distance = distance[AC] + distance[AT];
  const double eq3eq6_distance =
      distance[VC] + distance[VI] + distance[VA] + distance[CR] + distance[IR] + distance[AR];
  const double eq4_distance = distance[SC] + distance[SI] + distance[SA];

  const double eq1_available = value - eq1_next;
  const double eq2_available = value - eq2_next;
  const double eq3eq6_available = value - eq3eq6_next;
  const double eq4_available = value - eq4_next;
  const double eq5_available = value - eq5_next;

  constexpr double kStep = 0.1;
  const double eq1_depth = kEq1Depth[eq[0]] * kStep;
  const double eq2_depth = kEq2Depth[eq[1]] * kStep;
  const double eq3eq6_depth = kEq3Eq6Depth[eq3][eq6] * kStep;
  const double eq4_depth = kEq4Depth[eq[3]] * kStep;

  // 1c-d. Each EQ with a lower MacroVector contributes its maximal scoring
  // difference times the proportion of the MacroVector's depth the vector
  // is below the highest one. EQ5's proportion is always 0.
  int existing_lower = 0;
  double eq1_normalized = 0;
  double eq2_normalized = 0;
  double eq3eq6_normalized = 0;
  double eq4_normalized = 0;
  double eq5_normalized = 0;
  if (!std::isnan(eq1_available)) {
    ++existing_lower;
    eq1_normalized = eq1_available * (eq1_distance / eq1_depth);
  }
  if (!std::isnan(eq2_available)) {
    ++existing_lower;
    eq2_normalized = eq2_available * (eq2_distance / eq2_depth);
  }
  if (!std::isnan(eq3eq6_available)) {
    ++existing_lower;
    eq3eq6_normalized = eq3eq6_available * (eq3eq6_distance / eq3eq6_depth);
  }
  if (!std::isnan(eq4_available)) {
    ++existing_lower;
    eq4_normalized = eq4_available * (eq4_distance / eq4_depth);
  }
  if (!std::isnan(eq5_available)) {
    ++existing_lower;
    eq5_normalized = eq5_available * 0;
  }

  // 2. The mean of the proportional distances; 3. subtracted from the
  // MacroVector's score, clamped to 0..10 and rounded to one decimal.
  double mean = 0;
  if (existing_lower > 0) {
    mean = (eq1_normalized + eq2_normalized + eq3eq6_normalized + eq4_normalized + eq5_normalized) / existing_lower;
  }
  return round_to_tenth(std::max(0.0, std::min(10.0, value - mean)));
}

// The nomenclature of section 1.3 of the specification: which scored metric
// groups the vector defines.
std::string nomenclature(const Values& v) {
  bool threat = v[E] != "X";
  bool environmental = false;
  for (int m = CR; m <= MSA; ++m) environmental = environmental || v[m] != "X";
  return std::string("CVSS-B") + (threat ? "T" : "") + (environmental ? "E" : "");
}

}  // namespace

std::variant<CvssScore, CvssError> score_cvss_v4(std::string_view vector) {
  constexpr std::string_view kPrefix = "CVSS:4.0/";
  if (vector.substr(0, kPrefix.size()) != kPrefix) {
    size_t slash = vector.find('/');
    return CvssError{"a CVSS v4.0 vector starts with 'CVSS:4.0/'", 0,
                     slash == std::string_view::npos ? vector.size() : slash};
  }
  Values values;
  values.fill("X");
  std::array<bool, kMetricCount> seen{};
  std::array<size_t, kMetricCount> offset{};  // where each given metric starts
  int last = -1;                              // the latest metric given so far, in Table 23's order
  std::vector<size_t> part_starts;
  size_t position = kPrefix.size();
  while (true) {
    size_t end = vector.find('/', position);
    if (end == std::string_view::npos) end = vector.size();
    std::string_view part = vector.substr(position, end - position);
    if (part.empty()) {
      // Point at the slash that has nothing after it.
      return CvssError{end == vector.size() ? "the vector ends with '/'" : "empty metric between '//'", position - 1, 1};
    }
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size() ||
        part.find(':', colon + 1) != std::string_view::npos) {
      return CvssError{fmt::format("'{}' is not a metric; write NAME:VALUE such as AV:N", part), position, part.size()};
    }
    std::string_view name = part.substr(0, colon);
    std::string_view value = part.substr(colon + 1);
    int metric = -1;
    for (int m = 0; m < kMetricCount; ++m) {
      if (specs()[static_cast<size_t>(m)].name == name) metric = m;
    }
    if (metric < 0) {
      std::vector<std::string> names;
      for (const MetricSpec& spec : specs()) names.emplace_back(spec.name);
      return CvssError{fmt::format("unknown CVSS v4.0 metric '{}'{}", name, did_you_mean(name, names)), position, colon};
    }
    const MetricSpec& spec = specs()[static_cast<size_t>(metric)];
    bool allowed = false;
    for (std::string_view candidate : spec.values) allowed = allowed || candidate == value;
    if (!allowed) {
      return CvssError{fmt::format("CVSS v4.0 metric '{}' has no value '{}' (expected {})", name, value,
                                   expected_values(spec.values)),
                       position + colon + 1, value.size()};
    }
    if (seen[static_cast<size_t>(metric)]) {
      return CvssError{fmt::format("metric '{}' is given twice", name), position, part.size()};
    }
    if (metric < last) {
      return CvssError{fmt::format("metric '{}' must come before '{}': CVSS v4.0 lists metrics in the "
                                   "specification's order (AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA, then E, CR/IR/AR, "
                                   "the modified metrics MAV..MSA, then S/AU/R/V/RE/U)",
                                   name, specs()[static_cast<size_t>(last)].name),
                       position, part.size()};
    }
    seen[static_cast<size_t>(metric)] = true;
    offset[static_cast<size_t>(metric)] = position;
    values[static_cast<size_t>(metric)] = value;
    last = metric;
    if (end == vector.size()) break;
    position = end + 1;
  }
  for (int m = 0; m < kBaseCount; ++m) {
    if (seen[static_cast<size_t>(m)]) continue;
    // Point where the metric belongs: at the first metric that follows it
    // in the order, or at the end of the vector.
    size_t at = vector.size();
    size_t length = 0;
    for (int later = m + 1; later < kMetricCount; ++later) {
      if (!seen[static_cast<size_t>(later)]) continue;
      at = offset[static_cast<size_t>(later)];
      size_t end = vector.find('/', at);
      length = (end == std::string_view::npos ? vector.size() : end) - at;
      break;
    }
    return CvssError{fmt::format("the vector lacks the base metric '{}'", specs()[static_cast<size_t>(m)].name), at,
                     length};
  }

  CvssScore result;
  result.version = "4.0";
  result.vector = std::string(vector);
  Values base_only;
  base_only.fill("X");
  for (int m = 0; m < kBaseCount; ++m) base_only[static_cast<size_t>(m)] = values[static_cast<size_t>(m)];
  result.base = score(base_only);
  result.severity = cvss_severity(result.base);
  result.nomenclature = nomenclature(values);
  if (result.nomenclature != "CVSS-B") result.threat_environmental = score(values);
  return result;
}

}  // namespace tmc::analyze
