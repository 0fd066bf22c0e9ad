#include "render/sink.h"

namespace tmc::render {

Sink::Sink(size_t capacity) : buffer_(new char[capacity == 0 ? 1 : capacity]), capacity_(capacity == 0 ? 1 : capacity) {}

void Sink::flush() {
  if (used_ == 0) return;
  size_t used = used_;
  used_ = 0;
  take({buffer_.get(), used});
}

void Sink::spill(std::string_view text) {
  flush();
  if (text.size() >= capacity_) {
    take(text);  // a large piece goes through unbuffered
    return;
  }
  text.copy(buffer_.get(), text.size());
  used_ = text.size();
}

}  // namespace tmc::render
