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
  EXPECT_EQ(sink.suppressed_errors(), 2500u);
  EXPECT_EQ(sink.suppressed_warnings(), 1u);
  auto sorted = sink.sorted();
  ASSERT_EQ(sorted.size(), kMaxKeptDiagnostics + 1);
  EXPECT_EQ(sorted.back().code, "too-many-diagnostics");
  EXPECT_EQ(sorted.back().severity, Severity::note);
  EXPECT_EQ(sorted.back().message,
            "2501 more diagnostics were not shown: 2500 errors, 1 warning (tmc keeps 1000, errors first)");
}

// Issue 22, item 6: the gate's `not-done` errors come last, the cap kept
// the first 1,000 diagnostics, and a model with more than 1,000 warnings
// lost its errors: exit 2 with no error shown, "errors": 0 in JSON.
TEST(DiagnosticSink, ErrorsAreNeverDroppedInFavourOfWarnings) {
  DiagnosticSink sink;
  sink.report({Severity::note, "baselined", "held by the baseline", {}, {}});
  for (size_t i = 0; i < kMaxKeptDiagnostics + 1; ++i) sink.warning("unknown-control", {1, 2, 3, 0}, "unknown control");
  for (int i = 0; i < 3; ++i) sink.error("not-done", {1, 9, 1, 0}, "threat T" + std::to_string(i) + " is open");
  sink.error("invalid-value", {1, 1, 1, 0}, "bad");
  EXPECT_EQ(sink.diagnostics().size(), kMaxKeptDiagnostics);
  EXPECT_EQ(sink.error_count(), 4u);
  EXPECT_EQ(sink.error_count("not-done"), 3u);
  EXPECT_EQ(sink.error_count("invalid-value"), 1u);
  EXPECT_EQ(sink.error_count("unknown-control"), 0u);
  EXPECT_EQ(sink.warning_count(), kMaxKeptDiagnostics + 1);
  size_t kept_errors = 0;
  for (const Diagnostic& d : sink.diagnostics()) kept_errors += d.severity == Severity::error ? 1 : 0;
  EXPECT_EQ(kept_errors, 4u);
  EXPECT_EQ(sink.diagnostics().front().code, "baselined");  // the last warnings made room, not the first note
  EXPECT_EQ(sink.suppressed(), 6u);  // 2 warnings past the limit, 4 that made room for the errors
  EXPECT_EQ(sink.suppressed_warnings(), 6u);
  EXPECT_FALSE(sink.full());
  EXPECT_EQ(sink.sorted().back().message, "6 more diagnostics were not shown: 6 warnings (tmc keeps 1000, errors first)");
}

TEST(DiagnosticSink, ErrorsPastTheLimitAreCountedByCode) {
  DiagnosticSink sink;
  for (size_t i = 0; i < 2 * kMaxKeptDiagnostics; ++i) sink.error(i % 2 ? "not-done" : "wrong-type", {}, "e");
  sink.warning("w", {}, "late");
  EXPECT_TRUE(sink.full());
  EXPECT_EQ(sink.diagnostics().size(), kMaxKeptDiagnostics);
  EXPECT_EQ(sink.error_count("not-done"), kMaxKeptDiagnostics);
  EXPECT_EQ(sink.error_count("wrong-type"), kMaxKeptDiagnostics);
  EXPECT_EQ(sink.suppressed_errors(), kMaxKeptDiagnostics);
  EXPECT_EQ(sink.suppressed_warnings(), 1u);
}

TEST(DiagnosticSink, NoNoteUnderTheLimit) {
  DiagnosticSink sink;
  sink.error("x", {}, "one");
  EXPECT_EQ(sink.sorted().size(), 1u);
  EXPECT_EQ(sink.suppressed(), 0u);
}

}  // namespace
}  // namespace tmc
