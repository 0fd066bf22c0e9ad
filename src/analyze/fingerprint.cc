#include "analyze/fingerprint.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace tmc::analyze {

namespace {

// FNV-1a 64, fed piece by piece (no key string is built).
struct Fnv1a {
  uint64_t hash = 14695981039346656037ull;
  void add(std::string_view text) {
    for (unsigned char c : text) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
  }
  void separator() { add(std::string_view("\0", 1)); }
};

const char* kind_name(model::TargetKind kind) {
  switch (kind) {
    case model::TargetKind::element: return "element";
    case model::TargetKind::flow: return "flow";
    case model::TargetKind::boundary: return "boundary";
  }
  return "?";
}

}  // namespace

std::string fingerprint(const RuleFinding& finding) {
  Fnv1a key;
  key.add("tmc-finding/v1");
  // The rule's own message: not the places or parts an item names after it.
  std::string_view why = finding.why;
  if (finding.why_own > 0 && finding.why_own < why.size()) why = why.substr(0, finding.why_own);
  for (std::string_view part : {std::string_view(finding.rule), std::string_view(kind_name(finding.target_kind)),
                                std::string_view(finding.target_id), why}) {
    key.separator();
    key.add(part);
  }
  return fmt::format("{:016x}", key.hash);
}

std::string fingerprint(const model::Model& model, const std::vector<RuleFinding>& findings,
                        const RankedItem& item) {
  if (item.kind == RankedItem::Kind::finding) return fingerprint(findings[static_cast<size_t>(item.index)]);
  const model::Threat& t = model.threats[static_cast<size_t>(item.index)];
  Fnv1a key;
  key.add("tmc-threat/v1");
  key.separator();
  key.add(t.id);
  for (const model::TargetRef& target : t.targets) {
    key.separator();
    key.add(target.id.value);
  }
  return fmt::format("{:016x}", key.hash);
}

}  // namespace tmc::analyze
