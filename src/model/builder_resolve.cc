// Reference resolution and the checks that need the whole model: every id
// a model names must exist, boundaries must not nest in a cycle, and
// attack-tree refs must not loop.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "base/suggest.h"
#include "model/builder_context.h"

namespace tmc::model {

namespace {

// How deep boundaries may nest (docs/model-format.md).
constexpr int kMaxBoundaryDepth = 32;

class Resolver {
 public:
  explicit Resolver(BuildContext& context) : context_(context), model_(context.model) {}

  // The index of `ref` in `ids`, or -1 after reporting `unknown-reference`.
  int resolve(const Text& ref, const IdIndex& ids, std::string_view kind, std::string_view field) {
    int index = ids.find(ref.value);
    if (index >= 0) return index;
    context_.sink.error("unknown-reference", ref.location,
                        fmt::format("unknown {} '{}' in '{}'{}", kind, ref.value, field,
                                    suggester(ids).did_you_mean(ref.value)));
    return -1;
  }

  // One bounded "did you mean" per id table, so that thousands of unknown
  // references cost linear time.
  Suggester& suggester(const IdIndex& ids) {
    auto it = suggesters_.find(&ids);
    if (it == suggesters_.end()) it = suggesters_.emplace(&ids, Suggester(ids.sorted_ids())).first;
    return it->second;
  }

  void run() {
    resolve_boundaries();
    resolve_elements();
    resolve_flows();
    resolve_paths();
    resolve_threats();
    resolve_dismissals();
    resolve_attack_trees();
  }

 private:
  void resolve_boundaries() {
    for (Boundary& boundary : model_.boundaries) {
      if (boundary.parent) boundary.parent_index = resolve(*boundary.parent, model_.boundary_ids, "boundary", "parent");
    }
    // A parent chain longer than the number of boundaries loops; report
    // each cycle once, at its first member in file order.
    std::vector<int> state(model_.boundaries.size(), 0);  // 0 new, 1 on current walk, 2 done
    for (size_t start = 0; start < model_.boundaries.size(); ++start) {
      std::vector<int> walk;
      int current = static_cast<int>(start);
      while (current >= 0 && state[static_cast<size_t>(current)] == 0) {
        state[static_cast<size_t>(current)] = 1;
        walk.push_back(current);
        current = model_.boundaries[static_cast<size_t>(current)].parent_index;
      }
      if (current >= 0 && state[static_cast<size_t>(current)] == 1) {
        auto first = std::find(walk.begin(), walk.end(), current);
        std::vector<int> cycle(first, walk.end());
        int reported = *std::min_element(cycle.begin(), cycle.end());
        std::string names;
        for (int member : cycle) names += (names.empty() ? "" : " -> ") + model_.boundaries[static_cast<size_t>(member)].id;
        names += " -> " + model_.boundaries[static_cast<size_t>(cycle.front())].id;
        const Boundary& at = model_.boundaries[static_cast<size_t>(reported)];
        context_.sink.error("boundary-cycle", at.parent ? at.parent->location : at.location,
                            fmt::format("boundaries nest in a cycle: {}", names));
        for (int member : cycle) model_.boundaries[static_cast<size_t>(member)].parent_index = -1;
      }
      for (int member : walk) state[static_cast<size_t>(member)] = 2;
    }
    limit_boundary_depth();
  }

  // Boundaries nest at most kMaxBoundaryDepth deep (like the YAML depth
  // limit): the boundary one level past it is reported at its `parent:`
  // and cut from its parent, so every later stage sees a bounded depth.
  void limit_boundary_depth() {
    std::vector<int> depth(model_.boundaries.size(), 0);  // 0 = not computed yet
    for (size_t start = 0; start < model_.boundaries.size(); ++start) {
      std::vector<int> walk;
      for (int current = static_cast<int>(start); current >= 0 && depth[static_cast<size_t>(current)] == 0;
           current = model_.boundaries[static_cast<size_t>(current)].parent_index) {
        walk.push_back(current);
      }
      for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
        Boundary& boundary = model_.boundaries[static_cast<size_t>(*it)];
        int parent_depth = boundary.parent_index >= 0 ? depth[static_cast<size_t>(boundary.parent_index)] : 0;
        if (parent_depth >= kMaxBoundaryDepth) {
          context_.sink.error("boundary-depth", boundary.parent ? boundary.parent->location : boundary.location,
                              fmt::format("boundary '{}' is nested more than {} levels deep", boundary.id,
                                          kMaxBoundaryDepth));
          boundary.parent_index = -1;
          parent_depth = 0;
        }
        depth[static_cast<size_t>(*it)] = parent_depth + 1;
      }
    }
  }

  void resolve_elements() {
    for (Element& element : model_.elements) {
      if (element.boundary) element.boundary_index = resolve(*element.boundary, model_.boundary_ids, "boundary", "boundary");
      for (const Text& asset : element.assets) {
        int index = resolve(asset, model_.asset_ids, "asset", "assets");
        if (index >= 0) element.asset_indexes.push_back(index);
      }
    }
  }

  void resolve_flows() {
    for (Flow& flow : model_.flows) {
      if (!flow.from.value.empty()) flow.from_index = resolve(flow.from, model_.element_ids, "element", "from");
      if (!flow.to.value.empty()) flow.to_index = resolve(flow.to, model_.element_ids, "element", "to");
      for (const Text& asset : flow.data) {
        int index = resolve(asset, model_.asset_ids, "asset", "data");
        if (index >= 0) flow.data_indexes.push_back(index);
      }
      for (const Text& asset : flow.in_url) {
        int index = resolve(asset, model_.asset_ids, "asset", "in_url");
        if (index < 0) continue;
        flow.in_url_indexes.push_back(index);
        if (std::find(flow.data_indexes.begin(), flow.data_indexes.end(), index) == flow.data_indexes.end()) {
          context_.sink.error("in-url-not-in-data", asset.location,
                              fmt::format("'{}' is in 'in_url' but not in the flow's 'data'; list it "
                                          "in both",
                                          asset.value));
        }
      }
    }
    // A response runs between the same two elements as its request, the
    // other way; it answers a request, never another response.
    for (Flow& flow : model_.flows) {
      if (!flow.response_to) continue;
      int request = resolve(*flow.response_to, model_.flow_ids, "flow", "response_to");
      if (request < 0) continue;
      const Flow& asked = model_.flows[static_cast<size_t>(request)];
      if (asked.response_to || asked.from_index != flow.to_index || asked.to_index != flow.from_index) {
        context_.sink.error("invalid-response", flow.response_to->location,
                            fmt::format("flow '{}' answers '{}', which must be a request from '{}' to '{}'", flow.id,
                                        asked.id, flow.to.value, flow.from.value));
        continue;
      }
      flow.response_to_index = request;
    }
  }

  void resolve_paths() {
    for (RequestPath& path : model_.paths) {
      for (const Text& flow : path.flows) {
        int index = resolve(flow, model_.flow_ids, "flow", "flows");
        if (index >= 0) path.flow_indexes.push_back(index);
      }
    }
  }

  // A threat or dismissal target: an element, flow or boundary.
  bool resolve_target(const Text& id, TargetKind& kind, int& index, std::string_view field) {
    if ((index = model_.find_element(id.value)) >= 0) {
      kind = TargetKind::element;
    } else if ((index = model_.find_flow(id.value)) >= 0) {
      kind = TargetKind::flow;
    } else if ((index = model_.find_boundary(id.value)) >= 0) {
      kind = TargetKind::boundary;
    } else {
      if (!target_suggester_) {
        std::vector<std::string> candidates = model_.element_ids.sorted_ids();
        for (const std::string& flow : model_.flow_ids.sorted_ids()) candidates.push_back(flow);
        for (const std::string& boundary : model_.boundary_ids.sorted_ids()) candidates.push_back(boundary);
        target_suggester_.emplace(std::move(candidates));
      }
      context_.sink.error("unknown-reference", id.location,
                          fmt::format("unknown element, flow or boundary '{}' in '{}'{}", id.value, field,
                                      target_suggester_->did_you_mean(id.value)));
      return false;
    }
    return true;
  }

  void resolve_threats() {
    IdIndex actor_ids;
    for (size_t i = 0; i < model_.actors.size(); ++i) actor_ids.insert(model_.actors[i].id, static_cast<int>(i));
    for (Threat& threat : model_.threats) {
      for (TargetRef& target : threat.targets) resolve_target(target.id, target.kind, target.index, "target");
      if (threat.actor) threat.actor_index = resolve(*threat.actor, actor_ids, "actor", "actor");
    }
  }

  void resolve_dismissals() {
    for (Dismissal& dismissal : model_.dismissed) {
      check_rule(dismissal.rule);
      for (const Text& id : dismissal.targets) {
        TargetKind kind;
        int index;
        if (!id.value.empty()) resolve_target(id, kind, index, "target");
      }
      if (dismissal.tag) check_tag(*dismissal.tag, "target");
    }
    for (RuleSetting& setting : model_.rule_settings) {
      check_rule(setting.rule);
      for (const Text& tag : setting.for_tags) check_tag(tag, "for_tags");
    }
  }

  // A rule named by `rules:` or `dismissed:` must be one the analysis runs.
  void check_rule(const Text& rule) {
    const std::vector<std::string>& known = context_.options.known_rules;
    if (known.empty() || rule.value.empty()) return;
    if (std::find(known.begin(), known.end(), rule.value) != known.end()) return;
    auto near = closest_match(rule.value, known);
    context_.sink.error("unknown-rule", rule.location,
                        near ? fmt::format("unknown rule '{}'; did you mean '{}'?", rule.value, *near)
                             : fmt::format("unknown rule '{}'; 'tmc rules' lists the rules", rule.value));
  }

  // A tag that selects targets must be on at least one element or flow.
  void check_tag(const Text& tag, std::string_view field) {
    std::vector<std::string> used;
    for (const Element& element : model_.elements) {
      for (const Text& t : element.tags) used.push_back(t.value);
    }
    for (const Flow& flow : model_.flows) {
      for (const Text& t : flow.tags) used.push_back(t.value);
    }
    if (std::find(used.begin(), used.end(), tag.value) != used.end()) return;
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    context_.sink.error("unknown-tag", tag.location,
                        fmt::format("no element or flow has the tag '{}' named in '{}'{}", tag.value, field,
                                    did_you_mean(tag.value, used)));
  }

  void resolve_attack_trees() {
    for (AttackTree& tree : model_.attack_trees) {
      if (tree.threat) tree.threat_index = resolve(*tree.threat, model_.threat_ids, "threat", "threat");
    }
    for (AttackNode& node : model_.attack_nodes) {
      if (node.kind == AttackNodeKind::ref && node.ref) {
        node.ref_index = resolve(*node.ref, model_.attack_node_ids, "attack tree node", "ref");
      }
      for (const Text& mitigation : node.mitigated_by) {
        int index = resolve(mitigation, model_.mitigation_ids, "mitigation", "mitigated_by");
        if (index >= 0) node.mitigated_by_indexes.push_back(index);
      }
    }
    check_ref_cycles();
  }

  // Iterative depth-first search over children and ref edges.
  void check_ref_cycles() {
    const size_t n = model_.attack_nodes.size();
    std::vector<int> state(n, 0);
    auto edges = [&](size_t node) {
      const AttackNode& current = model_.attack_nodes[node];
      std::vector<int> out = current.children;
      if (current.ref_index >= 0) out.push_back(current.ref_index);
      return out;
    };
    for (size_t start = 0; start < n; ++start) {
      if (state[start] != 0) continue;
      struct Frame {
        size_t node;
        std::vector<int> next;
        size_t position;
      };
      std::vector<Frame> stack{{start, edges(start), 0}};
      state[start] = 1;
      while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.position == frame.next.size()) {
          state[frame.node] = 2;
          stack.pop_back();
          continue;
        }
        size_t next = static_cast<size_t>(frame.next[frame.position++]);
        if (state[next] == 1) {
          report_cycle(stack, next);
          // Break the loop so evaluation never follows it.
          for (const Frame& member : stack) {
            AttackNode& node = model_.attack_nodes[member.node];
            if (node.ref_index == static_cast<int>(next)) node.ref_index = -1;
          }
        } else if (state[next] == 0) {
          state[next] = 1;
          stack.push_back({next, edges(next), 0});
        }
      }
    }
  }

  template <typename Stack>
  void report_cycle(const Stack& stack, size_t back_to) {
    std::string names;
    const AttackNode* ref = nullptr;
    bool in_cycle = false;
    for (const auto& frame : stack) {
      if (frame.node == back_to) in_cycle = true;
      if (!in_cycle) continue;
      const AttackNode& node = model_.attack_nodes[frame.node];
      std::string name = !node.id.empty() ? node.id : node.ref ? "ref " + node.ref->value : "'" + node.title + "'";
      names += (names.empty() ? "" : " -> ") + name;
      if (node.kind == AttackNodeKind::ref) ref = &node;
    }
    const AttackNode& first = model_.attack_nodes[back_to];
    names += " -> " + (!first.id.empty() ? first.id : "'" + first.title + "'");
    context_.sink.error("ref-cycle", ref != nullptr && ref->ref ? ref->ref->location : first.location,
                        fmt::format("attack tree nodes refer to each other in a cycle: {}", names));
  }

  BuildContext& context_;
  Model& model_;
  std::map<const void*, Suggester> suggesters_;
  std::optional<Suggester> target_suggester_;
};

}  // namespace

void resolve_references(BuildContext& context) { Resolver(context).run(); }

}  // namespace tmc::model
