// The isolated layout process (render/layout.h): whatever the child does,
// the caller gets a typed result and tmc keeps running.
#include "render/layout.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace tmc::render {
namespace {

const char* const kDot = "digraph g { a -> b [label=\"x\"]; }";

// Sets TMC_TEST_LAYOUT_FAULT for one test.
struct Fault {
  explicit Fault(const char* value) { ::setenv("TMC_TEST_LAYOUT_FAULT", value, 1); }
  ~Fault() { ::unsetenv("TMC_TEST_LAYOUT_FAULT"); }
};

TEST(Layout, LaysOutDotAsSvg) {
  LayoutResult result = layout_svg(kDot, {});
  ASSERT_EQ(result.status, LayoutStatus::ok) << result.detail;
  EXPECT_TRUE(looks_like_svg(result.svg));
  EXPECT_NE(result.svg.find("<title>a</title>"), std::string::npos);
}

// The model of issue 11: Graphviz 2.42 frees a rank array twice after
// flat_edges when labelled edges meet clusters; in-process this aborted
// tmc (malloc_consolidate(): invalid chunk size).
TEST(Layout, FlatEdgeLabelsInClustersNoLongerCrash) {
  const char* dot =
      "digraph dfd { rankdir=LR;\n"
      "  \"e_idp\" [label=\"idp\", shape=box];\n"
      "  subgraph \"cluster_internet\" { label=\"internet\"; \"e_spa\"; \"e_admin_user\"; }\n"
      "  subgraph \"cluster_vpc\" { label=\"vpc\"; \"e_api\"; }\n"
      "  \"e_spa\" -> \"e_idp\" [label=\"login\"];\n  \"e_idp\" -> \"e_spa\" [label=\"token\"];\n"
      "  \"e_spa\" -> \"e_api\" [label=\"call_api\"];\n  \"e_api\" -> \"e_idp\" [label=\"jwks\"];\n"
      "  \"e_api\" -> \"e_spa\" [label=\"mail_link\"];\n}\n";
  LayoutResult result = layout_svg(dot, {});
  ASSERT_EQ(result.status, LayoutStatus::ok) << result.detail;
  EXPECT_NE(result.svg.find("mail_link"), std::string::npos);
}

TEST(Layout, GraphvizSyntaxErrorIsATypedFailure) {
  LayoutResult result = layout_svg("digraph { a -> ", {});
  EXPECT_EQ(result.status, LayoutStatus::graphviz_error);
  EXPECT_NE(result.detail.find("Graphviz"), std::string::npos) << result.detail;
}

TEST(Layout, AbortingChildIsReportedAsCrash) {
  Fault fault("abort");
  LayoutResult result = layout_svg(kDot, {});
  EXPECT_EQ(result.status, LayoutStatus::crashed);
  EXPECT_NE(result.detail.find("signal 6"), std::string::npos) << result.detail;
}

TEST(Layout, HangingChildIsKilledAtTheTimeLimit) {
  Fault fault("hang");
  LayoutLimits limits;
  limits.time = std::chrono::seconds(1);
  LayoutResult result = layout_svg(kDot, limits);
  EXPECT_EQ(result.status, LayoutStatus::timed_out);
}

TEST(Layout, TruncatedSvgIsRejected) {
  Fault fault("garbage");
  LayoutResult result = layout_svg(kDot, {});
  EXPECT_EQ(result.status, LayoutStatus::invalid_output);
  EXPECT_TRUE(result.svg.empty());
}

TEST(Layout, OutputOverTheLimitIsRejected) {
  LayoutLimits limits;
  limits.max_output_bytes = 100;
  LayoutResult result = layout_svg(kDot, limits);
  EXPECT_EQ(result.status, LayoutStatus::invalid_output);
}

TEST(Layout, SvgCheckNeedsTheWholeDocument) {
  EXPECT_TRUE(looks_like_svg("<?xml version=\"1.0\"?>\n<svg></svg>\n"));
  EXPECT_TRUE(looks_like_svg("<svg x=\"1\"><g/></svg>"));
  EXPECT_FALSE(looks_like_svg("<?xml version=\"1.0\"?>\n<svg><g>"));
  EXPECT_FALSE(looks_like_svg("Error: syntax error"));
  EXPECT_FALSE(looks_like_svg(""));
}

}  // namespace
}  // namespace tmc::render
