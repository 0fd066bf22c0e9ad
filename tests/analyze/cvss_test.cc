#include "analyze/cvss.h"

#include <gtest/gtest.h>

namespace tmc::analyze {
namespace {

struct Published {
  const char* source;
  const char* vector;
  double score;
};

// Published CVSS v3.x base scores: the FIRST "CVSS v3.1 Examples" document
// (vulnerability name in the comment) and NVD entries of well-known CVEs.
const Published kPublished[] = {
    {"CVE-2013-1937 phpMyAdmin reflected XSS (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
    {"CVE-2013-0375 MySQL stored SQL injection (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
    {"CVE-2014-3566 SSLv3 POODLE (FIRST examples)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1},
    {"CVE-2012-1516 VMware guest to host escape (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9},
    {"CVE-2009-0783 Apache Tomcat XML parser (FIRST examples)", "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2},
    {"CVE-2012-0384 Cisco IOS command injection (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2015-1098 Apple iWork denial of service (FIRST examples)", "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
    {"CVE-2014-0160 OpenSSL Heartbleed (FIRST examples, NVD)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
    {"CVE-2014-6271 GNU Bash Shellshock (FIRST examples, NVD)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
    {"CVE-2008-1447 DNS Kaminsky bug (FIRST examples)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8},
    {"CVE-2014-2005 Sophos login screen bypass (FIRST examples)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8},
    {"CVE-2010-0467 Joomla directory traversal (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8},
    {"CVE-2012-1342 Cisco ACL bypass (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8},
    {"CVE-2013-6014 Juniper proxy ARP (FIRST examples)", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3},
    {"CVE-2014-9253 DokuWiki stored XSS (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4},
    {"CVE-2011-1265 Microsoft Bluetooth stack (FIRST examples)", "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2014-2019 Apple iOS security control bypass (FIRST examples)", "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6},
    {"CVE-2015-0970 Symantec SMG command injection (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2014-0224 OpenSSL CCS injection (FIRST examples)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4},
    {"CVE-2012-5376 Chrome IPC sandbox escape (FIRST examples)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6},
    {"CVE-2021-44228 Apache Log4j Log4Shell (NVD)", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
    {"CVE-2016-5195 Linux Dirty COW (NVD)", "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.0},
    {"CVE-2017-0144 SMBv1 EternalBlue (NVD)", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1},
    {"CVE-2021-3156 sudo Baron Samedit (NVD)", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
    {"CVE-2019-0708 RDP BlueKeep (NVD)", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
};

class PublishedVectors : public ::testing::TestWithParam<Published> {};

TEST_P(PublishedVectors, ScoreExactly) {
  auto result = score_cvss(GetParam().vector);
  ASSERT_TRUE(std::holds_alternative<CvssScore>(result)) << std::get<CvssError>(result).message;
  EXPECT_DOUBLE_EQ(std::get<CvssScore>(result).base, GetParam().score) << GetParam().source;
}

INSTANTIATE_TEST_SUITE_P(FirstAndNvd, PublishedVectors, ::testing::ValuesIn(kPublished));

TEST(Cvss, RoundupIsExactOnDecimals) {
  EXPECT_DOUBLE_EQ(cvss_roundup(4.0), 4.0);
  EXPECT_DOUBLE_EQ(cvss_roundup(4.02), 4.1);
  EXPECT_DOUBLE_EQ(cvss_roundup(4.000000001), 4.0);  // floating-point noise is not a step
  EXPECT_DOUBLE_EQ(cvss_roundup(6.0000005), 6.0);
  EXPECT_DOUBLE_EQ(cvss_roundup(9.99), 10.0);
}

TEST(Cvss, SeverityAndTemporalAndNormalization) {
  auto result = std::get<CvssScore>(score_cvss("CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U/E:P/RL:O/RC:C"));
  EXPECT_EQ(result.severity, "Critical");
  EXPECT_EQ(result.vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C");
  // 9.8 x 0.94 x 0.95 x 1 = 8.7514 -> 8.8
  EXPECT_DOUBLE_EQ(*result.temporal, 8.8);
  EXPECT_EQ(std::get<CvssScore>(score_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")).severity, "None");
  EXPECT_EQ(std::get<CvssScore>(score_cvss("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N")).severity, "Low");
}

TEST(Cvss, ErrorsSayWhatAndWhere) {
  auto error = [](const char* vector) { return std::get<CvssError>(score_cvss(vector)); };
  EXPECT_EQ(error("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").message,
            "CVSS v3.1 metric 'AV' has no value 'Q' (expected N, A, L or P)");
  EXPECT_EQ(error("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").offset, 12u);
  EXPECT_EQ(error("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").message, "the vector lacks the base metric 'A'");
  EXPECT_EQ(error("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").message, "metric 'AV' is given twice");
  EXPECT_EQ(error("CVSS:3.1/AV:N/XX:N/AC:L").message, "unknown CVSS v3.1 metric 'XX'");
  EXPECT_EQ(error("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/").message, "the vector ends with '/'");
  EXPECT_EQ(error("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/").offset, 44u);  // the slash, not past the end
  EXPECT_EQ(error("AV:N/AC:L").message, "a CVSS vector starts with 'CVSS:4.0/', 'CVSS:3.1/' or 'CVSS:3.0/'");
}

}  // namespace
}  // namespace tmc::analyze
