// The pieces every JSON output of tmc writes alike (docs/json-output.md):
// the leading version members, a source location, a rule finding and an
// entry of the ranked list. The JSON report (model_json) and `tmc check
// --format json` write their findings and ranked entries through these
// functions and no others, so the two shapes cannot drift apart.
#pragma once

#include "analyze/analysis.h"
#include "base/source.h"
#include "render/json_writer.h"
#include "render/render.h"

namespace tmc::render {

// The layout version of the JSON report and of `check --format json`,
// written as "format"; docs/json-output.md says what each version changed.
inline constexpr int kJsonFormat = 2;

// "tmc": the version of tmc, then "format": kJsonFormat.
// REQUIRES: `w` is in an object, before its other members.
void version_members(JsonWriter& w);

// LINDDUN class names as a JSON list (a finding's or a threat's privacy).
void privacy_array(JsonWriter& w, model::PrivacySet privacy);

// {"file", "line", "column"}: the file's path as the model named it, line
// and column 1-based.
void location_object(JsonWriter& w, const RenderInput& input, const SourceLocation& at);

// What a finding's object ends with.
enum class FindingKeys {
  shared,
  // The shared keys, then "file", "line" and "column" again, flat, as
  // format 1 of `check --format json` had them. Deprecated: check writes
  // them until 0.3.0, so scripts reading `.findings[].line` keep working.
  shared_and_flat_location,
};

// One rule finding as an object: rule, target, target_kind, title, why,
// mitigation, stride, privacy (a list), likelihood, impact, risk, bucket,
// raises, facts, status, addressed_by, fingerprint, location. raises and
// facts are empty lists and fingerprint "" unless the analysis computed
// them (analyze::AnalyzeOptions::raises, ::fingerprints).
void finding_object(JsonWriter& w, const RenderInput& input, const analyze::RuleFinding& finding,
                    FindingKeys keys = FindingKeys::shared);

// One entry of the ranked list as an object: id ("T1", or "RULE:target"
// for a finding), kind, title, risk, bucket, status (as render/rows.h
// gives it, "accepted until D, expired" included), fingerprint ("" unless
// the analysis computed it).
void ranked_object(JsonWriter& w, const RenderInput& input, const analyze::RankedItem& item);

}  // namespace tmc::render
