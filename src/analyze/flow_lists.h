// The flows at each element (those ending there, or those starting
// there), every element's list in one array. Private to analyze/.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace tmc::analyze {

class FlowLists {
 public:
  // REQUIRES: `element_of(f)` is an element index or -1 for every flow f.
  template <typename ElementOf>
  FlowLists(size_t elements, size_t flows, ElementOf element_of) : starts_(elements + 1, 0) {
    for (size_t f = 0; f < flows; ++f) {
      if (int e = element_of(f); e >= 0) ++starts_[static_cast<size_t>(e) + 1];
    }
    for (size_t e = 0; e < elements; ++e) starts_[e + 1] += starts_[e];
    flows_.resize(starts_[elements]);
    std::vector<uint32_t> next(starts_.begin(), starts_.end() - 1);
    for (size_t f = 0; f < flows; ++f) {
      if (int e = element_of(f); e >= 0) flows_[next[static_cast<size_t>(e)]++] = static_cast<int>(f);
    }
  }
  std::span<const int> operator[](size_t element) const {
    return {flows_.data() + starts_[element], flows_.data() + starts_[element + 1]};
  }

 private:
  std::vector<uint32_t> starts_;  // element e's flows are flows_[starts_[e], starts_[e + 1])
  std::vector<int> flows_;        // in file order within each element
};

}  // namespace tmc::analyze
