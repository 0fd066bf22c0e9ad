// Scoring (SPEC 2.5): risk buckets of the two scales and the bucket names
// users give to --fail-on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyze/analysis.h"

namespace tmc::analyze {

// The bucket of `risk` (likelihood x impact) on scale 3 or 5.
RiskBucket bucket_for(int scale, int risk);

// Every bucket of the scale, top first.
std::vector<RiskBucket> buckets_of(int scale);

// The rank for a --fail-on name ("fix-now", "P1", ..., case-insensitive);
// "never" gives -1 (nothing fails the gate). nullopt when the name is not a
// bucket of this scale.
std::optional<int> parse_fail_on(int scale, const std::string& name);

// Raises a 1..3 default of the rule library to the model's scale
// (scale 5: 1 -> 2, 2 -> 3, 3 -> 4).
int scale_default(int scale, int value_on_three);

}  // namespace tmc::analyze
