// Where a streaming renderer writes: its output in order, piece by piece.
// A Sink buffers the pieces and hands them on in chunks to its owner's
// take(): a string (StringSink) or a file (cli/output.h), so an output
// written through a sink is never held whole in memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace tmc::render {

class Sink {
 public:
  explicit Sink(size_t capacity = 64 * 1024);
  virtual ~Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  // Appends `text` (any bytes, NULs included) to the output.
  void write(std::string_view text) {
    if (text.size() <= capacity_ - used_) {
      text.copy(buffer_.get() + used_, text.size());
      used_ += text.size();
    } else {
      spill(text);
    }
  }
  void put(char c) {
    if (used_ == capacity_) flush();
    buffer_[used_++] = c;
  }
  // Hands everything buffered to take(). The owner calls it when the
  // renderer is done (StringSink::str() does).
  void flush();

 protected:
  // Receives the output in order, in chunks of any size (never empty).
  virtual void take(std::string_view chunk) = 0;

 private:
  void spill(std::string_view text);

  std::unique_ptr<char[]> buffer_;
  size_t capacity_;
  size_t used_ = 0;
};

// A sink that collects the output in a string (tests, small outputs,
// stdout).
class StringSink : public Sink {
 public:
  StringSink() : Sink(4096) {}
  // The whole output written so far (flushes first).
  std::string& str() {
    flush();
    return text_;
  }

 protected:
  void take(std::string_view chunk) override { text_.append(chunk); }

 private:
  std::string text_;
};

}  // namespace tmc::render
