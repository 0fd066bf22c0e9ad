// OWASP Threat Dragon (v1 and v2 JSON) -> Draft. docs/interchange.md has
// the field-by-field mapping.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <functional>
#include <numeric>
#include <set>
#include <unordered_map>

#include "interchange/extension.h"
#include "interchange/importers.h"

namespace tmc::interchange {

namespace {

enum class CellKind { actor, process, store, flow, boundary_box, boundary_curve, text, unknown };

struct Point {
  double x = 0, y = 0;
};

struct End {
  std::string cell;      // attached cell id, or empty
  bool has_point = false;
  Point point;
  const Node* node = nullptr;
};

// One diagram cell with the v1/v2 differences read away.
struct Cell {
  const Node* node = nullptr;
  const Node* data = nullptr;  // v2: the cell's `data`; v1: the cell itself
  CellKind kind = CellKind::unknown;
  std::string id, name, shape;
  bool has_box = false;
  double x = 0, y = 0, w = 0, h = 0;
  End source, target;
  std::vector<Point> vertices;
  std::string tmc_id;        // elements, flows, boundaries once named
  std::string reverse_id;    // the second flow of a bidirectional one
  int zone = -1;             // curve zones
};

CellKind kind_of(const std::string& type, const std::string& shape) {
  static const std::map<std::string, CellKind> kTypes = {
      {"tm.Actor", CellKind::actor},          {"tm.Process", CellKind::process},
      {"tm.Store", CellKind::store},          {"tm.Flow", CellKind::flow},
      {"tm.Boundary", CellKind::boundary_curve}, {"tm.BoundaryBox", CellKind::boundary_box},
      {"tm.Text", CellKind::text}};
  static const std::map<std::string, CellKind> kShapes = {
      {"actor", CellKind::actor},     {"process", CellKind::process},
      {"store", CellKind::store},     {"flow", CellKind::flow},
      {"trust-boundary-box", CellKind::boundary_box}, {"trust-boundary-curve", CellKind::boundary_curve},
      {"trust-broundary-curve", CellKind::boundary_curve}, {"td-text-block", CellKind::text}};
  if (auto it = kTypes.find(type); it != kTypes.end()) return it->second;
  if (auto it = kShapes.find(shape); it != kShapes.end()) return it->second;
  return CellKind::unknown;
}

End read_end(const Node* end) {
  End out;
  out.node = end;
  out.cell = text(field(end, "cell"));
  if (out.cell.empty()) out.cell = text(field(end, "id"));  // v1
  auto x = number(field(end, "x")), y = number(field(end, "y"));
  if (x && y) {
    out.has_point = true;
    out.point = {*x, *y};
  }
  return out;
}

std::string label_text(const Node* cell) {
  for (const Node* label : items(field(cell, "labels"))) {
    std::string t = text(path(label, {"attrs", "labelText", "text"}));
    if (t.empty()) t = text(path(label, {"attrs", "text", "text"}));
    if (!t.empty()) return t;
  }
  return "";
}

Cell read_cell(const Node* node, bool v1) {
  Cell cell;
  cell.node = node;
  cell.data = v1 ? node : field(node, "data");
  if (cell.data == nullptr) cell.data = node;
  cell.id = text(field(node, "id"));
  cell.shape = text(field(node, "shape"));
  std::string type = text(field(cell.data, "type"));
  if (type.empty()) type = text(field(node, "type"));
  cell.kind = kind_of(type, cell.shape);
  cell.name = text(field(cell.data, "name"));
  if (cell.name.empty()) cell.name = text(path(node, {"attrs", "text", "text"}));
  if (cell.name.empty() && cell.kind == CellKind::flow) cell.name = label_text(node);
  auto x = number(path(node, {"position", "x"})), y = number(path(node, {"position", "y"}));
  auto w = number(path(node, {"size", "width"})), h = number(path(node, {"size", "height"}));
  if (x && y && w && h) {
    cell.has_box = true;
    cell.x = *x, cell.y = *y, cell.w = *w, cell.h = *h;
  }
  if (const Node* source = field(node, "source")) cell.source = read_end(source);
  if (const Node* target = field(node, "target")) cell.target = read_end(target);
  for (const Node* v : items(field(node, "vertices"))) {
    auto vx = number(field(v, "x")), vy = number(field(v, "y"));
    if (vx && vy) cell.vertices.push_back({*vx, *vy});
  }
  return cell;
}

bool inside(const Cell& inner, const Cell& outer) {
  const double slack = 1.0;
  return inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.w <= outer.x + outer.w + slack &&
         inner.y + inner.h <= outer.y + outer.h + slack;
}

bool centre_inside(const Cell& inner, const Cell& outer) {
  double cx = inner.x + inner.w / 2, cy = inner.y + inner.h / 2;
  return cx >= outer.x && cy >= outer.y && cx <= outer.x + outer.w && cy <= outer.y + outer.h;
}

double cross(Point o, Point a, Point b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

bool segments_cross(Point p1, Point p2, Point q1, Point q2) {
  double d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

bool polylines_cross(const std::vector<Point>& a, const std::vector<Point>& b) {
  for (size_t i = 0; i + 1 < a.size(); ++i) {
    for (size_t j = 0; j + 1 < b.size(); ++j) {
      if (segments_cross(a[i], a[i + 1], b[j], b[j + 1])) return true;
    }
  }
  return false;
}

Point centre(const Cell& cell) { return {cell.x + cell.w / 2, cell.y + cell.h / 2}; }

struct Severity {
  int likelihood, impact;
};

std::optional<Severity> severity_of(const std::string& severity) {
  std::string s;
  for (char c : severity) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "critical") return Severity{3, 3};
  if (s == "high") return Severity{2, 3};
  if (s == "medium") return Severity{2, 2};
  if (s == "low") return Severity{1, 2};
  return std::nullopt;
}

// STRIDE, LINDDUN and CIA threat types as tmc letters or privacy words.
void apply_type(const std::string& type, model::Threat& threat, LossReport& losses, SourceLocation at) {
  std::string t;
  for (char c : type) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, model::Stride> kStride = {
      {"spoofing", model::Stride::S}, {"tampering", model::Stride::T}, {"repudiation", model::Stride::R},
      {"information disclosure", model::Stride::I}, {"denial of service", model::Stride::D},
      {"elevation of privilege", model::Stride::E}, {"confidentiality", model::Stride::I},
      {"integrity", model::Stride::T}, {"availability", model::Stride::D}};
  static const std::map<std::string, model::Privacy> kPrivacy = {
      {"linkability", model::Privacy::linkability}, {"identifiability", model::Privacy::identifiability},
      {"non-repudiation", model::Privacy::non_repudiation}, {"detectability", model::Privacy::detectability},
      {"disclosure of information", model::Privacy::disclosure}, {"unawareness", model::Privacy::unawareness},
      {"non-compliance", model::Privacy::non_compliance}};
  if (auto it = kStride.find(t); it != kStride.end()) {
    threat.stride |= model::bit(it->second);
  } else if (auto p = kPrivacy.find(t); p != kPrivacy.end()) {
    threat.privacy |= model::bit(p->second);
  } else if (!t.empty()) {
    losses.note("threat", fmt::format("type '{}' (no STRIDE or LINDDUN class)", type), "kept in its description", at);
    threat.description += (threat.description.empty() ? "" : "\n") + std::string("Threat Dragon type: ") + type + ".";
  }
}

const std::vector<std::string> kKnownData = {
    "type", "name", "description", "outOfScope", "reasonOutOfScope", "threats", "hasOpenThreats",
    "isTrustBoundary", "threatFrequency", "isALog", "storesCredentials", "isEncrypted", "isSigned",
    "storesInventory", "privilegeLevel", "handlesCardPayment", "handlesGoodsOrServices", "isWebApplication",
    "providesAuthentication", "isBidirectional", "isPublicNetwork", "protocol", "tmc"};
// v1 cells hold their flags next to the drawing keys.
const std::vector<std::string> kDrawing = {
    "attrs", "ports", "zIndex", "z", "visible", "labels", "connector", "tools", "vertices", "width", "height",
    "router", "markup", "angle", "smooth", "position", "size", "source", "target", "shape", "id", "data", "threats"};

// Limits that keep a hostile file from making the geometry quadratic work huge.
constexpr size_t kMaxBoxes = 2000;
constexpr size_t kMaxCrossingTests = 20'000'000;

class ThreatDragonImporter {
 public:
  ThreatDragonImporter(Draft& draft, LossReport& losses, DiagnosticSink& sink)
      : draft_(draft), m_(draft.model), losses_(losses), sink_(sink) {}

  bool run(const Node& root) {
    const Node* diagrams = path(&root, {"detail", "diagrams"});
    if (!is_sequence(diagrams)) {
      sink_.error("import-format", location(&root),
                  "not a Threat Dragon model: there is no 'detail.diagrams' list");
      return false;
    }
    read_summary(root);
    auto list = items(diagrams);
    if (list.size() > 1) {
      losses_.note("model", fmt::format("{} diagrams", list.size()), "merged into one model (tmc has one diagram)",
                   location(list[1]));
    }
    for (const Node* diagram : list) {
      const Node* json = field(diagram, "diagramJson");
      bool v1 = json != nullptr;
      const Node* cells = v1 ? field(json, "cells") : field(diagram, "cells");
      if (std::string d = text(field(diagram, "description")); !d.empty()) {
        append_scope(fmt::format("Diagram '{}': {}", text(field(diagram, "title")), d));
      }
      for (const Node* node : items(cells)) cells_.push_back(read_cell(node, v1));
    }
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (cells_[i].id.empty()) continue;
      if (by_id_.count(cells_[i].id)) {
        sink_.error("import-reference", location(field(cells_[i].node, "id")),
                    fmt::format("cell id '{}' is used twice", cells_[i].id));
        return false;
      }
      by_id_[cells_[i].id] = i;
    }
    // Membership from geometry compares every element with every box.
    size_t boxes = static_cast<size_t>(std::count_if(cells_.begin(), cells_.end(), [](const Cell& c) { return c.kind == CellKind::boundary_box; }));
    if (boxes > kMaxBoxes) {
      sink_.error("import-limit", location(&root),
                  fmt::format("the model has {} trust-boundary boxes; tmc imports at most {}", boxes, kMaxBoxes));
      return false;
    }
    extension_.apply(field(&root, "tmc"), m_);
    read_boundaries();
    read_elements();
    if (!read_flows()) return false;
    place_by_curves();
    read_threats();
    return !sink_.has_errors();
  }

 private:
  void append_scope(const std::string& line) { m_.scope += (m_.scope.empty() ? "" : "\n") + line; }

  void read_summary(const Node& root) {
    const Node* summary = field(&root, "summary");
    m_.title = text(field(summary, "title"));
    append_scope(text(field(summary, "description")));
    if (std::string owner = text(field(summary, "owner")); !owner.empty()) m_.authors.push_back(owner);
    for (const Node* c : items(path(&root, {"detail", "contributors"}))) {
      std::string name = text(field(c, "name"));
      if (!name.empty() && std::find(m_.authors.begin(), m_.authors.end(), name) == m_.authors.end()) m_.authors.push_back(name);
    }
    for (const auto& [key, value] : entries(&root)) {
      if (key != "summary" && key != "detail" && key != "version" && key != "tmc" && key != "release_version" && key != "released_at") {
        losses_.note("model", fmt::format("field '{}'", key), "dropped", key_location(&root, key));
      }
    }
    if (std::string reviewer = text(path(&root, {"detail", "reviewer"})); !reviewer.empty()) {
      losses_.note("model", "a reviewer", "dropped (tmc records the review date, not the reviewer)",
                   key_location(field(&root, "detail"), "reviewer"));
    }
  }

  void note_unknown_fields(const Cell& cell, const char* subject) {
    for (const auto& [key, value] : entries(cell.data)) {
      bool known = std::find(kKnownData.begin(), kKnownData.end(), key) != kKnownData.end() ||
                   (cell.data == cell.node && std::find(kDrawing.begin(), kDrawing.end(), key) != kDrawing.end());
      if (!known) losses_.note(subject, fmt::format("field '{}'", key), "dropped", key_location(cell.data, key));
    }
  }

  // The asset a Threat Dragon flag stands for ("credentials"), made once:
  // the model's extension may declare it, and an element may already have
  // taken its id (then it gets another).
  std::string add_asset(const std::string& id, const std::string& name, const char* cls) {
    auto [made, added] = flag_assets_.emplace(id, id);
    if (!added) return made->second;
    if (std::any_of(m_.assets.begin(), m_.assets.end(), [&](const auto& a) { return a.id == id; })) return id;
    model::Asset asset;
    asset.id = made->second = ids_.keep_or_make(id, "asset");
    asset.name = name;
    asset.classes.push_back({cls, {}});
    asset.confidentiality = model::Level::high;
    asset.integrity = model::Level::high;
    m_.assets.push_back(std::move(asset));
    return made->second;
  }

  void read_boundaries() {
    // The boxes, smallest first (in file order among equals): the first
    // box around a cell is then the smallest.
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (cells_[i].kind == CellKind::boundary_box && cells_[i].has_box) boxes_.push_back(i);
    }
    std::stable_sort(boxes_.begin(), boxes_.end(), [&](size_t a, size_t b) {
      return cells_[a].w * cells_[a].h < cells_[b].w * cells_[b].h;
    });
    // Outer boxes first, so a parent is named before its children.
    std::vector<size_t> outer_first = boxes_;
    std::stable_sort(outer_first.begin(), outer_first.end(), [&](size_t a, size_t b) {
      return cells_[a].w * cells_[a].h > cells_[b].w * cells_[b].h;
    });
    int n = 0;
    for (size_t i : outer_first) {
      Cell& cell = cells_[i];
      const Node* ext = field(cell.data, "tmc");
      model::Boundary b;
      b.name = cell.name.empty() ? fmt::format("Trust boundary {}", ++n) : cell.name;
      std::string wanted = extension_.wanted_id(ext);
      b.id = wanted.empty() ? ids_.make(b.name, "boundary") : ids_.keep_or_make(wanted, "boundary");
      b.description = text(field(cell.data, "description"));
      extension_.apply(ext, b);
      cell.tmc_id = b.id;
      if (!cell.id.empty()) draft_.source_ids[b.id] = cell.id;
      int parent = smallest_box_around(cell, i);
      if (parent >= 0) b.parent = model::Text{cells_[static_cast<size_t>(parent)].tmc_id, location(cell.node)};
      note_unknown_fields(cell, "boundary box");
      m_.boundaries.push_back(std::move(b));
    }
  }

  // The smallest named boundary box strictly around `cell` (or around its
  // centre): a look at each box (at most kMaxBoxes), not at each cell.
  int smallest_box_around(const Cell& cell, size_t self, bool by_centre = false) {
    for (size_t j : boxes_) {
      const Cell& box = cells_[j];
      if (j == self || box.tmc_id.empty()) continue;
      if (box.w * box.h <= cell.w * cell.h && cell.kind == CellKind::boundary_box) continue;
      if (by_centre ? centre_inside(cell, box) : inside(cell, box)) return static_cast<int>(j);
    }
    return -1;
  }

  void read_elements() {
    for (size_t i = 0; i < cells_.size(); ++i) {
      Cell& cell = cells_[i];
      if (cell.kind == CellKind::text) {
        if (!cell.name.empty()) {
          append_scope("Diagram note: " + cell.name);
          losses_.note("text block", "text", "kept in the scope", location(cell.node));
        }
        continue;
      }
      if (cell.kind == CellKind::unknown) {
        losses_.note("cell", fmt::format("shape '{}'", cell.shape), "dropped (not a Threat Dragon element)", location(cell.node));
        continue;
      }
      if (cell.kind != CellKind::actor && cell.kind != CellKind::process && cell.kind != CellKind::store) continue;
      const Node* d = cell.data;
      const Node* ext = field(d, "tmc");
      model::Element e;
      e.type = cell.kind == CellKind::actor ? model::ElementType::external
               : cell.kind == CellKind::store ? model::ElementType::store
                                               : model::ElementType::process;
      std::string name = cell.name.empty() ? "Unnamed element" : cell.name;
      std::replace(name.begin(), name.end(), '\n', ' ');
      e.name = name;
      std::string wanted = extension_.wanted_id(ext);
      e.id = wanted.empty() ? ids_.make(name, "element") : ids_.keep_or_make(wanted, "element");
      e.description = text(field(d, "description"));
      if (flag(field(d, "outOfScope"))) {
        e.tags.push_back({"out-of-scope", {}});
        std::string reason = text(field(d, "reasonOutOfScope"));
        e.description += (e.description.empty() ? "" : "\n") + ("Out of scope" + (reason.empty() ? std::string(".") : ": " + reason));
        m_.out_of_scope.push_back(name);
      }
      if (flag(field(d, "isALog"))) e.store = model::StoreKind::log;
      // An exported tmc element names its assets itself.
      if (flag(field(d, "storesCredentials")) && !ext) e.assets.push_back({add_asset("credentials", "Credentials", "credentials"), {}});
      if (flag(field(d, "handlesCardPayment")) && !ext) e.assets.push_back({add_asset("card_payment_data", "Card payment data", "payment"), {}});
      if (flag(field(d, "isEncrypted")) && e.type == model::ElementType::store) e.controls.push_back({"encryption-at-rest", {}});
      if (flag(field(d, "isSigned"))) e.tags.push_back({"signed", {}});
      if (flag(field(d, "storesInventory"))) e.tags.push_back({"inventory", {}});
      if (flag(field(d, "handlesGoodsOrServices"))) e.tags.push_back({"goods-or-services", {}});
      if (flag(field(d, "isWebApplication"))) e.tags.push_back({"web-application", {}});
      if (flag(field(d, "providesAuthentication"))) e.tags.push_back({"provides-authentication", {}});
      if (std::string level = text(field(d, "privilegeLevel")); !level.empty()) {
        std::string lower;
        for (char c : level) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool known = false;
        for (int p = 1; p <= 4; ++p) {
          if (lower == model::to_string(static_cast<model::Privilege>(p))) {
            e.privilege = static_cast<model::Privilege>(p);
            known = true;
          }
        }
        if (!known) {
          losses_.note("element", fmt::format("privilege level '{}' (not service, user, admin or root)", level),
                       "kept in its description", key_location(d, "privilegeLevel"));
          e.description += (e.description.empty() ? "" : "\n") + ("Privilege level: " + level + ".");
        }
      }
      extension_.apply(ext, e);
      if (ext) with_extension_.insert(e.id);
      note_unknown_fields(cell, "element");
      if (cell.has_box) {
        int box = smallest_box_around(cell, i);
        if (box < 0) {
          box = smallest_box_around(cell, i, true);
          if (box >= 0) {
            losses_.note("element", "a box across a trust boundary's edge", "placed in the boundary around its centre",
                         location(cell.node));
          }
        }
        if (box >= 0) e.boundary = model::Text{cells_[static_cast<size_t>(box)].tmc_id, {}};
        draft_.positions[e.id] = {cell.x, cell.y};
      }
      cell.tmc_id = e.id;
      if (!cell.id.empty()) draft_.source_ids[e.id] = cell.id;
      element_at_.emplace(e.id, m_.elements.size());
      m_.elements.push_back(std::move(e));
    }
  }

  // The element an end of a flow is attached to; a loose end gets a new
  // external element. Returns "" (error reported) for a cell that does not exist.
  std::string endpoint(Cell& flow, End& end, const char* which) {
    if (!end.cell.empty()) {
      auto it = by_id_.find(end.cell);
      if (it == by_id_.end()) {
        sink_.error("import-reference", location(end.node),
                    fmt::format("flow '{}' {} at cell '{}', which is not in the diagram",
                                flow.name.empty() ? flow.id : flow.name,
                                std::string(which) == "source" ? "starts" : "ends", end.cell));
        return "";
      }
      const Cell& target = cells_[it->second];
      bool element = target.kind == CellKind::actor || target.kind == CellKind::process || target.kind == CellKind::store;
      if (!element || target.tmc_id.empty()) {
        sink_.error("import-reference", location(end.node),
                    fmt::format("flow '{}' is attached to cell '{}', which is not a process, store or actor", flow.name, end.cell));
        return "";
      }
      return target.tmc_id;
    }
    model::Element loose;
    loose.type = model::ElementType::external;
    loose.name = fmt::format("Loose {} of '{}'", which, flow.name.empty() ? "flow" : flow.name);
    loose.id = ids_.make(fmt::format("{}_{}", flow.name.empty() ? "flow" : flow.name, which), "end");
    loose.description = "Created by tmc import: this end of the flow was not attached to any element in Threat Dragon.";
    losses_.note("flow", "an end attached to no element", "attached to a new external element", location(end.node));
    if (end.has_point) draft_.positions[loose.id] = {end.point.x, end.point.y};
    m_.elements.push_back(loose);
    return loose.id;
  }

  bool read_flows() {
    for (Cell& cell : cells_) {
      if (cell.kind != CellKind::flow) continue;
      const Node* d = cell.data;
      const Node* ext = field(d, "tmc");
      std::string from = endpoint(cell, cell.source, "source");
      std::string to = endpoint(cell, cell.target, "target");
      if (from.empty() || to.empty()) continue;
      model::Flow f;
      std::string name = cell.name;
      std::replace(name.begin(), name.end(), '\n', ' ');
      std::string wanted = extension_.wanted_id(ext);
      f.id = !wanted.empty() ? ids_.keep_or_make(wanted, "flow") : ids_.make(!name.empty() ? name : from + " to " + to, "flow");
      f.from = {from, {}};
      f.to = {to, {}};
      f.label = name;
      f.protocol = text(field(d, "protocol"));
      f.description = text(field(d, "description"));
      if (flag(field(d, "isEncrypted"))) f.controls.push_back({"tls", {}});
      if (flag(field(d, "isPublicNetwork"))) {
        f.tags.push_back({"public-network", {}});
        if (auto at = element_at_.find(to); at != element_at_.end()) {
          model::Element& e = m_.elements[at->second];
          if (e.type == model::ElementType::process && !with_extension_.count(e.id)) e.internet_facing = true;
        }
      }
      if (flag(field(d, "outOfScope"))) {
        f.tags.push_back({"out-of-scope", {}});
        std::string reason = text(field(d, "reasonOutOfScope"));
        f.description += (f.description.empty() ? "" : "\n") + ("Out of scope" + (reason.empty() ? std::string(".") : ": " + reason));
      }
      extension_.apply(ext, f);
      note_unknown_fields(cell, "flow");
      cell.tmc_id = f.id;
      if (!cell.id.empty()) draft_.source_ids[f.id] = cell.id;
      if (flag(field(d, "isBidirectional"))) {
        model::Flow back = f;
        back.id = ids_.make(f.id + "_reverse", "flow");
        back.from = f.to;
        back.to = f.from;
        if (!back.label.empty()) back.label += " (reverse)";
        cell.reverse_id = back.id;
        losses_.note("flow", "both directions", "written as two flows", key_location(d, "isBidirectional"));
        m_.flows.push_back(std::move(f));
        m_.flows.push_back(std::move(back));
      } else {
        m_.flows.push_back(std::move(f));
      }
    }
    return !sink_.has_errors();
  }

  std::vector<Point> flow_line(const Cell& cell) {
    std::vector<Point> line;
    auto end_point = [&](const End& end) -> std::optional<Point> {
      if (!end.cell.empty()) {
        auto it = by_id_.find(end.cell);
        if (it != by_id_.end() && cells_[it->second].has_box) return centre(cells_[it->second]);
        return std::nullopt;
      }
      if (end.has_point) return end.point;
      return std::nullopt;
    };
    auto a = end_point(cell.source), b = end_point(cell.target);
    if (!a || !b) return line;
    line.push_back(*a);
    line.insert(line.end(), cell.vertices.begin(), cell.vertices.end());
    line.push_back(*b);
    return line;
  }

  // Curves carry no membership: elements joined by flows that cross no
  // curve share a zone, so every flow that crosses a curve crosses a
  // boundary. Elements already in a boundary box keep it.
  void place_by_curves() {
    std::vector<std::vector<Point>> curves;
    SourceLocation first;
    for (const Cell& cell : cells_) {
      if (cell.kind != CellKind::boundary_curve) continue;
      std::vector<Point> line;
      if (cell.source.has_point) line.push_back(cell.source.point);
      line.insert(line.end(), cell.vertices.begin(), cell.vertices.end());
      if (cell.target.has_point) line.push_back(cell.target.point);
      if (line.size() >= 2) curves.push_back(std::move(line));
      if (!first.known()) first = location(cell.node);
    }
    if (curves.empty()) return;
    size_t curve_segments = 0, flow_segments = 0;
    for (const auto& c : curves) curve_segments += c.size();
    for (const Cell& cell : cells_) flow_segments += cell.kind == CellKind::flow ? cell.vertices.size() + 1 : 0;
    if (curve_segments * flow_segments > kMaxCrossingTests) {
      sink_.warning("import-curves", first,
                    fmt::format("{} trust-boundary curve(s) carry no membership in Threat Dragon, and there are too many "
                                "curve and flow segments to test which flows cross them: the elements were left outside "
                                "any boundary",
                                curves.size()));
      return;
    }
    std::map<std::string, std::string> parent;  // union-find over element ids
    std::function<std::string(const std::string&)> find = [&](const std::string& x) {
      std::string root = x;
      while (parent.count(root) && parent[root] != root) root = parent[root];
      std::string walk = x;
      while (parent.count(walk) && parent[walk] != root) {
        std::string next = parent[walk];
        parent[walk] = root;
        walk = next;
      }
      return root;
    };
    for (const auto& e : m_.elements) parent[e.id] = e.id;
    size_t crossing = 0;
    std::set<std::string> on_flows;
    std::map<std::string, size_t> flow_index;
    for (size_t f = 0; f < m_.flows.size(); ++f) flow_index[m_.flows[f].id] = f;
    for (const Cell& cell : cells_) {
      if (cell.kind != CellKind::flow || cell.tmc_id.empty()) continue;
      auto found = flow_index.find(cell.tmc_id);
      if (found == flow_index.end()) continue;
      const model::Flow& flow = m_.flows[found->second];
      on_flows.insert(flow.from.value);
      on_flows.insert(flow.to.value);
      std::vector<Point> line = flow_line(cell);
      bool crosses = std::any_of(curves.begin(), curves.end(), [&](const auto& c) { return polylines_cross(line, c); });
      if (crosses) {
        ++crossing;
      } else {
        parent[find(flow.from.value)] = find(flow.to.value);
      }
    }
    std::map<std::string, std::vector<size_t>> zones;
    for (size_t i = 0; i < m_.elements.size(); ++i) {
      if (m_.elements[i].boundary || !on_flows.count(m_.elements[i].id)) continue;
      zones[find(m_.elements[i].id)].push_back(i);
    }
    std::string how;
    if (crossing == 0 || zones.size() < 2) {
      how = "no flow crosses a curve between two groups of elements, so the elements were left outside any boundary";
    } else {
      // Zones in the order of their first element.
      std::vector<std::vector<size_t>> ordered;
      for (auto& [root, members] : zones) ordered.push_back(members);
      std::sort(ordered.begin(), ordered.end());
      int n = 0;
      for (const auto& members : ordered) {
        model::Boundary b;
        b.name = fmt::format("Zone {}: {}", ++n, m_.elements[members[0]].name);
        b.id = ids_.make(fmt::format("zone_{}", n), "zone");
        b.description = "Created by tmc import from Threat Dragon trust-boundary curves.";
        for (size_t i : members) m_.elements[i].boundary = model::Text{b.id, {}};
        m_.boundaries.push_back(std::move(b));
      }
      how = fmt::format("tmc placed the elements in {} zones: elements joined by a flow that crosses no curve share "
                        "a zone, so the {} flow(s) that cross a curve cross a boundary",
                        ordered.size(), crossing);
    }
    sink_.warning("import-curves", first,
                  fmt::format("{} trust-boundary curve(s) carry no membership in Threat Dragon; {}", curves.size(), how));
  }

  void read_threats() {
    for (const Cell& cell : cells_) {
      const Node* list = field(cell.data, "threats");
      if (!is_sequence(list) && cell.data != cell.node) list = field(cell.node, "threats");
      for (const Node* node : items(list)) {
        if (cell.tmc_id.empty()) {
          losses_.note("threat", "a trust-boundary curve or text block as its target", "dropped", location(node));
          continue;
        }
        const Node* ext = field(node, "tmc");
        model::Threat t;
        std::string wanted = extension_.wanted_id(ext);
        t.id = wanted.empty() ? ids_.next_numbered("T") : ids_.keep_or_make(wanted, "threat");
        t.title = text(field(node, "title"));
        if (t.title.empty()) t.title = "Untitled threat";
        t.description = text(field(node, "description"));
        t.targets.push_back({model::Text{cell.tmc_id, {}}, model::TargetKind::element, -1});
        if (!cell.reverse_id.empty()) t.targets.push_back({model::Text{cell.reverse_id, {}}, model::TargetKind::element, -1});
        std::string status = text(field(node, "status"));
        if (status == "Mitigated") {
          t.status = model::ThreatStatus::mitigated;
        } else if (status == "NotApplicable" || status == "NA" || status == "N/A" || status == "Avoided" ||
                   status == "Eliminated") {
          t.status = model::ThreatStatus::eliminated;
        } else if ((status == "Accepted" || status == "Transferred") && !ext) {
          losses_.note("threat", fmt::format("status '{}' without who {} it and why", status,
                                             status == "Accepted" ? "accepted" : "took"),
                       "imported as open; record accepted_by/transferred_to and reason", key_location(node, "status"));
        } else if (status != "Open" && !status.empty() && !ext) {
          losses_.note("threat", fmt::format("status '{}'", status), "taken as open", key_location(node, "status"));
        }
        std::string severity = text(field(node, "severity"));
        auto scored = severity_of(severity);
        if (!scored) {
          losses_.note("threat", fmt::format("severity '{}'", severity.empty() ? "(none)" : severity),
                       "taken as Medium (likelihood 2, impact 2)", key_location(node, "severity"));
          scored = Severity{2, 2};
        }
        t.likelihood = scored->likelihood;
        t.impact = scored->impact;
        apply_type(text(field(node, "type")), t, losses_, key_location(node, "type"));
        if (std::string score = text(field(node, "score")); !score.empty() && !ext) {
          t.description += (t.description.empty() ? "" : "\n") + ("Threat Dragon score: " + score + ".");
          losses_.note("threat", "a score", "kept in its description", key_location(node, "score"));
        }
        if (std::string mitigation = text(field(node, "mitigation")); !mitigation.empty()) {
          model::Mitigation mit;
          mit.description = mitigation;
          mit.status = t.status == model::ThreatStatus::mitigated ? model::MitigationStatus::done : model::MitigationStatus::planned;
          t.mitigations.push_back(std::move(mit));
        }
        static const std::set<std::string> kThreatKeys = {"status", "severity", "mitigation", "description", "title",
                                                          "type", "modelType", "id", "score", "number", "new",
                                                          "threatId", "tmc"};
        for (const auto& [key, value] : entries(node)) {
          if (!kThreatKeys.count(key)) losses_.note("threat", fmt::format("field '{}'", key), "dropped", key_location(node, key));
        }
        extension_.apply(ext, t, m_.scale);
        if (std::string id = text(field(node, "id")); !id.empty()) draft_.source_ids[t.id] = id;
        m_.threats.push_back(std::move(t));
      }
    }
  }

  Draft& draft_;
  model::Model& m_;
  LossReport& losses_;
  DiagnosticSink& sink_;
  IdMaker ids_;
  ExtensionReader extension_{ids_, sink_};
  std::vector<Cell> cells_;
  std::unordered_map<std::string, size_t> by_id_;
  std::vector<size_t> boxes_;  // boundary boxes, smallest first
  std::unordered_map<std::string, size_t> element_at_;  // element id -> index in m_.elements
  std::set<std::string> with_extension_;
  std::map<std::string, std::string> flag_assets_;  // wanted id -> the asset's id
};

}  // namespace

bool import_threat_dragon(const Node& root, Draft& draft, LossReport& losses, DiagnosticSink& sink) {
  ThreatDragonImporter importer(draft, losses, sink);
  return importer.run(root);
}

}  // namespace tmc::interchange
