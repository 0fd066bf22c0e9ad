#include "model/id_index.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

namespace tmc::model {

uint32_t IdIndex::hash_of(std::string_view id) {
  uint64_t hash = std::hash<std::string_view>{}(id);
  return static_cast<uint32_t>(hash ^ (hash >> 32));
}

size_t IdIndex::probe(std::string_view id, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    const Slot& slot = slots_[at];
    if (slot.value < 0) return at;
    if (slot.hash == hash && key(slot) == id) return at;
  }
}

void IdIndex::grow(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  for (const Slot& slot : old) {
    if (slot.value < 0) continue;
    const size_t mask = capacity - 1;
    size_t at = slot.hash & mask;
    while (slots_[at].value >= 0) at = (at + 1) & mask;
    slots_[at] = slot;
  }
}

void IdIndex::reserve(size_t count) {
  size_t capacity = slots_.empty() ? 16 : slots_.size();
  while (capacity / 4 * 3 < count) capacity *= 2;
  if (capacity > slots_.size()) grow(capacity);
}

std::pair<int, bool> IdIndex::insert(std::string_view id, int value) {
  if (value < 0) throw std::invalid_argument("IdIndex holds indexes, not negative values");
  if (id.size() > std::numeric_limits<uint32_t>::max()) throw std::length_error("an id of over 4 GiB");
  reserve(size_ + 1);
  const uint32_t hash = hash_of(id);
  Slot& slot = slots_[probe(id, hash)];
  if (slot.value >= 0) return {slot.value, false};
  slot.length = static_cast<uint32_t>(id.size());
  slot.hash = hash;
  slot.value = value;
  if (id.size() <= kInline) {
    std::memcpy(slot.text, id.data(), id.size());
  } else {
    slot.offset = keys_.size();
    keys_.append(id);
  }
  ++size_;
  return {value, true};
}

int IdIndex::find(std::string_view id) const {
  if (slots_.empty()) return -1;
  return slots_[probe(id, hash_of(id))].value;
}

std::vector<std::string> IdIndex::sorted_ids() const {
  std::vector<std::string> ids;
  ids.reserve(size_);
  for (const Slot& slot : slots_) {
    if (slot.value >= 0) ids.emplace_back(key(slot));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace tmc::model
