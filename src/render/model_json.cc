// The JSON report (docs/json-output.md): the whole analyzed model,
// written to a Sink as it is produced through render/json_writer.h.
#include <array>
#include <cmath>
#include <map>

#include "analyze/attack_tree.h"
#include "analyze/scoring.h"
#include "render/json_items.h"
#include "render/json_writer.h"
#include "render/render.h"
#include "render/rows.h"

namespace tmc::render {

namespace {

void optional_text(JsonWriter& w, const std::optional<model::Text>& text) {
  if (text) {
    w.value(text->value);
  } else {
    w.value(nullptr);
  }
}
void texts(JsonWriter& w, const std::vector<model::Text>& list) {
  w.begin_array();
  for (const model::Text& t : list) w.value(t.value);
  w.end_array();
}
void level(JsonWriter& w, model::Level value) {
  if (value == model::Level::unset) {
    w.value(nullptr);
  } else {
    w.value(model::to_string(value));
  }
}
void date(JsonWriter& w, const std::optional<Date>& value) {
  if (value) {
    w.value(value->to_string());
  } else {
    w.value(nullptr);
  }
}
template <class T>
void optional_number(JsonWriter& w, const std::optional<T>& value) {
  if (value) {
    w.value(*value);
  } else {
    w.value(nullptr);
  }
}

// An object keyed by STRIDE letter, as assigning `object[letter] = value`
// in order builds it: a letter given twice keeps its first place and takes
// its last value. `letter_of(i)` and `write_value(i)` read entry i.
template <class Letter, class Write>
void letter_object(JsonWriter& w, size_t count, Letter letter_of, Write write_value) {
  std::array<size_t, model::kStrideCount> first{}, last{};
  first.fill(count);
  for (size_t i = 0; i < count; ++i) {
    auto l = static_cast<size_t>(letter_of(i));
    if (first[l] == count) first[l] = i;
    last[l] = i;
  }
  w.begin_object();
  for (size_t i = 0; i < count; ++i) {
    auto l = static_cast<size_t>(letter_of(i));
    if (first[l] != i) continue;
    w.key(std::string(1, model::letter(static_cast<model::Stride>(l))));
    write_value(last[l]);
  }
  w.end_object();
}

// Counts by name as an object, with the same rule for a repeated name.
void counts(JsonWriter& w, const std::vector<std::pair<std::string, int>>& pairs) {
  std::map<std::string_view, size_t> last;
  for (size_t i = 0; i < pairs.size(); ++i) last[pairs[i].first] = i;
  w.begin_object();
  for (size_t i = 0; i < pairs.size(); ++i) {
    auto it = last.find(pairs[i].first);
    if (it == last.end()) continue;  // written at its first place already
    w.member(pairs[i].first, pairs[it->second].second);
    last.erase(it);
  }
  w.end_object();
}

void model_section(JsonWriter& w, const RenderInput& input) {
  const model::Model& m = input.model;
  w.begin_object();
  w.member("title", m.title);
  w.member("scope", m.scope);
  w.key("in_scope");
  string_array(w, m.in_scope);
  w.key("out_of_scope");
  string_array(w, m.out_of_scope);
  w.key("authors");
  string_array(w, m.authors);
  w.key("reviewed");
  date(w, m.reviewed);
  w.member("review_every", m.review_every);
  w.key("review_when");
  string_array(w, m.review_when);
  w.member("scale", m.scale);
  w.key("files");
  string_array(w, m.files);
  w.key("assumptions");
  w.begin_array();
  for (const auto& a : m.assumptions) {
    w.begin_object();
    w.member("id", a.id);
    w.member("text", a.text);
    w.end_object();
  }
  w.end_array();
  w.key("actors");
  w.begin_array();
  for (const auto& a : m.actors) {
    w.begin_object();
    w.member("id", a.id);
    w.member("name", a.name);
    w.member("description", a.description);
    w.end_object();
  }
  w.end_array();
  w.key("assets");
  w.begin_array();
  for (const auto& a : m.assets) {
    w.begin_object();
    w.member("id", a.id);
    w.member("name", a.name);
    w.member("description", a.description);
    w.member("owner", a.owner);
    w.key("classes");
    texts(w, a.classes);
    w.key("confidentiality");
    level(w, a.confidentiality);
    w.key("integrity");
    level(w, a.integrity);
    w.key("availability");
    level(w, a.availability);
    w.end_object();
  }
  w.end_array();
  w.key("boundaries");
  w.begin_array();
  for (const auto& b : m.boundaries) {
    w.begin_object();
    w.member("id", b.id);
    w.member("name", b.name);
    w.key("parent");
    optional_text(w, b.parent);
    w.key("trust");
    optional_number(w, b.trust);
    w.key("location");
    location_object(w, input, b.location);
    w.end_object();
  }
  w.end_array();
  w.key("elements");
  w.begin_array();
  for (const auto& e : m.elements) {
    w.begin_object();
    w.member("id", e.id);
    w.member("name", e.name);
    w.member("description", e.description);
    w.member("type", model::to_string(e.type));
    w.key("store");
    if (e.type == model::ElementType::store && e.store != model::StoreKind::none) {
      w.value(model::to_string(e.store));
    } else {
      w.value(nullptr);
    }
    w.key("boundary");
    optional_text(w, e.boundary);
    w.member("internet_facing", e.internet_facing);
    w.member("multi_tenant", e.multi_tenant);
    w.key("privilege");
    if (e.privilege == model::Privilege::unset) {
      w.value(nullptr);
    } else {
      w.value(model::to_string(e.privilege));
    }
    w.key("assets");
    texts(w, e.assets);
    w.key("controls");
    texts(w, e.controls);
    w.key("tags");
    texts(w, e.tags);
    w.key("clear");
    letter_object(
        w, e.clear.size(), [&](size_t i) { return e.clear[i].letter; }, [&](size_t i) { w.value(e.clear[i].reason); });
    w.key("location");
    location_object(w, input, e.location);
    w.end_object();
  }
  w.end_array();
  w.key("flows");
  w.begin_array();
  for (const auto& f : m.flows) {
    w.begin_object();
    w.member("id", f.id);
    w.member("from", f.from.value);
    w.member("to", f.to.value);
    w.member("label", f.label);
    w.member("protocol", f.protocol);
    w.key("data");
    texts(w, f.data);
    w.key("in_url");
    texts(w, f.in_url);
    w.key("authentication");
    optional_text(w, f.authentication);
    w.key("authorization");
    optional_text(w, f.authorization);
    w.key("validation");
    optional_text(w, f.validation);
    w.key("controls");
    texts(w, f.controls);
    w.key("tags");
    texts(w, f.tags);
    w.key("location");
    location_object(w, input, f.location);
    w.end_object();
  }
  w.end_array();
  w.key("paths");
  w.begin_array();
  for (const auto& p : m.paths) {
    w.begin_object();
    w.member("id", p.id);
    w.member("name", p.name);
    w.key("flows");
    texts(w, p.flows);
    w.end_object();
  }
  w.end_array();
  w.key("threats");
  w.begin_array();
  for (const auto& t : m.threats) {
    w.begin_object();
    w.member("id", t.id);
    w.member("title", t.title);
    w.member("description", t.description);
    w.key("targets");
    w.begin_array();
    for (const auto& target : t.targets) w.value(target.id.value);
    w.end_array();
    w.member("stride", stride_letters(t.stride));
    w.key("privacy");
    privacy_array(w, t.privacy);
    w.key("actor");
    optional_text(w, t.actor);
    w.member("likelihood", t.likelihood);
    w.member("impact", t.impact);
    w.member("risk", t.risk());
    w.member("bucket", analyze::bucket_for(m.scale, t.risk()).name);
    w.key("cvss");
    optional_text(w, t.cvss);
    w.member("status", model::to_string(t.status));
    w.key("identified");
    date(w, t.identified);
    w.key("resolved");
    date(w, t.resolved);
    w.key("rule");
    optional_text(w, t.rule);
    w.member("accepted_by", t.accepted_by);
    w.key("accepted_until");
    date(w, t.accepted_until);
    w.member("transferred_to", t.transferred_to);
    w.member("reason", t.reason);
    w.key("mitigations");
    w.begin_array();
    for (const auto& mit : t.mitigations) {
      w.begin_object();
      w.key("id");
      if (mit.id.empty()) {
        w.value(nullptr);
      } else {
        w.value(mit.id);
      }
      w.member("description", mit.description);
      w.member("owner", mit.owner);
      w.key("due");
      date(w, mit.due);
      w.member("status", model::to_string(mit.status));
      w.member("acceptance", mit.acceptance);
      w.member("test", mit.test);
      w.member("estimate", mit.estimate);
      w.end_object();
    }
    w.end_array();
    w.key("location");
    location_object(w, input, t.location);
    w.end_object();
  }
  w.end_array();
  w.key("dismissed");
  w.begin_array();
  for (const auto& d : m.dismissed) {
    w.begin_object();
    w.member("rule", d.rule.value);
    w.member("target", d.target.value);
    w.member("reason", d.reason);
    w.member("by", d.by);
    w.end_object();
  }
  w.end_array();
  w.key("rules");
  w.begin_array();
  for (const auto& r : m.rule_settings) {
    w.begin_object();
    w.member("rule", r.rule.value);
    w.member("enabled", r.enabled);
    w.key("likelihood");
    optional_number(w, r.likelihood);
    w.key("impact");
    optional_number(w, r.impact);
    w.key("for_tags");
    texts(w, r.for_tags);
    w.member("reason", r.reason);
    w.end_object();
  }
  w.end_array();
  w.key("asset_classes");
  texts(w, m.asset_classes);
  w.end_object();
}

void analysis_section(JsonWriter& w, const RenderInput& input) {
  const model::Model& m = input.model;
  const analyze::Analysis& a = input.analysis;
  w.begin_object();
  w.member("today", a.today.to_string());
  w.member("done", a.done);
  w.member("stale", a.stale);
  w.key("stale_since");
  date(w, a.stale_since);
  w.key("crossings");
  w.begin_array();
  for (const auto& c : a.crossings) {
    w.begin_object();
    w.member("flow", m.flows[static_cast<size_t>(c.flow)].id);
    w.key("leaves");
    w.begin_array();
    for (int b : c.exited) w.value(m.boundaries[static_cast<size_t>(b)].id);
    w.end_array();
    w.key("enters");
    w.begin_array();
    for (int b : c.entered) w.value(m.boundaries[static_cast<size_t>(b)].id);
    w.end_array();
    w.member("encrypted", c.encrypted);
    w.end_object();
  }
  w.end_array();
  w.key("findings");
  w.begin_array();
  for (const analyze::RuleFinding& f : a.findings) finding_object(w, input, f);
  w.end_array();
  w.key("coverage");
  w.begin_object();
  w.member("applicable", a.coverage.applicable);
  w.member("covered", a.coverage.covered);
  w.key("rows");
  w.begin_array();
  for (const auto& row : a.coverage.rows) {
    bool is_flow = row.kind == model::TargetKind::flow;
    w.begin_object();
    w.member("id", is_flow ? m.flows[static_cast<size_t>(row.index)].id : m.elements[static_cast<size_t>(row.index)].id);
    w.member("kind", is_flow ? "flow" : "element");
    w.key("cells");
    std::vector<const analyze::CoverageCell*> cells;
    for (const auto& cell : row.cells) {
      if (cell.applicable) cells.push_back(&cell);
    }
    letter_object(
        w, cells.size(), [&](size_t i) { return cells[i]->letter; },
        [&](size_t i) {
          const analyze::CoverageCell& cell = *cells[i];
          w.begin_object();
          w.key("threats");
          w.begin_array();
          for (int t : cell.threats) w.value(m.threats[static_cast<size_t>(t)].id);
          w.end_array();
          w.key("findings");
          w.begin_array();
          for (int f : cell.findings) w.value(a.findings[static_cast<size_t>(f)].rule);
          w.end_array();
          w.key("cleared");
          if (cell.cleared.empty()) {
            w.value(nullptr);
          } else {
            w.value(cell.cleared);
          }
          w.member("covered", cell.covered());
          w.end_object();
        });
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.key("ranked");
  w.begin_array();
  for (const analyze::RankedItem& item : a.ranked) ranked_object(w, input, item);
  w.end_array();
  w.key("metrics");
  w.begin_object();
  w.key("per_bucket");
  counts(w, a.metrics.per_bucket);
  w.key("per_status");
  counts(w, a.metrics.per_status);
  w.member("open_top", a.metrics.open_top);
  w.member("open_second", a.metrics.open_second);
  w.key("mean_days_to_remediate");
  optional_number(w, a.metrics.mean_days_to_remediate);
  w.end_object();
  w.key("attack_trees");
  w.begin_array();
  auto cost = [&](double value) {
    if (std::isinf(value)) {
      w.value("impossible");
    } else {
      w.value(value);
    }
  };
  for (const auto& tree : m.attack_trees) {
    analyze::TreeReport report = analyze::report_tree(m, tree, {});
    w.begin_object();
    w.member("id", tree.id);
    w.member("goal", tree.goal);
    w.key("cheapest_before_mitigations");
    cost(report.before.root_cost);
    w.key("cheapest");
    cost(report.after.root_cost);
    w.key("fix_first");
    w.begin_array();
    for (int leaf : report.after.cheapest_leaves) w.value(m.attack_nodes[static_cast<size_t>(leaf)].title);
    w.end_array();
    w.member("method", analyze::to_string(report.after.method));
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

void model_json(const RenderInput& input, Sink& out) {
  JsonWriter w(out);
  w.begin_object();
  version_members(w);
  w.key("model");
  model_section(w, input);
  w.key("analysis");
  analysis_section(w, input);
  w.end_object();
  out.put('\n');
}

std::string model_json(const RenderInput& input) {
  StringSink out;
  model_json(input, out);
  return std::move(out.str());
}

}  // namespace tmc::render
