#include "cli/report_json.h"

#include <nlohmann/json.hpp>

#include "analyze/scoring.h"
#include "cli/diagnostic_printer.h"
#include "render/rows.h"

namespace tmc::cli {

namespace {

using Json = nlohmann::ordered_json;


Json privacy_list(model::PrivacySet set) {
  Json out = Json::array();
  for (int p = 0; p < model::kPrivacyCount; ++p) {
    if (model::has(set, static_cast<model::Privacy>(p))) out.push_back(model::to_string(static_cast<model::Privacy>(p)));
  }
  return out;
}

const char* status_name(analyze::FindingStatus status) {
  switch (status) {
    case analyze::FindingStatus::open: return "open";
    case analyze::FindingStatus::addressed: return "addressed";
    case analyze::FindingStatus::dismissed: return "dismissed";
  }
  return "open";
}

}  // namespace

std::string check_json(const FrontEnd& front) {
  Json out = Json::parse(diagnostics_json(front.sink.sorted(), front.sources));
  Json findings = Json::array();
  Json ranked = Json::array();
  if (front.analysis && front.model) {
    const model::Model& m = *front.model;
    for (const analyze::RuleFinding& f : front.analysis->findings) {
      Json item;
      item["rule"] = f.rule;
      item["target"] = f.target_id;
      item["target_kind"] = f.target_kind == model::TargetKind::flow ? "flow" : "element";
      item["title"] = f.title;
      item["why"] = f.why;
      item["stride"] = render::stride_letters(f.stride);
      item["privacy"] = privacy_list(f.privacy);
      item["likelihood"] = f.likelihood;
      item["impact"] = f.impact;
      item["risk"] = f.risk();
      item["bucket"] = analyze::bucket_for(m.scale, f.risk()).name;
      item["status"] = status_name(f.status);
      item["addressed_by"] = f.addressed_by >= 0 ? Json(m.threats[static_cast<size_t>(f.addressed_by)].id) : Json(nullptr);
      item["file"] = front.sources.path(f.location.file);
      item["line"] = f.location.line;
      item["column"] = f.location.column;
      findings.push_back(std::move(item));
    }
    for (const analyze::RankedItem& r : front.analysis->ranked) {
      Json item;
      bool is_threat = r.kind == analyze::RankedItem::Kind::threat;
      item["kind"] = is_threat ? "threat" : "finding";
      if (is_threat) {
        const model::Threat& t = m.threats[static_cast<size_t>(r.index)];
        item["id"] = t.id;
        item["title"] = t.title;
        item["status"] = model::to_string(t.status);
      } else {
        const analyze::RuleFinding& f = front.analysis->findings[static_cast<size_t>(r.index)];
        item["id"] = f.rule + ":" + f.target_id;
        item["title"] = f.title;
        item["status"] = "open";
      }
      item["risk"] = r.risk;
      item["bucket"] = r.bucket.name;
      ranked.push_back(std::move(item));
    }
    out["done"] = front.analysis->done;
    out["stale"] = front.analysis->stale;
  }
  out["findings"] = std::move(findings);
  out["ranked"] = std::move(ranked);
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tmc::cli
