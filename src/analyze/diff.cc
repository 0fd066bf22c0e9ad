#include "analyze/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyze/analyze.h"
#include "analyze/attack_tree.h"
#include "analyze/scoring.h"
#include "analyze/zones.h"

namespace tmc::analyze {

const char* to_string(ItemKind kind) {
  switch (kind) {
    case ItemKind::model: return "model";
    case ItemKind::boundary: return "boundary";
    case ItemKind::asset: return "asset";
    case ItemKind::actor: return "actor";
    case ItemKind::element: return "element";
    case ItemKind::flow: return "flow";
    case ItemKind::crossing: return "crossing";
    case ItemKind::threat: return "threat";
    case ItemKind::dismissal: return "dismissal";
  }
  return "";
}

const char* to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
    case ChangeKind::renamed: return "renamed";
  }
  return "";
}

const char* to_string(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::crossing_without_defenses: return "crossing-without-defenses";
    case ReasonKind::sensitive_data_across_boundary: return "sensitive-data-across-boundary";
    case ReasonKind::new_open_finding: return "new-open-finding";
    case ReasonKind::weakened: return "weakened";
    case ReasonKind::attack_cheaper: return "attack-cheaper";
    case ReasonKind::mitigation_regressed: return "mitigation-regressed";
    case ReasonKind::risk_accepted: return "risk-accepted";
    case ReasonKind::rule_weakened: return "rule-weakened";
    case ReasonKind::finding_vanished: return "finding-vanished";
    case ReasonKind::coverage_hole: return "coverage-hole";
    case ReasonKind::review_trigger: return "review-trigger";
  }
  return "";
}

const char* describe(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::crossing_without_defenses: return "new crossing without defenses";
    case ReasonKind::sensitive_data_across_boundary: return "new sensitive data across a boundary";
    case ReasonKind::new_open_finding: return "new open finding";
    case ReasonKind::weakened: return "weakened crossing or element";
    case ReasonKind::attack_cheaper: return "cheaper attack";
    case ReasonKind::mitigation_regressed: return "mitigation went backwards";
    case ReasonKind::risk_accepted: return "risk accepted or finding dismissed";
    case ReasonKind::rule_weakened: return "rule switched off or down-scored";
    case ReasonKind::finding_vanished: return "finding gone without a mitigation";
    case ReasonKind::coverage_hole: return "STRIDE coverage hole";
    case ReasonKind::review_trigger: return "review_when trigger matched";
  }
  return "";
}

bool ItemChange::cosmetic_only() const {
  if (change != ChangeKind::changed) return false;
  return std::all_of(fields.begin(), fields.end(), [](const FieldChange& f) { return f.cosmetic; });
}

std::string finding_identity(std::string_view rule, std::string_view target_id) {
  std::string key(rule);
  key += '\x1f';
  key += target_id;
  return key;
}

namespace {

// Old id -> new id for every renamed item (ids are unique across a model).
using Renames = std::map<std::string, std::string, std::less<>>;

const std::string& through(const Renames* renames, const std::string& id) {
  if (renames == nullptr) return id;
  auto it = renames->find(id);
  return it == renames->end() ? id : it->second;
}

std::string join_sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string ids(const std::vector<model::Text>& texts, const Renames* renames = nullptr) {
  std::vector<std::string> values;
  for (const model::Text& t : texts) values.push_back(through(renames, t.value));
  return join_sorted(std::move(values));
}

std::string optional_text(const std::optional<model::Text>& text, const Renames* renames = nullptr) {
  return text ? through(renames, text->value) : std::string();
}

std::string flag(bool value) { return value ? "true" : "false"; }

std::string letters(model::StrideSet set) {
  std::string out;
  for (int i = 0; i < model::kStrideCount; ++i) {
    if (has(set, static_cast<model::Stride>(i))) out += (out.empty() ? "" : ", ") + std::string(1, model::letter(static_cast<model::Stride>(i)));
  }
  return out;
}

std::string privacy_words(model::PrivacySet set) {
  std::string out;
  for (int i = 0; i < model::kPrivacyCount; ++i) {
    if (has(set, static_cast<model::Privacy>(i))) out += (out.empty() ? "" : ", ") + std::string(model::to_string(static_cast<model::Privacy>(i)));
  }
  return out;
}

std::string cleared_letters(const std::vector<model::Clearance>& clear) {
  model::StrideSet set = 0;
  for (const auto& c : clear) set |= model::bit(c.letter);
  return letters(set);
}

// The classes of the assets named, sorted and unique (views into the model).
using ClassList = std::vector<std::string_view>;
ClassList data_classes(const model::Model& m, const std::vector<int>& asset_indexes) {
  ClassList classes;
  for (int a : asset_indexes) {
    if (a < 0) continue;
    for (const model::Text& c : m.assets[static_cast<size_t>(a)].classes) classes.push_back(c.value);
  }
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

bool contains(const ClassList& list, std::string_view value) { return std::binary_search(list.begin(), list.end(), value); }

std::string join_set(const ClassList& values) {
  std::string out;
  for (std::string_view v : values) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

bool is_sensitive_class(std::string_view c) {
  static const std::set<std::string, std::less<>> kSensitive = {"pii", "payment", "health", "credentials", "secret", "financial"};
  return kSensitive.count(c) > 0;
}

// One item as a list of named display values, for comparison and renames.
struct Field {
  std::string name;
  std::string value;
  bool cosmetic = false;
};
struct Item {
  std::string id;
  SourceLocation location;
  std::vector<Field> fields;
};

std::vector<Field> boundary_fields(const model::Boundary& b, const Renames* r) {
  return {{"name", b.name, true},
          {"description", b.description, true},
          {"parent", optional_text(b.parent, r)},
          {"trust", b.trust ? std::to_string(*b.trust) : ""}};
}

std::vector<Field> asset_fields(const model::Asset& a) {
  return {{"name", a.name, true},
          {"description", a.description, true},
          {"owner", a.owner, true},
          {"classes", ids(a.classes)},
          {"confidentiality", model::to_string(a.confidentiality)},
          {"integrity", model::to_string(a.integrity)},
          {"availability", model::to_string(a.availability)}};
}

std::vector<Field> actor_fields(const model::Actor& a) {
  return {{"name", a.name, true}, {"description", a.description, true}};
}

// `facts:` as "key: value" pairs in key order.
std::string stated_facts(const std::vector<model::StatedFact>& facts) {
  std::vector<std::string> pairs;
  for (const model::StatedFact& fact : facts) pairs.push_back(fact.key + ": " + fact.value);
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const std::string& pair : pairs) out += (out.empty() ? "" : ", ") + pair;
  return out;
}

std::vector<Field> element_fields(const model::Model& m, const model::Element& e, const Renames* r) {
  return {{"name", e.name, true},
          {"description", e.description, true},
          {"type", model::to_string(e.type)},
          {"store", model::to_string(e.store)},
          {"boundary", optional_text(e.boundary, r)},
          {"internet_facing", flag(e.internet_facing)},
          {"multi_tenant", flag(e.multi_tenant)},
          {"assets", ids(e.assets, r)},
          {"data classes", join_set(data_classes(m, e.asset_indexes))},
          {"controls", ids(e.controls)},
          {"tags", ids(e.tags)},
          {"privilege", model::to_string(e.privilege)},
          {"kind", e.kind},
          {"accepts", ids(e.accepts)},
          {"out_of_scope", flag(e.out_of_scope)},
          {"facts", stated_facts(e.facts)},
          {"clear", cleared_letters(e.clear)}};
}

std::vector<Field> flow_fields(const model::Model& m, const model::Flow& f, const Renames* r) {
  return {{"from", through(r, f.from.value)},
          {"to", through(r, f.to.value)},
          {"label", f.label, true},
          {"description", f.description, true},
          {"protocol", f.protocol},
          {"data", ids(f.data, r)},
          {"data classes", join_set(data_classes(m, f.data_indexes))},
          {"in_url", ids(f.in_url, r)},
          {"authentication", optional_text(f.authentication)},
          {"authorization", optional_text(f.authorization)},
          {"validation", optional_text(f.validation)},
          {"controls", ids(f.controls)},
          {"tags", ids(f.tags)},
          {"response_to", optional_text(f.response_to, r)},
          {"facts", stated_facts(f.facts)},
          {"clear", cleared_letters(f.clear)}};
}

std::string mitigation_key(const model::Mitigation& mitigation, size_t position) {
  return mitigation.id.empty() ? fmt::format("#{}", position + 1) : mitigation.id;
}

std::vector<Field> threat_fields(const model::Model& m, const model::Threat& t, const Renames* r) {
  std::vector<std::string> targets;
  for (const model::TargetRef& target : t.targets) targets.push_back(through(r, target.id.value));
  std::vector<Field> fields = {{"title", t.title, true},
                               {"description", t.description, true},
                               {"target", join_sorted(targets)},
                               {"stride", letters(t.stride)},
                               {"privacy", privacy_words(t.privacy)},
                               {"actor", optional_text(t.actor, r)},
                               {"likelihood", std::to_string(t.likelihood)},
                               {"impact", std::to_string(t.impact)},
                               {"risk", std::to_string(t.risk())},
                               {"bucket", bucket_for(m.scale, t.risk()).name},
                               {"cvss", optional_text(t.cvss)},
                               {"status", model::to_string(t.status)},
                               {"rule", optional_text(t.rule)},
                               {"accepted_by", t.accepted_by, true},
                               {"transferred_to", t.transferred_to, true},
                               {"reason", t.reason, true}};
  for (size_t i = 0; i < t.mitigations.size(); ++i) {
    const model::Mitigation& mitigation = t.mitigations[i];
    const std::string key = mitigation_key(mitigation, i);
    fields.push_back({"mitigation " + key, model::to_string(mitigation.status)});
    fields.push_back({"mitigation " + key + " description", mitigation.description, true});
  }
  return fields;
}

std::vector<Field> model_fields(const model::Model& m) {
  std::string triggers;
  for (const std::string& when : m.review_when) triggers += (triggers.empty() ? "" : "; ") + when;
  return {{"title", m.title, true},
          {"scope", m.scope, true},
          {"scale", std::to_string(m.scale)},
          {"reviewed", m.reviewed ? m.reviewed->to_string() : ""},
          {"review_every", std::to_string(m.review_every)},
          {"review_when", triggers}};
}

std::string signature(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& f : fields) {
    if (f.cosmetic) continue;
    out += f.name;
    out += '\x1e';
    out += f.value;
    out += '\x1f';
  }
  return out;
}

std::vector<FieldChange> compare_fields(const std::vector<Field>& before, const std::vector<Field>& after) {
  std::vector<FieldChange> changes;
  // Items of one kind list their fields in the same order: compare by
  // position while the names agree (the common case, and cheap).
  size_t same = 0;
  while (same < before.size() && same < after.size() && before[same].name == after[same].name) {
    const Field& f = after[same];
    if (before[same].value != f.value) changes.push_back({f.name, before[same].value, f.value, f.cosmetic});
    ++same;
  }
  if (same == before.size() && same == after.size()) return changes;
  std::unordered_map<std::string_view, const Field*> old_by_name;
  for (size_t i = same; i < before.size(); ++i) old_by_name[before[i].name] = &before[i];
  for (size_t i = same; i < after.size(); ++i) {
    const Field& f = after[i];
    auto it = old_by_name.find(f.name);
    const std::string old_value = it == old_by_name.end() ? "" : it->second->value;
    if (it != old_by_name.end()) old_by_name.erase(it);
    if (old_value != f.value) changes.push_back({f.name, old_value, f.value, f.cosmetic});
  }
  for (size_t i = same; i < before.size(); ++i) {
    if (old_by_name.count(before[i].name) > 0 && !before[i].value.empty()) {
      changes.push_back({before[i].name, before[i].value, "", before[i].cosmetic});
    }
  }
  return changes;
}

// Matches one kind of item by id, detects renames, and appends the
// changes. `renames` gains this kind's renames. Returns, for each new-side
// item, the index of its old-side item (-1 = added).
std::vector<int> compare_items(ItemKind kind, const std::vector<Item>& before, const std::vector<Item>& after,
                               Renames& renames, std::vector<ItemChange>& out) {
  std::unordered_map<std::string, int> before_ids, after_ids;
  for (size_t i = 0; i < before.size(); ++i) before_ids.emplace(before[i].id, static_cast<int>(i));
  for (size_t i = 0; i < after.size(); ++i) after_ids.emplace(after[i].id, static_cast<int>(i));
  std::vector<int> old_of(after.size(), -1);
  std::vector<bool> old_matched(before.size(), false);
  std::unordered_map<std::string, std::vector<int>> added_by_signature;  // in file order
  for (size_t i = 0; i < after.size(); ++i) {
    auto it = before_ids.find(after[i].id);
    if (it != before_ids.end()) {
      old_of[i] = it->second;
      old_matched[static_cast<size_t>(it->second)] = true;
    } else {
      added_by_signature[signature(after[i].fields)].push_back(static_cast<int>(i));
    }
  }
  std::vector<bool> renamed(after.size(), false);
  std::unordered_map<std::string, size_t> next_candidate;
  for (size_t i = 0; i < before.size(); ++i) {
    if (old_matched[i]) continue;
    const std::string sig = signature(before[i].fields);
    auto it = added_by_signature.find(sig);
    if (it == added_by_signature.end()) continue;
    size_t& next = next_candidate[sig];
    if (next >= it->second.size()) continue;
    int target = it->second[next++];
    old_of[static_cast<size_t>(target)] = static_cast<int>(i);
    renamed[static_cast<size_t>(target)] = true;
    old_matched[i] = true;
    renames[before[i].id] = after[static_cast<size_t>(target)].id;
  }
  for (size_t i = 0; i < after.size(); ++i) {
    ItemChange change;
    change.kind = kind;
    change.id = after[i].id;
    change.after = after[i].location;
    if (old_of[i] < 0) {
      change.change = ChangeKind::added;
      out.push_back(std::move(change));
      continue;
    }
    const Item& old = before[static_cast<size_t>(old_of[i])];
    change.before = old.location;
    change.fields = compare_fields(old.fields, after[i].fields);
    if (renamed[i]) {
      change.change = ChangeKind::renamed;
      change.old_id = old.id;
    } else if (change.fields.empty()) {
      continue;
    }
    out.push_back(std::move(change));
  }
  for (size_t i = 0; i < before.size(); ++i) {
    if (old_matched[i]) continue;
    ItemChange change;
    change.kind = kind;
    change.change = ChangeKind::removed;
    change.id = before[i].id;
    change.before = before[i].location;
    out.push_back(std::move(change));
  }
  return old_of;
}

bool is_none(const std::optional<model::Text>& mechanism) {
  if (!mechanism) return false;
  std::string lower = mechanism->value;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "none";
}

bool is_defended(const std::optional<model::Text>& mechanism) { return mechanism && !is_none(mechanism); }

int privilege_rank(model::Privilege p) { return static_cast<int>(p); }

int mitigation_rank(model::MitigationStatus s) { return static_cast<int>(s); }

std::string describe_cost_value(double cost) { return cost == kImpossible ? "impossible" : describe_cost(cost); }

std::string zone_path(const model::Model& m, const BoundaryCrossing& crossing) {
  std::vector<std::string> parts;
  if (!crossing.exited.empty()) {
    std::string left;
    for (int b : crossing.exited) left += (left.empty() ? "" : ", ") + m.boundaries[static_cast<size_t>(b)].id;
    parts.push_back("leaves " + left);
  }
  if (!crossing.entered.empty()) {
    std::string entered;
    for (int b : crossing.entered) entered += (entered.empty() ? "" : ", ") + m.boundaries[static_cast<size_t>(b)].id;
    parts.push_back("enters " + entered);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

// Whether `needle` occurs in `haystack` as whole words (both lower case).
bool contains_words(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return false;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
    bool left = at == 0 || !word_char(haystack[at - 1]);
    size_t end = at + needle.size();
    bool right = end >= haystack.size() || !word_char(haystack[end]);
    if (left && right) return true;
  }
  return false;
}

// The pieces shared by the comparisons below.
struct DiffState {
  const ModelSide& before;
  const ModelSide& after;
  const DiffOptions& options;
  ModelDiff& diff;
  Renames renames;
  std::vector<int> element_old, flow_old, threat_old;  // new index -> old index (-1 = added)
  std::set<std::string> touched;  // lower-case ids, names and data classes of non-cosmetic changes

  void reason(ReasonKind kind, std::string subject, std::string message, SourceLocation location,
              bool in_before = false) {
    diff.reasons.push_back({kind, std::move(subject), std::move(message), location, in_before});
  }
};

void compare_entities(DiffState& s) {
  const model::Model& a = s.before.model;
  const model::Model& b = s.after.model;
  auto& out = s.diff.changes;
  {
    Item old_model{"", a.location, model_fields(a)};
    Item new_model{"", b.location, model_fields(b)};
    auto fields = compare_fields(old_model.fields, new_model.fields);
    if (!fields.empty()) out.push_back({ItemKind::model, ChangeKind::changed, "", "", fields, a.location, b.location});
  }
  auto collect = [](const auto& list, auto fields_of) {
    std::vector<Item> items;
    items.reserve(list.size());
    for (const auto& x : list) items.push_back({x.id, x.location, fields_of(x)});
    return items;
  };
  const Renames* r = &s.renames;
  compare_items(ItemKind::boundary, collect(a.boundaries, [&](const model::Boundary& x) { return boundary_fields(x, r); }),
                collect(b.boundaries, [](const model::Boundary& x) { return boundary_fields(x, nullptr); }), s.renames, out);
  compare_items(ItemKind::asset, collect(a.assets, [](const model::Asset& x) { return asset_fields(x); }),
                collect(b.assets, [](const model::Asset& x) { return asset_fields(x); }), s.renames, out);
  compare_items(ItemKind::actor, collect(a.actors, [](const model::Actor& x) { return actor_fields(x); }),
                collect(b.actors, [](const model::Actor& x) { return actor_fields(x); }), s.renames, out);
  s.element_old = compare_items(ItemKind::element, collect(a.elements, [&](const model::Element& x) { return element_fields(a, x, r); }),
                                collect(b.elements, [&](const model::Element& x) { return element_fields(b, x, nullptr); }),
                                s.renames, out);
  s.flow_old = compare_items(ItemKind::flow, collect(a.flows, [&](const model::Flow& x) { return flow_fields(a, x, r); }),
                             collect(b.flows, [&](const model::Flow& x) { return flow_fields(b, x, nullptr); }), s.renames, out);
  s.threat_old = compare_items(ItemKind::threat, collect(a.threats, [&](const model::Threat& x) { return threat_fields(a, x, r); }),
                               collect(b.threats, [&](const model::Threat& x) { return threat_fields(b, x, nullptr); }),
                               s.renames, out);
  // Dismissals have no id: they are known by the finding they dismiss.
  auto dismissals = [&](const model::Model& m, const Renames* renames) {
    std::vector<Item> items;
    for (const model::Dismissal& d : m.dismissed) {
      items.push_back({d.rule.value + " on " + through(renames, d.target.value), d.location,
                       {{"reason", d.reason, true}, {"by", d.by, true}}});
    }
    return items;
  };
  Renames no_renames;
  compare_items(ItemKind::dismissal, dismissals(a, r), dismissals(b, nullptr), no_renames, out);

  for (const ItemChange& change : out) {
    if (change.cosmetic_only()) continue;
    // A rename alone (an id changed, nothing else) is cosmetic too.
    if (change.change == ChangeKind::renamed &&
        std::all_of(change.fields.begin(), change.fields.end(), [](const FieldChange& f) { return f.cosmetic; })) {
      continue;
    }
    s.touched.insert(lower(change.id));
    if (!change.old_id.empty()) s.touched.insert(lower(change.old_id));
    if (change.kind == ItemKind::element && change.change != ChangeKind::removed) {
      const int index = b.find_element(change.id);
      if (index >= 0) s.touched.insert(lower(b.elements[static_cast<size_t>(index)].name));
    }
  }
}

void compare_elements(DiffState& s) {
  const model::Model& a = s.before.model;
  const model::Model& b = s.after.model;
  for (size_t i = 0; i < b.elements.size(); ++i) {
    const int old = s.element_old[i];
    if (old < 0) continue;
    const model::Element& e = b.elements[i];
    const model::Element& was = a.elements[static_cast<size_t>(old)];
    std::vector<std::string> weakened;
    if (!was.internet_facing && e.internet_facing) weakened.push_back("made internet-facing");
    if (privilege_rank(e.privilege) > privilege_rank(was.privilege)) {
      weakened.push_back(fmt::format("privilege raised from {} to {}",
                                     was.privilege == model::Privilege::unset ? "unset" : model::to_string(was.privilege),
                                     model::to_string(e.privilege)));
    }
    for (const model::Text& control : was.controls) {
      if (!e.has_control(control.value)) weakened.push_back(fmt::format("control '{}' removed", control.value));
    }
    if (!weakened.empty()) {
      std::string what;
      for (const auto& w : weakened) what += (what.empty() ? "" : ", ") + w;
      s.reason(ReasonKind::weakened, e.id, fmt::format("element '{}': {}", e.id, what), e.location);
    }
  }
}

void compare_crossings(DiffState& s) {
  const model::Model& a = s.before.model;
  const model::Model& b = s.after.model;
  // Old crossings by the new-side id of their flow.
  std::unordered_map<std::string, const BoundaryCrossing*> old_crossings;
  for (const BoundaryCrossing& c : s.before.analysis.crossings) {
    old_crossings[through(&s.renames, a.flows[static_cast<size_t>(c.flow)].id)] = &c;
  }
  const bool boundaries_changed = std::any_of(s.diff.changes.begin(), s.diff.changes.end(), [](const ItemChange& c) {
    return c.kind == ItemKind::boundary && !c.cosmetic_only();
  });
  std::unordered_set<std::string> new_ids;
  new_ids.reserve(s.after.analysis.crossings.size());
  for (const BoundaryCrossing& c : s.after.analysis.crossings) {
    const model::Flow& f = b.flows[static_cast<size_t>(c.flow)];
    new_ids.insert(f.id);
    auto it = old_crossings.find(f.id);
    auto route_of = [&f] { return fmt::format("{} -> {}", f.from.value, f.to.value); };
    if (it == old_crossings.end()) {
      const std::string route = route_of();
      ItemChange change{ItemKind::crossing, ChangeKind::added, f.id, "", {}, {}, f.location};
      change.fields.push_back({"route", "", route + " (" + zone_path(b, c) + ")"});
      change.fields.push_back({"authentication", "", f.authentication ? f.authentication->value : "(not declared)"});
      change.fields.push_back({"authorization", "", f.authorization ? f.authorization->value : "(not declared)"});
      change.fields.push_back({"validation", "", f.validation ? f.validation->value : "(not declared)"});
      change.fields.push_back({"encrypted", "", flag(c.encrypted)});
      s.diff.changes.push_back(std::move(change));
      std::vector<std::string> missing;
      auto check = [&](const char* name, const std::optional<model::Text>& mechanism) {
        if (!mechanism) missing.push_back(fmt::format("{} not declared", name));
        else if (is_none(mechanism)) missing.push_back(fmt::format("{}: none", name));
      };
      check("authentication", f.authentication);
      check("authorization", f.authorization);
      check("validation", f.validation);
      if (!c.encrypted && !is_local_transport(f)) missing.push_back("not encrypted");
      if (!missing.empty()) {
        std::string what;
        for (const auto& m : missing) what += (what.empty() ? "" : ", ") + m;
        s.reason(ReasonKind::crossing_without_defenses, f.id,
                 fmt::format("new crossing '{}' ({}, {}): {}", f.id, route, zone_path(b, c), what), f.location);
      }
      continue;
    }
    const model::Flow& was = a.flows[static_cast<size_t>(it->second->flow)];
    std::vector<std::string> weakened;
    auto check = [&](const char* name, const std::optional<model::Text>& before, const std::optional<model::Text>& after) {
      if (is_defended(before) && !is_defended(after)) {
        weakened.push_back(fmt::format("{} '{}' {}", name, before->value, after ? "turned to none" : "removed"));
      }
    };
    check("authentication", was.authentication, f.authentication);
    check("authorization", was.authorization, f.authorization);
    check("validation", was.validation, f.validation);
    for (const model::Text& control : was.controls) {
      if (!f.has_control(control.value)) weakened.push_back(fmt::format("control '{}' removed", control.value));
    }
    if (it->second->encrypted && !c.encrypted) weakened.push_back("no longer encrypted");
    // Zones only move when a boundary changed or the source changed boundary.
    auto boundary_id = [](const model::Model& m, int element, const Renames* renames) {
      const model::Element& e = m.elements[static_cast<size_t>(element)];
      return e.boundary ? through(renames, e.boundary->value) : std::string();
    };
    if (was.from_index >= 0 && f.from_index >= 0 &&
        (boundaries_changed || boundary_id(a, was.from_index, &s.renames) != boundary_id(b, f.from_index, nullptr))) {
      const bool was_untrusted = in_untrusted_zone(a, was.from_index);
      const bool now_untrusted = in_untrusted_zone(b, f.from_index);
      auto old_trust = zone_trust(a, was.from_index);
      auto new_trust = zone_trust(b, f.from_index);
      if (!was_untrusted && now_untrusted) {
        weakened.push_back("its source is now in an untrusted zone");
      } else if (old_trust && new_trust && *new_trust < *old_trust) {
        weakened.push_back(fmt::format("its source zone's trust fell from {} to {}", *old_trust, *new_trust));
      }
    }
    if (!weakened.empty()) {
      std::string what;
      for (const auto& w : weakened) what += (what.empty() ? "" : ", ") + w;
      ItemChange change{ItemKind::crossing, ChangeKind::changed, f.id, "", {}, was.location, f.location};
      change.fields.push_back({"weakened", "", what});
      s.diff.changes.push_back(std::move(change));
      s.reason(ReasonKind::weakened, f.id, fmt::format("crossing '{}' ({}): {}", f.id, route_of(), what), f.location);
    }
  }
  for (const BoundaryCrossing& c : s.before.analysis.crossings) {
    const model::Flow& was = a.flows[static_cast<size_t>(c.flow)];
    if (new_ids.count(through(&s.renames, was.id)) > 0) continue;
    s.diff.changes.push_back({ItemKind::crossing, ChangeKind::removed, was.id, "", {}, was.location, {}});
  }

  // Sensitive data newly on a crossing flow, or a flow to or from an
  // external, where it did not cross before: no old flow carried that class
  // between the same two zones.
  std::set<std::string> crossing_flows;
  for (const BoundaryCrossing& c : s.after.analysis.crossings) crossing_flows.insert(b.flows[static_cast<size_t>(c.flow)].id);
  auto zone_of = [](const model::Model& m, int element, const Renames* renames) {
    if (element < 0) return std::string("?");
    const model::Element& e = m.elements[static_cast<size_t>(element)];
    return e.boundary ? through(renames, e.boundary->value) : std::string();
  };
  std::unordered_set<std::string> old_carried;  // class, source zone, target zone
  old_carried.reserve(a.flows.size());
  for (const model::Flow& f : a.flows) {
    std::string route;
    for (std::string_view c : data_classes(a, f.data_indexes)) {
      if (!is_sensitive_class(c)) continue;
      if (route.empty()) route = zone_of(a, f.from_index, &s.renames) + '\x1f' + zone_of(a, f.to_index, &s.renames);
      old_carried.insert(std::string(c) + '\x1f' + route);
    }
  }
  for (size_t i = 0; i < b.flows.size(); ++i) {
    const model::Flow& f = b.flows[i];
    ClassList now = data_classes(b, f.data_indexes);
    ClassList was;
    if (s.flow_old[i] >= 0) was = data_classes(a, a.flows[static_cast<size_t>(s.flow_old[i])].data_indexes);
    // The data newly on the flow, by id and name, for review_when ("a
    // third party gets telemetry" names the asset, not its class).
    for (int asset : f.data_indexes) {
      const model::Asset& now_asset = b.assets[static_cast<size_t>(asset)];
      const bool carried = s.flow_old[i] >= 0 && [&] {
        for (int old : a.flows[static_cast<size_t>(s.flow_old[i])].data_indexes) {
          if (through(&s.renames, a.assets[static_cast<size_t>(old)].id) == now_asset.id) return true;
        }
        return false;
      }();
      if (carried) continue;
      s.touched.insert(lower(now_asset.id));
      s.touched.insert(lower(now_asset.name));
    }
    std::vector<std::string> fresh;
    for (std::string_view c : now) {
      if (contains(was, c)) continue;
      s.touched.insert(lower(std::string(c)));
      if (!is_sensitive_class(c)) continue;
      const std::string route = zone_of(b, f.from_index, nullptr) + '\x1f' + zone_of(b, f.to_index, nullptr);
      if (old_carried.count(std::string(c) + '\x1f' + route) == 0) fresh.emplace_back(c);
    }
    if (fresh.empty()) continue;
    auto external = [&](int e) { return e >= 0 && b.elements[static_cast<size_t>(e)].type == model::ElementType::external; };
    std::string where;
    if (crossing_flows.count(f.id) > 0) where = "crossing a trust boundary";
    if (external(f.to_index)) where += std::string(where.empty() ? "" : ", ") + "to the external '" + f.to.value + "'";
    else if (external(f.from_index)) where += std::string(where.empty() ? "" : ", ") + "from the external '" + f.from.value + "'";
    if (where.empty()) continue;
    std::string classes;
    for (const auto& c : fresh) classes += (classes.empty() ? "" : ", ") + c;
    s.reason(ReasonKind::sensitive_data_across_boundary, f.id,
             fmt::format("{} newly on flow '{}' ({} -> {}), {}", classes, f.id, f.from.value, f.to.value, where), f.location);
  }

  // Coverage of new elements and new crossings.
  std::vector<const CoverageRow*> element_rows(b.elements.size(), nullptr), flow_rows(b.flows.size(), nullptr);
  for (const CoverageRow& row : s.after.analysis.coverage.rows) {
    auto& rows = row.kind == model::TargetKind::flow ? flow_rows : element_rows;
    if (row.index >= 0 && static_cast<size_t>(row.index) < rows.size()) rows[static_cast<size_t>(row.index)] = &row;
  }
  auto holes = [&](model::TargetKind kind, int index) {
    const CoverageRow* row = (kind == model::TargetKind::flow ? flow_rows : element_rows)[static_cast<size_t>(index)];
    if (row == nullptr) return std::string();
    std::string missing;
    for (const CoverageCell& cell : row->cells) {
      if (cell.applicable && !cell.covered()) missing += (missing.empty() ? "" : ", ") + std::string(1, model::letter(cell.letter));
    }
    return missing;
  };
  for (size_t i = 0; i < b.elements.size(); ++i) {
    if (s.element_old[i] >= 0) continue;
    std::string missing = holes(model::TargetKind::element, static_cast<int>(i));
    if (missing.empty()) continue;
    const model::Element& e = b.elements[i];
    s.reason(ReasonKind::coverage_hole, e.id,
             fmt::format("new {} '{}' has no threat, finding or clearance for {}", model::to_string(e.type), e.id, missing),
             e.location);
  }
  for (const BoundaryCrossing& c : s.after.analysis.crossings) {
    const model::Flow& f = b.flows[static_cast<size_t>(c.flow)];
    if (old_crossings.count(f.id) > 0) continue;
    std::string missing = holes(model::TargetKind::flow, c.flow);
    if (missing.empty()) continue;
    s.reason(ReasonKind::coverage_hole, f.id,
             fmt::format("new crossing '{}' has no threat, finding or clearance for {}", f.id, missing), f.location);
  }
}

void compare_threats(DiffState& s) {
  const model::Model& a = s.before.model;
  const model::Model& b = s.after.model;
  auto settled = [](model::ThreatStatus st) { return st == model::ThreatStatus::accepted || st == model::ThreatStatus::transferred; };
  for (size_t i = 0; i < b.threats.size(); ++i) {
    const model::Threat& t = b.threats[i];
    const int old = s.threat_old[i];
    const model::Threat* was = old >= 0 ? &a.threats[static_cast<size_t>(old)] : nullptr;
    if (settled(t.status) && (was == nullptr || !settled(was->status))) {
      const bool accepted = t.status == model::ThreatStatus::accepted;
      s.reason(ReasonKind::risk_accepted, t.id,
               fmt::format("threat {} '{}' {}{} {}{}", t.id, t.title, was ? "moved to " : "recorded as ",
                           model::to_string(t.status), accepted ? "by " : "to ",
                           accepted ? t.accepted_by : t.transferred_to),
               t.location);
    }
    if (was == nullptr) continue;
    std::map<std::string, const model::Mitigation*> old_mitigations;
    for (size_t m = 0; m < was->mitigations.size(); ++m) old_mitigations[mitigation_key(was->mitigations[m], m)] = &was->mitigations[m];
    for (size_t m = 0; m < t.mitigations.size(); ++m) {
      auto it = old_mitigations.find(mitigation_key(t.mitigations[m], m));
      if (it == old_mitigations.end()) continue;
      if (mitigation_rank(t.mitigations[m].status) < mitigation_rank(it->second->status)) {
        s.reason(ReasonKind::mitigation_regressed, t.id,
                 fmt::format("mitigation {} of threat {} went from {} back to {}", it->first, t.id,
                             model::to_string(it->second->status), model::to_string(t.mitigations[m].status)),
                 t.mitigations[m].location);
      }
    }
  }
  std::set<std::string> old_dismissals;
  for (const model::Dismissal& d : a.dismissed) old_dismissals.insert(finding_identity(d.rule.value, through(&s.renames, d.target.value)));
  for (const model::Dismissal& d : b.dismissed) {
    if (old_dismissals.count(finding_identity(d.rule.value, d.target.value)) > 0) continue;
    s.reason(ReasonKind::risk_accepted, d.target.value,
             fmt::format("finding {} on '{}' dismissed by {}", d.rule.value, d.target.value, d.by.empty() ? "(nobody)" : d.by),
             d.location);
  }
}

// `rules:` settings that switch a rule off or lower its score silence
// findings as a dismissal does: a new one, or one made weaker, asks for a
// review. A setting is known by its rule and the tags it is limited to.
void compare_rule_settings(DiffState& s) {
  auto key = [](const model::RuleSetting& setting) {
    std::vector<std::string> tags;
    for (const model::Text& tag : setting.for_tags) tags.push_back(tag.value);
    std::sort(tags.begin(), tags.end());
    std::string out = setting.rule.value;
    for (const std::string& tag : tags) out += " " + tag;
    return out;
  };
  std::map<std::string, const model::RuleSetting*> old_settings;
  for (const model::RuleSetting& setting : s.before.model.rule_settings) old_settings[key(setting)] = &setting;
  for (const model::RuleSetting& setting : s.after.model.rule_settings) {
    auto it = old_settings.find(key(setting));
    const model::RuleSetting* was = it == old_settings.end() ? nullptr : it->second;
    auto lowered = [](const std::optional<int>& now, const std::optional<int>* before) {
      return now && (before == nullptr || !*before || *now < **before);
    };
    std::vector<std::string> what;
    if (!setting.enabled && (was == nullptr || was->enabled)) what.push_back("switched off");
    if (setting.enabled && lowered(setting.likelihood, was ? &was->likelihood : nullptr)) {
      what.push_back(fmt::format("likelihood set to {}", *setting.likelihood));
    }
    if (setting.enabled && lowered(setting.impact, was ? &was->impact : nullptr)) {
      what.push_back(fmt::format("impact set to {}", *setting.impact));
    }
    if (what.empty()) continue;
    std::string scope = "for the whole model";
    if (!setting.for_tags.empty()) {
      scope = "for tags";
      for (size_t i = 0; i < setting.for_tags.size(); ++i) scope += (i == 0 ? " " : ", ") + setting.for_tags[i].value;
    }
    std::string done;
    for (const std::string& w : what) done += (done.empty() ? "" : ", ") + w;
    s.reason(ReasonKind::rule_weakened, setting.rule.value,
             fmt::format("rule {} {} {} by {}: {}", setting.rule.value, done, scope,
                         setting.by.empty() ? "(nobody named)" : setting.by, setting.reason),
             setting.location);
  }
}

void compare_findings(DiffState& s) {
  const model::Model& a = s.before.model;
  const model::Model& b = s.after.model;
  std::unordered_map<std::string, const RuleFinding*> old_open, new_any;
  old_open.reserve(s.before.analysis.findings.size());
  new_any.reserve(s.after.analysis.findings.size());
  for (const RuleFinding& f : s.before.analysis.findings) {
    if (f.status == FindingStatus::open) old_open[finding_identity(f.rule, through(&s.renames, f.target_id))] = &f;
  }
  for (const RuleFinding& f : s.after.analysis.findings) {
    const std::string key = finding_identity(f.rule, f.target_id);
    new_any[key] = &f;
    if (f.status != FindingStatus::open || old_open.count(key) > 0) continue;
    RiskBucket bucket = bucket_for(b.scale, f.risk());
    s.diff.new_findings.push_back({f.rule, f.target_id, f.title, f.why, bucket, f.risk(), "", f.location});
  }
  std::stable_sort(s.diff.new_findings.begin(), s.diff.new_findings.end(),
                   [](const FindingChange& x, const FindingChange& y) { return x.risk > y.risk; });
  for (const FindingChange& f : s.diff.new_findings) {
    if (f.bucket.rank > s.options.finding_rank) continue;
    s.reason(ReasonKind::new_open_finding, f.target,
             fmt::format("{} on '{}' ({}, risk {}): {}", f.rule, f.target, f.bucket.label, f.risk, f.title), f.location);
  }
  // What the vanished-finding check needs to know of the new side.
  auto still_there = [&](const std::string& id) { return b.find_element(id) >= 0 || b.find_flow(id) >= 0; };
  // A control the target lists now and did not list before (the twin of
  // the "control removed" check of compare_elements).
  auto gained = [](const auto& now, const auto& was) {
    return std::any_of(now.controls.begin(), now.controls.end(),
                       [&](const model::Text& control) { return !was.has_control(control.value); });
  };
  auto gained_control = [&](const std::string& id) {
    if (int e = b.find_element(id); e >= 0 && s.element_old[static_cast<size_t>(e)] >= 0) {
      return gained(b.elements[static_cast<size_t>(e)], a.elements[static_cast<size_t>(s.element_old[static_cast<size_t>(e)])]);
    }
    if (int f = b.find_flow(id); f >= 0 && s.flow_old[static_cast<size_t>(f)] >= 0) {
      return gained(b.flows[static_cast<size_t>(f)], a.flows[static_cast<size_t>(s.flow_old[static_cast<size_t>(f)])]);
    }
    return false;
  };
  auto rule_set = [&](const std::string& rule) {
    for (const model::RuleSetting& setting : b.rule_settings) {
      if (setting.rule.value == rule) return true;
    }
    return false;
  };
  auto target_location = [&](const std::string& id) {
    if (int e = b.find_element(id); e >= 0) return b.elements[static_cast<size_t>(e)].location;
    if (int fl = b.find_flow(id); fl >= 0) return b.flows[static_cast<size_t>(fl)].location;
    return b.location;
  };
  for (const RuleFinding& f : s.before.analysis.findings) {
    if (f.status != FindingStatus::open) continue;
    const std::string target = through(&s.renames, f.target_id);
    auto it = new_any.find(finding_identity(f.rule, target));
    if (it != new_any.end() && it->second->status == FindingStatus::open) continue;
    std::string resolution = "no longer fires";
    if (it != new_any.end() && it->second->status == FindingStatus::addressed && it->second->addressed_by >= 0) {
      resolution = "addressed by " + b.threats[static_cast<size_t>(it->second->addressed_by)].id;
    } else if (it != new_any.end() && it->second->status == FindingStatus::dismissed) {
      resolution = "dismissed";
    }
    s.diff.resolved_findings.push_back({f.rule, target, f.title, f.why, bucket_for(a.scale, f.risk()), f.risk(), resolution,
                                        f.location});
    // Gone while its target stays, with no new control on the target and no
    // rule setting behind it: what the model says about the target changed
    // (its kind, what it accepts, its exposure), and that needs a look.
    if (it != new_any.end() || !still_there(target) || gained_control(target) || rule_set(f.rule)) continue;
    s.reason(ReasonKind::finding_vanished, target,
             fmt::format("{} on '{}' ({}, risk {}) no longer fires, though no control, threat or dismissal answers "
                         "it: the facts it rested on changed",
                         f.rule, target, bucket_for(a.scale, f.risk()).label, f.risk()),
             target_location(target));
  }
}

void compare_trees(DiffState& s) {
  const model::Model& a = s.before.model;
  const model::Model& b = s.after.model;
  std::map<std::string, double> old_costs;
  std::map<std::string, const model::AttackTree*> old_trees;
  for (const model::AttackTree& tree : a.attack_trees) {
    old_costs[tree.id] = evaluate_tree(a, tree, {}).root_cost;
    old_trees[tree.id] = &tree;
  }
  for (const model::AttackTree& tree : b.attack_trees) {
    const double now = evaluate_tree(b, tree, {}).root_cost;
    auto it = old_costs.find(tree.id);
    if (it == old_costs.end()) {
      s.diff.trees.push_back({tree.id, tree.goal, std::nullopt, now, tree.location});
      continue;
    }
    const double was = it->second;
    old_costs.erase(it);
    if (was == now) continue;
    s.diff.trees.push_back({tree.id, tree.goal, was, now, tree.location});
    if (now < was) {
      s.reason(ReasonKind::attack_cheaper, tree.id,
               fmt::format("the cheapest attack on {} '{}' fell from {} to {}", tree.id, tree.goal, describe_cost_value(was),
                           describe_cost_value(now)),
               tree.location);
    }
  }
  for (const auto& [id, cost] : old_costs) {
    const model::AttackTree* tree = old_trees[id];
    s.diff.trees.push_back({id, tree->goal, cost, std::nullopt, tree->location});
  }
}

void match_triggers(DiffState& s) {
  for (const std::string& trigger : s.after.model.review_when) {
    const std::string text = lower(trigger);
    std::vector<std::string> hits;
    for (const std::string& word : s.touched) {
      if (contains_words(text, word)) hits.push_back(word);
    }
    if (hits.empty()) continue;
    s.diff.matched_triggers.push_back(trigger);
    std::string what;
    for (const auto& h : hits) what += (what.empty() ? "" : ", ") + h;
    s.reason(ReasonKind::review_trigger, what,
             fmt::format("review_when '{}' matches this change ({})", trigger, what), s.after.model.location);
  }
}

}  // namespace

ModelDiff diff_models(const ModelSide& before, const ModelSide& after, const DiffOptions& options) {
  ModelDiff diff;
  diff.scale = after.model.scale;
  diff.stale = after.analysis.stale;
  diff.stale_since = after.analysis.stale_since;
  DiffState state{before, after, options, diff, {}, {}, {}, {}, {}};
  compare_entities(state);
  compare_elements(state);
  compare_crossings(state);
  compare_threats(state);
  compare_rule_settings(state);
  compare_findings(state);
  compare_trees(state);
  match_triggers(state);
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [](const ItemChange& x, const ItemChange& y) { return static_cast<int>(x.kind) < static_cast<int>(y.kind); });
  std::stable_sort(diff.reasons.begin(), diff.reasons.end(),
                   [](const ReviewReason& x, const ReviewReason& y) { return static_cast<int>(x.kind) < static_cast<int>(y.kind); });
  return diff;
}

}  // namespace tmc::analyze
