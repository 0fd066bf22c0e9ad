// A Model -> Threat Dragon v2 and OTM 0.2.0. Elements are placed on a grid
// laid out from the model's zone tree (each boundary a box around its
// members and nested boundaries, elements in flow order), so nothing
// overlaps. docs/interchange.md has the field-by-field mapping.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>

#include "analyze/scoring.h"
#include "base/json_text.h"
#include "interchange/extension.h"
#include "interchange/importers.h"
#include "interchange/interchange.h"

namespace tmc::interchange {

namespace {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;
};

struct Layout {
  std::vector<Box> elements, boundaries;
  double width = 0, height = 0;
};

constexpr double kPad = 40, kTop = 50, kGap = 50;

Box element_size(const model::Element& e) {
  return e.type == model::ElementType::process ? Box{0, 0, 120, 120} : Box{0, 0, 160, 80};
}

// Ranks elements by their distance (in flows) from the elements nothing
// flows into, so a grid read left to right follows the data.
std::vector<int> flow_ranks(const model::Model& m) {
  std::vector<int> rank(m.elements.size(), -1), indegree(m.elements.size(), 0);
  std::vector<std::vector<int>> out(m.elements.size());
  for (const auto& f : m.flows) {
    if (f.from_index < 0 || f.to_index < 0) continue;
    out[static_cast<size_t>(f.from_index)].push_back(f.to_index);
    ++indegree[static_cast<size_t>(f.to_index)];
  }
  std::deque<int> queue;
  for (size_t i = 0; i < m.elements.size(); ++i) {
    if (indegree[i] == 0) {
      rank[i] = 0;
      queue.push_back(static_cast<int>(i));
    }
  }
  for (size_t start = 0;; ++start) {
    while (!queue.empty()) {
      int at = queue.front();
      queue.pop_front();
      for (int next : out[static_cast<size_t>(at)]) {
        if (rank[static_cast<size_t>(next)] < 0) {
          rank[static_cast<size_t>(next)] = rank[static_cast<size_t>(at)] + 1;
          queue.push_back(next);
        }
      }
    }
    while (start < m.elements.size() && rank[start] >= 0) ++start;
    if (start >= m.elements.size()) break;
    rank[start] = 0;  // a cycle nothing enters from outside
    queue.push_back(static_cast<int>(start));
  }
  return rank;
}

// Without recursion: boundaries are sized deepest first, then placed from
// the outside in.
Layout grid_layout(const model::Model& m) {
  Layout layout;
  layout.elements.resize(m.elements.size());
  layout.boundaries.resize(m.boundaries.size());
  size_t nb = m.boundaries.size();
  std::vector<int> depth(nb, 0);
  for (size_t b = 0; b < nb; ++b) {
    int d = 0;
    for (int p = m.boundaries[b].parent_index; p >= 0 && d <= static_cast<int>(nb); p = m.boundaries[static_cast<size_t>(p)].parent_index) ++d;
    depth[b] = d;
  }
  std::vector<int> rank = flow_ranks(m);
  // Container c: boundary c, or the outside at index nb.
  struct Item {
    bool is_boundary;
    size_t index;
  };
  std::vector<std::vector<Item>> children(nb + 1);
  std::vector<size_t> order(m.elements.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank[a] < rank[b]; });
  for (size_t i : order) {
    int b = m.elements[i].boundary_index;
    children[b < 0 ? nb : static_cast<size_t>(b)].push_back({false, i});
  }
  for (size_t b = 0; b < nb; ++b) {
    int p = m.boundaries[b].parent_index;
    children[p < 0 ? nb : static_cast<size_t>(p)].push_back({true, b});
  }
  std::vector<size_t> containers(nb);
  for (size_t b = 0; b < nb; ++b) containers[b] = b;
  std::stable_sort(containers.begin(), containers.end(), [&](size_t a, size_t b) { return depth[a] > depth[b]; });
  containers.push_back(nb);
  std::vector<Box> relative_elements(m.elements.size()), relative_boundaries(nb);
  for (size_t c : containers) {
    const auto& items = children[c];
    size_t columns = std::max<size_t>(1, static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(items.size())))));
    double x = kPad, y = c == nb ? kPad : kTop, row_height = 0, width = 0;
    for (size_t k = 0; k < items.size(); ++k) {
      if (k > 0 && k % columns == 0) {
        x = kPad;
        y += row_height + kGap;
        row_height = 0;
      }
      Box size = items[k].is_boundary ? layout.boundaries[items[k].index] : element_size(m.elements[items[k].index]);
      Box placed{x, y, size.w, size.h};
      (items[k].is_boundary ? relative_boundaries[items[k].index] : relative_elements[items[k].index]) = placed;
      x += size.w + kGap;
      width = std::max(width, x - kGap + kPad);
      row_height = std::max(row_height, size.h);
    }
    double height = y + row_height + kPad;
    if (items.empty()) width = 200, height = 120;
    if (c == nb) {
      layout.width = width;
      layout.height = height;
    } else {
      layout.boundaries[c] = {0, 0, std::max(width, 200.0), height};
    }
  }
  // Absolute positions, outermost first.
  std::vector<size_t> outside_in(containers.rbegin() + 1, containers.rend());
  for (size_t b : outside_in) {
    int p = m.boundaries[b].parent_index;
    Box origin = p < 0 ? Box{} : layout.boundaries[static_cast<size_t>(p)];
    layout.boundaries[b].x = origin.x + relative_boundaries[b].x;
    layout.boundaries[b].y = origin.y + relative_boundaries[b].y;
  }
  for (size_t i = 0; i < m.elements.size(); ++i) {
    int b = m.elements[i].boundary_index;
    Box origin = b < 0 ? Box{} : layout.boundaries[static_cast<size_t>(b)];
    Box size = element_size(m.elements[i]);
    layout.elements[i] = {origin.x + relative_elements[i].x, origin.y + relative_elements[i].y, size.w, size.h};
  }
  return layout;
}

// A stable UUID-shaped id from a tmc id (FNV-1a, two lanes), or the id the
// entity had in the tool it came from.
std::string uuid_for(const std::string& kind, const std::string& id, const ExportOptions& options) {
  if (auto it = options.source_ids.find(id); it != options.source_ids.end()) return it->second;
  auto fnv = [](const std::string& s, uint64_t seed) {
    uint64_t h = seed;
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return h;
  };
  std::string key = "tmc:" + kind + ":" + id;
  uint64_t a = fnv(key, 14695981039346656037ull), b = fnv(key, 0x84222325cbf29ce4ull ^ a);
  return fmt::format("{:08x}-{:04x}-5{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffull);
}

const char* stride_word(int letter) {
  static const char* const kWords[] = {"Spoofing", "Tampering", "Repudiation", "Information disclosure",
                                       "Denial of service", "Elevation of privilege"};
  return kWords[letter];
}

std::string privacy_word(model::Privacy p) {
  static const char* const kWords[] = {"Linkability", "Identifiability", "Non-repudiation", "Detectability",
                                       "Disclosure of information", "Unawareness", "Non-compliance"};
  return kWords[static_cast<int>(p)];
}

const char* td_status(model::ThreatStatus status) {
  switch (status) {
    case model::ThreatStatus::open:
    case model::ThreatStatus::mitigating: return "Open";
    case model::ThreatStatus::mitigated: return "Mitigated";
    case model::ThreatStatus::accepted: return "Accepted";
    case model::ThreatStatus::transferred: return "Transferred";
    case model::ThreatStatus::eliminated: return "Eliminated";
  }
  return "Open";
}

const char* severity_word(int scale, int risk) {
  int rank = analyze::bucket_for(scale, risk).rank;
  return rank == 0 ? "High" : rank == 1 ? "Medium" : "Low";
}

std::string joined_mitigations(const model::Threat& t) {
  std::string out;
  for (const auto& m : t.mitigations) {
    if (!out.empty()) out += "\n\n";
    out += m.description;
  }
  return out;
}

// The open findings as threats (--with-findings), with their rule.
std::vector<model::Threat> finding_threats(const model::Model& m, const ExportOptions& options) {
  std::vector<model::Threat> out;
  if (options.findings == nullptr) return out;
  for (const auto& f : options.findings->findings) {
    if (f.status != analyze::FindingStatus::open) continue;
    model::Threat t;
    std::string id = "F-" + f.rule + "-" + f.target_id;
    for (char& c : id) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
    }
    t.id = id;
    t.title = f.title;
    t.description = f.why;
    t.targets.push_back({model::Text{f.target_id, {}}, f.target_kind, f.target});
    t.stride = f.stride;
    t.privacy = f.privacy;
    t.likelihood = std::clamp(f.likelihood, 1, m.scale);
    t.impact = std::clamp(f.impact, 1, m.scale);
    t.rule = model::Text{f.rule, {}};
    if (!f.mitigation.empty()) {
      model::Mitigation mit;
      mit.description = f.mitigation;
      t.mitigations.push_back(mit);
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<const model::Threat*> all_threats(const model::Model& m, const std::vector<model::Threat>& extra) {
  std::vector<const model::Threat*> out;
  for (const auto& t : m.threats) out.push_back(&t);
  for (const auto& t : extra) out.push_back(&t);
  return out;
}

}  // namespace

std::string export_threat_dragon(const model::Model& m, const ExportOptions& options) {
  Layout layout = grid_layout(m);
  std::vector<model::Threat> extra = finding_threats(m, options);
  // Threats go on the cell of their first target.
  std::map<std::pair<int, int>, Json> threats_of;  // (kind, index) -> threats
  int number = 0;
  for (const model::Threat* t : all_threats(m, extra)) {
    if (t->targets.empty() || t->targets[0].index < 0) continue;
    Json threat;
    threat["id"] = uuid_for("threat", t->id, options);
    threat["title"] = t->title;
    threat["status"] = td_status(t->status);
    threat["severity"] = severity_word(m.scale, t->risk());
    std::string type, model_type = "STRIDE";
    for (int l = 0; l < model::kStrideCount && type.empty(); ++l) {
      if (model::has(t->stride, static_cast<model::Stride>(l))) type = stride_word(l);
    }
    for (int p = 0; p < model::kPrivacyCount && type.empty(); ++p) {
      if (model::has(t->privacy, static_cast<model::Privacy>(p))) {
        type = privacy_word(static_cast<model::Privacy>(p));
        model_type = "LINDDUN";
      }
    }
    threat["type"] = type;
    threat["description"] = t->description;
    threat["mitigation"] = joined_mitigations(*t);
    threat["modelType"] = model_type;
    threat["number"] = ++number;
    threat["score"] = std::to_string(t->risk());
    threat["new"] = false;
    threat["tmc"] = threat_extension(*t);
    threats_of[{static_cast<int>(t->targets[0].kind), t->targets[0].index}].push_back(threat);
  }
  auto threats_for = [&](model::TargetKind kind, size_t index) {
    auto it = threats_of.find({static_cast<int>(kind), static_cast<int>(index)});
    return it == threats_of.end() ? Json::array() : it->second;
  };
  auto has_open = [](const Json& threats) {
    for (const Json& t : threats) {
      if (t["status"] == "Open") return true;
    }
    return false;
  };

  Json cells = Json::array();
  int z = 0;
  for (size_t b = 0; b < m.boundaries.size(); ++b) {
    const auto& boundary = m.boundaries[b];
    const Box& box = layout.boundaries[b];
    Json ext = {{"id", boundary.id}};
    if (boundary.trust) ext["trust"] = *boundary.trust;
    Json threats = threats_for(model::TargetKind::boundary, b);
    cells.push_back({{"position", {{"x", box.x}, {"y", box.y}}},
                     {"size", {{"width", box.w}, {"height", box.h}}},
                     {"attrs", {{"label", {{"text", boundary.name}}},
                                {"body", {{"stroke", "#ff0000"}, {"strokeWidth", 2}, {"strokeDasharray", "10 5"}}}}},
                     {"visible", true},
                     {"shape", "trust-boundary-box"},
                     {"zIndex", -1 - static_cast<int>(m.boundaries.size()) + static_cast<int>(b)},
                     {"id", uuid_for("boundary", boundary.id, options)},
                     {"data", {{"type", "tm.BoundaryBox"}, {"name", boundary.name}, {"description", boundary.description},
                               {"isTrustBoundary", true}, {"hasOpenThreats", has_open(threats)}, {"threats", threats}, {"tmc", ext}}}});
  }
  for (size_t i = 0; i < m.elements.size(); ++i) {
    const auto& e = m.elements[i];
    const Box& box = layout.elements[i];
    Json threats = threats_for(model::TargetKind::element, i);
    const char* shape = e.type == model::ElementType::external ? "actor" : e.type == model::ElementType::store ? "store" : "process";
    const char* type = e.type == model::ElementType::external ? "tm.Actor" : e.type == model::ElementType::store ? "tm.Store" : "tm.Process";
    bool out_of_scope = e.has_tag("out-of-scope");
    Json data = {{"type", type}, {"name", e.name}, {"description", e.description}, {"outOfScope", out_of_scope},
                 {"reasonOutOfScope", ""}, {"threats", threats}, {"hasOpenThreats", has_open(threats)}};
    bool credentials = false, payment = false;
    for (int a : e.asset_indexes) {
      if (a < 0) continue;
      const auto& asset = m.assets[static_cast<size_t>(a)];
      credentials = credentials || asset.has_class("credentials") || asset.has_class("secret") || asset.has_class("pii");
      payment = payment || asset.has_class("payment");
    }
    if (e.type == model::ElementType::store) {
      data["isALog"] = e.store == model::StoreKind::log;
      data["storesCredentials"] = credentials;
      data["isEncrypted"] = e.has_control("encryption-at-rest");
      data["isSigned"] = e.has_tag("signed");
    } else if (e.type == model::ElementType::process) {
      data["privilegeLevel"] = e.privilege == model::Privilege::unset ? "" : model::to_string(e.privilege);
      data["handlesCardPayment"] = payment;
      data["handlesGoodsOrServices"] = e.has_tag("goods-or-services");
      data["isWebApplication"] = e.has_tag("web-application") || e.internet_facing;
    } else {
      data["providesAuthentication"] = e.has_tag("provides-authentication");
    }
    data["tmc"] = element_extension(e);
    Json attrs = {{"text", {{"text", e.name}}}, {"body", {{"stroke", "#333333"}, {"strokeWidth", 1.5}, {"strokeDasharray", ""}}}};
    cells.push_back({{"position", {{"x", box.x}, {"y", box.y}}},
                     {"size", {{"width", box.w}, {"height", box.h}}},
                     {"attrs", attrs},
                     {"visible", true},
                     {"shape", shape},
                     {"zIndex", ++z},
                     {"id", uuid_for("element", e.id, options)},
                     {"data", data}});
  }
  for (size_t i = 0; i < m.flows.size(); ++i) {
    const auto& f = m.flows[i];
    if (f.from_index < 0 || f.to_index < 0) continue;
    Json threats = threats_for(model::TargetKind::flow, i);
    std::string name = f.label.empty() ? (f.protocol.empty() ? f.id : f.protocol) : f.label;
    bool encrypted = f.has_control("tls") || f.has_control("mtls");
    std::string p = f.protocol;
    std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    encrypted = encrypted || p == "HTTPS" || p == "TLS" || p == "HTTP/S" || p == "SFTP" || p == "SSH" || p == "WSS";
    Json data = {{"type", "tm.Flow"}, {"name", name}, {"description", f.description}, {"outOfScope", f.has_tag("out-of-scope")},
                 {"reasonOutOfScope", ""}, {"protocol", f.protocol}, {"isEncrypted", encrypted},
                 {"isPublicNetwork", f.has_tag("public-network")}, {"isBidirectional", false},
                 {"threats", threats}, {"hasOpenThreats", has_open(threats)}, {"tmc", flow_extension(f)}};
    cells.push_back({{"shape", "flow"},
                     {"attrs", {{"line", {{"stroke", "#333333"}, {"strokeWidth", 1}, {"targetMarker", {{"name", "block"}}},
                                          {"sourceMarker", {{"name", ""}}}, {"strokeDasharray", ""}}}}},
                     {"width", 200},
                     {"height", 100},
                     {"zIndex", 10},
                     {"connector", "smooth"},
                     {"labels", Json::array({{{"position", 0.5}, {"attrs", {{"labelText", {{"text", name}}}}}}})},
                     {"id", uuid_for("flow", f.id, options)},
                     {"source", {{"cell", uuid_for("element", m.elements[static_cast<size_t>(f.from_index)].id, options)}}},
                     {"target", {{"cell", uuid_for("element", m.elements[static_cast<size_t>(f.to_index)].id, options)}}},
                     {"vertices", Json::array()},
                     {"data", data}});
  }
  Json contributors = Json::array();
  for (const auto& a : m.authors) contributors.push_back({{"name", a}});
  Json diagram = {{"id", 0}, {"title", m.title}, {"diagramType", "STRIDE"}, {"placeholder", ""},
                  {"thumbnail", "./public/content/images/thumbnail.stride.jpg"}, {"version", "2.3.0"},
                  {"description", ""}, {"cells", cells}};
  Json out;
  out["version"] = "2.3.0";
  out["summary"] = {{"title", m.title}, {"owner", m.authors.empty() ? "" : m.authors[0]}, {"description", m.scope}, {"id", 0}};
  out["detail"] = {{"contributors", contributors}, {"diagrams", Json::array({diagram})}, {"diagramTop", 1},
                   {"reviewer", ""}, {"threatTop", number}};
  out["tmc"] = model_extension(m);
  return json_document(out);
}

std::string export_otm(const model::Model& m, const ExportOptions& options) {
  Layout layout = grid_layout(m);
  std::vector<model::Threat> extra = finding_threats(m, options);
  auto percent = [](model::Level level) { return level == model::Level::high ? 100 : level == model::Level::medium ? 50 : level == model::Level::low ? 25 : 0; };
  auto source = [&](const std::string& id) {
    auto it = options.source_ids.find(id);
    return it == options.source_ids.end() ? id : it->second;
  };
  auto representation = [&](const std::string& id, const Box& box) {
    return Json::array({{{"representation", "tmc-diagram"}, {"id", id + "-shape"},
                         {"position", {{"x", box.x}, {"y", box.y}}}, {"size", {{"width", box.w}, {"height", box.h}}}}});
  };
  const char* kStates[] = {"exposed", "partly-mitigated", "mitigated", "accepted", "transferred", "not-applicable"};
  const char* kMitigationStates[] = {"required", "in-progress", "implemented", "verified"};
  // Threat instances per target, and the definitions.
  std::map<std::pair<int, int>, Json> instances;
  Json threats = Json::array(), mitigations = Json::array();
  for (const model::Threat* t : all_threats(m, extra)) {
    std::string tid = source(t->id);
    Json categories = Json::array();
    for (int l = 0; l < model::kStrideCount; ++l) {
      if (model::has(t->stride, static_cast<model::Stride>(l))) categories.push_back(stride_word(l));
    }
    Json ext = threat_extension(*t);
    ext.erase("targets");
    threats.push_back({{"id", tid}, {"name", t->title}, {"description", t->description}, {"categories", categories},
                       {"risk", {{"likelihood", to_percent(t->likelihood, m.scale)}, {"impact", to_percent(t->impact, m.scale)}}},
                       {"attributes", {{"tmc", ext}}}});
    Json refs = Json::array();
    for (size_t k = 0; k < t->mitigations.size(); ++k) {
      const auto& mit = t->mitigations[k];
      std::string mid = mit.id.empty() ? fmt::format("{}-mitigation-{}", t->id, k + 1) : source(mit.id);
      std::string name = mit.description.substr(0, std::min<size_t>(mit.description.find_first_of(".\n"), 80));
      mitigations.push_back({{"id", mid}, {"name", name.empty() ? mid : name}, {"description", mit.description},
                             {"riskReduction", 100}, {"attributes", {{"tmc", {{"id", mit.id}}}}}});
      refs.push_back({{"mitigation", mid}, {"state", kMitigationStates[static_cast<int>(mit.status)]}});
    }
    for (const auto& target : t->targets) {
      if (target.index < 0) continue;
      instances[{static_cast<int>(target.kind), target.index}].push_back(
          {{"threat", tid}, {"state", kStates[static_cast<int>(t->status)]}, {"mitigations", refs}});
    }
  }
  auto instances_of = [&](model::TargetKind kind, size_t index) {
    auto it = instances.find({static_cast<int>(kind), static_cast<int>(index)});
    return it == instances.end() ? Json::array() : it->second;
  };
  Json assets = Json::array();
  for (const auto& a : m.assets) {
    Json ext = {{"id", a.id}};
    if (!a.owner.empty()) ext["owner"] = a.owner;
    Json classes = Json::array();
    for (const auto& c : a.classes) classes.push_back(c.value);
    ext["classes"] = classes;
    if (a.confidentiality != model::Level::unset) ext["confidentiality"] = model::to_string(a.confidentiality);
    if (a.integrity != model::Level::unset) ext["integrity"] = model::to_string(a.integrity);
    if (a.availability != model::Level::unset) ext["availability"] = model::to_string(a.availability);
    assets.push_back({{"id", source(a.id)}, {"name", a.name.empty() ? a.id : a.name}, {"description", a.description},
                      {"risk", {{"confidentiality", percent(a.confidentiality)}, {"integrity", percent(a.integrity)},
                                {"availability", percent(a.availability)}}},
                      {"attributes", {{"tmc", ext}}}});
  }
  Json zones = Json::array();
  bool outside = false;
  for (const auto& e : m.elements) outside = outside || e.boundary_index < 0;
  if (outside) {
    zones.push_back({{"id", "tmc-outside"}, {"name", "Outside every boundary"}, {"type", "outside"},
                     {"description", "Elements of the tmc model that are in no trust boundary."},
                     {"risk", {{"trustRating", 0}}}, {"attributes", {{"tmc", {{"outside", true}}}}}});
  }
  for (size_t b = 0; b < m.boundaries.size(); ++b) {
    const auto& boundary = m.boundaries[b];
    Json zone = {{"id", source(boundary.id)}, {"name", boundary.name}, {"type", "trust-boundary"}, {"description", boundary.description},
                 {"risk", {{"trustRating", boundary.trust ? *boundary.trust : 50}}}};
    if (boundary.parent_index >= 0) zone["parent"] = {{"trustZone", source(m.boundaries[static_cast<size_t>(boundary.parent_index)].id)}};
    zone["representations"] = representation(boundary.id, layout.boundaries[b]);
    Json threats_here = instances_of(model::TargetKind::boundary, b);
    if (!threats_here.empty()) zone["threats"] = threats_here;
    Json ext = {{"id", boundary.id}};
    if (!boundary.trust) ext["no_trust"] = true;
    zone["attributes"] = {{"tmc", ext}};
    zones.push_back(zone);
  }
  Json components = Json::array();
  for (size_t i = 0; i < m.elements.size(); ++i) {
    const auto& e = m.elements[i];
    const char* type = e.type == model::ElementType::external ? "external-entity" : e.type == model::ElementType::store ? "data-store" : "process";
    Json tags = Json::array();
    for (const auto& t : e.tags) tags.push_back(t.value);
    Json used = Json::array();
    for (const auto& a : e.assets) used.push_back(source(a.value));
    Json component = {{"id", source(e.id)}, {"name", e.name}, {"type", type}, {"description", e.description},
                      {"parent", {{"trustZone", e.boundary_index < 0 ? std::string("tmc-outside") : source(m.boundaries[static_cast<size_t>(e.boundary_index)].id)}}},
                      {"tags", tags}};
    component["assets"] = e.type == model::ElementType::store ? Json{{"stored", used}} : Json{{"processed", used}};
    component["threats"] = instances_of(model::TargetKind::element, i);
    component["representations"] = representation(e.id, layout.elements[i]);
    component["attributes"] = {{"tmc", element_extension(e)}};
    components.push_back(component);
  }
  Json flows = Json::array();
  for (size_t i = 0; i < m.flows.size(); ++i) {
    const auto& f = m.flows[i];
    if (f.from_index < 0 || f.to_index < 0) continue;
    Json data = Json::array(), tags = Json::array();
    for (const auto& d : f.data) data.push_back(source(d.value));
    for (const auto& t : f.tags) tags.push_back(t.value);
    Json ext = flow_extension(f);
    if (!f.protocol.empty()) ext["protocol"] = f.protocol;
    flows.push_back({{"id", source(f.id)}, {"name", f.label.empty() ? f.id : f.label}, {"description", f.description},
                     {"bidirectional", false},
                     {"source", source(m.elements[static_cast<size_t>(f.from_index)].id)},
                     {"destination", source(m.elements[static_cast<size_t>(f.to_index)].id)},
                     {"assets", data}, {"tags", tags}, {"threats", instances_of(model::TargetKind::flow, i)},
                     {"attributes", {{"tmc", ext}}}});
  }
  std::string project_id;
  for (char c : m.title) {
    if (std::isalnum(static_cast<unsigned char>(c))) project_id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!project_id.empty() && project_id.back() != '-') project_id += '-';
  }
  while (!project_id.empty() && project_id.back() == '-') project_id.pop_back();
  Json project_extension = model_extension(m);
  project_extension.erase("assets");  // OTM has its own
  Json out;
  out["otmVersion"] = "0.2.0";
  out["project"] = {{"name", m.title}, {"id", project_id.empty() ? "tmc-model" : project_id}, {"description", m.scope},
                    {"owner", m.authors.empty() ? "" : m.authors[0]}, {"attributes", {{"tmc", project_extension}}}};
  out["representations"] = Json::array({{{"name", "tmc layout"}, {"id", "tmc-diagram"}, {"type", "diagram"},
                                          {"size", {{"width", layout.width}, {"height", layout.height}}}}});
  out["assets"] = assets;
  out["trustZones"] = zones;
  out["components"] = components;
  out["dataflows"] = flows;
  out["threats"] = threats;
  out["mitigations"] = mitigations;
  return json_document(out);
}

}  // namespace tmc::interchange
