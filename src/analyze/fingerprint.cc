#include "analyze/fingerprint.h"

#include <fmt/format.h>

#include <cstdint>

namespace tmc::analyze {

namespace {

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

const char* kind_name(model::TargetKind kind) {
  switch (kind) {
    case model::TargetKind::element: return "element";
    case model::TargetKind::flow: return "flow";
    case model::TargetKind::boundary: return "boundary";
  }
  return "?";
}

}  // namespace

std::string fingerprint(const model::Model& model, const std::vector<RuleFinding>& findings,
                        const RankedItem& item) {
  std::string key;
  if (item.kind == RankedItem::Kind::finding) {
    const RuleFinding& f = findings[static_cast<size_t>(item.index)];
    key = "tmc-finding/v1";
    for (const std::string& part : {f.rule, std::string(kind_name(f.target_kind)), f.target_id, f.why}) {
      key += '\0';
      key += part;
    }
  } else {
    const model::Threat& t = model.threats[static_cast<size_t>(item.index)];
    key = "tmc-threat/v1";
    key += '\0';
    key += t.id;
    for (const model::TargetRef& target : t.targets) {
      key += '\0';
      key += target.id.value;
    }
  }
  return fmt::format("{:016x}", fnv1a(key));
}

}  // namespace tmc::analyze
