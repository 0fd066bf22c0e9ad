#include "analyze/scoring.h"

#include <algorithm>
#include <cctype>

namespace tmc::analyze {

namespace {
const std::vector<RiskBucket>& buckets_ref(int scale) {
  static const std::vector<RiskBucket> kScale5 = {
      {0, "P0", "P0 critical"}, {1, "P1", "P1 high"}, {2, "P2", "P2 medium"}, {3, "P3", "P3 low"}};
  static const std::vector<RiskBucket> kScale3 = {{0, "fix-now", "fix now"}, {1, "fix-soon", "fix soon"}, {2, "watch", "watch"}};
  return scale == 5 ? kScale5 : kScale3;
}
}  // namespace

std::vector<RiskBucket> buckets_of(int scale) { return buckets_ref(scale); }

RiskBucket bucket_for(int scale, int risk) {
  const std::vector<RiskBucket>& buckets = buckets_ref(scale);
  if (scale == 5) {
    if (risk >= 16) return buckets[0];
    if (risk >= 9) return buckets[1];
    if (risk >= 4) return buckets[2];
    return buckets[3];
  }
  if (risk >= 6) return buckets[0];
  if (risk >= 3) return buckets[1];
  return buckets[2];
}

std::optional<int> parse_fail_on(int scale, const std::string& name) {
  std::string lowered = name;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered == "never") return -1;
  for (const RiskBucket& bucket : buckets_of(scale)) {
    std::string bucket_name = bucket.name;
    std::transform(bucket_name.begin(), bucket_name.end(), bucket_name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (bucket_name == lowered) return bucket.rank;
  }
  return std::nullopt;
}

int scale_default(int scale, int value_on_three) {
  if (scale != 5) return value_on_three;
  return value_on_three + 1;
}

}  // namespace tmc::analyze
