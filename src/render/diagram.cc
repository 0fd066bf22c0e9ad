// The data-flow diagram in Mermaid, DOT, SVG (Graphviz in an isolated
// child process, render/layout.h) and ASCII. Every format draws the same
// Drawing: the whole model, one request path (--path), one element's
// neighbourhood (--focus), one boundary (--boundary), or, for a model
// larger than the overview threshold, one node per trust boundary.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "analyze/scoring.h"
#include "render/escape.h"
#include "render/render.h"
#include "render/rows.h"

namespace tmc::render {

namespace {

// Nesting is drawn indented at most this deep, so the output stays linear
// in the model whatever the boundary nesting (issue 15).
constexpr int kMaxIndent = 8;
// An overview keeps at most this many nodes and edges; the rest is merged
// ("N other boundaries") or counted in the note. Mermaid as GitHub renders
// it allows 500 edges and 50,000 characters.
constexpr size_t kMaxOverviewNodes = 150;
constexpr size_t kMaxOverviewEdges = 300;
// A per-boundary diagram groups outside neighbours by boundary, at most
// this many groups.
constexpr size_t kMaxNeighbourGroups = 40;
// GitHub's Mermaid limits (maxTextSize, maxEdges) with a margin.
constexpr size_t kMermaidMaxText = 48000;
constexpr size_t kMermaidMaxEdges = 480;

constexpr const char* kCrossingColor = "#c62828";

// ---- What is drawn ----------------------------------------------------

enum class NodeShape { external, process, store, group };

struct DrawNode {
  std::string prefix;      // "e" for elements, "g" for aggregated groups
  std::string id;          // model id (or a made-up one for groups, starting with '_')
  std::string label;       // model text; each format escapes it
  NodeShape shape = NodeShape::process;
  int cluster = -1;        // index into Drawing::clusters, -1 = outside
  bool element = false;    // an element: gets id="el-ID" in SVG
  std::string tooltip;     // extra text for the SVG tooltip
  std::string fill;        // groups: the color of their worst open item
};

struct DrawCluster {
  std::string id;  // boundary id
  std::string label;
  int parent = -1;
};

struct DrawEdge {
  int from = -1, to = -1;  // node indexes
  std::string label;       // as the --labels mode asks, one line
  std::string wrapped;     // the same on several lines for DOT; empty = `label`
  std::string full;        // the full text, for the tooltip
  bool crossing = false;   // crosses a trust boundary: thick
  std::string color;       // empty: crossing red or default grey
  int flow = -1;           // the flow drawn, when the arrow is one flow
  int worst = 1 << 30;     // aggregated arrows: bucket rank of their worst open item
};

struct Drawing {
  std::vector<DrawNode> nodes;
  std::vector<DrawCluster> clusters;
  std::vector<DrawEdge> edges;
  std::string note;  // overview: what this is and how to get the detail
  std::string capped;  // Mermaid: which arrows were left out and where to see them
  bool compact = false;  // short labels: tighter spacing
};

// ---- Labels -------------------------------------------------------------

// At most `limit` code points of `text`, with "…" when cut (UTF-8 safe).
std::string clip(const std::string& text, size_t limit) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points == limit) return text.substr(0, i) + "…";
    ++points;
  }
  return text;
}

// The flow's arrow text in full: label (or protocol) and the data it carries.
std::string arrow_text(const model::Model& m, const model::Flow& flow) {
  std::string text = !flow.label.empty() ? flow.label : flow.protocol;
  if (!flow.label.empty() && !flow.protocol.empty() && flow.label != flow.protocol) text += " (" + flow.protocol + ")";
  std::string data;
  for (int a : flow.data_indexes) data += (data.empty() ? "" : ", ") + m.assets[static_cast<size_t>(a)].name;
  if (!data.empty()) text += (text.empty() ? "" : ": ") + data;
  return text.empty() ? flow.id : text;
}

// The short form: label (or protocol) and at most two asset names, then "+N".
std::string short_arrow_text(const model::Model& m, const model::Flow& flow) {
  std::string text = clip(!flow.label.empty() ? flow.label : flow.protocol, 32);
  std::string data;
  size_t shown = 0;
  for (int a : flow.data_indexes) {
    if (shown == 2) break;
    data += (data.empty() ? "" : ", ") + clip(m.assets[static_cast<size_t>(a)].name, 24);
    ++shown;
  }
  if (flow.data_indexes.size() > shown) data += fmt::format(", +{}", flow.data_indexes.size() - shown);
  if (!data.empty()) text += (text.empty() ? "" : ": ") + data;
  return text.empty() ? flow.id : text;
}

// The short form on lines for DOT: head, then one asset per line, "+N"
// after the last one. Narrow labels keep a left-to-right drawing narrow.
std::string wrapped_short_text(const model::Model& m, const model::Flow& flow) {
  std::string text = clip(!flow.label.empty() ? flow.label : flow.protocol, 24);
  size_t shown = 0;
  for (int a : flow.data_indexes) {
    if (shown == 2) break;
    text += (text.empty() ? "" : "\n") + clip(m.assets[static_cast<size_t>(a)].name, 20);
    ++shown;
  }
  if (flow.data_indexes.size() > shown) text += fmt::format("\n+{}", flow.data_indexes.size() - shown);
  return text.empty() ? flow.id : text;
}

std::string edge_label(const model::Model& m, const model::Flow& flow, LabelMode mode) {
  switch (mode) {
    case LabelMode::full: return arrow_text(m, flow);
    case LabelMode::short_form: return short_arrow_text(m, flow);
    case LabelMode::none: return "";
  }
  return "";
}

// ---- Worst open item per element and flow -------------------------------

struct WorstOpen {
  std::vector<int> element;  // bucket rank of the worst open item, INT_MAX = none
  std::vector<int> flow;
};

constexpr int kNone = 1 << 30;

WorstOpen severity_of(const RenderInput& input) {
  const model::Model& m = input.model;
  WorstOpen s{std::vector<int>(m.elements.size(), kNone), std::vector<int>(m.flows.size(), kNone)};
  for_each_row(input, false, [&](const Row& row) {
    if (row.resolved) return;
    for (const std::string& id : row.target_ids) {
      int e = m.find_element(id);
      if (e >= 0) s.element[static_cast<size_t>(e)] = std::min(s.element[static_cast<size_t>(e)], row.bucket.rank);
      int f = m.find_flow(id);
      if (f >= 0) s.flow[static_cast<size_t>(f)] = std::min(s.flow[static_cast<size_t>(f)], row.bucket.rank);
    }
  });
  return s;
}

const char* line_color(int rank) {
  static const char* const kColors[] = {"#c62828", "#e65100", "#b7950b"};
  return rank < 3 ? kColors[rank] : "#555555";
}

const char* fill_color(int rank) {
  static const char* const kFills[] = {"#f2b8b5", "#f7c9a0", "#f5e3a3"};
  return rank < 3 ? kFills[rank] : "#eef3fb";
}

std::string worst_text(const model::Model& m, int rank) {
  if (rank == kNone) return "no open item";
  auto buckets = analyze::buckets_of(m.scale);
  return "worst open item: " + (static_cast<size_t>(rank) < buckets.size() ? buckets[static_cast<size_t>(rank)].label : std::string("?"));
}

DrawEdge flow_edge(const model::Model& m, const model::Flow& flow, int from, int to, LabelMode labels, bool crossing) {
  DrawEdge edge{from, to, edge_label(m, flow, labels), "", arrow_text(m, flow), crossing, ""};
  edge.flow = static_cast<int>(&flow - m.flows.data());
  if (labels == LabelMode::short_form) edge.wrapped = wrapped_short_text(m, flow);
  return edge;
}

// ---- Views ----------------------------------------------------------------

// Nesting depth of every boundary (0 = top level) in one pass: each
// boundary's depth is computed once from its parent's, so deep nesting
// costs linear time. A malformed parent chain is cut at its length.
std::vector<int> depths_of(const model::Model& m) {
  size_t n = m.boundaries.size();
  std::vector<int> depth(n, -1);
  std::vector<int> pending;
  for (size_t start = 0; start < n; ++start) {
    int b = static_cast<int>(start);
    while (b >= 0 && depth[static_cast<size_t>(b)] < 0 && pending.size() <= n) {
      pending.push_back(b);
      b = m.boundaries[static_cast<size_t>(b)].parent_index;
    }
    int base = b >= 0 && depth[static_cast<size_t>(b)] >= 0 ? depth[static_cast<size_t>(b)] : -1;
    while (!pending.empty()) {
      depth[static_cast<size_t>(pending.back())] = ++base;
      pending.pop_back();
    }
  }
  return depth;
}

// Boundaries ordered deepest first: children before their parents.
std::vector<int> deepest_first(const std::vector<int>& depth) {
  std::vector<int> order(depth.size());
  for (size_t b = 0; b < depth.size(); ++b) order[b] = static_cast<int>(b);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return depth[static_cast<size_t>(a)] > depth[static_cast<size_t>(b)]; });
  return order;
}

NodeShape shape_of(const model::Element& element) {
  switch (element.type) {
    case model::ElementType::external: return NodeShape::external;
    case model::ElementType::process: return NodeShape::process;
    case model::ElementType::store: return NodeShape::store;
  }
  return NodeShape::process;
}

// The detailed drawing of a set of elements and flows (file order), with
// every boundary that contains one of the elements.
Drawing detail_drawing(const RenderInput& input, const std::set<int>& elements, const std::set<int>& flows, LabelMode labels) {
  const model::Model& m = input.model;
  Drawing d;
  std::set<int> boundaries;
  for (int e : elements) {
    // Up the parent chain until a boundary already taken: linear overall.
    int b = m.elements[static_cast<size_t>(e)].boundary_index;
    for (size_t guard = 0; b >= 0 && guard <= m.boundaries.size() && boundaries.insert(b).second; ++guard) {
      b = m.boundaries[static_cast<size_t>(b)].parent_index;
    }
  }
  std::map<int, int> cluster_of;
  for (int b : boundaries) {
    cluster_of[b] = static_cast<int>(d.clusters.size());
    d.clusters.push_back({m.boundaries[static_cast<size_t>(b)].id, m.boundaries[static_cast<size_t>(b)].name, -1});
  }
  for (int b : boundaries) {
    int parent = m.boundaries[static_cast<size_t>(b)].parent_index;
    if (parent >= 0 && cluster_of.count(parent)) d.clusters[static_cast<size_t>(cluster_of[b])].parent = cluster_of[parent];
  }
  std::map<int, int> node_of;
  for (int e : elements) {
    const model::Element& element = m.elements[static_cast<size_t>(e)];
    node_of[e] = static_cast<int>(d.nodes.size());
    DrawNode node{"e", element.id, element.name, shape_of(element), -1, true, "", ""};
    if (element.boundary_index >= 0) node.cluster = cluster_of[element.boundary_index];
    d.nodes.push_back(std::move(node));
  }
  std::set<int> crossing;
  for (const analyze::BoundaryCrossing& c : input.analysis.crossings) crossing.insert(c.flow);
  for (int f : flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    if (!node_of.count(flow.from_index) || !node_of.count(flow.to_index)) continue;
    d.edges.push_back(flow_edge(m, flow, node_of[flow.from_index], node_of[flow.to_index], labels, crossing.count(f) > 0));
  }
  return d;
}

Drawing whole_drawing(const RenderInput& input, LabelMode labels) {
  std::set<int> elements, flows;
  for (size_t e = 0; e < input.model.elements.size(); ++e) elements.insert(static_cast<int>(e));
  for (size_t f = 0; f < input.model.flows.size(); ++f) flows.insert(static_cast<int>(f));
  return detail_drawing(input, elements, flows, labels);
}

// Aggregated edges between group nodes: key (from node, to node).
struct Aggregate {
  size_t count = 0;
  bool crossing = false;
  int worst = kNone;
  int single_flow = -1;  // the flow when count == 1
};

void add_aggregated_edges(const RenderInput& input, Drawing& d, const std::map<std::pair<int, int>, Aggregate>& edges, size_t limit,
                          LabelMode labels, size_t* dropped) {
  const model::Model& m = input.model;
  std::vector<std::pair<std::pair<int, int>, Aggregate>> sorted(edges.begin(), edges.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.second.worst, -static_cast<long long>(a.second.count)) <
           std::make_tuple(b.second.worst, -static_cast<long long>(b.second.count));
  });
  if (sorted.size() > limit) {
    *dropped = sorted.size() - limit;
    sorted.resize(limit);
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [ends, agg] : sorted) {
    DrawEdge edge{ends.first, ends.second, "", "", "", agg.crossing, agg.worst == kNone ? "" : line_color(agg.worst)};
    edge.worst = agg.worst;
    if (agg.count == 1 && agg.single_flow >= 0) {
      const model::Flow& flow = m.flows[static_cast<size_t>(agg.single_flow)];
      edge.label = edge_label(m, flow, labels);
      if (labels == LabelMode::short_form) edge.wrapped = wrapped_short_text(m, flow);
      edge.full = flow.id + ": " + arrow_text(m, flow) + "; " + worst_text(m, agg.worst);
    } else {
      edge.label = labels == LabelMode::none ? "" : fmt::format("{} flows", agg.count);
      edge.full = fmt::format("{} flows; {}", agg.count, worst_text(m, agg.worst));
    }
    d.edges.push_back(std::move(edge));
  }
}

// One node per trust boundary (or per top-level boundary when there are
// too many), flows between them aggregated with counts and colored by their
// worst open item.
Drawing overview_drawing(const RenderInput& input, const DiagramOptions& options) {
  const model::Model& m = input.model;
  WorstOpen severity = severity_of(input);
  size_t n = m.boundaries.size();
  std::vector<int> depth = depths_of(m);
  // The deepest level at which the boundaries fit kMaxOverviewNodes.
  std::map<int, size_t> per_depth;
  for (int d : depth) ++per_depth[d];
  int level = 0;
  size_t total = 0;
  for (const auto& [d, count] : per_depth) {
    // A level that would not fit is still taken when the levels above
    // show fewer than 10 boundaries: its largest ones, the rest merged.
    if (total + count > kMaxOverviewNodes - 2 && d > 0 && total >= 10) break;
    total += count;
    level = d;
    if (total > kMaxOverviewNodes - 2) break;
  }
  // Which shown boundary each boundary collapses to, parents first.
  std::vector<int> collapsed(n, -1);
  std::vector<int> order = deepest_first(depth);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    int b = *it, parent = m.boundaries[static_cast<size_t>(b)].parent_index;
    collapsed[static_cast<size_t>(b)] = depth[static_cast<size_t>(b)] <= level || parent < 0 ? b : collapsed[static_cast<size_t>(parent)];
  }
  auto shown_of = [&](int b) { return b < 0 ? -1 : collapsed[static_cast<size_t>(b)]; };
  std::vector<size_t> members(n, 0);
  size_t outside = 0;
  for (const model::Element& e : m.elements) {
    int b = shown_of(e.boundary_index);
    if (b < 0) {
      ++outside;
    } else {
      ++members[static_cast<size_t>(b)];
    }
  }
  // Shown boundaries; past the cap, the top ones by members and the rest merged.
  std::vector<int> shown;
  for (size_t b = 0; b < n; ++b) {
    if (depth[b] <= level) shown.push_back(static_cast<int>(b));
  }
  std::set<int> merged;
  if (shown.size() > kMaxOverviewNodes - 2) {
    std::vector<int> by_size = shown;
    std::stable_sort(by_size.begin(), by_size.end(), [&](int a, int b) { return members[static_cast<size_t>(a)] > members[static_cast<size_t>(b)]; });
    merged.insert(by_size.begin() + static_cast<long>(kMaxOverviewNodes - 3), by_size.end());
    std::vector<int> kept;
    for (int b : shown) {
      if (!merged.count(b)) kept.push_back(b);
    }
    shown = kept;
  }
  std::set<int> shown_set(shown.begin(), shown.end());
  std::set<int> has_children;
  for (int b : shown) {
    int parent = m.boundaries[static_cast<size_t>(b)].parent_index;
    if (parent >= 0 && shown_set.count(parent)) has_children.insert(parent);
  }

  Drawing d;
  std::map<int, int> cluster_of;  // boundary -> cluster, for shown boundaries with shown children
  for (int b : shown) {
    if (!has_children.count(b)) continue;
    cluster_of[b] = static_cast<int>(d.clusters.size());
    d.clusters.push_back({m.boundaries[static_cast<size_t>(b)].id, m.boundaries[static_cast<size_t>(b)].name, -1});
  }
  for (int b : shown) {
    int parent = m.boundaries[static_cast<size_t>(b)].parent_index;
    if (cluster_of.count(b) && parent >= 0 && cluster_of.count(parent)) {
      d.clusters[static_cast<size_t>(cluster_of[b])].parent = cluster_of[parent];
    }
  }
  // Node per group: key -1 outside, -2 merged, else the boundary.
  std::map<int, int> node_of;
  std::vector<int> worst_node;
  std::vector<size_t> internal_flows;
  auto add_node = [&](int key, std::string id, std::string label, size_t count, int cluster) {
    node_of[key] = static_cast<int>(d.nodes.size());
    DrawNode node{"g", std::move(id), fmt::format("{}\n({} element{})", label, count, count == 1 ? "" : "s"), NodeShape::group, cluster, false, "", ""};
    d.nodes.push_back(std::move(node));
  };
  if (outside > 0) add_node(-1, "_outside", "outside every boundary", outside, -1);
  for (int b : shown) {
    const model::Boundary& boundary = m.boundaries[static_cast<size_t>(b)];
    int parent = boundary.parent_index;
    int cluster = parent >= 0 && cluster_of.count(parent) ? cluster_of[parent] : -1;
    if (has_children.count(b)) {
      if (members[static_cast<size_t>(b)] == 0) continue;  // the cluster says it all
      cluster = cluster_of[b];
    }
    add_node(b, boundary.id, boundary.name, members[static_cast<size_t>(b)], cluster);
  }
  size_t merged_members = 0;
  for (int b : merged) merged_members += members[static_cast<size_t>(b)];
  if (!merged.empty()) add_node(-2, "_other", fmt::format("{} other boundaries", merged.size()), merged_members, -1);
  worst_node.assign(d.nodes.size(), kNone);
  internal_flows.assign(d.nodes.size(), 0);

  auto group_of_element = [&](int e) {
    int b = shown_of(m.elements[static_cast<size_t>(e)].boundary_index);
    if (b >= 0 && merged.count(b)) return node_of.count(-2) ? node_of[-2] : -1;
    auto it = node_of.find(b);
    return it == node_of.end() ? -1 : it->second;
  };
  std::vector<int> group(m.elements.size(), -1);
  for (size_t e = 0; e < m.elements.size(); ++e) {
    group[e] = group_of_element(static_cast<int>(e));
    if (group[e] >= 0) worst_node[static_cast<size_t>(group[e])] = std::min(worst_node[static_cast<size_t>(group[e])], severity.element[e]);
  }
  std::set<int> crossing;
  for (const analyze::BoundaryCrossing& c : input.analysis.crossings) crossing.insert(c.flow);
  std::map<std::pair<int, int>, Aggregate> edges;
  for (size_t f = 0; f < m.flows.size(); ++f) {
    const model::Flow& flow = m.flows[f];
    if (flow.from_index < 0 || flow.to_index < 0) continue;
    int from = group[static_cast<size_t>(flow.from_index)], to = group[static_cast<size_t>(flow.to_index)];
    if (from < 0 || to < 0) continue;
    if (from == to) {
      ++internal_flows[static_cast<size_t>(from)];
      worst_node[static_cast<size_t>(from)] = std::min(worst_node[static_cast<size_t>(from)], severity.flow[f]);
      continue;
    }
    Aggregate& agg = edges[{from, to}];
    ++agg.count;
    agg.single_flow = static_cast<int>(f);
    agg.crossing = agg.crossing || crossing.count(static_cast<int>(f)) > 0;
    agg.worst = std::min(agg.worst, severity.flow[f]);
  }
  for (size_t i = 0; i < d.nodes.size(); ++i) {
    d.nodes[i].fill = worst_node[i] == kNone ? "" : fill_color(worst_node[i]);
    d.nodes[i].tooltip = fmt::format("{} internal flow{}; {}", internal_flows[i], internal_flows[i] == 1 ? "" : "s", worst_text(m, worst_node[i]));
  }
  size_t dropped = 0;
  add_aggregated_edges(input, d, edges, kMaxOverviewEdges, options.labels, &dropped);
  d.note = fmt::format("Overview of {} elements and {} flows: one node per trust boundary{}, arrows count the flows between them.{} "
                       "For the detail: tmc diagram --boundary ID (or --focus ELEMENT, --path PATH).",
                       m.elements.size(), m.flows.size(), level + 1 < static_cast<int>(per_depth.size()) ? " (nested ones folded in)" : "",
                       dropped > 0 ? fmt::format(" {} more connections are not drawn.", dropped) : "");
  return d;
}

// What the per-boundary drawings need, computed once per model.
struct BoundaryIndex {
  std::vector<std::vector<int>> members;   // boundary + 1 (0 = outside every boundary) -> elements directly in it
  std::vector<std::vector<int>> children;  // boundary -> child boundaries
  std::vector<size_t> subtree;             // boundary -> elements in it and below
  std::vector<int> depth;                  // boundary -> nesting depth (0 = top)
  std::vector<std::vector<int>> flows_of;  // element -> flows from or to it, in file order
  WorstOpen severity;
  std::set<int> crossing;
};

BoundaryIndex index_boundaries(const RenderInput& input) {
  const model::Model& m = input.model;
  BoundaryIndex index;
  size_t n = m.boundaries.size();
  index.members.resize(n + 1);
  index.children.resize(n);
  index.subtree.assign(n, 0);
  index.depth.assign(n, 0);
  index.depth = depths_of(m);
  for (size_t b = 0; b < n; ++b) {
    int parent = m.boundaries[b].parent_index;
    if (parent >= 0) index.children[static_cast<size_t>(parent)].push_back(static_cast<int>(b));
  }
  index.flows_of.resize(m.elements.size());
  for (size_t e = 0; e < m.elements.size(); ++e) {
    int b = m.elements[e].boundary_index;
    index.members[static_cast<size_t>(b + 1)].push_back(static_cast<int>(e));
    if (b >= 0) ++index.subtree[static_cast<size_t>(b)];
  }
  for (int b : deepest_first(index.depth)) {
    int parent = m.boundaries[static_cast<size_t>(b)].parent_index;
    if (parent >= 0) index.subtree[static_cast<size_t>(parent)] += index.subtree[static_cast<size_t>(b)];
  }
  for (size_t f = 0; f < m.flows.size(); ++f) {
    const model::Flow& flow = m.flows[f];
    if (flow.from_index < 0 || flow.to_index < 0) continue;
    index.flows_of[static_cast<size_t>(flow.from_index)].push_back(static_cast<int>(f));
    if (flow.to_index != flow.from_index) index.flows_of[static_cast<size_t>(flow.to_index)].push_back(static_cast<int>(f));
  }
  index.severity = severity_of(input);
  for (const analyze::BoundaryCrossing& c : input.analysis.crossings) index.crossing.insert(c.flow);
  return index;
}

// One boundary (-1: the elements outside every boundary): its own elements
// in detail, its child boundaries folded into one node each, and outside
// neighbours grouped by their boundary (at most kMaxNeighbourGroups).
// With `all_flows`, the flows of the inner boundaries too (a pass over all
// flows); without, only the members' flows (cost: those flows).
Drawing boundary_drawing(const RenderInput& input, const BoundaryIndex& index, int boundary, LabelMode labels, bool all_flows) {
  const model::Model& m = input.model;
  Drawing d;
  int inner = boundary >= 0 ? 0 : -1;
  if (boundary >= 0) d.clusters.push_back({m.boundaries[static_cast<size_t>(boundary)].id, m.boundaries[static_cast<size_t>(boundary)].name, -1});
  std::map<int, int> member_node;
  for (int e : index.members[static_cast<size_t>(boundary + 1)]) {
    const model::Element& element = m.elements[static_cast<size_t>(e)];
    member_node[e] = static_cast<int>(d.nodes.size());
    d.nodes.push_back({"e", element.id, element.name, shape_of(element), inner, true, "", ""});
  }
  std::map<int, int> child_node;
  if (boundary >= 0) {
    for (int child : index.children[static_cast<size_t>(boundary)]) {
      child_node[child] = static_cast<int>(d.nodes.size());
      const model::Boundary& b = m.boundaries[static_cast<size_t>(child)];
      size_t count = index.subtree[static_cast<size_t>(child)];
      d.nodes.push_back({"g", b.id, fmt::format("{}\n({} element{})", b.name, count, count == 1 ? "" : "s"), NodeShape::group, inner, false,
                         "a boundary inside this one", ""});
    }
  }
  // Where the other end of a member's flow is drawn: a member, the folded
  // child boundary that holds it, or (key) the outside boundary it is in.
  auto child_holding_walk = [&](int b) {
    if (boundary < 0) return -1;
    int target = index.depth[static_cast<size_t>(boundary)] + 1;
    for (size_t guard = 0; b >= 0 && guard <= m.boundaries.size(); ++guard) {
      if (index.depth[static_cast<size_t>(b)] == target) {
        return m.boundaries[static_cast<size_t>(b)].parent_index == boundary ? b : -1;
      }
      if (index.depth[static_cast<size_t>(b)] < target) return -1;
      b = m.boundaries[static_cast<size_t>(b)].parent_index;
    }
    return -1;
  };
  std::map<int, int> holding;  // memo: boundary -> the folded child holding it, or -1
  auto child_holding = [&](int start) {
    if (boundary < 0 || start < 0) return -1;
    auto known = holding.find(start);
    if (known != holding.end()) return known->second;
    int result = child_holding_walk(start);
    holding[start] = result;
    return result;
  };
  // The flows drawn: those of the boundary's own elements, and with
  // `all_flows` also those of the folded inner boundaries.
  auto inside = [&](int e) {
    return member_node.count(e) > 0 || child_holding(m.elements[static_cast<size_t>(e)].boundary_index) >= 0;
  };
  std::vector<int> member_flows;
  if (all_flows) {
    for (size_t f = 0; f < m.flows.size(); ++f) {
      const model::Flow& flow = m.flows[f];
      if (flow.from_index >= 0 && flow.to_index >= 0 && (inside(flow.from_index) || inside(flow.to_index))) member_flows.push_back(static_cast<int>(f));
    }
  } else {
    std::set<int> seen;
    for (const auto& [e, node] : member_node) {
      for (int f : index.flows_of[static_cast<size_t>(e)]) {
        if (seen.insert(f).second) member_flows.push_back(f);
      }
    }
    std::sort(member_flows.begin(), member_flows.end());
  }
  std::map<int, size_t> outside_flows;  // outside boundary (-1 = none) -> flows
  for (int f : member_flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    for (int end : {flow.from_index, flow.to_index}) {
      if (!inside(end)) ++outside_flows[m.elements[static_cast<size_t>(end)].boundary_index];
    }
  }
  std::vector<std::pair<int, size_t>> neighbours(outside_flows.begin(), outside_flows.end());
  std::stable_sort(neighbours.begin(), neighbours.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  size_t kept = neighbours.size() > kMaxNeighbourGroups ? kMaxNeighbourGroups - 1 : neighbours.size();
  std::vector<int> kept_ids;
  for (size_t i = 0; i < kept; ++i) kept_ids.push_back(neighbours[i].first);
  std::sort(kept_ids.begin(), kept_ids.end());
  std::map<int, int> group_node;
  for (int b : kept_ids) {
    group_node[b] = static_cast<int>(d.nodes.size());
    std::string label = b < 0 ? "outside every boundary" : m.boundaries[static_cast<size_t>(b)].name;
    d.nodes.push_back({"g", b < 0 ? "_outside" : m.boundaries[static_cast<size_t>(b)].id, label, NodeShape::group, -1, false,
                       "elements of another boundary", ""});
  }
  int other_node = -1;
  if (neighbours.size() > kept) {
    other_node = static_cast<int>(d.nodes.size());
    d.nodes.push_back({"g", "_other", fmt::format("{} other boundaries", neighbours.size() - kept), NodeShape::group, -1, false,
                       "elements of other boundaries", ""});
  }
  auto node_for = [&](int e) {
    auto member = member_node.find(e);
    if (member != member_node.end()) return member->second;
    int b = m.elements[static_cast<size_t>(e)].boundary_index;
    int child = child_holding(b);
    if (child >= 0) return child_node[child];
    auto group = group_node.find(b);
    return group != group_node.end() ? group->second : other_node;
  };
  std::map<std::pair<int, int>, Aggregate> aggregated;
  for (int f : member_flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    int from = node_for(flow.from_index), to = node_for(flow.to_index);
    if (from == to && !d.nodes[static_cast<size_t>(from)].element) continue;  // inside one folded boundary
    bool crossing = index.crossing.count(f) > 0;
    if (d.nodes[static_cast<size_t>(from)].element && d.nodes[static_cast<size_t>(to)].element) {
      d.edges.push_back(flow_edge(m, flow, from, to, labels, crossing));
      continue;
    }
    Aggregate& agg = aggregated[{from, to}];
    ++agg.count;
    agg.single_flow = f;
    agg.crossing = agg.crossing || crossing;
    agg.worst = std::min(agg.worst, index.severity.flow[static_cast<size_t>(f)]);
  }
  size_t dropped = 0;
  add_aggregated_edges(input, d, aggregated, aggregated.size(), labels, &dropped);
  return d;
}

// ---- Nesting walk ----------------------------------------------------------

struct Nesting {
  std::map<int, std::vector<int>> clusters;  // parent cluster (-1 = top) -> child clusters
  std::map<int, std::vector<int>> nodes;     // cluster -> nodes
};

Nesting nesting_of(const Drawing& d) {
  Nesting nesting;
  for (size_t c = 0; c < d.clusters.size(); ++c) nesting.clusters[d.clusters[c].parent].push_back(static_cast<int>(c));
  for (size_t n = 0; n < d.nodes.size(); ++n) nesting.nodes[d.nodes[n].cluster].push_back(static_cast<int>(n));
  return nesting;
}

// Walks the cluster nesting without recursion: `open(c, depth)` before a
// cluster's content, `node(n, depth)` for each node, `close(c, depth)` after.
// `depth` is capped at kMaxIndent.
template <typename Open, typename Node, typename Close>
void walk_nesting(const Drawing& d, bool with_clusters, Open open, Node node, Close close) {
  if (!with_clusters) {
    for (size_t n = 0; n < d.nodes.size(); ++n) node(static_cast<int>(n), 0);
    return;
  }
  Nesting nesting = nesting_of(d);
  struct Step {
    int cluster;
    bool closing;
    int depth;
  };
  std::vector<Step> stack;
  auto push_children = [&](int parent, int depth) {
    auto it = nesting.clusters.find(parent);
    if (it == nesting.clusters.end()) return;
    for (auto c = it->second.rbegin(); c != it->second.rend(); ++c) {
      stack.push_back({*c, true, depth});
      stack.push_back({*c, false, depth});
    }
  };
  auto nodes_of = [&](int cluster, int depth) {
    auto it = nesting.nodes.find(cluster);
    if (it == nesting.nodes.end()) return;
    for (int n : it->second) node(n, std::min(depth, kMaxIndent));
  };
  nodes_of(-1, 0);
  push_children(-1, 0);
  while (!stack.empty()) {
    Step step = stack.back();
    stack.pop_back();
    if (step.closing) {
      close(step.cluster, std::min(step.depth, kMaxIndent));
      continue;
    }
    open(step.cluster, std::min(step.depth, kMaxIndent));
    nodes_of(step.cluster, step.depth + 1);
    push_children(step.cluster, step.depth + 1);
  }
}

std::string indent(int depth) { return std::string(static_cast<size_t>(2 + 2 * depth), ' '); }

// ---- Formats ------------------------------------------------------------------

std::string mermaid_text(const Drawing& d) {
  std::string out = "flowchart LR\n";
  if (!d.note.empty()) out += fmt::format("  note_overview[\"{}\"]\n", mermaid_label(d.note));
  if (!d.capped.empty()) out += fmt::format("  %% {}\n  note_capped[\"{}\"]\n", one_line(d.capped), mermaid_label(d.capped));
  walk_nesting(
      d, true,
      [&](int c, int depth) {
        out += fmt::format("{}subgraph {}[\"{}\"]\n", indent(depth), mermaid_id("b", d.clusters[static_cast<size_t>(c)].id),
                           mermaid_label(d.clusters[static_cast<size_t>(c)].label));
      },
      [&](int n, int depth) {
        const DrawNode& node = d.nodes[static_cast<size_t>(n)];
        std::string id = mermaid_id(node.prefix, node.id);
        std::string label = mermaid_label(node.label);
        switch (node.shape) {
          case NodeShape::external: out += fmt::format("{}{}[\"{}\"]\n", indent(depth), id, label); break;
          case NodeShape::process: out += fmt::format("{}{}(\"{}\")\n", indent(depth), id, label); break;
          case NodeShape::store: out += fmt::format("{}{}[(\"{}\")]\n", indent(depth), id, label); break;
          case NodeShape::group: out += fmt::format("{}{}[[\"{}\"]]\n", indent(depth), id, label); break;
        }
      },
      [&](int, int depth) { out += indent(depth) + "end\n"; });
  std::vector<size_t> crossing_links;
  std::map<std::string, std::vector<size_t>> colored_links;
  size_t link = 0;
  for (const DrawEdge& edge : d.edges) {
    const DrawNode& from = d.nodes[static_cast<size_t>(edge.from)];
    const DrawNode& to = d.nodes[static_cast<size_t>(edge.to)];
    std::string arrow = edge.crossing ? "==>" : "-->";
    if (edge.label.empty()) {
      out += fmt::format("  {} {} {}\n", mermaid_id(from.prefix, from.id), arrow, mermaid_id(to.prefix, to.id));
    } else {
      out += fmt::format("  {} {}|\"{}\"| {}\n", mermaid_id(from.prefix, from.id), arrow, mermaid_label(edge.label), mermaid_id(to.prefix, to.id));
    }
    if (!edge.color.empty()) {
      colored_links[edge.color].push_back(link);
    } else if (edge.crossing) {
      crossing_links.push_back(link);
    }
    ++link;
  }
  for (const DrawCluster& cluster : d.clusters) out += fmt::format("  style {} stroke-dasharray: 6 4,fill:none\n", mermaid_id("b", cluster.id));
  for (const DrawNode& node : d.nodes) {
    if (!node.fill.empty()) out += fmt::format("  style {} fill:{}\n", mermaid_id(node.prefix, node.id), node.fill);
  }
  auto link_style = [&](const std::vector<size_t>& links, const std::string& style) {
    if (links.empty()) return;
    std::string list;
    for (size_t l : links) list += (list.empty() ? "" : ",") + std::to_string(l);
    out += fmt::format("  linkStyle {} {}\n", list, style);
  };
  link_style(crossing_links, fmt::format("stroke:{},stroke-width:2px", kCrossingColor));
  for (const auto& [color, links] : colored_links) link_style(links, fmt::format("stroke:{},stroke-width:2px", color));
  return out;
}

// How a DOT drawing is simplified for a retry after a failed layout.
struct DotStyle {
  bool xlabels = false;   // edge labels as xlabel: placed after layout, no label nodes
  bool clusters = true;   // boundaries as clusters
};

std::string dot_text(const Drawing& d, DotStyle style) {
  std::string out = "digraph dfd {\n";
  if (style.xlabels || !style.clusters) {
    out += fmt::format("  // tmc-simplified: {}{}\n", style.xlabels ? "edge labels as xlabel" : "",
                       style.clusters ? "" : (style.xlabels ? ", no clusters" : "no clusters"));
  }
  out += "  rankdir=LR;\n  fontname=\"Helvetica\";\n";
  if (d.compact) out += "  ranksep=0.2;\n  nodesep=0.15;\n";
  if (!d.note.empty()) out += fmt::format("  label=\"{}\"; labelloc=t; labeljust=l; fontsize=12;\n", dot_quote(d.note));
  out += "  node [fontname=\"Helvetica\", fontsize=11];\n"
         "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  walk_nesting(
      d, style.clusters,
      [&](int c, int depth) {
        const DrawCluster& cluster = d.clusters[static_cast<size_t>(c)];
        out += fmt::format("{}subgraph \"cluster_{}\" {{\n{}  label=\"{}\"; style=dashed; color=\"#c62828\"; fontcolor=\"#c62828\";\n",
                           indent(depth), dot_quote(cluster.id), indent(depth), dot_quote(cluster.label));
      },
      [&](int n, int depth) {
        const DrawNode& node = d.nodes[static_cast<size_t>(n)];
        std::string attributes;
        switch (node.shape) {
          case NodeShape::external: attributes = "shape=box"; break;
          case NodeShape::process: attributes = "shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\""; break;
          case NodeShape::store: attributes = "shape=cylinder"; break;
          case NodeShape::group:
            attributes = fmt::format("shape=box3d, style=filled, fillcolor=\"{}\"", node.fill.empty() ? "#f4f4f4" : node.fill);
            break;
        }
        std::string label = dot_quote(node.label);
        if (!style.clusters && node.cluster >= 0) label += "\\n[" + dot_quote(d.clusters[static_cast<size_t>(node.cluster)].label) + "]";
        if (node.element) {
          out += fmt::format("{}\"{}_{}\" [label=\"{}\", {}, id=\"el-{}\"];\n", indent(depth), node.prefix, dot_quote(node.id), label, attributes,
                             dot_quote(node.id));
        } else {
          out += fmt::format("{}\"{}_{}\" [label=\"{}\", {}, tooltip=\"{}\"];\n", indent(depth), node.prefix, dot_quote(node.id), label,
                             attributes, dot_quote(node.tooltip));
        }
      },
      [&](int, int depth) { out += indent(depth) + "}\n"; });
  for (const DrawEdge& edge : d.edges) {
    const DrawNode& from = d.nodes[static_cast<size_t>(edge.from)];
    const DrawNode& to = d.nodes[static_cast<size_t>(edge.to)];
    std::string attributes;
    if (!edge.label.empty()) {
      attributes = fmt::format("{}=\"{}\"", style.xlabels ? "xlabel" : "label", dot_quote(edge.wrapped.empty() ? edge.label : edge.wrapped));
    }
    auto add = [&](const std::string& a) { attributes += (attributes.empty() ? "" : ", ") + a; };
    if (!edge.color.empty()) {
      add(fmt::format("color=\"{}\"", edge.color));
      if (edge.crossing) add("penwidth=2");
    } else if (edge.crossing) {
      add(fmt::format("color=\"{}\", penwidth=2", kCrossingColor));
    }
    if (edge.label != edge.full) add(fmt::format("tooltip=\"{}\"", dot_quote(edge.full)));
    out += fmt::format("  \"{}_{}\" -> \"{}_{}\"{}{}{};\n", from.prefix, dot_quote(from.id), to.prefix, dot_quote(to.id),
                       attributes.empty() ? "" : " [", attributes, attributes.empty() ? "" : "]");
  }
  out += "}\n";
  return out;
}

std::string ascii_text(const Drawing& d) {
  std::string out;
  if (!d.note.empty()) out += one_line(d.note) + "\n\n";
  auto bar = [](int depth) {
    std::string prefix;
    for (int i = 0; i < depth; ++i) prefix += "┆ ";
    return prefix;
  };
  walk_nesting(
      d, true,
      [&](int c, int depth) { out += bar(depth) + "╭┄ " + one_line(d.clusters[static_cast<size_t>(c)].label) + " ┄┄┄\n"; },
      [&](int n, int depth) {
        const DrawNode& node = d.nodes[static_cast<size_t>(n)];
        const char* open = node.shape == NodeShape::external ? "[" : node.shape == NodeShape::process ? "(" : node.shape == NodeShape::store ? "[(" : "[[";
        const char* close = node.shape == NodeShape::external ? "]" : node.shape == NodeShape::process ? ")" : node.shape == NodeShape::store ? ")]" : "]]";
        out += bar(depth) + open + " " + one_line(node.label) + " " + close + "\n";
      },
      [&](int, int depth) { out += bar(depth) + "╰┄┄┄\n"; });
  out += "\nflows (═══▶ crosses a trust boundary):\n";
  for (const DrawEdge& edge : d.edges) {
    std::string line = fmt::format("  {} {} {}", one_line(d.nodes[static_cast<size_t>(edge.from)].label), edge.crossing ? "═══▶" : "───▶",
                                   one_line(d.nodes[static_cast<size_t>(edge.to)].label));
    out += edge.label.empty() ? line + "\n" : line + "   " + one_line(edge.label) + "\n";
  }
  return out;
}

// A drawing laid out without Graphviz, in linear time: outside groups
// that send into the boundary on the left, the boundary's own nodes in
// columns of 16 in the middle, the other outside groups on the right;
// arrows as curves whose text is their tooltip (labels would pile up). For the per-boundary drawings of the HTML overview,
// where a Graphviz layout per boundary would cost too much.
std::string sketch_svg(const Drawing& d, const std::string& key) {
  constexpr int kWidth = 180, kHeight = 36, kRowGap = 14, kColumnGap = 90, kRows = 16, kTop = 34, kLeft = 10;
  size_t n = d.nodes.size();
  std::vector<int> column(n, 0), row(n, 0);
  std::vector<bool> inside(n, false), has_in(n, false);
  for (size_t i = 0; i < n; ++i) inside[i] = d.nodes[i].element || d.nodes[i].cluster >= 0;
  for (const DrawEdge& e : d.edges) {
    if (!inside[static_cast<size_t>(e.from)] && inside[static_cast<size_t>(e.to)]) has_in[static_cast<size_t>(e.from)] = true;
  }
  int left_rows = 0, right_rows = 0, middle = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!inside[i] && has_in[i]) row[i] = left_rows++;
  }
  bool any_left = left_rows > 0;
  for (size_t i = 0; i < n; ++i) {
    if (!inside[i]) continue;
    column[i] = (any_left ? 1 : 0) + middle / kRows;
    row[i] = middle % kRows;
    ++middle;
  }
  int middle_columns = (middle + kRows - 1) / kRows;
  int right_column = (any_left ? 1 : 0) + middle_columns;
  for (size_t i = 0; i < n; ++i) {
    if (!inside[i] && !has_in[i]) {
      column[i] = right_column;
      row[i] = right_rows++;
    }
  }
  int columns = right_column + (right_rows > 0 ? 1 : 0);
  int rows = std::max({left_rows, right_rows, std::min(middle, kRows), 1});
  auto x_of = [&](size_t i) { return kLeft + column[i] * (kWidth + kColumnGap); };
  auto y_of = [&](size_t i) { return kTop + row[i] * (kHeight + kRowGap); };
  int width = kLeft * 2 + std::max(columns, 1) * (kWidth + kColumnGap) - kColumnGap;
  int height = kTop + rows * (kHeight + kRowGap) + 10;
  // Arrowheads and stroke styles come from the page (report.css and one
  // shared <marker id="sketch-arrow">), so a sketch repeats no attributes.
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sketch\" id=\"sketch-{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">",
      html_escape(key), width, height, width, height);
  if (!d.clusters.empty() && middle > 0) {
    int x = kLeft + (any_left ? 1 : 0) * (kWidth + kColumnGap) - 8;
    out += fmt::format("<g class=\"cluster\"><rect x=\"{}\" y=\"6\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#c62828\" "
                       "stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"22\" fill=\"#c62828\">{}</text></g>",
                       x, middle_columns * (kWidth + kColumnGap) - kColumnGap + 16, height - 10, x + 8, html_escape(clip(d.clusters[0].label, 60)));
  }
  for (const DrawEdge& e : d.edges) {
    size_t a = static_cast<size_t>(e.from), b = static_cast<size_t>(e.to);
    int x1 = x_of(a), y1 = y_of(a) + kHeight / 2, x2 = x_of(b), y2 = y_of(b) + kHeight / 2;
    int c1, c2;
    if (column[b] > column[a]) {
      x1 += kWidth;
      c1 = x1 + 40;
      c2 = x2 - 40;
    } else if (column[b] < column[a]) {
      x2 += kWidth;
      c1 = x1 - 40;
      c2 = x2 + 40;
    } else {
      x1 += kWidth;
      x2 += kWidth;
      c1 = x1 + 50;
      c2 = x2 + 50;
    }
    out += fmt::format("<g class=\"edge\"><title>{}</title><path class=\"{}\" d=\"M{},{}C{},{} {},{} {},{}\"{}/>", html_escape(e.full),
                       e.crossing ? "e x" : "e", x1, y1, c1, y1, c2, y2, x2, y2,
                       e.color.empty() ? std::string() : fmt::format(" stroke=\"{}\"", e.color));
    out += "</g>";
  }
  for (size_t i = 0; i < n; ++i) {
    const DrawNode& node = d.nodes[i];
    int x = x_of(i), y = y_of(i);
    std::string fill = !node.fill.empty() ? node.fill : node.shape == NodeShape::process ? "#eef3fb" : node.shape == NodeShape::group ? "#f4f4f4" : "#ffffff";
    int radius = node.shape == NodeShape::process ? 10 : node.shape == NodeShape::store ? 16 : 0;
    std::string label = node.label;
    std::string second;
    size_t newline = label.find('\n');
    if (newline != std::string::npos) {
      second = label.substr(newline + 1);
      label.resize(newline);
    }
    out += node.element ? fmt::format("<g class=\"node\" id=\"el-{}\">", html_escape(node.id)) : std::string("<g class=\"node group\">");
    out += fmt::format("<title>{}{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\" stroke=\"#333333\"{}/>",
                       html_escape(node.label), node.tooltip.empty() ? "" : " (" + html_escape(node.tooltip) + ")", x, y, kWidth, kHeight, radius,
                       fill, node.shape == NodeShape::group ? " stroke-width=\"2\"" : "");
    if (second.empty()) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>", x + kWidth / 2, y + kHeight / 2 + 4,
                         html_escape(clip(label, 28)));
    } else {
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                         "font-size=\"9\">{}</text></g>",
                         x + kWidth / 2, y + 15, html_escape(clip(label, 28)), x + kWidth / 2, y + 28, html_escape(clip(second, 34)));
    }
  }
  return out + "</svg>";
}

}  // namespace

// ---- Public --------------------------------------------------------------------

bool diagram_is_overview(const RenderInput& input, const DiagramOptions& options) {
  if (options.path || options.focus || options.boundary) return false;
  const size_t threshold = options.overview_threshold;
  const size_t flow_threshold = threshold > SIZE_MAX / kOverviewFlowsPerElement ? SIZE_MAX : threshold * kOverviewFlowsPerElement;
  return threshold > 0 && (input.model.elements.size() > threshold || input.model.flows.size() > flow_threshold);
}

namespace {

Drawing view_drawing(const RenderInput& input, const DiagramOptions& options);

// The drawing of these options, ready for any format.
Drawing drawing_for(const RenderInput& input, const DiagramOptions& options) {
  Drawing d = view_drawing(input, options);
  d.compact = options.labels == LabelMode::short_form;
  return d;
}

Drawing view_drawing(const RenderInput& input, const DiagramOptions& options) {
  const model::Model& m = input.model;
  if (options.boundary) {
    for (size_t b = 0; b < m.boundaries.size(); ++b) {
      if (m.boundaries[b].id == *options.boundary) return boundary_drawing(input, index_boundaries(input), static_cast<int>(b), options.labels, true);
    }
    return {};
  }
  if (options.path || options.focus) {
    std::set<int> elements, flows;
    if (options.path) {
      for (const model::RequestPath& path : m.paths) {
        if (path.id != *options.path) continue;
        for (int f : path.flow_indexes) {
          flows.insert(f);
          elements.insert(m.flows[static_cast<size_t>(f)].from_index);
          elements.insert(m.flows[static_cast<size_t>(f)].to_index);
        }
      }
    } else {
      int focus = m.find_element(*options.focus);
      if (focus >= 0) {
        elements.insert(focus);
        for (size_t f = 0; f < m.flows.size(); ++f) {
          if (m.flows[f].from_index == focus || m.flows[f].to_index == focus) {
            flows.insert(static_cast<int>(f));
            elements.insert(m.flows[f].from_index);
            elements.insert(m.flows[f].to_index);
          }
        }
      }
    }
    elements.erase(-1);
    return detail_drawing(input, elements, flows, options.labels);
  }
  if (diagram_is_overview(input, options)) return overview_drawing(input, options);
  return whole_drawing(input, options.labels);
}

// `d` with only the edges `keep` (indexes, kept in their order) and, when
// `only_linked`, only the nodes those edges join.
Drawing with_edges(const Drawing& d, const std::vector<size_t>& keep, bool only_linked) {
  Drawing out;
  out.clusters = d.clusters;
  out.note = d.note;
  out.compact = d.compact;
  std::vector<int> node_of(d.nodes.size(), only_linked ? -1 : 0);
  for (size_t e : keep) node_of[static_cast<size_t>(d.edges[e].from)] = node_of[static_cast<size_t>(d.edges[e].to)] = 0;
  for (size_t n = 0; n < d.nodes.size(); ++n) {
    if (node_of[n] < 0) continue;
    node_of[n] = static_cast<int>(out.nodes.size());
    out.nodes.push_back(d.nodes[n]);
  }
  for (size_t e : keep) {
    DrawEdge edge = d.edges[e];
    edge.from = node_of[static_cast<size_t>(edge.from)];
    edge.to = node_of[static_cast<size_t>(edge.to)];
    out.edges.push_back(std::move(edge));
  }
  return out;
}

// The Mermaid text of `d` within GitHub's limits (kMermaidMaxEdges arrows,
// kMermaidMaxText characters). When it is over, keeps the most important
// arrows (worst open item first, then crossing ones, then by flow id or
// ends), the largest number that fits (then also only the nodes they
// join), says in the drawing how many were left out and how to see them,
// and reports a `mermaid-capped` warning.
std::string capped_mermaid(const RenderInput& input, Drawing d, DiagnosticSink& sink) {
  std::string text = mermaid_text(d);
  if (d.edges.size() <= kMermaidMaxEdges && text.size() <= kMermaidMaxText) return text;
  const model::Model& m = input.model;
  WorstOpen severity = severity_of(input);
  struct Key {
    int worst;
    bool plain;
    std::string id;
    size_t index;
  };
  std::vector<Key> keys;
  for (size_t e = 0; e < d.edges.size(); ++e) {
    const DrawEdge& edge = d.edges[e];
    int worst = edge.flow >= 0 ? severity.flow[static_cast<size_t>(edge.flow)] : edge.worst;
    std::string id = edge.flow >= 0 ? m.flows[static_cast<size_t>(edge.flow)].id
                                    : d.nodes[static_cast<size_t>(edge.from)].id + "\n" + d.nodes[static_cast<size_t>(edge.to)].id;
    keys.push_back({worst, !edge.crossing, std::move(id), e});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.worst, a.plain, a.id, a.index) < std::tie(b.worst, b.plain, b.id, b.index);
  });
  auto attempt = [&](size_t kept, bool only_linked) {
    std::vector<size_t> keep;
    for (size_t k = 0; k < kept; ++k) keep.push_back(keys[k].index);
    std::sort(keep.begin(), keep.end());
    Drawing capped = with_edges(d, keep, only_linked);
    size_t hidden = d.nodes.size() - capped.nodes.size();
    capped.capped = fmt::format(
        "{} of {} arrows drawn (GitHub's Mermaid renders at most 500 arrows and 50,000 characters): the worst open items and the boundary "
        "crossings first{}. The {} others: tmc diagram --focus ELEMENT, or --format svg.",
        kept, d.edges.size(), hidden ? fmt::format(", and only the {} nodes they join ({} left out)", capped.nodes.size(), hidden) : "",
        d.edges.size() - kept);
    return mermaid_text(capped);
  };
  // The largest number of arrows that fits (the text grows with it).
  auto largest = [&](bool only_linked) -> std::optional<std::pair<size_t, std::string>> {
    size_t low = 0, high = std::min(d.edges.size(), kMermaidMaxEdges);
    std::string best = attempt(0, only_linked);
    if (best.size() > kMermaidMaxText) return std::nullopt;
    while (low < high) {
      size_t mid = low + (high - low + 1) / 2;
      std::string candidate = attempt(mid, only_linked);
      if (candidate.size() <= kMermaidMaxText) {
        low = mid;
        best = std::move(candidate);
      } else {
        high = mid - 1;
      }
    }
    return std::make_pair(low, std::move(best));
  };
  // Every node if that leaves room for at least half the arrows it could
  // draw; else (or when more arrows fit) only the nodes the arrows join.
  auto capped = largest(false);
  if (!capped || capped->first < std::min(d.edges.size(), kMermaidMaxEdges) / 2) {
    auto linked = largest(true);
    if (linked && (!capped || linked->first > capped->first)) capped = std::move(linked);
  }
  size_t kept = capped ? capped->first : 0;
  sink.warning("mermaid-capped", {}, fmt::format("the Mermaid drawing keeps {} of {} arrows, the most important first, to stay within what "
                                                 "GitHub renders (500 arrows, 50,000 characters); see the others with --focus ELEMENT or --format svg",
                                                 kept, d.edges.size()));
  return capped ? capped->second : "flowchart LR\n";
}

}  // namespace

std::string diagram_mermaid(const RenderInput& input, const DiagramOptions& options) {
  DiagnosticSink sink;
  return diagram_mermaid(input, options, sink);
}

std::string diagram_mermaid(const RenderInput& input, const DiagramOptions& options, DiagnosticSink& sink) {
  Drawing d = drawing_for(input, options);
  // GitHub renders at most ~500 edges and 50,000 characters: a whole-model
  // drawing beyond that is drawn as the overview.
  bool whole = !options.path && !options.focus && !options.boundary && d.note.empty();
  if (whole && d.edges.size() <= kMermaidMaxEdges) {
    std::string text = mermaid_text(d);
    if (text.size() <= kMermaidMaxText) return text;
  }
  if (whole && !input.model.boundaries.empty()) d = overview_drawing(input, options);
  return capped_mermaid(input, std::move(d), sink);
}

std::string diagram_dot(const RenderInput& input, const DiagramOptions& options) { return dot_text(drawing_for(input, options), {}); }

std::string diagram_ascii(const RenderInput& input, const DiagramOptions& options) { return ascii_text(drawing_for(input, options)); }

std::optional<std::string> diagram_svg(const RenderInput& input, const DiagramOptions& options, DiagnosticSink& sink,
                                       Severity on_failure) {
  Drawing d = drawing_for(input, options);
  // The drawing as asked, then simpler ones: edge labels as xlabel (no
  // label nodes in the ranks, the trigger of Graphviz 2.42's flat-edge
  // bug), then also no clusters.
  const DotStyle styles[] = {{false, true}, {true, true}, {true, false}};
  std::vector<std::string> details;
  auto failures = [&] {
    bool same = std::all_of(details.begin(), details.end(), [&](const std::string& x) { return x == details.front(); });
    if (same && details.size() > 1) return fmt::format("{} ({} attempts)", details.front(), details.size());
    std::string text;
    for (const std::string& x : details) text += (text.empty() ? "" : "; then ") + x;
    return text;
  };
  // One time budget for all attempts (--layout-timeout): the drawing as
  // asked gets half of it, each retry what is left. Label nodes in the
  // ranks are what makes a large layout slow; the retry with xlabels
  // usually takes a fraction of the time.
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + options.layout.time;
  for (const DotStyle& style : styles) {
    LayoutLimits limits = options.layout;
    limits.time = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (&style == &styles[0]) limits.time /= 2;
    if (limits.time.count() <= 0) {
      details.push_back(fmt::format("no time was left for a simpler layout (--layout-timeout {} in all)", seconds_text(options.layout.time)));
      break;
    }
    LayoutResult result = layout_svg(dot_text(d, style), limits);
    if (result.status == LayoutStatus::ok) {
      if (&style != &styles[0]) {
        sink.warning("layout-simplified", {},
                     fmt::format("the diagram was drawn simplified ({}{}) because the layout failed: {}", style.xlabels ? "edge labels beside the arrows" : "",
                                 style.clusters ? "" : ", boundaries as node captions", failures()));
      }
      return std::move(result.svg);
    }
    details.push_back(result.detail);
  }
  sink.report({on_failure, "layout-failed", "the diagram could not be laid out: " + failures(), {}, {}});
  return std::nullopt;
}

std::string diagram_overview_note(const RenderInput& input, const DiagramOptions& options) {
  return diagram_is_overview(input, options) ? overview_drawing(input, options).note : "";
}

}  // namespace tmc::render

namespace tmc::render {

std::string flow_text(const model::Model& m, const model::Flow& flow) { return arrow_text(m, flow); }

void boundary_sketches(const RenderInput& input, LabelMode labels, const std::function<void(const BoundarySketch&)>& visit) {
  const model::Model& m = input.model;
  BoundaryIndex index = index_boundaries(input);
  auto add = [&](int b) {
    Drawing d = boundary_drawing(input, index, b, labels, false);
    BoundarySketch sketch;
    sketch.boundary = b;
    sketch.elements = index.members[static_cast<size_t>(b + 1)].size();
    sketch.svg = sketch_svg(d, b < 0 ? "outside" : std::to_string(b));
    std::set<int> flows;
    for (int e : index.members[static_cast<size_t>(b + 1)]) flows.insert(index.flows_of[static_cast<size_t>(e)].begin(), index.flows_of[static_cast<size_t>(e)].end());
    sketch.flows.assign(flows.begin(), flows.end());
    visit(sketch);
  };
  for (size_t b = 0; b < m.boundaries.size(); ++b) {
    if (!index.members[b + 1].empty()) add(static_cast<int>(b));
  }
  if (!index.members[0].empty()) add(-1);
}

}  // namespace tmc::render
