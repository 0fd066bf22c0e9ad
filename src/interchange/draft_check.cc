// check_draft(): what only the whole imported model can tell, checked as
// the model builder checks it, but reported at the source file's lines.
#include <fmt/format.h>

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "interchange/draft.h"

namespace tmc::interchange {

namespace {

// As deep as the model format lets boundaries nest (docs/model-format.md).
constexpr int kMaxBoundaryDepth = 32;
// Members of a cycle a message names before "and N more".
constexpr size_t kCycleShown = 8;

class DraftChecker {
 public:
  DraftChecker(const Draft& draft, DiagnosticSink& sink) : draft_(draft), m_(draft.model), sink_(sink) {
    for (size_t i = 0; i < m_.boundaries.size(); ++i) boundaries_.emplace(m_.boundaries[i].id, i);
    for (const auto& e : m_.elements) elements_.insert(e.id);
    for (const auto& f : m_.flows) flows_.insert(f.id);
    for (const auto& a : m_.assets) assets_.insert(a.id);
    for (const auto& a : m_.actors) actors_.insert(a.id);
  }

  void run() {
    for (const auto& e : m_.elements) {
      if (e.boundary) known(*e.boundary, boundaries_.count(e.boundary->value) != 0, "boundary", "boundary");
      for (const auto& a : e.assets) known(a, assets_.count(a.value) != 0, "asset", "assets");
    }
    for (const auto& f : m_.flows) {
      known(f.from, elements_.count(f.from.value) != 0, "element", "from");
      known(f.to, elements_.count(f.to.value) != 0, "element", "to");
      for (const auto& a : f.data) known(a, assets_.count(a.value) != 0, "asset", "data");
      for (const auto& a : f.in_url) {
        if (!known(a, assets_.count(a.value) != 0, "asset", "in_url")) continue;
        bool carried = false;
        for (const auto& d : f.data) carried = carried || d.value == a.value;
        if (!carried) {
          sink_.error("import-reference", a.location,
                      fmt::format("'{}' is in 'in_url' but not in the flow's 'data'; list it in both", a.value));
        }
      }
    }
    for (const auto& p : m_.paths) {
      for (const auto& f : p.flows) known(f, flows_.count(f.value) != 0, "flow", "flows");
    }
    for (const auto& t : m_.threats) {
      for (const auto& target : t.targets) known(target.id, is_target(target.id.value), "element, flow or boundary", "target");
      if (t.actor) known(*t.actor, actors_.count(t.actor->value) != 0, "actor", "actor");
    }
    for (const auto& d : m_.dismissed) {
      for (const auto& target : d.targets) known(target, is_target(target.value), "element, flow or boundary", "target");
      if (d.tag) known(*d.tag, has_tag(d.tag->value), "tag (on no element or flow)", "target");
    }
    for (const auto& b : m_.boundaries) {
      if (b.parent) known(*b.parent, boundaries_.count(b.parent->value) != 0, "boundary", "parent");
    }
    check_nesting();
  }

 private:
  // Reports `ref` unless `found`; returns `found`.
  bool known(const model::Text& ref, bool found, std::string_view kind, std::string_view field) {
    if (!found) sink_.error("import-reference", ref.location, fmt::format("unknown {} '{}' in '{}'", kind, ref.value, field));
    return found;
  }

  bool is_target(const std::string& id) const {
    return elements_.count(id) != 0 || flows_.count(id) != 0 || boundaries_.count(id) != 0;
  }

  bool has_tag(const std::string& tag) {
    if (!tags_read_) {
      tags_read_ = true;
      for (const auto& e : m_.elements) {
        for (const auto& t : e.tags) tags_.insert(t.value);
      }
      for (const auto& f : m_.flows) {
        for (const auto& t : f.tags) tags_.insert(t.value);
      }
    }
    return tags_.count(tag) != 0;
  }

  int parent_of(size_t b) const {
    const auto& parent = m_.boundaries[b].parent;
    if (!parent) return -1;
    auto it = boundaries_.find(parent->value);
    return it == boundaries_.end() ? -1 : static_cast<int>(it->second);
  }

  // Boundaries nest without a cycle (one error per cycle) and at most
  // kMaxBoundaryDepth deep (one error where a chain passes the limit).
  // Each boundary is walked once.
  void check_nesting() {
    const size_t n = m_.boundaries.size();
    std::vector<int> depth(n, 0);  // 0: not known yet; -1: on a cycle
    std::vector<bool> on_walk(n, false);
    for (size_t start = 0; start < n; ++start) {
      std::vector<size_t> walk;
      int at = static_cast<int>(start);
      while (at >= 0 && depth[static_cast<size_t>(at)] == 0 && !on_walk[static_cast<size_t>(at)]) {
        on_walk[static_cast<size_t>(at)] = true;
        walk.push_back(static_cast<size_t>(at));
        at = parent_of(static_cast<size_t>(at));
      }
      for (size_t i : walk) on_walk[i] = false;
      int above = at < 0 ? 0 : depth[static_cast<size_t>(at)];
      if (at >= 0 && depth[static_cast<size_t>(at)] == 0) {
        // The walk came back to `at`: from there to its end is a cycle.
        size_t first = 0;
        while (walk[first] != static_cast<size_t>(at)) ++first;
        report_cycle(std::vector<size_t>(walk.begin() + static_cast<long>(first), walk.end()));
        for (size_t i = first; i < walk.size(); ++i) depth[walk[i]] = -1;
        walk.resize(first);
        above = -1;
      }
      for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
        // Below a cycle is as far as anything gets: the cycle is the error.
        depth[*it] = above < 0 ? -1 : above + 1;
        if (above == kMaxBoundaryDepth) {
          const auto& b = m_.boundaries[*it];
          sink_.error("import-limit", b.parent->location,
                      fmt::format("trust boundary '{}' is nested more than {} levels deep; tmc nests boundaries at "
                                  "most {} deep",
                                  b.name.empty() ? shown(b.id) : b.name, kMaxBoundaryDepth, kMaxBoundaryDepth));
        }
        above = depth[*it];
      }
    }
  }

  void report_cycle(const std::vector<size_t>& cycle) {
    std::string chain;
    for (size_t i = 0; i < cycle.size() && i < kCycleShown; ++i) chain += shown(m_.boundaries[cycle[i]].id) + " -> ";
    if (cycle.size() > kCycleShown) chain += fmt::format("... ({} more) -> ", cycle.size() - kCycleShown);
    chain += shown(m_.boundaries[cycle[0]].id);
    const auto& b = m_.boundaries[cycle[0]];
    sink_.error("import-reference", b.parent->location, fmt::format("trust zones nest in a cycle: {}", chain));
  }

  // An id as the source file wrote it.
  std::string shown(const std::string& id) const {
    auto it = draft_.source_ids.find(id);
    return it == draft_.source_ids.end() ? id : it->second;
  }

  const Draft& draft_;
  const model::Model& m_;
  DiagnosticSink& sink_;
  std::unordered_map<std::string, size_t> boundaries_;
  std::unordered_set<std::string> elements_, flows_, assets_, actors_, tags_;
  bool tags_read_ = false;
};

}  // namespace

bool check_draft(const Draft& draft, DiagnosticSink& sink) {
  size_t before = sink.error_count();
  DraftChecker(draft, sink).run();
  return sink.error_count() == before;
}

}  // namespace tmc::interchange
