// Why fork + libgvc rather than exec of the `dot` program: tmc already
// links libgvc (the `graphviz` package with the `dot` program is not a
// dependency, and on the reference machine it is not installed), a fork
// hands the child the DOT text without a second pipe or a temporary file,
// and a child that we wrote ourselves can set its own limits, skip the
// freeing that crashes Graphviz 2.42 (the child _exit()s right after
// writing, as the `dot` program effectively does) and honour the test hook.
// What exec would add (a fresh address space) the limits below already
// give: the child can only hurt itself.
#include "render/layout.h"

#include <fcntl.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#if defined(__SANITIZE_ADDRESS__)
#define TMC_LAYOUT_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TMC_LAYOUT_UNDER_ASAN 1
#endif
#endif

namespace tmc::render {

namespace {

// Exit codes of the child besides 0 (SVG written).
constexpr int kGraphvizError = 3;

// Graphviz reports errors through a C callback; the text is collected here.
// Only ever touched in the child process.
std::string& child_errors() {
  static std::string errors;
  return errors;
}

int collect_graphviz_error(char* message) {
  if (child_errors().size() < 4096) child_errors() += message;
  return 0;
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t wrote = ::write(fd, data, size);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += wrote;
    size -= static_cast<size_t>(wrote);
  }
  return true;
}

// Bytes of address space this process maps now (VmSize), 0 if unknown.
[[maybe_unused]] uint64_t address_space_now() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0;
  if (!(statm >> pages)) return 0;
  return pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

void apply_limits(const LayoutLimits& limits) {
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(limits.time).count();
  rlim_t cpu = static_cast<rlim_t>(seconds) + 1;
  rlimit cpu_limit{cpu, cpu + 1};
  ::setrlimit(RLIMIT_CPU, &cpu_limit);
#ifndef TMC_LAYOUT_UNDER_ASAN
  // ASan reserves terabytes of shadow address space up front, so an
  // address-space limit would only break the sanitizer build; there the
  // time limits still hold.
  uint64_t base = address_space_now();
  if (base > 0) {
    rlimit memory{static_cast<rlim_t>(base + limits.memory_bytes), static_cast<rlim_t>(base + limits.memory_bytes)};
    ::setrlimit(RLIMIT_AS, &memory);
  }
#endif
  ::alarm(static_cast<unsigned>(seconds) + 2);  // a backstop if the parent dies
}

// The child: never returns. Writes the SVG to `out` and exits 0, or writes
// Graphviz's error text and exits kGraphvizError. Frees nothing: the
// process ends right after the write (this is what keeps Graphviz 2.42's
// invalid free in gvFreeLayout from ever running).
[[noreturn]] void run_child(const std::string& dot, const LayoutLimits& limits, int out) {
  // Graphviz writes warnings of its own to stderr ("Warning: ... too many
  // labels", "dot: graph is too large ..."): tmc's diagnostics say what
  // matters, so the child's standard streams go nowhere. Its errors reach
  // the parent through the pipe (collect_graphviz_error).
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) ::dup2(null, fd);
  }
  ::signal(SIGPIPE, SIG_DFL);
  ::signal(SIGALRM, SIG_DFL);
  apply_limits(limits);
  if (const char* fault = std::getenv("TMC_TEST_LAYOUT_FAULT"); fault != nullptr && *fault != '\0') {
    std::string_view hook(fault);
    if (hook == "abort" || (hook == "abort-unless-simplified" && dot.find("tmc-simplified") == std::string::npos)) std::abort();
    if (hook == "hang") {
      for (;;) ::pause();
    }
    if (hook == "garbage") {
      static const char kGarbage[] = "<?xml version=\"1.0\"?>\n<svg><g><text>cut off";
      write_all(out, kGarbage, sizeof kGarbage - 1);
      ::_exit(0);
    }
  }
  agseterr(AGERR);
  agseterrf(collect_graphviz_error);
  GVC_t* context = gvContext();
  Agraph_t* graph = context != nullptr ? agmemread(dot.c_str()) : nullptr;
  char* data = nullptr;
  unsigned int length = 0;
  bool ok = graph != nullptr && gvLayout(context, graph, "dot") == 0 && gvRenderData(context, graph, "svg", &data, &length) == 0 &&
            data != nullptr && agerrors() == 0;
  if (!ok) {
    std::string& errors = child_errors();
    if (errors.empty()) errors = context == nullptr ? "cannot start Graphviz" : "Graphviz could not lay out the diagram";
    write_all(out, errors.data(), errors.size());
    ::_exit(kGraphvizError);
  }
  ::_exit(write_all(out, data, length) ? 0 : kGraphvizError);
}

std::string first_line(std::string text) {
  size_t end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

}  // namespace

std::string seconds_text(std::chrono::milliseconds time) {
  const long long tenths = (time.count() + 50) / 100;  // rounded
  return tenths % 10 == 0 ? fmt::format("{} s", tenths / 10) : fmt::format("{}.{} s", tenths / 10, tenths % 10);
}

const char* to_string(LayoutStatus status) {
  switch (status) {
    case LayoutStatus::ok: return "ok";
    case LayoutStatus::cannot_start: return "could not start";
    case LayoutStatus::crashed: return "crashed";
    case LayoutStatus::timed_out: return "timed out";
    case LayoutStatus::graphviz_error: return "reported an error";
    case LayoutStatus::invalid_output: return "returned no valid SVG";
  }
  return "failed";
}

bool looks_like_svg(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return false;
  if (text.compare(start, 5, "<?xml") != 0 && text.compare(start, 4, "<svg") != 0) return false;
  if (text.find("<svg", start) == std::string::npos) return false;
  size_t end = text.find_last_not_of(" \t\r\n");
  return end >= 5 && text.compare(end - 5, 6, "</svg>") == 0;
}

LayoutResult layout_svg(const std::string& dot, const LayoutLimits& limits) {
  LayoutResult result;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.detail = fmt::format("cannot create a pipe for the layout process: {}", std::strerror(errno));
    return result;
  }
  std::fflush(nullptr);  // nothing buffered is written twice
  pid_t child = ::fork();
  if (child < 0) {
    result.detail = fmt::format("cannot start the layout process: {}", std::strerror(errno));
    ::close(fds[0]);
    ::close(fds[1]);
    return result;
  }
  if (child == 0) {
    ::close(fds[0]);
    run_child(dot, limits, fds[1]);
  }
  ::close(fds[1]);

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + limits.time;
  std::string output;
  bool timed_out = false, too_large = false;
  char buffer[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd ready{fds[0], POLLIN, 0};
    int polled = ::poll(&ready, 1, static_cast<int>(std::min<long long>(left, 60000)));
    if (polled < 0 && errno != EINTR) break;
    if (polled <= 0) continue;
    ssize_t got = ::read(fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // end of file: the child closed its end (it exited)
    output.append(buffer, static_cast<size_t>(got));
    if (output.size() > limits.max_output_bytes) {
      too_large = true;
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  // The pipe closes when the child exits; a child that closed it without
  // exiting gets until the deadline, then the kill.
  bool reaped = false;
  while (!timed_out && !too_large) {
    pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child || (done < 0 && errno != EINTR)) {
      reaped = true;
      break;
    }
    if (Clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    ::usleep(1000);
  }
  if (!reaped) {
    ::kill(child, SIGKILL);
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }

  if (timed_out) {
    result.status = LayoutStatus::timed_out;
    result.detail = fmt::format("the layout process ran past {} and was stopped", seconds_text(limits.time));
  } else if (too_large) {
    result.status = LayoutStatus::invalid_output;
    result.detail = fmt::format("the layout process wrote more than {} bytes", limits.max_output_bytes);
  } else if (WIFSIGNALED(status)) {
    int signal = WTERMSIG(status);
    result.status = signal == SIGXCPU || signal == SIGALRM || signal == SIGKILL ? LayoutStatus::timed_out : LayoutStatus::crashed;
    result.detail = fmt::format("the layout process (Graphviz) died from signal {} ({})", signal, strsignal(signal));
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == kGraphvizError) {
    result.status = LayoutStatus::graphviz_error;
    result.detail = "Graphviz: " + first_line(output);
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    result.status = LayoutStatus::crashed;
    result.detail = fmt::format("the layout process exited with status {}", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else if (!looks_like_svg(output)) {
    result.status = LayoutStatus::invalid_output;
    result.detail = "the layout process returned no complete SVG document";
  } else {
    result.status = LayoutStatus::ok;
    result.svg = std::move(output);
  }
  return result;
}

}  // namespace tmc::render
