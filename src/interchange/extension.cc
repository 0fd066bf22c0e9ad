#include "interchange/extension.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <variant>

#include "analyze/cvss.h"
#include "base/suggest.h"
#include "model/controls.h"
#include "model/reader.h"

namespace tmc::interchange {

namespace {

Json texts(const std::vector<model::Text>& list) {
  Json out = Json::array();
  for (const auto& t : list) out.push_back(t.value);
  return out;
}

Json clear_json(const std::vector<model::Clearance>& clear) {
  Json out = Json::object();
  for (const auto& c : clear) out[std::string(1, model::letter(c.letter))] = c.reason;
  return out;
}

// References keep where the source file wrote them, so that check_draft
// reports one that names nothing there.
std::vector<model::Text> text_list(const Node* node) {
  std::vector<model::Text> out;
  for (const Node* item : items(node)) {
    if (is_scalar(item)) out.push_back({text(item), location(item)});
  }
  return out;
}

std::vector<std::string> string_list(const Node* node) {
  std::vector<std::string> out;
  for (const Node* item : items(node)) {
    if (is_scalar(item)) out.push_back(text(item));
  }
  return out;
}

void set_text(const Node* ext, std::string_view key, std::string& out) {
  if (const Node* value = field(ext, key); is_scalar(value)) out = text(value);
}

void set_optional(const Node* ext, std::string_view key, std::optional<model::Text>& out) {
  if (const Node* value = field(ext, key); is_scalar(value)) out = model::Text{text(value), location(value)};
}

bool set_list(const Node* ext, std::string_view key, std::vector<model::Text>& out) {
  const Node* value = field(ext, key);
  if (!is_sequence(value)) return false;
  out = text_list(value);
  return true;
}

// A value as a message quotes it: 'text', or what it is when not a scalar.
std::string shown(const Node* value) {
  return is_scalar(value) ? "'" + text(value) + "'" : load::describe(*value);
}

constexpr const char* kIdRule = "start with a letter, then letters, digits, '_', '.' or '-'";

void set_date(const Node* ext, std::string_view key, std::optional<Date>& out) {
  if (auto value = parse_date(text(field(ext, key)))) out = value;
}

// A dismissal's target: `all`, `{tag: NAME}`, a list of ids or one id.
// Earlier exports wrote the text a report shows ("tag NAME", "a, b"),
// which ids cannot be, so that is read too.
void read_dismissal_target(const Node* target, model::Dismissal& d) {
  d.target = {text(target), location(target)};
  if (is_mapping(target)) {
    const Node* tag = field(target, "tag");
    if (is_scalar(tag)) d.tag = model::Text{text(tag), location(tag)};
  } else if (is_sequence(target)) {
    d.targets = text_list(target);
  } else if (d.target.value == "all") {  // JSON quotes it
    d.all = true;
  } else if (d.target.value.rfind("tag ", 0) == 0) {
    d.tag = model::Text{d.target.value.substr(4), d.target.location};
  } else {
    for (size_t start = 0; start < d.target.value.size();) {
      size_t comma = d.target.value.find(", ", start);
      std::string id = d.target.value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!id.empty()) d.targets.push_back({id, d.target.location});
      start = comma == std::string::npos ? d.target.value.size() : comma + 2;
    }
  }
  // The text reports show, as the model builder sets it.
  if (d.tag) d.target.value = "tag " + d.tag->value;
  if (!d.all && !d.tag) {
    d.target.value.clear();
    for (const model::Text& id : d.targets) d.target.value += (d.target.value.empty() ? "" : ", ") + id.value;
  }
}

template <typename Enum>
std::optional<Enum> enum_of(const std::string& value, int count, const char* (*name)(Enum)) {
  for (int i = 0; i < count; ++i) {
    if (value == name(static_cast<Enum>(i))) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::optional<model::ThreatStatus> threat_status(const std::string& text) {
  return enum_of<model::ThreatStatus>(text, 6, model::to_string);
}
std::optional<model::MitigationStatus> mitigation_status(const std::string& text) {
  return enum_of<model::MitigationStatus>(text, 4, model::to_string);
}
std::optional<model::Level> level(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return enum_of<model::Level>(text, 4, model::to_string);
}

Json element_extension(const model::Element& e) {
  Json out;
  out["id"] = e.id;
  out["type"] = model::to_string(e.type);
  if (e.type == model::ElementType::store && e.store != model::StoreKind::none) out["store"] = model::to_string(e.store);
  if (e.internet_facing) out["internet_facing"] = true;
  if (e.multi_tenant) out["multi_tenant"] = true;
  if (!e.assets.empty()) out["assets"] = texts(e.assets);
  if (!e.controls.empty()) out["controls"] = texts(e.controls);
  if (e.privilege != model::Privilege::unset) out["privilege"] = model::to_string(e.privilege);
  if (!e.tags.empty()) out["tags"] = texts(e.tags);
  if (!e.clear.empty()) out["clear"] = clear_json(e.clear);
  return out;
}

Json flow_extension(const model::Flow& f) {
  Json out;
  out["id"] = f.id;
  if (!f.label.empty()) out["label"] = f.label;
  if (!f.data.empty()) out["data"] = texts(f.data);
  if (!f.in_url.empty()) out["in_url"] = texts(f.in_url);
  if (f.authentication) out["authentication"] = f.authentication->value;
  if (f.authorization) out["authorization"] = f.authorization->value;
  if (f.validation) out["validation"] = f.validation->value;
  if (!f.controls.empty()) out["controls"] = texts(f.controls);
  if (!f.tags.empty()) out["tags"] = texts(f.tags);
  if (!f.clear.empty()) out["clear"] = clear_json(f.clear);
  return out;
}

Json threat_extension(const model::Threat& t) {
  Json out;
  out["id"] = t.id;
  if (t.targets.size() > 1) {
    Json targets = Json::array();
    for (const auto& target : t.targets) targets.push_back(target.id.value);
    out["targets"] = targets;
  }
  std::string stride;
  for (int l = 0; l < model::kStrideCount; ++l) {
    if (model::has(t.stride, static_cast<model::Stride>(l))) stride += model::letter(static_cast<model::Stride>(l));
  }
  Json letters = Json::array();
  for (char c : stride) letters.push_back(std::string(1, c));
  out["stride"] = letters;
  Json privacy = Json::array();
  for (int p = 0; p < model::kPrivacyCount; ++p) {
    if (model::has(t.privacy, static_cast<model::Privacy>(p))) privacy.push_back(model::to_string(static_cast<model::Privacy>(p)));
  }
  if (!privacy.empty()) out["privacy"] = privacy;
  if (t.actor) out["actor"] = t.actor->value;
  out["likelihood"] = t.likelihood;
  out["impact"] = t.impact;
  if (t.cvss) out["cvss"] = t.cvss->value;
  out["status"] = model::to_string(t.status);
  if (t.identified) out["identified"] = t.identified->to_string();
  if (t.resolved) out["resolved"] = t.resolved->to_string();
  if (t.rule) out["rule"] = t.rule->value;
  if (!t.accepted_by.empty()) out["accepted_by"] = t.accepted_by;
  if (!t.transferred_to.empty()) out["transferred_to"] = t.transferred_to;
  if (!t.reason.empty()) out["reason"] = t.reason;
  Json mitigations = Json::array();
  for (const auto& m : t.mitigations) {
    Json item;
    if (!m.id.empty()) item["id"] = m.id;
    item["description"] = m.description;
    if (!m.owner.empty()) item["owner"] = m.owner;
    if (m.due) item["due"] = m.due->to_string();
    item["status"] = model::to_string(m.status);
    if (!m.acceptance.empty()) item["acceptance"] = m.acceptance;
    if (!m.test.empty()) item["test"] = m.test;
    if (!m.estimate.empty()) item["estimate"] = m.estimate;
    mitigations.push_back(item);
  }
  out["mitigations"] = mitigations;
  return out;
}

Json model_extension(const model::Model& m) {
  Json out;
  out["scale"] = m.scale;
  if (!m.scope.empty()) out["scope"] = m.scope;
  if (!m.in_scope.empty()) out["in_scope"] = m.in_scope;
  if (!m.out_of_scope.empty()) out["out_of_scope"] = m.out_of_scope;
  if (!m.authors.empty()) out["authors"] = m.authors;
  if (m.reviewed) out["reviewed"] = m.reviewed->to_string();
  out["review_every"] = m.review_every;
  if (!m.review_when.empty()) out["review_when"] = m.review_when;
  Json assumptions = Json::array();
  for (const auto& a : m.assumptions) assumptions.push_back({{"id", a.id}, {"text", a.text}});
  out["assumptions"] = assumptions;
  Json actors = Json::array();
  for (const auto& a : m.actors) actors.push_back({{"id", a.id}, {"name", a.name}, {"description", a.description}});
  out["actors"] = actors;
  if (!m.asset_classes.empty()) out["asset_classes"] = texts(m.asset_classes);
  Json assets = Json::array();
  for (const auto& a : m.assets) {
    Json item = {{"id", a.id}, {"name", a.name}};
    if (!a.description.empty()) item["description"] = a.description;
    if (!a.owner.empty()) item["owner"] = a.owner;
    item["classes"] = texts(a.classes);
    if (a.confidentiality != model::Level::unset) item["confidentiality"] = model::to_string(a.confidentiality);
    if (a.integrity != model::Level::unset) item["integrity"] = model::to_string(a.integrity);
    if (a.availability != model::Level::unset) item["availability"] = model::to_string(a.availability);
    assets.push_back(item);
  }
  out["assets"] = assets;
  Json paths = Json::array();
  for (const auto& p : m.paths) paths.push_back({{"id", p.id}, {"name", p.name}, {"flows", texts(p.flows)}});
  out["paths"] = paths;
  Json dismissed = Json::array();
  for (const auto& d : m.dismissed) {
    Json target = d.all ? Json("all") : d.tag ? Json({{"tag", d.tag->value}}) : Json(texts(d.targets));
    dismissed.push_back({{"rule", d.rule.value}, {"target", target}, {"reason", d.reason}, {"by", d.by}});
  }
  out["dismissed"] = dismissed;
  return out;
}

std::string ExtensionReader::wanted_id(const Node* ext) {
  const Node* id = field(ext, "id");
  std::string wanted = text(id);
  if (wanted.empty() || valid_id(wanted)) return wanted;
  sink_.error("import-value", location(id), fmt::format("'{}' is not a valid id: {}", wanted, kIdRule));
  return "";
}

std::optional<long> ExtensionReader::whole_number(const Node* ext, std::string_view key, long min, long max) {
  const Node* value = field(ext, key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  auto n = number(value);
  if (n && std::floor(*n) == *n && *n >= static_cast<double>(min) && *n <= static_cast<double>(max)) {
    return static_cast<long>(*n);
  }
  sink_.error("import-value", location(value),
              fmt::format("'{}' must be a whole number from {} to {}, not {}", key, min, max, shown(value)));
  return std::nullopt;
}

std::string ExtensionReader::section_id(const Node* item, const char* what) {
  const Node* node = field(item, "id");
  std::string id = text(node);
  if (id.empty()) {
    sink_.error("import-value", location(item), fmt::format("{} has no 'id'", what));
  } else if (!valid_id(id)) {
    sink_.error("import-value", location(node), fmt::format("{} id '{}' is not a valid id: {}", what, id, kIdRule));
  } else if (ids_.used(id)) {
    sink_.error("import-value", location(node), fmt::format("id '{}' is used twice; ids are unique across the whole model", id));
  } else {
    ids_.reserve(id);
  }
  return id;
}

void ExtensionReader::read_clear(const Node* ext, std::vector<model::Clearance>& out) {
  const Node* clear = field(ext, "clear");
  if (!is_mapping(clear)) return;
  out.clear();
  for (const auto& [key, value] : entries(clear)) {
    static const std::string kLetters = "STRIDE";
    size_t at = kLetters.find(key);
    if (key.size() != 1 || at == std::string::npos) continue;
    if (text(value).empty()) {
      sink_.error("import-value", key_location(clear, key), fmt::format("clearing '{}' needs a reason", key));
      continue;
    }
    out.push_back({static_cast<model::Stride>(at), text(value), {}});
  }
}

void ExtensionReader::check_controls(std::vector<model::Text>& controls) {
  static const std::vector<std::string> kKnown = model::known_control_names();
  for (model::Text& control : controls) {
    if (std::find(kKnown.begin(), kKnown.end(), control.value) != kKnown.end()) continue;
    if (auto canonical = model::canonical_spelling(control.value, kKnown)) {
      control.value = *canonical;
      continue;
    }
    sink_.warning("unknown-control", control.location,
                  fmt::format("unknown control '{}'{}", control.value, did_you_mean(control.value, kKnown)));
  }
}

void ExtensionReader::apply(const Node* ext, model::Boundary& b) {
  if (auto trust = whole_number(ext, "trust", 0, 1000)) b.trust = static_cast<int>(*trust);
}

void ExtensionReader::apply(const Node* ext, model::Asset& a) {
  if (!is_mapping(ext)) return;
  a.confidentiality = a.integrity = a.availability = model::Level::unset;
  set_text(ext, "owner", a.owner);
  if (set_list(ext, "classes", a.classes)) check_asset_classes(a.classes);
  if (auto l = level(text(field(ext, "confidentiality")))) a.confidentiality = *l;
  if (auto l = level(text(field(ext, "integrity")))) a.integrity = *l;
  if (auto l = level(text(field(ext, "availability")))) a.availability = *l;
}

void ExtensionReader::apply(const Node* ext, model::Element& e) {
  if (!is_mapping(ext)) return;
  if (auto type = text(field(ext, "type")); !type.empty()) {
    for (int i = 0; i < 3; ++i) {
      if (type == model::to_string(static_cast<model::ElementType>(i))) e.type = static_cast<model::ElementType>(i);
    }
  }
  if (auto store = text(field(ext, "store")); !store.empty()) {
    for (int i = 1; i <= 8; ++i) {
      if (store == model::to_string(static_cast<model::StoreKind>(i))) e.store = static_cast<model::StoreKind>(i);
    }
  }
  if (field(ext, "internet_facing")) e.internet_facing = flag(field(ext, "internet_facing"));
  if (field(ext, "multi_tenant")) e.multi_tenant = flag(field(ext, "multi_tenant"));
  set_list(ext, "assets", e.assets);
  if (set_list(ext, "controls", e.controls)) check_controls(e.controls);
  set_list(ext, "tags", e.tags);
  if (auto privilege = text(field(ext, "privilege")); !privilege.empty()) {
    for (int i = 1; i <= 4; ++i) {
      if (privilege == model::to_string(static_cast<model::Privilege>(i))) e.privilege = static_cast<model::Privilege>(i);
    }
  }
  read_clear(ext, e.clear);
}

void ExtensionReader::apply(const Node* ext, model::Flow& f) {
  if (!is_mapping(ext)) return;
  set_text(ext, "label", f.label);
  set_list(ext, "data", f.data);
  set_list(ext, "in_url", f.in_url);
  set_optional(ext, "authentication", f.authentication);
  set_optional(ext, "authorization", f.authorization);
  set_optional(ext, "validation", f.validation);
  if (set_list(ext, "controls", f.controls)) check_controls(f.controls);
  set_list(ext, "tags", f.tags);
  read_clear(ext, f.clear);
}

void ExtensionReader::apply(const Node* ext, model::Threat& t, int scale) {
  if (!is_mapping(ext)) return;
  if (const Node* targets = field(ext, "targets"); is_sequence(targets)) {
    t.targets.clear();
    for (model::Text& id : text_list(targets)) t.targets.push_back({std::move(id), model::TargetKind::element, -1});
    if (t.targets.empty()) sink_.error("import-value", location(targets), "a threat needs at least one target");
  }
  if (const Node* stride = field(ext, "stride"); is_sequence(stride)) {
    t.stride = 0;
    for (const std::string& l : string_list(stride)) {
      size_t at = std::string("STRIDE").find(l);
      if (l.size() == 1 && at != std::string::npos) t.stride |= model::bit(static_cast<model::Stride>(at));
    }
  }
  if (const Node* privacy = field(ext, "privacy"); is_sequence(privacy)) {
    t.privacy = 0;
    for (const std::string& word : string_list(privacy)) {
      for (int p = 0; p < model::kPrivacyCount; ++p) {
        if (word == model::to_string(static_cast<model::Privacy>(p))) t.privacy |= model::bit(static_cast<model::Privacy>(p));
      }
    }
  }
  set_optional(ext, "actor", t.actor);
  if (auto likelihood = whole_number(ext, "likelihood", 1, scale)) t.likelihood = static_cast<int>(*likelihood);
  if (auto impact = whole_number(ext, "impact", 1, scale)) t.impact = static_cast<int>(*impact);
  // A vector tmc cannot score would make the imported model invalid.
  if (std::string vector = text(field(ext, "cvss")); !vector.empty() &&
                                                    std::holds_alternative<analyze::CvssScore>(analyze::score_cvss(vector))) {
    t.cvss = model::Text{vector, {}};
  }
  if (auto status = threat_status(text(field(ext, "status")))) t.status = *status;
  set_date(ext, "identified", t.identified);
  set_date(ext, "resolved", t.resolved);
  set_optional(ext, "rule", t.rule);
  set_text(ext, "accepted_by", t.accepted_by);
  set_text(ext, "transferred_to", t.transferred_to);
  set_text(ext, "reason", t.reason);
  if (const Node* mitigations = field(ext, "mitigations"); is_sequence(mitigations)) {
    t.mitigations.clear();
    for (const Node* item : items(mitigations)) {
      model::Mitigation m;
      // One OTM threat may become several tmc threats (one per state), each
      // with the same extension: a mitigation id, which is optional, is
      // kept once.
      if (const Node* id = field(item, "id"); !text(id).empty() && valid_id(text(id)) && ids_.used(text(id))) {
        sink_.warning("import-dropped", location(id), fmt::format("mitigation id '{}' is used twice: dropped from this mitigation", text(id)));
      } else if (!text(id).empty()) {
        m.id = section_id(item, "a mitigation");
      }
      set_text(item, "description", m.description);
      set_text(item, "owner", m.owner);
      set_date(item, "due", m.due);
      if (auto status = mitigation_status(text(field(item, "status")))) m.status = *status;
      set_text(item, "acceptance", m.acceptance);
      set_text(item, "test", m.test);
      set_text(item, "estimate", m.estimate);
      t.mitigations.push_back(std::move(m));
    }
  }
  // What the format asks of a status, checked at the status the file gave.
  SourceLocation at = field(ext, "status") ? location(field(ext, "status")) : location(ext);
  if (t.status == model::ThreatStatus::accepted && (t.accepted_by.empty() || t.reason.empty())) {
    sink_.error("import-value", at, "an accepted threat names who accepted the risk ('accepted_by') and why ('reason')");
  }
  if (t.status == model::ThreatStatus::transferred && (t.transferred_to.empty() || t.reason.empty())) {
    sink_.error("import-value", at, "a transferred threat names to whom ('transferred_to') and why ('reason')");
  }
  if (t.status == model::ThreatStatus::mitigated) {
    for (const model::Mitigation& m : t.mitigations) {
      if (m.status == model::MitigationStatus::done || m.status == model::MitigationStatus::verified) continue;
      sink_.error("import-value", at,
                  fmt::format("a mitigated threat has every mitigation done or verified; '{}' is {} (make the "
                              "threat 'mitigating' until it is)",
                              m.description, model::to_string(m.status)));
      break;
    }
  }
}

void ExtensionReader::apply(const Node* ext, model::Model& m) {
  if (!is_mapping(ext)) return;
  if (auto scale = whole_number(ext, "scale", 3, 5)) {
    if (*scale == 4) {
      sink_.error("import-value", location(field(ext, "scale")), "'scale' is 3 or 5, not 4");
    } else {
      m.scale = static_cast<int>(*scale);
    }
  }
  set_text(ext, "scope", m.scope);
  if (const Node* v = field(ext, "in_scope"); is_sequence(v)) m.in_scope = string_list(v);
  if (const Node* v = field(ext, "out_of_scope"); is_sequence(v)) m.out_of_scope = string_list(v);
  if (const Node* v = field(ext, "authors"); is_sequence(v)) m.authors = string_list(v);
  if (const Node* v = field(ext, "review_when"); is_sequence(v)) m.review_when = string_list(v);
  set_date(ext, "reviewed", m.reviewed);
  if (auto every = whole_number(ext, "review_every", 1, 3650)) m.review_every = static_cast<int>(*every);
  for (const Node* item : items(field(ext, "assumptions"))) {
    model::Assumption a;
    a.id = section_id(item, "an assumption");
    set_text(item, "text", a.text);
    if (a.text.empty()) sink_.error("import-value", location(item), fmt::format("assumption '{}' has no 'text'", a.id));
    m.assumptions.push_back(std::move(a));
  }
  for (const Node* item : items(field(ext, "actors"))) {
    model::Actor a;
    a.id = section_id(item, "an actor");
    set_text(item, "name", a.name);
    set_text(item, "description", a.description);
    m.actors.push_back(std::move(a));
  }
  if (set_list(ext, "asset_classes", m.asset_classes)) {
    std::erase_if(m.asset_classes, [](const model::Text& c) { return c.value.empty(); });
    declared_classes_ = m.asset_classes;
  }
  for (const Node* item : items(field(ext, "assets"))) {
    model::Asset a;
    a.id = section_id(item, "an asset");
    set_text(item, "name", a.name);
    set_text(item, "description", a.description);
    apply(item, a);
    m.assets.push_back(std::move(a));
  }
  for (const Node* item : items(field(ext, "paths"))) {
    model::RequestPath p;
    p.id = section_id(item, "a path");
    set_text(item, "name", p.name);
    set_list(item, "flows", p.flows);
    m.paths.push_back(std::move(p));
  }
  for (const Node* item : items(field(ext, "dismissed"))) {
    model::Dismissal d;
    d.rule = {text(field(item, "rule")), location(field(item, "rule"))};
    read_dismissal_target(field(item, "target"), d);
    set_text(item, "reason", d.reason);
    set_text(item, "by", d.by);
    if (!d.all && !d.tag && d.targets.empty()) sink_.error("import-value", location(item), "a dismissed finding has no 'target'");
    for (const char* key : {"rule", "reason", "by"}) {
      if (text(field(item, key)).empty()) {
        sink_.error("import-value", location(item), fmt::format("a dismissed finding has no '{}'", key));
      }
    }
    m.dismissed.push_back(std::move(d));
  }
}

void ExtensionReader::check_asset_classes(std::vector<model::Text>& classes) {
  std::vector<std::string> known = model::known_asset_classes();
  for (const model::Text& declared : declared_classes_) known.push_back(declared.value);
  for (model::Text& item : classes) {
    if (std::find(known.begin(), known.end(), item.value) != known.end()) continue;
    if (auto canonical = model::canonical_spelling(item.value, known)) {
      item.value = *canonical;
      continue;
    }
    sink_.error("import-value", item.location,
                fmt::format("unknown asset class '{}'{}", item.value, did_you_mean(item.value, known)));
  }
}

}  // namespace tmc::interchange
