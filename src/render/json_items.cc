#include "render/json_items.h"

#include "analyze/scoring.h"
#include "base/version.h"
#include "render/rows.h"

namespace tmc::render {

void version_members(JsonWriter& w) {
  w.member("tmc", tmc::version());
  w.member("format", kJsonFormat);
}

void privacy_array(JsonWriter& w, model::PrivacySet privacy) {
  w.begin_array();
  for (const char* name : model::privacy_names(privacy)) w.value(name);
  w.end_array();
}

void location_object(JsonWriter& w, const RenderInput& input, const SourceLocation& at) {
  w.begin_object();
  w.member("file", input.sources.path(at.file));
  w.member("line", at.line);
  w.member("column", at.column);
  w.end_object();
}

void finding_object(JsonWriter& w, const RenderInput& input, const analyze::RuleFinding& finding, FindingKeys keys) {
  const model::Model& m = input.model;
  w.begin_object();
  w.member("rule", finding.rule);
  w.member("target", finding.target_id);
  w.member("target_kind", finding.target_kind == model::TargetKind::flow ? "flow" : "element");
  w.member("title", finding.title);
  w.member("why", finding.why);
  w.member("mitigation", finding.mitigation);
  w.member("stride", stride_letters(finding.stride));
  w.key("privacy");
  privacy_array(w, finding.privacy);
  w.member("likelihood", finding.likelihood);
  w.member("impact", finding.impact);
  w.member("risk", finding.risk());
  w.member("bucket", analyze::bucket_for(m.scale, finding.risk()).name);
  w.key("raises");
  string_array(w, finding.raises);
  w.key("facts");
  string_array(w, finding.facts);
  w.member("status", analyze::to_string(finding.status));
  w.key("addressed_by");
  if (finding.addressed_by >= 0) {
    w.value(m.threats[static_cast<size_t>(finding.addressed_by)].id);
  } else {
    w.value(nullptr);
  }
  w.member("fingerprint", finding.fingerprint);
  w.key("location");
  location_object(w, input, finding.location);
  if (keys == FindingKeys::shared_and_flat_location) {
    w.member("file", input.sources.path(finding.location.file));
    w.member("line", finding.location.line);
    w.member("column", finding.location.column);
  }
  w.end_object();
}

void ranked_object(JsonWriter& w, const RenderInput& input, const analyze::RankedItem& item) {
  Row row = ranked_row(input, item);
  w.begin_object();
  w.member("id", row.id);
  w.member("kind", row.is_finding ? "finding" : "threat");
  w.member("title", row.title);
  w.member("risk", row.risk);
  w.member("bucket", row.bucket.name);
  w.member("status", row.status);
  w.member("fingerprint", row.fingerprint);
  w.end_object();
}

}  // namespace tmc::render
