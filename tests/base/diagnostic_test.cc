// DiagnosticSink keeps a bounded number of diagnostics, with exact counts.
#include <gtest/gtest.h>

#include <string>

#include "base/diagnostic.h"

namespace tmc {
namespace {

TEST(DiagnosticSink, KeepsAtMostTheLimitAndSaysHowManyMore) {
  DiagnosticSink sink;
  const size_t reported = kMaxKeptDiagnostics + 2500;
  for (size_t i = 0; i < reported; ++i) {
    EXPECT_EQ(sink.full(), i >= kMaxKeptDiagnostics);
    sink.error("wrong-type", {1, static_cast<uint32_t>(reported - i), 1, 0}, "a flow must be a mapping");
  }
  sink.warning("unknown-key", {1, 1, 1, 0}, "late warning");
  EXPECT_EQ(sink.error_count(), reported);
  EXPECT_EQ(sink.warning_count(), 1u);
  EXPECT_EQ(sink.diagnostics().size(), kMaxKeptDiagnostics);
  EXPECT_EQ(sink.suppressed(), 2501u);
  auto sorted = sink.sorted();
  ASSERT_EQ(sorted.size(), kMaxKeptDiagnostics + 1);
  EXPECT_EQ(sorted.back().code, "too-many-diagnostics");
  EXPECT_EQ(sorted.back().severity, Severity::note);
  EXPECT_EQ(sorted.back().message, "2501 more diagnostics were not shown (tmc keeps the first 1000)");
}

TEST(DiagnosticSink, NoNoteUnderTheLimit) {
  DiagnosticSink sink;
  sink.error("x", {}, "one");
  EXPECT_EQ(sink.sorted().size(), 1u);
  EXPECT_EQ(sink.suppressed(), 0u);
}

}  // namespace
}  // namespace tmc
