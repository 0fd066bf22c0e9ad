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
  // An id of up to 8 bytes (most: "e1234", "f12_3") is kept in its slot,
  // so that a lookup reads one slot and nothing else; a longer one lives
  // in keys_.
  static constexpr uint32_t kInline = 8;
  struct Slot {
    union {
      uint64_t offset;        // of the id in keys_, when longer than kInline
      char text[kInline];     // the id itself, when at most kInline bytes
    };
    uint32_t length = 0;
    uint32_t hash = 0;
    int32_t value = -1;   // -1: empty slot
    Slot() : offset(0) {}
  };
  static uint32_t hash_of(std::string_view id);
  // The id of an occupied slot; valid until the table grows.
  std::string_view key(const Slot& slot) const {
    if (slot.length <= kInline) return std::string_view(slot.text, slot.length);
    return std::string_view(keys_).substr(slot.offset, slot.length);
  }
  // The slot holding `id`, or the empty slot where it would go.
  size_t probe(std::string_view id, uint32_t hash) const;
  void grow(size_t capacity);

  std::vector<Slot> slots_;  // a power of two, at most 3/4 full
  std::string keys_;
  size_t size_ = 0;
};

}  // namespace tmc::model
