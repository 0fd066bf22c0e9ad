#include "analyze/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analyze/fingerprint.h"
#include "base/json_text.h"

namespace tmc::analyze {

namespace {

BaselineEntry entry_for(const model::Model& model, const Analysis& analysis, const RankedItem& item) {
  BaselineEntry entry;
  entry.fingerprint = item.fingerprint;
  entry.bucket = item.bucket.name;
  if (item.kind == RankedItem::Kind::finding) {
    const RuleFinding& f = analysis.findings[static_cast<size_t>(item.index)];
    entry.id = f.rule + ":" + f.target_id;
    entry.rule = f.rule;
    entry.target = f.target_id;
    entry.title = f.title;
  } else {
    const model::Threat& t = model.threats[static_cast<size_t>(item.index)];
    entry.id = t.id;
    entry.rule = t.rule ? t.rule->value : "";
    for (const model::TargetRef& target : t.targets) entry.target += (entry.target.empty() ? "" : ", ") + target.id.value;
    entry.title = t.title;
  }
  return entry;
}

}  // namespace

Baseline make_baseline(const model::Model& model, const Analysis& analysis) {
  Baseline baseline;
  for (const RankedItem& item : analysis.ranked) {
    if (item.resolved) continue;
    baseline.entries.push_back(entry_for(model, analysis, item));
  }
  std::sort(baseline.entries.begin(), baseline.entries.end(), [](const BaselineEntry& a, const BaselineEntry& b) {
    return a.id != b.id ? a.id < b.id : a.fingerprint < b.fingerprint;
  });
  return baseline;
}

std::string write_baseline(const Baseline& baseline, const std::string& model_title) {
  nlohmann::ordered_json out;
  out["tmc_baseline"] = 1;
  out["model"] = model_title;
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const BaselineEntry& e : baseline.entries) {
    nlohmann::ordered_json item;
    item["fingerprint"] = e.fingerprint;
    item["id"] = e.id;
    item["rule"] = e.rule;
    item["target"] = e.target;
    item["title"] = e.title;
    item["bucket"] = e.bucket;
    items.push_back(std::move(item));
  }
  out["items"] = std::move(items);
  return json_document(out);
}

std::optional<Baseline> parse_baseline(std::string_view text, uint32_t file, DiagnosticSink& sink) {
  SourceLocation where;
  where.file = file;
  auto fail = [&](const std::string& why) -> std::optional<Baseline> {
    sink.error("invalid-baseline", where, fmt::format("not a tmc baseline: {}; write one with 'tmc baseline MODEL -o FILE'", why));
    return std::nullopt;
  };
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded()) return fail("the file is not valid JSON");
  if (!json.is_object()) return fail("the file is not a JSON object");
  auto version = json.find("tmc_baseline");
  if (version == json.end() || !version->is_number_integer()) return fail("it has no \"tmc_baseline\" version");
  if (*version != 1) return fail(fmt::format("version {} is not supported (this tmc reads 1)", version->dump()));
  auto items = json.find("items");
  if (items == json.end() || !items->is_array()) return fail("it has no \"items\" list");
  Baseline baseline;
  for (const nlohmann::json& item : *items) {
    if (!item.is_object()) return fail("an item is not an object");
    auto fp = item.find("fingerprint");
    if (fp == item.end() || !fp->is_string()) return fail("an item has no \"fingerprint\"");
    BaselineEntry entry;
    entry.fingerprint = fp->get<std::string>();
    auto text_of = [&](const char* key) {
      auto it = item.find(key);
      return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    entry.id = text_of("id");
    entry.rule = text_of("rule");
    entry.target = text_of("target");
    entry.title = text_of("title");
    entry.bucket = text_of("bucket");
    baseline.entries.push_back(std::move(entry));
  }
  return baseline;
}

}  // namespace tmc::analyze
