// The data-flow diagram in Mermaid, DOT, SVG (Graphviz in-process) and
// ASCII. Every format draws the same view: the whole model, one request
// path (--path) or one element's neighbourhood (--focus).
#include <fmt/format.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <map>
#include <set>

#include "render/escape.h"
#include "render/render.h"

namespace tmc::render {

namespace {

// What a diagram shows.
struct View {
  std::vector<int> elements;  // in file order
  std::vector<int> flows;     // in file order
  std::set<int> crossing;     // flows that cross a boundary
  std::vector<int> boundaries;  // boundaries that contain a shown element (with their ancestors)
};

View make_view(const RenderInput& input, const DiagramOptions& options) {
  const model::Model& m = input.model;
  View view;
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
  } else if (options.focus) {
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
  } else {
    for (size_t e = 0; e < m.elements.size(); ++e) elements.insert(static_cast<int>(e));
    for (size_t f = 0; f < m.flows.size(); ++f) flows.insert(static_cast<int>(f));
  }
  elements.erase(-1);
  view.elements.assign(elements.begin(), elements.end());
  for (int f : flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    if (flow.from_index >= 0 && flow.to_index >= 0) view.flows.push_back(f);
  }
  for (const analyze::BoundaryCrossing& crossing : input.analysis.crossings) view.crossing.insert(crossing.flow);
  std::set<int> boundaries;
  for (int e : view.elements) {
    int b = m.elements[static_cast<size_t>(e)].boundary_index;
    for (size_t guard = 0; b >= 0 && guard <= m.boundaries.size(); ++guard) {
      boundaries.insert(b);
      b = m.boundaries[static_cast<size_t>(b)].parent_index;
    }
  }
  view.boundaries.assign(boundaries.begin(), boundaries.end());
  return view;
}

// The flow's arrow text: label (or protocol) and the data it carries.
std::string arrow_text(const model::Model& m, const model::Flow& flow) {
  std::string text = !flow.label.empty() ? flow.label : flow.protocol;
  if (!flow.label.empty() && !flow.protocol.empty() && flow.label != flow.protocol) text += " (" + flow.protocol + ")";
  std::string data;
  for (int a : flow.data_indexes) data += (data.empty() ? "" : ", ") + m.assets[static_cast<size_t>(a)].name;
  if (!data.empty()) text += (text.empty() ? "" : ": ") + data;
  return text.empty() ? flow.id : text;
}

// Children of each boundary (and of the outside, key -1), in file order,
// restricted to the view.
struct Nesting {
  std::map<int, std::vector<int>> boundaries;  // parent -> child boundaries
  std::map<int, std::vector<int>> elements;    // boundary -> elements
};

Nesting nesting_of(const model::Model& m, const View& view) {
  Nesting nesting;
  for (int b : view.boundaries) nesting.boundaries[m.boundaries[static_cast<size_t>(b)].parent_index].push_back(b);
  for (int e : view.elements) nesting.elements[m.elements[static_cast<size_t>(e)].boundary_index].push_back(e);
  return nesting;
}

// Walks the boundary nesting without recursion: `open(b, depth)` before a
// boundary's content, `element(e, depth)` for each element, `close(b, depth)` after.
template <typename Open, typename Element, typename Close>
void walk_nesting(const Nesting& nesting, Open open, Element element, Close close) {
  struct Step {
    int boundary;
    bool closing;
    int depth;
  };
  std::vector<Step> stack;
  auto push_children = [&](int parent, int depth) {
    auto it = nesting.boundaries.find(parent);
    if (it == nesting.boundaries.end()) return;
    for (auto b = it->second.rbegin(); b != it->second.rend(); ++b) {
      stack.push_back({*b, true, depth});
      stack.push_back({*b, false, depth});
    }
  };
  auto elements_of = [&](int boundary, int depth) {
    auto it = nesting.elements.find(boundary);
    if (it == nesting.elements.end()) return;
    for (int e : it->second) element(e, depth);
  };
  elements_of(-1, 0);
  push_children(-1, 0);
  while (!stack.empty()) {
    Step step = stack.back();
    stack.pop_back();
    if (step.closing) {
      close(step.boundary, step.depth);
      continue;
    }
    open(step.boundary, step.depth);
    elements_of(step.boundary, step.depth + 1);
    push_children(step.boundary, step.depth + 1);
  }
}

}  // namespace

std::string diagram_mermaid(const RenderInput& input, const DiagramOptions& options) {
  const model::Model& m = input.model;
  View view = make_view(input, options);
  std::string out = "flowchart LR\n";
  auto indent = [](int depth) { return std::string(static_cast<size_t>(2 + 2 * depth), ' '); };
  walk_nesting(
      nesting_of(m, view),
      [&](int b, int depth) {
        const model::Boundary& boundary = m.boundaries[static_cast<size_t>(b)];
        out += fmt::format("{}subgraph {}[\"{}\"]\n", indent(depth), mermaid_id("b", boundary.id), mermaid_label(boundary.name));
      },
      [&](int e, int depth) {
        const model::Element& element = m.elements[static_cast<size_t>(e)];
        std::string id = mermaid_id("e", element.id);
        std::string label = mermaid_label(element.name);
        switch (element.type) {
          case model::ElementType::external: out += fmt::format("{}{}[\"{}\"]\n", indent(depth), id, label); break;
          case model::ElementType::process: out += fmt::format("{}{}(\"{}\")\n", indent(depth), id, label); break;
          case model::ElementType::store: out += fmt::format("{}{}[(\"{}\")]\n", indent(depth), id, label); break;
        }
      },
      [&](int, int depth) { out += indent(depth) + "end\n"; });
  std::vector<size_t> crossing_links;
  size_t link = 0;
  for (int f : view.flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    bool crosses = view.crossing.count(f) > 0;
    out += fmt::format("  {} {}|\"{}\"| {}\n", mermaid_id("e", m.elements[static_cast<size_t>(flow.from_index)].id),
                       crosses ? "==>" : "-->", mermaid_label(arrow_text(m, flow)),
                       mermaid_id("e", m.elements[static_cast<size_t>(flow.to_index)].id));
    if (crosses) crossing_links.push_back(link);
    ++link;
  }
  for (int b : view.boundaries) {
    out += fmt::format("  style {} stroke-dasharray: 6 4,fill:none\n", mermaid_id("b", m.boundaries[static_cast<size_t>(b)].id));
  }
  if (!crossing_links.empty()) {
    std::string list;
    for (size_t l : crossing_links) list += (list.empty() ? "" : ",") + std::to_string(l);
    out += fmt::format("  linkStyle {} stroke:#c62828,stroke-width:2px\n", list);
  }
  return out;
}

std::string diagram_dot(const RenderInput& input, const DiagramOptions& options) {
  const model::Model& m = input.model;
  View view = make_view(input, options);
  std::string out =
      "digraph dfd {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n  node [fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n";
  auto indent = [](int depth) { return std::string(static_cast<size_t>(2 + 2 * depth), ' '); };
  walk_nesting(
      nesting_of(m, view),
      [&](int b, int depth) {
        const model::Boundary& boundary = m.boundaries[static_cast<size_t>(b)];
        out += fmt::format("{}subgraph \"cluster_{}\" {{\n{}  label=\"{}\"; style=dashed; color=\"#c62828\"; fontcolor=\"#c62828\";\n",
                           indent(depth), dot_quote(boundary.id), indent(depth), dot_quote(boundary.name));
      },
      [&](int e, int depth) {
        const model::Element& element = m.elements[static_cast<size_t>(e)];
        const char* shape = element.type == model::ElementType::external ? "shape=box"
                            : element.type == model::ElementType::process ? "shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\""
                                                                           : "shape=cylinder";
        out += fmt::format("{}\"e_{}\" [label=\"{}\", {}, id=\"el-{}\"];\n", indent(depth), dot_quote(element.id),
                           dot_quote(element.name), shape, dot_quote(element.id));
      },
      [&](int, int depth) { out += indent(depth) + "}\n"; });
  for (int f : view.flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    bool crosses = view.crossing.count(f) > 0;
    out += fmt::format("  \"e_{}\" -> \"e_{}\" [label=\"{}\"{}];\n", dot_quote(m.elements[static_cast<size_t>(flow.from_index)].id),
                       dot_quote(m.elements[static_cast<size_t>(flow.to_index)].id), dot_quote(arrow_text(m, flow)),
                       crosses ? ", color=\"#c62828\", penwidth=2" : "");
  }
  out += "}\n";
  return out;
}

std::optional<std::string> diagram_svg(const RenderInput& input, const DiagramOptions& options, std::string& error) {
  std::string dot = diagram_dot(input, options);
  GVC_t* context = gvContext();
  if (context == nullptr) {
    error = "cannot start Graphviz";
    return std::nullopt;
  }
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) {
    gvFreeContext(context);
    error = "Graphviz could not read the generated diagram";
    return std::nullopt;
  }
  std::optional<std::string> svg;
  if (gvLayout(context, graph, "dot") == 0) {
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(context, graph, "svg", &data, &length) == 0 && data != nullptr) {
      svg = std::string(data, length);
    } else {
      error = "Graphviz could not render SVG";
    }
    gvFreeRenderData(data);
    gvFreeLayout(context, graph);
  } else {
    error = "Graphviz could not lay out the diagram";
  }
  agclose(graph);
  gvFreeContext(context);
  return svg;
}

std::string diagram_ascii(const RenderInput& input, const DiagramOptions& options) {
  const model::Model& m = input.model;
  View view = make_view(input, options);
  std::string out;
  auto bar = [](int depth) {
    std::string prefix;
    for (int i = 0; i < depth; ++i) prefix += "┆ ";
    return prefix;
  };
  walk_nesting(
      nesting_of(m, view),
      [&](int b, int depth) {
        const model::Boundary& boundary = m.boundaries[static_cast<size_t>(b)];
        out += bar(depth) + "╭┄ " + one_line(boundary.name) + " ┄┄┄\n";
      },
      [&](int e, int depth) {
        const model::Element& element = m.elements[static_cast<size_t>(e)];
        const char* open = element.type == model::ElementType::external ? "[" : element.type == model::ElementType::process ? "(" : "[(";
        const char* close = element.type == model::ElementType::external ? "]" : element.type == model::ElementType::process ? ")" : ")]";
        out += bar(depth) + open + " " + one_line(element.name) + " " + close + "\n";
      },
      [&](int, int depth) { out += bar(depth) + "╰┄┄┄\n"; });
  out += "\nflows (═══▶ crosses a trust boundary):\n";
  for (int f : view.flows) {
    const model::Flow& flow = m.flows[static_cast<size_t>(f)];
    bool crosses = view.crossing.count(f) > 0;
    out += fmt::format("  {} {} {}   {}\n", one_line(m.elements[static_cast<size_t>(flow.from_index)].name),
                       crosses ? "═══▶" : "───▶", one_line(m.elements[static_cast<size_t>(flow.to_index)].name),
                       one_line(arrow_text(m, flow)));
  }
  return out;
}

}  // namespace tmc::render
