#include "cli/report_json.h"

#include "analyze/scoring.h"
#include "cli/diagnostic_printer.h"
#include "render/json_writer.h"
#include "render/rows.h"

namespace tmc::cli {

std::string check_json(const FrontEnd& front) {
  render::StringSink out;
  render::JsonWriter json(out);
  json.begin_object();
  write_diagnostics_members(json, front.sink, front.sources);
  bool analyzed = front.analysis && front.model;
  if (analyzed) {
    json.member("done", front.analysis->done);
    json.member("stale", front.analysis->stale);
  }
  json.key("findings");
  json.begin_array();
  if (analyzed) {
    const model::Model& m = *front.model;
    for (const analyze::RuleFinding& f : front.analysis->findings) {
      json.begin_object();
      json.member("rule", f.rule);
      json.member("target", f.target_id);
      json.member("target_kind", f.target_kind == model::TargetKind::flow ? "flow" : "element");
      json.member("title", f.title);
      json.member("why", f.why);
      json.member("stride", render::stride_letters(f.stride));
      json.key("privacy");
      json.begin_array();
      for (const char* name : model::privacy_names(f.privacy)) json.value(name);
      json.end_array();
      json.member("likelihood", f.likelihood);
      json.member("impact", f.impact);
      json.member("risk", f.risk());
      json.member("bucket", analyze::bucket_for(m.scale, f.risk()).name);
      json.member("status", analyze::to_string(f.status));
      json.key("addressed_by");
      if (f.addressed_by >= 0) {
        json.value(m.threats[static_cast<size_t>(f.addressed_by)].id);
      } else {
        json.value(nullptr);
      }
      json.member("file", front.sources.path(f.location.file));
      json.member("line", f.location.line);
      json.member("column", f.location.column);
      json.end_object();
    }
  }
  json.end_array();
  json.key("ranked");
  json.begin_array();
  if (analyzed) {
    const model::Model& m = *front.model;
    for (const analyze::RankedItem& r : front.analysis->ranked) {
      bool is_threat = r.kind == analyze::RankedItem::Kind::threat;
      json.begin_object();
      json.member("kind", is_threat ? "threat" : "finding");
      if (is_threat) {
        const model::Threat& t = m.threats[static_cast<size_t>(r.index)];
        json.member("id", t.id);
        json.member("title", t.title);
        json.member("status", model::to_string(t.status));
      } else {
        const analyze::RuleFinding& f = front.analysis->findings[static_cast<size_t>(r.index)];
        json.member("id", f.rule + ":" + f.target_id);
        json.member("title", f.title);
        json.member("status", "open");
      }
      json.member("risk", r.risk);
      json.member("bucket", r.bucket.name);
      json.end_object();
    }
  }
  json.end_array();
  json.end_object();
  out.put('\n');
  return std::move(out.str());
}

}  // namespace tmc::cli
