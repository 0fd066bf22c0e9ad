// Open Threat Model 0.2.0 (JSON or YAML) -> Draft. docs/interchange.md has
// the field-by-field mapping.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "interchange/extension.h"
#include "interchange/importers.h"

namespace tmc::interchange {

int from_percent(double percent, int scale) {
  long value = std::lround(percent * scale / 100.0);
  return static_cast<int>(std::clamp<long>(value, 1, scale));
}

int to_percent(int value, int scale) { return static_cast<int>(std::lround(100.0 * value / scale)); }

namespace {

model::Level level_of(double percent) {
  return percent < 34 ? model::Level::low : percent < 67 ? model::Level::medium : model::Level::high;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// An OTM component type (free text, often a library name) as an element type.
void apply_component_type(const std::string& type, model::Element& e) {
  std::string t = lower(type);
  auto has = [&](const char* word) { return t.find(word) != std::string::npos; };
  if (has("database") || has("-db") || has("sql") || has("storage") || has("bucket") || has("queue") || has("cache") ||
      has("store") || has("s3") || has("log") || has("file")) {
    e.type = model::ElementType::store;
    if (has("sql") && !has("nosql")) e.store = model::StoreKind::sql;
    else if (has("nosql") || has("mongo") || has("dynamo")) e.store = model::StoreKind::nosql;
    else if (has("queue") || has("sqs") || has("kafka")) e.store = model::StoreKind::queue;
    else if (has("cache") || has("redis")) e.store = model::StoreKind::cache;
    else if (has("bucket") || has("s3")) e.store = model::StoreKind::object;
    else if (has("log")) e.store = model::StoreKind::log;
    else if (has("file")) e.store = model::StoreKind::file;
    else if (has("database") || has("postgres") || has("mysql")) e.store = model::StoreKind::sql;
  } else if (has("client") || has("user") || has("browser") || has("actor") || has("external") || has("mobile") ||
             has("third-party")) {
    e.type = model::ElementType::external;
  } else {
    e.type = model::ElementType::process;
  }
}

// An OTM id worth keeping as the tmc id: valid and not a UUID.
bool readable_id(const std::string& id) {
  size_t dashes = static_cast<size_t>(std::count(id.begin(), id.end(), '-'));
  bool uuid = id.size() == 36 && dashes == 4;
  return valid_id(id) && !uuid;
}

class OtmImporter {
 public:
  OtmImporter(Draft& draft, LossReport& losses, DiagnosticSink& sink) : draft_(draft), m_(draft.model), losses_(losses), sink_(sink) {}

  bool run(const Node& root) {
    std::string version = text(field(&root, "otmVersion"));
    if (version != "0.2.0" && version != "0.1.0") {
      losses_.note("file", fmt::format("otmVersion '{}'", version), "read as 0.2.0", key_location(&root, "otmVersion"));
    }
    read_project(field(&root, "project"));
    for (const auto& [key, value] : entries(&root)) {
      static const std::set<std::string> kKnown = {"otmVersion", "project", "representations", "assets", "trustZones",
                                                   "components", "dataflows", "threats", "mitigations"};
      if (!kKnown.count(key)) losses_.note("file", fmt::format("section '{}'", key), "dropped", key_location(&root, key));
    }
    for (const Node* r : items(field(&root, "representations"))) {
      std::string type = text(field(r, "type"));
      if (type == "diagram") {
        diagram_ids_.insert(text(field(r, "id")));
      } else {
        losses_.note("representation", fmt::format("type '{}'", type), "dropped (tmc keeps diagram positions only)", location(r));
      }
    }
    read_assets(field(&root, "assets"));
    read_trust_zones(field(&root, "trustZones"));
    read_definitions(field(&root, "threats"), field(&root, "mitigations"));
    read_components(field(&root, "components"));
    if (!read_dataflows(field(&root, "dataflows"))) return false;
    if (!build_threats()) return false;
    for (const auto& [id, node] : threat_defs_) {
      if (!instantiated_.count(id)) losses_.note("threat", "no component or data flow it applies to", "dropped (a tmc threat needs a target)", location(node));
    }
    return !sink_.has_errors();
  }

 private:
  // Keys of an OTM object that the specification does not define.
  void note_unknown(const Node* owner, const char* subject, std::initializer_list<const char*> known) {
    for (const auto& [key, value] : entries(owner)) {
      bool listed = false;
      for (const char* k : known) listed = listed || key == k;
      if (!listed) losses_.note(subject, fmt::format("field '{}'", key), "dropped", key_location(owner, key));
    }
  }

  // An OTM id used twice would make references ambiguous.
  bool unique(std::map<std::string, std::string>& seen, const std::string& id, const Node* node, const char* what) {
    if (!seen.count(id)) return true;
    sink_.error("import-reference", location(field(node, "id")), fmt::format("{} id '{}' is used twice", what, id));
    return false;
  }

  void note_attributes(const Node* owner, const char* subject) {
    for (const auto& [key, value] : entries(field(owner, "attributes"))) {
      if (key == "tmc") continue;
      losses_.note(subject, fmt::format("attribute '{}'", key), "dropped", key_location(field(owner, "attributes"), key));
    }
  }

  // The tmc id of an entity: the one its extension names, else its OTM id
  // when readable, else one made from its name.
  std::string pick(const std::string& wanted, const std::string& source, const std::string& name, const char* fallback) {
    if (!wanted.empty()) return ids_.keep_or_make(wanted, fallback);
    if (readable_id(source) && !ids_.used(source)) return ids_.keep_or_make(source, fallback);
    return ids_.make(name.empty() ? source : name, fallback);
  }

  const Node* ext(const Node* owner) { return path(owner, {"attributes", "tmc"}); }

  void keep_position(const Node* owner, const std::string& id) {
    for (const Node* r : items(field(owner, "representations"))) {
      if (!diagram_ids_.count(text(field(r, "representation")))) {
        losses_.note("element", "a code representation", "dropped", location(r));
        continue;
      }
      auto x = number(path(r, {"position", "x"})), y = number(path(r, {"position", "y"}));
      if (x && y) draft_.positions[id] = {*x, *y};
    }
  }

  void read_project(const Node* project) {
    m_.title = text(field(project, "name"));
    m_.scope = text(field(project, "description"));
    if (std::string owner = text(field(project, "owner")); !owner.empty()) m_.authors.push_back(owner);
    if (std::string id = text(field(project, "id")); !id.empty()) project_id_ = id;
    if (field(project, "ownerContact")) losses_.note("project", "an owner contact", "dropped", key_location(project, "ownerContact"));
    if (!items(field(project, "tags")).empty()) losses_.note("project", "tags", "dropped", key_location(project, "tags"));
    note_attributes(project, "project");
    note_unknown(project, "project", {"name", "id", "description", "owner", "ownerContact", "tags", "attributes"});
    extension_.apply(ext(project), m_);
  }

  void read_assets(const Node* list) {
    for (const Node* node : items(list)) {
      std::string source = text(field(node, "id"));
      if (!unique(asset_ids_, source, node, "asset")) continue;
      const Node* e = ext(node);
      model::Asset a;
      a.name = text(field(node, "name"));
      a.id = pick(extension_.wanted_id(e), source, a.name, "asset");
      a.description = text(field(node, "description"));
      const Node* risk = field(node, "risk");
      if (auto c = number(field(risk, "confidentiality"))) a.confidentiality = level_of(*c);
      if (auto i = number(field(risk, "integrity"))) a.integrity = level_of(*i);
      if (auto v = number(field(risk, "availability"))) a.availability = level_of(*v);
      if (std::string comment = text(field(risk, "comment")); !comment.empty()) {
        a.description += (a.description.empty() ? "" : "\n") + ("Risk: " + comment);
        losses_.note("asset", "a risk comment", "kept in its description", key_location(risk, "comment"));
      }
      extension_.apply(e, a);
      note_attributes(node, "asset");
      note_unknown(node, "asset", {"name", "id", "description", "risk", "attributes"});
      asset_ids_[source] = a.id;
      if (source != a.id) draft_.source_ids[a.id] = source;
      m_.assets.push_back(std::move(a));
    }
  }

  void read_trust_zones(const Node* list) {
    for (const Node* node : items(list)) {
      std::string source = text(field(node, "id"));
      if (!unique(zone_ids_, source, node, "trust zone")) continue;
      const Node* e = ext(node);
      if (flag(field(e, "outside"))) {
        zone_ids_[source] = "";  // tmc's outside: members get no boundary
        continue;
      }
      model::Boundary b;
      b.name = text(field(node, "name"));
      b.id = pick(extension_.wanted_id(e), source, b.name, "zone");
      b.description = text(field(node, "description"));
      if (const Node* rating = path(node, {"risk", "trustRating"}); rating && !rating->is_null()) {
        // tmc's trust is 0..1000, and an export writes it here.
        auto value = number(rating);
        if (value && *value >= 0 && *value <= 1000) {
          b.trust = static_cast<int>(std::lround(*value));
        } else {
          sink_.error("import-value", location(rating),
                      fmt::format("trust zone '{}' has trustRating '{}'; tmc reads a number from 0 to 1000", b.name, text(rating)));
        }
      }
      if (flag(field(e, "no_trust"))) b.trust.reset();
      if (std::string type = text(field(node, "type")); !type.empty() && !is_mapping(e)) {
        losses_.note("trust zone", "a type", "dropped (tmc orders zones by trust)", key_location(node, "type"));
      }
      keep_position(node, b.id);
      note_attributes(node, "trust zone");
      note_unknown(node, "trust zone", {"id", "name", "type", "description", "risk", "parent", "representations", "threats", "attributes"});
      zone_ids_[source] = b.id;
      zone_parent_[b.id] = field(node, "parent");
      collect_instances(node, {b.id});
      if (source != b.id) draft_.source_ids[b.id] = source;
      m_.boundaries.push_back(std::move(b));
    }
    for (auto& b : m_.boundaries) {
      const Node* parent = zone_parent_[b.id];
      if (parent == nullptr) continue;
      std::string zone = text(field(parent, "trustZone"));
      if (!zone.empty()) {
        auto it = zone_ids_.find(zone);
        if (it == zone_ids_.end()) {
          sink_.error("import-reference", location(field(parent, "trustZone")),
                      fmt::format("trust zone '{}' has parent '{}', which is not a trust zone", b.name, zone));
        } else if (!it->second.empty()) {
          b.parent = model::Text{it->second, location(field(parent, "trustZone"))};
        }
      } else if (field(parent, "component")) {
        losses_.note("trust zone", "a component as parent", "dropped (tmc zones nest in zones only)", location(parent));
      }
    }
    // Cycles and depth: check_draft(), once the draft is complete.
  }

  void read_definitions(const Node* threats, const Node* mitigations) {
    for (const Node* node : items(threats)) threat_defs_[text(field(node, "id"))] = node;
    for (const Node* node : items(mitigations)) mitigation_defs_[text(field(node, "id"))] = node;
  }

  // The instances of threats on one component or data flow.
  void collect_instances(const Node* owner, const std::vector<std::string>& targets) {
    for (const Node* instance : items(field(owner, "threats"))) instances_.push_back({instance, targets});
  }

  void read_components(const Node* list) {
    auto nodes = items(list);
    std::map<std::string, const Node*> parent_component;
    for (const Node* node : nodes) {
      std::string source = text(field(node, "id"));
      if (!unique(component_ids_, source, node, "component")) continue;
      const Node* e = ext(node);
      model::Element el;
      el.name = text(field(node, "name"));
      el.id = pick(extension_.wanted_id(e), source, el.name, "component");
      el.description = text(field(node, "description"));
      apply_component_type(text(field(node, "type")), el);
      if (!is_mapping(e) && !text(field(node, "type")).empty()) {
        losses_.note("component", "a type", fmt::format("read as an element type (process, store or external)"), key_location(node, "type"));
      }
      for (const Node* tag : items(field(node, "tags"))) {
        if (is_scalar(tag)) el.tags.push_back({text(tag), {}});
      }
      std::set<std::string> seen;
      for (const char* kind : {"processed", "stored"}) {
        for (const Node* a : items(path(node, {"assets", kind}))) {
          auto it = asset_ids_.find(text(a));
          if (it == asset_ids_.end()) {
            sink_.error("import-reference", location(a), fmt::format("component '{}' names asset '{}', which is not in 'assets'", el.name, text(a)));
            continue;
          }
          if (seen.insert(it->second).second) el.assets.push_back({it->second, {}});
        }
      }
      extension_.apply(e, el);
      keep_position(node, el.id);
      note_attributes(node, "component");
      note_unknown(node, "component", {"id", "name", "type", "description", "parent", "representations", "assets", "threats", "tags", "attributes"});
      const Node* parent = field(node, "parent");
      if (std::string zone = text(field(parent, "trustZone")); !zone.empty()) {
        auto it = zone_ids_.find(zone);
        if (it == zone_ids_.end()) {
          sink_.error("import-reference", location(field(parent, "trustZone")),
                      fmt::format("component '{}' is in trust zone '{}', which is not in 'trustZones'", el.name, zone));
        } else if (!it->second.empty()) {
          el.boundary = model::Text{it->second, {}};
        }
      } else if (std::string comp = text(field(parent, "component")); !comp.empty()) {
        parent_component[source] = field(parent, "component");
      }
      component_ids_[source] = el.id;
      component_at_[source] = m_.elements.size();
      if (source != el.id) draft_.source_ids[el.id] = source;
      collect_instances(node, {el.id});
      m_.elements.push_back(std::move(el));
    }
    // A component inside a component joins its parent's zone. Each chain is
    // walked once: the zone it ends at (none for a chain that comes back to
    // itself or ends at a component in no zone) is kept for every component
    // on the way, and a later walk that reaches one of them stops there.
    for (const auto& [source, parent] : parent_component) {
      if (!component_ids_.count(text(parent))) {
        sink_.error("import-reference", location(parent),
                    fmt::format("component '{}' has parent component '{}', which is not in 'components'", source, text(parent)));
      }
    }
    std::unordered_map<std::string, std::optional<model::Text>> zone_of;  // source id -> its zone, once known
    for (const auto& [source, parent] : parent_component) {
      std::vector<std::string> walk;
      std::unordered_set<std::string> on_walk;
      std::optional<model::Text> zone;
      for (std::string at = source;;) {
        if (auto known = zone_of.find(at); known != zone_of.end()) {
          zone = known->second;
          break;
        }
        auto up = parent_component.find(at);
        if (up == parent_component.end()) {
          if (auto top = component_at_.find(at); top != component_at_.end()) zone = m_.elements[top->second].boundary;
          break;
        }
        if (!on_walk.insert(at).second) break;  // a cycle
        walk.push_back(at);
        at = text(up->second);
      }
      for (const std::string& member : walk) zone_of[member] = zone;
    }
    for (const auto& [source, parent] : parent_component) {
      m_.elements[component_at_[source]].boundary = zone_of[source];
      losses_.note("component", "a component as parent", "placed in its parent's trust zone (tmc elements do not nest)", location(parent));
    }
  }

  bool read_dataflows(const Node* list) {
    for (const Node* node : items(list)) {
      std::string source = text(field(node, "id"));
      const Node* e = ext(node);
      std::string name = text(field(node, "name"));
      std::string ends[2];
      const char* keys[2] = {"source", "destination"};
      for (int i = 0; i < 2; ++i) {
        const Node* end = field(node, keys[i]);
        auto it = component_ids_.find(text(end));
        if (it == component_ids_.end()) {
          sink_.error("import-reference", end ? location(end) : location(node),
                      fmt::format("data flow '{}' {} '{}', which is not a component", name.empty() ? source : name,
                                  i == 0 ? "comes from" : "goes to", text(end)));
          continue;
        }
        ends[i] = it->second;
      }
      if (ends[0].empty() || ends[1].empty()) continue;
      model::Flow f;
      f.id = pick(extension_.wanted_id(e), source, name, "flow");
      f.from = {ends[0], {}};
      f.to = {ends[1], {}};
      f.label = name;
      f.description = text(field(node, "description"));
      for (const Node* a : items(field(node, "assets"))) {
        auto it = asset_ids_.find(text(a));
        if (it == asset_ids_.end()) {
          sink_.error("import-reference", location(a), fmt::format("data flow '{}' carries asset '{}', which is not in 'assets'", name, text(a)));
          continue;
        }
        f.data.push_back({it->second, {}});
      }
      for (const Node* tag : items(field(node, "tags"))) {
        if (is_scalar(tag)) f.tags.push_back({text(tag), {}});
      }
      extension_.apply(e, f);
      note_attributes(node, "data flow");
      note_unknown(node, "data flow", {"id", "name", "description", "bidirectional", "source", "destination", "assets", "threats", "tags", "representations", "attributes"});
      if (!items(field(node, "representations")).empty()) {
        losses_.note("data flow", "representations", "dropped (tmc draws its own arrows)", key_location(node, "representations"));
      }
      if (source != f.id) draft_.source_ids[f.id] = source;
      std::vector<std::string> targets = {f.id};
      if (flag(field(node, "bidirectional"))) {
        model::Flow back = f;
        back.id = ids_.make(f.id + "_reverse", "flow");
        back.from = f.to;
        back.to = f.from;
        if (!back.label.empty()) back.label += " (reverse)";
        targets.push_back(back.id);
        losses_.note("data flow", "both directions", "written as two flows", key_location(node, "bidirectional"));
        m_.flows.push_back(std::move(f));
        m_.flows.push_back(std::move(back));
      } else {
        m_.flows.push_back(std::move(f));
      }
      collect_instances(node, targets);
    }
    return !sink_.has_errors();
  }

  // Likelihood or impact on the model's scale from an OTM percentage
  // (0..100); 2 when the threat has none.
  int percent(const Node* risk, const char* key) {
    const Node* value = field(risk, key);
    if (value == nullptr || value->is_null()) return 2;
    auto n = number(value);
    if (n && *n >= 0 && *n <= 100) return from_percent(*n, m_.scale);
    sink_.error("import-value", location(value), fmt::format("{} '{}' is not a percentage from 0 to 100", key, text(value)));
    return 2;
  }

  static std::optional<model::ThreatStatus> status_of(const std::string& state) {
    std::string s = lower(state);
    if (s == "exposed" || s == "open" || s == "new" || s == "expose") return model::ThreatStatus::open;
    if (s == "mitigated" || s == "closed") return model::ThreatStatus::mitigated;
    if (s == "partly-mitigated" || s == "partly mitigated" || s == "mitigating") return model::ThreatStatus::mitigating;
    if (s == "not-applicable" || s == "not applicable" || s == "eliminated") return model::ThreatStatus::eliminated;
    return threat_status(s);
  }

  static std::optional<model::MitigationStatus> mitigation_state(const std::string& state) {
    std::string s = lower(state);
    if (s == "implemented") return model::MitigationStatus::done;
    if (s == "required" || s == "recommended" || s == "proposed" || s == "planned") return model::MitigationStatus::planned;
    if (s == "in-progress" || s == "implementing") return model::MitigationStatus::in_progress;
    if (s == "verified" || s == "tested") return model::MitigationStatus::verified;
    return mitigation_status(s);
  }

  bool build_threats() {
    // Instances of one definition with the same state and mitigations become
    // one tmc threat with every target.
    std::vector<std::string> order;
    std::map<std::string, std::vector<size_t>> groups;
    for (size_t i = 0; i < instances_.size(); ++i) {
      const Node* instance = instances_[i].node;
      std::string threat = text(field(instance, "threat"));
      if (!threat_defs_.count(threat)) {
        sink_.error("import-reference", location(field(instance, "threat")),
                    fmt::format("threat '{}' is not defined in 'threats'", threat));
        continue;
      }
      std::string key = threat + "\n" + text(field(instance, "state"));
      for (const Node* mit : items(field(instance, "mitigations"))) {
        std::string id = text(field(mit, "mitigation"));
        if (!mitigation_defs_.count(id)) {
          sink_.error("import-reference", location(field(mit, "mitigation")), fmt::format("mitigation '{}' is not defined in 'mitigations'", id));
        }
        key += "\n" + id + "=" + text(field(mit, "state"));
      }
      if (!groups.count(key)) order.push_back(key);
      groups[key].push_back(i);
    }
    if (sink_.has_errors()) return false;
    for (const std::string& key : order) {
      const std::vector<size_t>& members = groups[key];
      const Node* instance = instances_[members[0]].node;
      std::string source = text(field(instance, "threat"));
      const Node* def = threat_defs_[source];
      instantiated_.insert(source);
      const Node* e = ext(def);
      model::Threat t;
      std::string wanted = extension_.wanted_id(e);
      t.id = wanted.empty() || ids_.used(wanted) ? ids_.next_numbered("T") : ids_.keep_or_make(wanted, "threat");
      t.title = text(field(def, "name"));
      t.description = text(field(def, "description"));
      for (size_t i : members) {
        for (const std::string& target : instances_[i].targets) t.targets.push_back({model::Text{target, {}}, model::TargetKind::element, -1});
      }
      for (const Node* category : items(field(def, "categories"))) {
        std::string c = lower(text(category));
        static const std::map<std::string, model::Stride> kStride = {
            {"spoofing", model::Stride::S}, {"tampering", model::Stride::T}, {"repudiation", model::Stride::R},
            {"information disclosure", model::Stride::I}, {"information-disclosure", model::Stride::I},
            {"denial of service", model::Stride::D}, {"denial-of-service", model::Stride::D},
            {"elevation of privilege", model::Stride::E}, {"elevation-of-privilege", model::Stride::E}};
        if (auto it = kStride.find(c); it != kStride.end()) {
          t.stride |= model::bit(it->second);
        } else if (!c.empty()) {
          losses_.note("threat", fmt::format("category '{}' (not a STRIDE class)", text(category)), "dropped", location(category));
        }
      }
      std::vector<std::string> cwes;
      for (const Node* cwe : items(field(def, "cwes"))) cwes.push_back(text(cwe));
      if (!cwes.empty() && !is_mapping(e)) {
        std::string list;
        for (const auto& c : cwes) list += (list.empty() ? "" : ", ") + c;
        t.description += (t.description.empty() ? "" : "\n") + ("Weaknesses: " + list + ".");
        losses_.note("threat", "CWE references", "kept in its description", key_location(def, "cwes"));
      }
      const Node* risk = field(def, "risk");
      t.likelihood = percent(risk, "likelihood");
      t.impact = percent(risk, "impact");
      for (const char* comment : {"likelihoodComment", "impactComment"}) {
        if (std::string c = text(field(risk, comment)); !c.empty() && !is_mapping(e)) {
          t.description += (t.description.empty() ? "" : "\n") + c;
          losses_.note("threat", fmt::format("a risk {}", comment), "kept in its description", key_location(risk, comment));
        }
      }
      if (!items(field(def, "tags")).empty()) losses_.note("threat", "tags", "dropped", key_location(def, "tags"));
      note_attributes(def, "threat");
      note_unknown(def, "threat", {"id", "name", "description", "categories", "cwes", "risk", "tags", "attributes"});
      std::string state = text(field(instance, "state"));
      if (auto status = status_of(state)) {
        t.status = *status;
        // tmc records who accepted a risk (or took it) and why.
        if ((t.status == model::ThreatStatus::accepted || t.status == model::ThreatStatus::transferred) && !is_mapping(e)) {
          t.status = model::ThreatStatus::open;
          losses_.note("threat", fmt::format("state '{}' without who {} it and why", state, state == "accepted" ? "accepted" : "took"),
                       "imported as open; record accepted_by/transferred_to and reason", key_location(instance, "state"));
        }
      } else {
        losses_.note("threat", fmt::format("state '{}'", state), "taken as open", key_location(instance, "state"));
      }
      for (const Node* mit : items(field(instance, "mitigations"))) {
        const Node* mdef = mitigation_defs_[text(field(mit, "mitigation"))];
        model::Mitigation m;
        std::string name = text(field(mdef, "name")), description = text(field(mdef, "description"));
        m.description = description.empty() ? name : name.empty() || description.rfind(name, 0) == 0 ? description : name + ". " + description;
        if (auto s = mitigation_state(text(field(mit, "state")))) {
          m.status = *s;
        } else {
          losses_.note("mitigation", fmt::format("state '{}'", text(field(mit, "state"))), "taken as planned", location(mit));
        }
        if (field(mdef, "riskReduction") && !is_mapping(ext(mdef))) {
          losses_.note("mitigation", "a risk reduction", "dropped (tmc scores the threat, not the mitigation)", key_location(mdef, "riskReduction"));
        }
        t.mitigations.push_back(std::move(m));
      }
      // tmc's mitigated means every mitigation is done.
      bool open = std::any_of(t.mitigations.begin(), t.mitigations.end(), [](const model::Mitigation& m) {
        return m.status != model::MitigationStatus::done && m.status != model::MitigationStatus::verified;
      });
      if (t.status == model::ThreatStatus::mitigated && open && !is_mapping(e)) {
        t.status = model::ThreatStatus::mitigating;
        losses_.note("threat", "state 'mitigated' with a mitigation not implemented",
                     "imported as mitigating (tmc's mitigated has every mitigation done)", key_location(instance, "state"));
      }
      extension_.apply(e, t, m_.scale);
      // A group other than the first of its definition keeps tmc's own targets.
      if (members.size() && is_mapping(e) && field(e, "targets")) {
        t.targets.clear();
        for (size_t i : members) {
          for (const std::string& target : instances_[i].targets) t.targets.push_back({model::Text{target, {}}, model::TargetKind::element, -1});
        }
      }
      if (source != t.id) draft_.source_ids[t.id] = source;
      m_.threats.push_back(std::move(t));
    }
    return true;
  }

  struct Instance {
    const Node* node;
    std::vector<std::string> targets;
  };

  Draft& draft_;
  model::Model& m_;
  LossReport& losses_;
  DiagnosticSink& sink_;
  IdMaker ids_;
  ExtensionReader extension_{ids_, sink_};
  std::string project_id_;
  std::set<std::string> diagram_ids_;
  std::map<std::string, std::string> asset_ids_, zone_ids_, component_ids_;
  std::unordered_map<std::string, size_t> component_at_;  // source id -> index in m_.elements
  std::map<std::string, const Node*> zone_parent_;
  std::map<std::string, const Node*> threat_defs_, mitigation_defs_;
  std::vector<Instance> instances_;
  std::set<std::string> instantiated_;
};

}  // namespace

bool import_otm(const Node& root, Draft& draft, LossReport& losses, DiagnosticSink& sink) {
  OtmImporter importer(draft, losses, sink);
  return importer.run(root);
}

}  // namespace tmc::interchange
