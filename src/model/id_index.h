// Ids to indexes: the lookup table behind Model::find_element() and the
// builder's uniqueness check. One open-addressing table of small slots and
// one buffer holding every id's text, instead of a tree node and a string
// per id: resolving the 60,000 endpoints of a 30,000-flow model costs a
// hash and about one cache miss each. A plain value: copies and moves keep
// it valid.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tmc::model {

class IdIndex {
 public:
  // Adds `id` with `value` unless the index has it. Returns the value held
  // for `id` (the new one, or the one first added) and whether it was added.
  std::pair<int, bool> insert(std::string_view id, int value);
  // The value of `id`, or -1.
  int find(std::string_view id) const;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Room for `count` ids without growing.
  void reserve(size_t count);
  // Every id, sorted (for suggestions and listings).
  std::vector<std::string> sorted_ids() const;

 private:
  struct Slot {
    uint64_t offset = 0;  // of the id in keys_
    uint32_t length = 0;
    uint32_t hash = 0;
    int32_t value = -1;   // -1: empty slot
  };
  static uint32_t hash_of(std::string_view id);
  std::string_view key(const Slot& slot) const { return std::string_view(keys_).substr(slot.offset, slot.length); }
  // The slot holding `id`, or the empty slot where it would go.
  size_t probe(std::string_view id, uint32_t hash) const;
  void grow(size_t capacity);

  std::vector<Slot> slots_;  // a power of two, at most 3/4 full
  std::string keys_;
  size_t size_ = 0;
};

}  // namespace tmc::model
