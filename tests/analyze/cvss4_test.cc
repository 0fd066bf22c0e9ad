// CVSS v4.0: tmc's scores against FIRST's reference calculator and FIRST's
// published examples, and the vector rules of the specification.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis_fixture.h"
#include "analyze/cvss.h"

namespace tmc::analyze {
namespace {

std::string fixture(const char* name) { return std::string(TMC_SOURCE_DIR) + "/tests/analyze/cvss4/" + name; }

CvssScore scored(const std::string& vector) {
  auto result = score_cvss(vector);
  if (const auto* error = std::get_if<CvssError>(&result)) {
    ADD_FAILURE() << vector << ": " << error->message;
    return {};
  }
  return std::get<CvssScore>(result);
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, separator)) fields.push_back(field);
  return fields;
}

// calculator_scores.tsv: 4,000 random vectors (CVSS-B, -BT, -BE, -BTE, with
// and without Supplemental metrics) scored by FIRST's calculator; see
// tests/analyze/cvss4/generate.js for the exact command.
TEST(CvssV4, EveryRandomVectorScoresAsFirstsCalculator) {
  std::ifstream in(fixture("calculator_scores.tsv"));
  ASSERT_TRUE(in) << "missing " << fixture("calculator_scores.tsv");
  std::string line;
  size_t count = 0;
  size_t mismatches = 0;
  size_t with_threat_or_environmental = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> field = split(line, '\t');
    ASSERT_EQ(field.size(), 5u) << line;
    const std::string& vector = field[0];
    ++count;
    CvssScore score = scored(vector);
    std::string whole = fmt::format("{:.1f}", score.threat_environmental.value_or(score.base));
    std::string severity = cvss_severity(score.threat_environmental.value_or(score.base));
    std::string base = fmt::format("{:.1f}", score.base);
    if (score.threat_environmental) ++with_threat_or_environmental;
    bool same = score.version == "4.0" && whole == field[1] && severity == field[2] && score.nomenclature == field[3] &&
                base == field[4] && score.threat_environmental.has_value() == (field[3] != "CVSS-B") &&
                score.severity == cvss_severity(score.base);
    if (!same && ++mismatches <= 10) {
      ADD_FAILURE() << vector << "\n  calculator: " << field[1] << " " << field[2] << " " << field[3] << " base "
                    << field[4] << "\n  tmc:        " << whole << " " << severity << " " << score.nomenclature
                    << " base " << base;
    }
  }
  EXPECT_EQ(count, 4000u);
  EXPECT_GT(with_threat_or_environmental, 2000u);
  EXPECT_EQ(mismatches, 0u);
}

// all_base_scores.txt: the calculator's score of every one of the 104,976
// Base vectors (4 x 2 x 2 x 3 x 3 x 3^6).
TEST(CvssV4, EveryBaseVectorScoresAsFirstsCalculator) {
  std::ifstream in(fixture("all_base_scores.txt"));
  ASSERT_TRUE(in) << "missing " << fixture("all_base_scores.txt");
  const char* impact_values[] = {"H", "L", "N"};
  const char* impacts[] = {"VC", "VI", "VA", "SC", "SI", "SA"};
  std::string line;
  size_t count = 0;
  size_t mismatches = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> field = split(line, ' ');
    ASSERT_EQ(field.size(), 1u + 729u) << line.substr(0, 40);
    for (size_t i = 0; i < 729; ++i) {
      std::string vector = "CVSS:4.0/" + field[0];
      for (size_t m = 0, rest = i, weight = 243; m < 6; ++m, rest %= weight, weight /= 3) {
        vector += fmt::format("/{}:{}", impacts[m], impact_values[rest / weight]);
      }
      ++count;
      CvssScore score = scored(vector);
      long tenths = std::lround(score.base * 10);
      if (std::to_string(tenths) != field[1 + i] || score.threat_environmental || score.nomenclature != "CVSS-B") {
        if (++mismatches <= 10) ADD_FAILURE() << vector << ": calculator " << field[1 + i] << ", tmc " << tenths;
      }
    }
  }
  EXPECT_EQ(count, 104976u);
  EXPECT_EQ(mismatches, 0u);
}

struct Published {
  const char* source;
  const char* vector;
  const char* score;  // the score of the whole vector, as published
  const char* nomenclature;
};

// FIRST, "Common Vulnerability Scoring System v4.0: Examples", document
// version 1.7.1 (https://www.first.org/cvss/v4.0/examples): every v4.0
// vector of the document with the score printed beside it. Two entries of
// the document are left out because its own calculator disagrees with the
// printed number: the log4shell "Variation 1" Base vector
// AV:N/AC:H/AT:P/.../SC:N/SI:N/SA:N is printed as 8.2 (the calculator and
// tmc give 9.2; 8.2 is the same vector with E:P), and the CVE-2023-22394
// variation's link carries MVA:L where its printed vector (kept here) has
// MVA:H. Where the document's prose repeats an older score (CVE-2023-48228
// 9.4, CVE-2016-5729 9.3, CVE-2015-2890 8.7, CVE-2018-3652 8.6) the table's
// number, which the calculator reproduces, is used. The oil-field and
// assembly-line variations of CVE-2022-47379 are printed out of Table 23's
// order; they are listed here in order (see OutOfOrderExampleIsRejected).
const Published kExamples[] = {
    {"CVE-2022-41741 nginx mp4", "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "7.3", "CVSS-B"},
    {"CVE-2020-3549 Cisco FMC", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "7.7", "CVSS-B"},
    {"CVE-2020-3549 Cisco FMC, threat", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", "5.2",
     "CVSS-BT"},
    {"CVE-2023-3089 OpenShift FIPS", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N", "8.3", "CVSS-B"},
    {"CVE-2023-3089 OpenShift FIPS, environmental",
     "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L",
     "8.1", "CVSS-BE"},
    {"CVE-2021-44714 Acrobat Reader", "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", "4.6", "CVSS-B"},
    {"CVE-2022-21830 RocketChat self XSS", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", "5.1",
     "CVSS-B"},
    {"CVE-2022-22186 Junos EX4650", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", "6.9", "CVSS-B"},
    {"CVE-2023-21989 VirtualBox", "CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N", "5.9", "CVSS-B"},
    {"CVE-2020-3947 VMware vmnetdhcp", "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "9.4", "CVSS-B"},
    {"CVE-2023-48228 authentik PKCE", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:H/SI:H/SA:H", "9.3", "CVSS-B"},
    {"CVE-2023-30560 BD PCU (Safety)", "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/V:D", "8.3",
     "CVSS-B"},
    {"CVE-2026-48172 LiteSpeed cPanel (CISA KEV)", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A",
     "10.0", "CVSS-BT"},
    {"CVE-2014-0160 Heartbleed", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", "8.7", "CVSS-BT"},
    {"CVE-2021-44228 log4shell", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A", "9.3", "CVSS-BT"},
    {"CVE-2021-44228 log4shell, immutable containers",
     "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MAT:N/MVC:N/MVI:N/MVA:L", "5.5",
     "CVSS-BTE"},
    {"CVE-2014-6271 Shellshock", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A", "9.3", "CVSS-BT"},
    {"CVE-2013-6014 Juniper proxy ARP", "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H", "6.4", "CVSS-B"},
    {"CVE-2016-5729 Lenovo ThinkPwn", "CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/R:I", "8.4",
     "CVSS-B"},
    {"CVE-2015-2890 flash lock on resume", "CVSS:4.0/AV:L/AC:L/AT:P/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/R:I", "7.1",
     "CVSS-B"},
    {"CVE-2018-3652 Intel DCI", "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "7.0", "CVSS-B"},
    {"CVE-2024-6387 regreSSHion", "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P", "8.2", "CVSS-BT"},
    {"CVE-2024-6387 regreSSHion, login mitigation",
     "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MAT:N/MVC:N/MVI:N/MVA:L", "5.5",
     "CVSS-BTE"},
    {"CVE-2023-30545 PrestaShop SQL injection", "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", "7.1",
     "CVSS-B"},
    {"CVE-2021-23846 Bosch on-path", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", "8.2", "CVSS-B"},
    {"CVE-2023-22394 Junos SIP DoS", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L", "8.7", "CVSS-B"},
    {"CVE-2023-22394 Junos SIP DoS, threat", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L/E:U", "6.6",
     "CVSS-BT"},
    {"CVE-2023-22394 Junos SIP DoS, redundancy",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L/E:U/MVA:H/MSA:N", "6.6", "CVSS-BTE"},
    {"CVE-2022-24682 Zimbra reflected XSS", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", "5.1",
     "CVSS-B"},
    {"CVE-2022-24682 Zimbra XSS, application impact",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:L/SI:L/SA:N", "5.1", "CVSS-B"},
    {"CVE-2020-0926 SharePoint stored XSS", "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", "5.1",
     "CVSS-B"},
    {"CVE-2024-55228 Dolibarr XSS", "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:L/SI:L/SA:N", "8.5", "CVSS-B"},
    {"CVE-2023-5602 WordPress CSRF", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", "5.1", "CVSS-B"},
    {"CVE-2022-20759 Cisco ASA privilege escalation", "CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
     "7.7", "CVSS-B"},
    {"CVE-2021-34724 IOS XE SD-WAN", "CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N", "8.3", "CVSS-B"},
    {"CVE-2021-34724 IOS XE SD-WAN, threat", "CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:U", "5.6",
     "CVSS-BT"},
    {"CVE-2023-28311 Word RCE", "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "8.5", "CVSS-B"},
    {"CVE-2023-28311 Word RCE, sandboxing",
     "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MUI:A", "5.7", "CVSS-BTE"},
    {"CVE-2022-22965 Spring4Shell", "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A", "9.2",
     "CVSS-BT"},
    {"CVE-2022-20826 Cisco secure boot", "CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "5.4", "CVSS-B"},
    {"CVE-2022-21500 Oracle E-Business Suite", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", "8.7",
     "CVSS-B"},
    {"CVE-2021-32570 Ericsson ENM", "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", "6.9", "CVSS-B"},
    {"CVE-2022-26134 Confluence OGNL", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "9.3", "CVSS-B"},
    {"CVE-2023-20245 Cisco ACL bypass", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", "6.9", "CVSS-B"},
    {"CVE-2023-20245 ACL bypass, low-value segment",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N/E:U/CR:L/IR:L/AR:L", "2.7", "CVSS-BTE"},
    {"CVE-2023-20245 ACL bypass, downstream impact", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:N/SA:H",
     "7.8", "CVSS-B"},
    {"CVE-2024-1233 JBoss SSRF", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:L/SA:L", "6.9", "CVSS-B"},
    {"CVE-2024-1233 JBoss SSRF, limited endpoints",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:L/SA:L/MSI:N/MSA:N", "6.9", "CVSS-BE"},
    {"CVE-2023-28728 Panasonic FPWIN (ICS)", "CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P", "8.5",
     "CVSS-B"},
    {"CVE-2022-47379 CODESYS (OT)",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:P/AU:Y/V:C/RE:L", "9.4", "CVSS-B"},
    {"CVE-2022-47379 CODESYS, elevator",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:L/MAV:L/MAC:H/MAT:N/MPR:N/MUI:N/"
     "MVC:N/MVI:H/MVA:L/MSC:N/MSI:S/MSA:L",
     "7.0", "CVSS-BTE"},
    {"CVE-2022-47379 CODESYS, oil field",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:H/MAV:A/MAC:H/MAT:N/MPR:L/MUI:N/"
     "MVC:L/MVI:H/MVA:H/MSC:L/MSI:S/MSA:S",
     "7.4", "CVSS-BTE"},
    {"CVE-2022-47379 CODESYS, assembly line",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:M/IR:H/AR:M/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/"
     "MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:H",
     "8.7", "CVSS-BTE"},
    {"CVE-2020-10627 Omnipod insulin pump", "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/S:P", "8.6",
     "CVSS-B"},
    {"CVE-2020-10627 Omnipod, safety", "CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MSI:S/S:P", "9.7",
     "CVSS-BE"},
    {"CVE-2020-28196 MIT Kerberos (value density)", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/V:C",
     "8.7", "CVSS-B"},
    {"CVE-2023-20048 Cisco FMC", "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", "6.4", "CVSS-B"},
    {"CVE-2023-20048 Cisco FMC, restricted",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H/E:U/MAV:A/R:U/V:C", "2.4", "CVSS-BTE"},
    {"CVE-2024-23897 Jenkins", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "10.0", "CVSS-B"},
    {"CVE-2024-23897 Jenkins, ephemeral build systems",
     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A/CR:H/IR:H/AR:H/MAV:L/MAT:P", "8.9", "CVSS-BTE"},
    {"CVE-2026-31431 Linux algif_aead", "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "8.5", "CVSS-B"},
    {"CVE-2026-31431 Linux algif_aead, mitigated",
     "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MVC:N/MVI:N/MVA:N", "0.0", "CVSS-BTE"},
};

class FirstExamples : public ::testing::TestWithParam<Published> {};

TEST_P(FirstExamples, ScoreAsPublished) {
  const Published& example = GetParam();
  CvssScore score = scored(example.vector);
  double whole = score.threat_environmental.value_or(score.base);
  EXPECT_EQ(fmt::format("{:.1f}", whole), example.score) << example.source;
  EXPECT_EQ(score.nomenclature, example.nomenclature) << example.source;
}

INSTANTIATE_TEST_SUITE_P(V40Examples, FirstExamples, ::testing::ValuesIn(kExamples));

TEST(CvssV4, BaseAndWholeVectorScoresAreBothReported) {
  CvssScore score = scored("CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MAT:N/MVC:N/MVI:N/MVA:L");
  EXPECT_EQ(score.version, "4.0");
  EXPECT_DOUBLE_EQ(score.base, 9.2);
  EXPECT_EQ(score.severity, "Critical");
  EXPECT_EQ(score.nomenclature, "CVSS-BTE");
  ASSERT_TRUE(score.threat_environmental.has_value());
  EXPECT_DOUBLE_EQ(*score.threat_environmental, 5.5);
  EXPECT_FALSE(score.temporal.has_value());
}

TEST(CvssV4, NotDefinedMetricsLeaveTheVectorBaseOnly) {
  // E:X and the other Not Defined values may be written out (specification
  // section 7) and change neither the score nor the nomenclature.
  CvssScore score = scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/MSA:X/U:X");
  EXPECT_EQ(score.nomenclature, "CVSS-B");
  EXPECT_FALSE(score.threat_environmental.has_value());
  EXPECT_DOUBLE_EQ(score.base, 9.3);
}

TEST(CvssV4, NoImpactScoresZero) {
  CvssScore score = scored("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N");
  EXPECT_DOUBLE_EQ(score.base, 0.0);
  EXPECT_EQ(score.severity, "None");
}

// Section 7 of the specification: its valid sample vectors.
TEST(CvssV4, SpecificationSampleVectorsAreValid) {
  const char* samples[] = {
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:A",
      "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:P",
      "CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:A/VC:N/VI:N/VA:L/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M/MAV:N/MAC:L/MAT:P/MPR:L/MUI:A/"
      "MVC:N/MVI:H/MVA:L/MSC:L/MSI:S/MSA:H",
      "CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:A/S:P/AU:Y/R:A/V:D/RE:L/U:Red",
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U/CR:L/IR:X/AR:L/MAV:A/MAC:H/MAT:N/MPR:N/"
      "MUI:P/MVC:X/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/S:N/AU:N/R:I/V:C/RE:H/U:Green",
  };
  // The scores FIRST's calculator gives these vectors (the specification
  // prints none).
  const char* scores[] = {"5.1", "5.1", "4.5", "8.5", "5.4", "4.2"};
  for (size_t i = 0; i < std::size(samples); ++i) {
    CvssScore score = scored(samples[i]);
    EXPECT_EQ(fmt::format("{:.1f}", score.threat_environmental.value_or(score.base)), scores[i]) << samples[i];
  }
}

CvssError error(const std::string& vector) {
  auto result = score_cvss(vector);
  if (!std::holds_alternative<CvssError>(result)) {
    ADD_FAILURE() << vector << " was accepted";
    return {};
  }
  return std::get<CvssError>(result);
}

// The text under the error's span, for pinning where it points.
std::string pointed(const std::string& vector) {
  CvssError e = error(vector);
  return vector.substr(e.offset, e.length);
}

// Section 7 of the specification: its invalid sample vectors, each rejected
// with a message that says why and a span on the metric at fault.
TEST(CvssV4, SpecificationInvalidVectorsAreRejectedAtTheMetric) {
  std::string bad_value = "CVSS:4.0/AV:F/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N";
  EXPECT_EQ(error(bad_value).message, "CVSS v4.0 metric 'AV' has no value 'F' (expected N, A, L or P)");
  EXPECT_EQ(error(bad_value).offset, 12u);
  EXPECT_EQ(pointed(bad_value), "F");

  std::string twice = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A/E:X";
  EXPECT_EQ(error(twice).message, "metric 'E' is given twice");
  EXPECT_EQ(error(twice).offset, twice.size() - 3);
  EXPECT_EQ(pointed(twice), "E:X");

  std::string lowercase = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/ui:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N";
  EXPECT_EQ(error(lowercase).message, "unknown CVSS v4.0 metric 'ui'; did you mean 'UI'?");
  EXPECT_EQ(pointed(lowercase), "ui");

  EXPECT_EQ(error("AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N").message,
            "a CVSS vector starts with 'CVSS:4.0/', 'CVSS:3.1/' or 'CVSS:3.0/'");

  std::string missing = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/SC:N/SI:N/SA:N";
  EXPECT_EQ(error(missing).message, "the vector lacks the base metric 'VA'");
  EXPECT_EQ(pointed(missing), "SC:N");  // where VA belongs

  std::string unordered =
      "CVSS:4.0/AC:L/AV:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/CR:L/IR:X/AR:L/RE:H/MAV:A/MAC:H/MAT:N/MPR:N/MUI:P/"
      "AT:N/MVC:X/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/E:U/S:N/AU:N/R:I/V:C/U:Green";
  EXPECT_EQ(error(unordered).message,
            "metric 'AV' must come before 'AC': CVSS v4.0 lists metrics in the specification's order "
            "(AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA, then E, CR/IR/AR, the modified metrics MAV..MSA, then "
            "S/AU/R/V/RE/U)");
  EXPECT_EQ(pointed(unordered), "AV:N");
}

// The examples document prints CVE-2022-47379's oil-field variation with
// the Environmental metrics before E: the specification's order rule
// rejects it (FIRST's calculator does too; its link lists them in order).
TEST(CvssV4, OutOfOrderExampleIsRejected) {
  std::string printed =
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MAV:A/MAC:H/MAT:N/MPR:L/MUI:N/MVC:L/MVI:H/"
      "MVA:H/MSC:L/MSI:S/MSA:S/CR:L/IR:H/AR:H/E:P";
  EXPECT_EQ(pointed(printed), "CR:L");
  EXPECT_EQ(error(printed).message.substr(0, 35), "metric 'CR' must come before 'MSA':");
}

TEST(CvssV4, MalformedMetricsSayWhatAndWhere) {
  const std::string base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  EXPECT_EQ(error(base + "/").message, "the vector ends with '/'");
  EXPECT_EQ(error(base + "/").offset, base.size());  // the slash itself, not past the end
  EXPECT_EQ(pointed("CVSS:4.0/AV:N//AC:L"), "/");
  EXPECT_EQ(error("CVSS:4.0/AV:N//AC:L").message, "empty metric between '//'");
  EXPECT_EQ(error(base + "/E").message, "'E' is not a metric; write NAME:VALUE such as AV:N");
  EXPECT_EQ(error(base + "/E:A:P").message, "'E:A:P' is not a metric; write NAME:VALUE such as AV:N");
  EXPECT_EQ(error(base + "/E:").message, "'E:' is not a metric; write NAME:VALUE such as AV:N");
  EXPECT_EQ(error(base + "/:A").message, "':A' is not a metric; write NAME:VALUE such as AV:N");
  EXPECT_EQ(error(base + "/U:red").message,
            "CVSS v4.0 metric 'U' has no value 'red' (expected X, Clear, Green, Amber or Red)");
  EXPECT_EQ(pointed(base + "/U:red"), "red");
  // X is Not Defined, which only optional metrics have.
  EXPECT_EQ(error("CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").message,
            "CVSS v4.0 metric 'AV' has no value 'X' (expected N, A, L or P)");
  // S is Safety only for the modified subsequent metrics.
  EXPECT_EQ(error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N").message,
            "CVSS v4.0 metric 'SI' has no value 'S' (expected H, L or N)");
  EXPECT_EQ(error(base + "/MSC:S").message, "CVSS v4.0 metric 'MSC' has no value 'S' (expected X, N, L or H)");
  // A v3.x metric in a v4.0 vector.
  EXPECT_EQ(error(base + "/RL:O").message, "unknown CVSS v4.0 metric 'RL'; did you mean 'R'?");
  EXPECT_EQ(error("CVSS:4.0/AV:N").message, "the vector lacks the base metric 'AC'");
  EXPECT_EQ(error("CVSS:4.0/AV:N").offset, 13u);
}

// A threat's `cvss:` in a model: a v4.0 vector is accepted, and a bad one is
// an `invalid-cvss` error whose column points at the metric inside the
// vector (plain scalar: column of the value plus the offset).
TEST(CvssV4, ModelVectorsAreCheckedAndErrorsPointInsideTheVector) {
  auto run = testing_support::analyze_text(R"(tmc: 1
title: t
elements: [{id: api, type: process}]
threats:
  - id: T1
    title: Attacker runs code on the API
    target: api
    likelihood: 1
    impact: 1
    cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A
  - id: T2
    title: Attacker reads the API's memory
    target: api
    likelihood: 1
    impact: 1
    cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A/E:X
  - id: T3
    title: Attacker replays the API's tokens
    target: api
    likelihood: 1
    impact: 1
    cvss: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MAV:A/E:P
  - id: T4
    title: Attacker replays the API's sessions
    target: api
    likelihood: 1
    impact: 1
    cvss: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MAV:A/E:P"
)");
  ASSERT_TRUE(run->analysis) << run->diagnostics();
  std::string errors;
  for (const Diagnostic& d : run->sink.sorted()) {
    if (d.code != "invalid-cvss") continue;
    errors += fmt::format("{}:{}+{} {}\n", d.location.line, d.location.column, d.location.length, d.message);
  }
  // "    cvss: " is 10 columns: the vector starts at column 11, or 12 after
  // a quote.
  EXPECT_EQ(errors,
            "16:79+3 metric 'E' is given twice\n"
            "22:81+3 metric 'E' must come before 'MAV': CVSS v4.0 lists metrics in the specification's order "
            "(AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA, then E, CR/IR/AR, the modified metrics MAV..MSA, then "
            "S/AU/R/V/RE/U)\n"
            "28:82+3 metric 'E' must come before 'MAV': CVSS v4.0 lists metrics in the specification's order "
            "(AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA, then E, CR/IR/AR, the modified metrics MAV..MSA, then "
            "S/AU/R/V/RE/U)\n");
}

}  // namespace
}  // namespace tmc::analyze
