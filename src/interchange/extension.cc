#include "interchange/extension.h"

#include <cmath>
#include <variant>

#include "analyze/cvss.h"

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

std::vector<model::Text> text_list(const Node* node) {
  std::vector<model::Text> out;
  for (const Node* item : items(node)) {
    if (is_scalar(item)) out.push_back({text(item), {}});
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
  if (const Node* value = field(ext, key); is_scalar(value)) out = model::Text{text(value), {}};
}

void set_list(const Node* ext, std::string_view key, std::vector<model::Text>& out) {
  if (const Node* value = field(ext, key); is_sequence(value)) out = text_list(value);
}

void set_int(const Node* ext, std::string_view key, int& out) {
  if (auto value = number(field(ext, key)); value && std::floor(*value) == *value && std::fabs(*value) < 1e6) {
    out = static_cast<int>(*value);
  }
}

void set_date(const Node* ext, std::string_view key, std::optional<Date>& out) {
  if (auto value = parse_date(text(field(ext, key)))) out = value;
}

void read_clear(const Node* ext, std::vector<model::Clearance>& out) {
  const Node* clear = field(ext, "clear");
  if (!is_mapping(clear)) return;
  out.clear();
  for (const auto& [key, value] : entries(clear)) {
    static const std::string kLetters = "STRIDE";
    size_t at = kLetters.find(key);
    if (key.size() != 1 || at == std::string::npos) continue;
    out.push_back({static_cast<model::Stride>(at), text(value), {}});
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
    dismissed.push_back({{"rule", d.rule.value}, {"target", d.target.value}, {"reason", d.reason}, {"by", d.by}});
  }
  out["dismissed"] = dismissed;
  return out;
}

void apply_element_extension(const Node* ext, model::Element& e) {
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
  set_list(ext, "controls", e.controls);
  set_list(ext, "tags", e.tags);
  if (auto privilege = text(field(ext, "privilege")); !privilege.empty()) {
    for (int i = 1; i <= 4; ++i) {
      if (privilege == model::to_string(static_cast<model::Privilege>(i))) e.privilege = static_cast<model::Privilege>(i);
    }
  }
  read_clear(ext, e.clear);
}

void apply_flow_extension(const Node* ext, model::Flow& f) {
  if (!is_mapping(ext)) return;
  set_text(ext, "label", f.label);
  set_list(ext, "data", f.data);
  set_list(ext, "in_url", f.in_url);
  set_optional(ext, "authentication", f.authentication);
  set_optional(ext, "authorization", f.authorization);
  set_optional(ext, "validation", f.validation);
  set_list(ext, "controls", f.controls);
  set_list(ext, "tags", f.tags);
  read_clear(ext, f.clear);
}

void apply_threat_extension(const Node* ext, model::Threat& t) {
  if (!is_mapping(ext)) return;
  if (const Node* targets = field(ext, "targets"); is_sequence(targets)) {
    t.targets.clear();
    for (const std::string& id : string_list(targets)) t.targets.push_back({model::Text{id, {}}, model::TargetKind::element, -1});
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
  set_int(ext, "likelihood", t.likelihood);
  set_int(ext, "impact", t.impact);
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
      set_text(item, "id", m.id);
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
}

void apply_model_extension(const Node* ext, model::Model& m) {
  if (!is_mapping(ext)) return;
  int scale = m.scale;
  set_int(ext, "scale", scale);
  if (scale == 3 || scale == 5) m.scale = scale;
  set_text(ext, "scope", m.scope);
  if (const Node* v = field(ext, "in_scope"); is_sequence(v)) m.in_scope = string_list(v);
  if (const Node* v = field(ext, "out_of_scope"); is_sequence(v)) m.out_of_scope = string_list(v);
  if (const Node* v = field(ext, "authors"); is_sequence(v)) m.authors = string_list(v);
  if (const Node* v = field(ext, "review_when"); is_sequence(v)) m.review_when = string_list(v);
  set_date(ext, "reviewed", m.reviewed);
  set_int(ext, "review_every", m.review_every);
  for (const Node* item : items(field(ext, "assumptions"))) {
    model::Assumption a;
    set_text(item, "id", a.id);
    set_text(item, "text", a.text);
    m.assumptions.push_back(std::move(a));
  }
  for (const Node* item : items(field(ext, "actors"))) {
    model::Actor a;
    set_text(item, "id", a.id);
    set_text(item, "name", a.name);
    set_text(item, "description", a.description);
    m.actors.push_back(std::move(a));
  }
  for (const Node* item : items(field(ext, "assets"))) {
    model::Asset a;
    set_text(item, "id", a.id);
    set_text(item, "name", a.name);
    set_text(item, "description", a.description);
    set_text(item, "owner", a.owner);
    set_list(item, "classes", a.classes);
    if (auto l = level(text(field(item, "confidentiality")))) a.confidentiality = *l;
    if (auto l = level(text(field(item, "integrity")))) a.integrity = *l;
    if (auto l = level(text(field(item, "availability")))) a.availability = *l;
    m.assets.push_back(std::move(a));
  }
  for (const Node* item : items(field(ext, "paths"))) {
    model::RequestPath p;
    set_text(item, "id", p.id);
    set_text(item, "name", p.name);
    set_list(item, "flows", p.flows);
    m.paths.push_back(std::move(p));
  }
  for (const Node* item : items(field(ext, "dismissed"))) {
    model::Dismissal d;
    d.rule.value = text(field(item, "rule"));
    d.target.value = text(field(item, "target"));
    set_text(item, "reason", d.reason);
    set_text(item, "by", d.by);
    m.dismissed.push_back(std::move(d));
  }
}

}  // namespace tmc::interchange
