// parse_document(): libyaml events -> syntax tree, built iteratively with
// an explicit stack so that no input can exhaust the call stack.
#include <yaml.h>

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "load/json_escapes.h"
#include "load/loader.h"
#include "load/text_checks.h"

namespace tmc::load {

namespace {

// A collection under construction: its node, and its children so far at
// the top of the parser's scratch stacks (from `first_child` on).
struct Frame {
  Node node;                // kind and location; children are set at its end
  size_t nodes_before = 0;  // node count when the node started (for anchors)
  std::string anchor;
  size_t first_child = 0;   // into items_ or entries_
  bool have_key = false;
  std::string_view key;
  SourceLocation key_location;
  // Keys seen, for duplicate detection in large mappings (small ones are
  // searched directly).
  std::unordered_map<std::string_view, SourceLocation> key_locations;
};

struct Anchor {
  Node node;        // a copy shares the anchored node's children
  size_t size = 0;  // nodes in the anchored subtree, expansions included
};

bool is_standard_tag(const char* tag) {
  static const char* const kStandard[] = {
      "tag:yaml.org,2002:str",  "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
      "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
      "tag:yaml.org,2002:seq",  "!"};
  for (const char* standard : kStandard) {
    if (std::string_view(tag) == standard) return true;
  }
  return false;
}

// Children of the open collections, for trivially copyable T. Grows with
// realloc (a large block grows in place, without a second copy alongside)
// and hands a large finished tail to the arena instead of copying it, so
// that a file of millions of values costs one array of its nodes, not two.
template <typename T>
class ScratchStack {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  ScratchStack() = default;
  ScratchStack(const ScratchStack&) = delete;
  ScratchStack& operator=(const ScratchStack&) = delete;
  ~ScratchStack() { std::free(data_); }

  size_t size() const { return size_; }
  const T& operator[](size_t i) const { return data_[i]; }
  void push_back(const T& value) {
    if (size_ == capacity_) grow();
    data_[size_++] = value;
  }
  // Moves elements [first, size()) into memory owned by `arena` and pops
  // them. Returns the array (nullptr when empty) and its length in `count`.
  const T* settle(size_t first, Arena& arena, uint32_t& count);

 private:
  void grow() {
    size_t capacity = capacity_ == 0 ? 16 : capacity_ * 2;
    void* data = std::realloc(data_, capacity * sizeof(T));
    if (data == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(data);
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

template <typename T>
const T* ScratchStack<T>::settle(size_t first, Arena& arena, uint32_t& count) {
  const size_t n = size_ - first;
  count = static_cast<uint32_t>(n);
  if (n == 0) return nullptr;
  constexpr size_t kAdoptBytes = 1u << 20;
  if (n * sizeof(T) >= kAdoptBytes && first <= n) {
    // The tail is most of the buffer: the arena takes the buffer, the
    // (smaller) rest of the stack moves to a new one.
    T* rest = nullptr;
    if (first > 0) {
      rest = static_cast<T*>(std::malloc(first * sizeof(T)));
      if (rest == nullptr) throw std::bad_alloc();
      std::memcpy(rest, data_, first * sizeof(T));
      std::memmove(data_, data_ + first, n * sizeof(T));
    }
    T* out = static_cast<T*>(std::realloc(data_, n * sizeof(T)));  // shrinks in place
    if (out == nullptr) out = data_;
    data_ = rest;
    size_ = capacity_ = first;
    arena.adopt(out);
    return out;
  }
  T* out = static_cast<T*>(arena.allocate(n * sizeof(T), alignof(T)));
  std::memcpy(out, data_ + first, n * sizeof(T));
  size_ = first;
  return out;
}

class DocumentParser {
 public:
  DocumentParser(uint32_t file, const LoadLimits& limits, DiagnosticSink& sink)
      : file_(file), limits_(limits), sink_(sink), arena_(std::make_shared<Arena>()) {}

  // Parses `text`, the file's text or (`rewrite` not null) its rewrite with
  // JSON surrogate pairs as YAML escapes; positions are the file's either way.
  SyntaxTree parse(std::string_view text, const SurrogatePairRewrite* rewrite = nullptr);

 private:
  // libyaml's column of `mark`, in the file (not the rewrite).
  size_t column_of(const yaml_mark_t& mark) const {
    return mark.column + (rewrite_ != nullptr ? rewrite_->column_shift(mark.line, mark.index) : 0);
  }
  SourceLocation at(const yaml_mark_t& mark, const yaml_mark_t* end = nullptr) const {
    const size_t column = column_of(mark);
    SourceLocation location{file_, static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(column + 1), 0};
    if (end != nullptr && end->line == mark.line && column_of(*end) > column) {
      location.length = static_cast<uint32_t>(column_of(*end) - column);
    }
    return location;
  }
  // Adds a finished node to its parent (or makes it the root). Returns
  // false when parsing must stop.
  bool attach(const Node& node);
  // A scalar that is a mapping key: no node is made for it.
  bool attach_key(std::string_view text, bool quoted, const SourceLocation& location);
  bool start_collection(const yaml_event_t& event, NodeKind kind);
  bool end_collection();
  bool count(size_t nodes, bool through_alias, const SourceLocation& location);
  void syntax_error(const yaml_parser_t& parser);
  // The scalar's text: a view into the file when spelled as in the file,
  // else a copy in the arena.
  std::string_view scalar_text(const yaml_event_t& event);

  uint32_t file_;
  const LoadLimits& limits_;
  DiagnosticSink& sink_;
  std::shared_ptr<Arena> arena_;
  std::string_view source_;  // what libyaml reads: the file's text or its rewrite
  std::string_view file_text_;
  const SurrogatePairRewrite* rewrite_ = nullptr;
  // libyaml marks count characters: the byte offset of the last mark seen,
  // to map the next one forward in linear time.
  size_t mark_chars_ = 0;
  size_t mark_bytes_ = 0;
  std::vector<Frame> stack_;
  ScratchStack<Node> items_;            // children of the open sequences
  ScratchStack<MappingEntry> entries_;  // children of the open mappings
  std::unordered_map<std::string, Anchor> anchors_;
  NodePtr root_ = nullptr;
  size_t nodes_ = 0;
  size_t alias_nodes_ = 0;
};

std::string_view DocumentParser::scalar_text(const yaml_event_t& event) {
  std::string_view value(reinterpret_cast<const char*>(event.data.scalar.value), event.data.scalar.length);
  if (value.empty()) return {};
  size_t chars = event.start_mark.index;
  if (chars < mark_chars_) mark_chars_ = mark_bytes_ = 0;
  while (mark_chars_ < chars && mark_bytes_ < source_.size()) {
    // Eight ASCII bytes are eight characters: most of a file goes by in these steps.
    if (chars - mark_chars_ >= 8 && source_.size() - mark_bytes_ >= 8 && eight_ascii_bytes(source_, mark_bytes_)) {
      mark_bytes_ += 8;
      mark_chars_ += 8;
      continue;
    }
    ++mark_bytes_;
    while (mark_bytes_ < source_.size() && (static_cast<unsigned char>(source_[mark_bytes_]) & 0xC0) == 0x80) {
      ++mark_bytes_;
    }
    ++mark_chars_;
  }
  for (size_t start : {mark_bytes_, mark_bytes_ + 1}) {  // plain, or after the opening quote
    if (start + value.size() <= source_.size() && source_.compare(start, value.size(), value) == 0) {
      return source_.substr(start, value.size());
    }
  }
  return arena_->copy(value);
}

bool DocumentParser::count(size_t nodes, bool through_alias, const SourceLocation& location) {
  if (through_alias) {
    alias_nodes_ += nodes;
    if (alias_nodes_ > limits_.max_alias_nodes) {
      sink_.error("alias-expansion", location,
                  fmt::format("aliases expand to more than {} nodes; this looks like a "
                              "'billion laughs' file and is rejected",
                              limits_.max_alias_nodes));
      return false;
    }
    return true;
  }
  nodes_ += nodes;
  if (nodes_ > limits_.max_nodes) {
    sink_.error("too-many-nodes", location,
                fmt::format("the file has more than {} values", limits_.max_nodes));
    return false;
  }
  return true;
}

bool DocumentParser::attach(const Node& node) {
  if (stack_.empty()) {
    root_ = new (arena_->allocate(sizeof(Node), alignof(Node))) Node(node);
    return true;
  }
  Frame& parent = stack_.back();
  if (parent.node.kind == NodeKind::sequence) {
    items_.push_back(node);
    return true;
  }
  if (!parent.have_key) {
    if (!node.is_scalar()) {
      sink_.error("complex-key", node.location, "mapping keys must be plain strings");
      return false;
    }
    return attach_key(node.text(), node.quoted, node.location);
  }
  parent.have_key = false;
  const SourceLocation* first = nullptr;
  constexpr size_t kSmallMapping = 16;
  const size_t entry_count = entries_.size() - parent.first_child;
  if (entry_count < kSmallMapping) {
    for (size_t i = parent.first_child; i < entries_.size(); ++i) {
      if (entries_[i].key == parent.key) first = &entries_[i].key_location;
    }
  } else {
    if (parent.key_locations.empty()) {
      for (size_t i = parent.first_child; i < entries_.size(); ++i) {
        parent.key_locations.emplace(entries_[i].key, entries_[i].key_location);
      }
    }
    auto [it, inserted] = parent.key_locations.emplace(parent.key, parent.key_location);
    if (!inserted) first = &it->second;
  }
  if (first != nullptr) {
    sink_.error("duplicate-key", parent.key_location,
                fmt::format("duplicate key '{}'", parent.key), {{*first, "first defined here"}});
    return true;  // keep the first value, report every duplicate
  }
  NodePtr value = new (arena_->allocate(sizeof(Node), alignof(Node))) Node(node);
  entries_.push_back({parent.key, parent.key_location, value});
  return true;
}

bool DocumentParser::attach_key(std::string_view text, bool quoted, const SourceLocation& location) {
  if (!quoted && text == "<<") {
    sink_.error("merge-key", location, "merge keys ('<<') are not supported; write the keys out");
    return false;
  }
  Frame& parent = stack_.back();
  parent.have_key = true;
  parent.key = text;
  parent.key_location = location;
  return true;
}

bool DocumentParser::start_collection(const yaml_event_t& event, NodeKind kind) {
  SourceLocation location = at(event.start_mark);
  const yaml_char_t* tag = kind == NodeKind::mapping ? event.data.mapping_start.tag
                                                     : event.data.sequence_start.tag;
  const yaml_char_t* anchor = kind == NodeKind::mapping ? event.data.mapping_start.anchor
                                                        : event.data.sequence_start.anchor;
  if (tag != nullptr && !is_standard_tag(reinterpret_cast<const char*>(tag))) {
    sink_.error("yaml-tag", location,
                fmt::format("YAML tag '{}' is not allowed in a model file",
                            reinterpret_cast<const char*>(tag)));
    return false;
  }
  if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
    sink_.error("too-deep", location,
                fmt::format("values are nested more than {} levels deep", limits_.max_depth));
    return false;
  }
  if (!count(1, false, location)) return false;
  Frame frame;
  frame.node.kind = kind;
  frame.node.location = location;
  frame.nodes_before = nodes_ + alias_nodes_ - 1;
  frame.first_child = kind == NodeKind::sequence ? items_.size() : entries_.size();
  if (anchor != nullptr) frame.anchor = reinterpret_cast<const char*>(anchor);
  stack_.push_back(std::move(frame));
  return true;
}

bool DocumentParser::end_collection() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  size_t size = nodes_ + alias_nodes_ - frame.nodes_before;
  uint32_t count = 0;
  Node node;
  if (frame.node.kind == NodeKind::sequence) {
    const Node* items = items_.settle(frame.first_child, *arena_, count);
    node = Node::sequence(frame.node.location, items, count);
  } else {
    const MappingEntry* entries = entries_.settle(frame.first_child, *arena_, count);
    node = Node::mapping(frame.node.location, entries, count);
  }
  if (!frame.anchor.empty()) anchors_[frame.anchor] = {node, size};
  return attach(node);
}

// libyaml's problem text, reworded for people who write model files.
std::string reword_problem(const std::string& problem) {
  static const std::pair<const char*, const char*> kRewordings[] = {
      {"mapping values are not allowed in this context",
       "a ':' is not allowed here; quote a value that contains ': ' or check the indentation"},
      {"did not find expected key", "expected a key here; check the indentation"},
      {"did not find expected '-' indicator",
       "expected a list item ('- ') here; check the indentation"},
      {"found unexpected end of stream", "the file ends before this value is closed"},
      {"found character that cannot start any token",
       "this character cannot start a value; a value starting with @, ` or % must be quoted"},
      {"found undefined tag handle", "unknown tag handle; tags are not allowed in model files"},
      {"block sequence entries are not allowed in this context",
       "a list item ('- ') is not allowed here; check the indentation"},
      {"found a tab character that violates indentation",
       "tab in indentation; YAML indents with spaces only"},
      {"could not find expected ':'", "expected ':' after this key"},
  };
  for (const auto& [from, to] : kRewordings) {
    if (problem == from) return to;
  }
  const std::string expected = "did not find expected ";
  if (problem.rfind(expected, 0) == 0) return "expected " + problem.substr(expected.size()) + " here";
  return problem;
}

// libyaml's context ("while parsing a flow sequence") as a note.
std::string reword_context(std::string context) {
  for (const char* prefix : {"while parsing ", "while scanning "}) {
    if (context.rfind(prefix, 0) == 0) context = context.substr(std::string_view(prefix).size());
  }
  static const std::pair<const char*, const char*> kNames[] = {
      {"a flow sequence", "the list ('[')"},        {"a block collection", "the list"},
      {"a flow mapping", "the mapping ('{')"},      {"a block mapping", "the mapping"},
      {"a quoted scalar", "the quoted string"},     {"a block scalar", "the block text"},
      {"a simple key", "the key"},                  {"a plain scalar", "the value"},
  };
  for (const auto& [from, to] : kNames) {
    if (context == from) return fmt::format("{} that started here", to);
  }
  return context + " that started here";
}

void DocumentParser::syntax_error(const yaml_parser_t& parser) {
  if (parser.error == YAML_READER_ERROR) {
    // Invalid UTF-8 was reported before; what is left are control characters.
    size_t offset = rewrite_ != nullptr ? rewrite_->file_offset(parser.problem_offset) : parser.problem_offset;
    SourceLocation location = location_of_offset(file_, file_text_, offset);
    std::string message = parser.problem != nullptr ? parser.problem : "unreadable text";
    if (message == "control characters are not allowed" && parser.problem_value >= 0) {
      message = fmt::format("control character U+{:04X} is not allowed in a model file",
                            parser.problem_value);
    }
    sink_.error("yaml-syntax", location, std::move(message));
    return;
  }
  SourceLocation location = at(parser.problem_mark);
  std::string message =
      reword_problem(parser.problem != nullptr ? parser.problem : "invalid YAML");
  std::vector<DiagnosticNote> notes;
  SourceLocation context_location = at(parser.context_mark);
  if (parser.context != nullptr && !(context_location == location)) {
    notes.push_back({context_location, reword_context(parser.context)});
  }
  sink_.error("yaml-syntax", location, std::move(message), std::move(notes));
}

SyntaxTree DocumentParser::parse(std::string_view text, const SurrogatePairRewrite* rewrite) {
  file_text_ = text;
  rewrite_ = rewrite;
  // Scalars view the text libyaml reads: a rewrite lives as long as the tree.
  source_ = rewrite != nullptr ? arena_->copy(rewrite->text) : text;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    sink_.error("yaml-syntax", {file_, 0, 0, 0}, "cannot initialize the YAML parser");
    return {};
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(source_.data()),
                               source_.size());
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  bool ok = true;
  bool done = false;
  int documents = 0;
  while (ok && !done) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      syntax_error(parser);
      ok = false;
      break;
    }
    switch (event.type) {
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1) {
          sink_.error("multiple-documents", at(event.start_mark),
                      "a model file holds one YAML document; split the others into "
                      "files and list them under 'include:'");
          ok = false;
        }
        break;
      case YAML_MAPPING_START_EVENT:
        ok = start_collection(event, NodeKind::mapping);
        break;
      case YAML_SEQUENCE_START_EVENT:
        ok = start_collection(event, NodeKind::sequence);
        break;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        ok = end_collection();
        break;
      case YAML_SCALAR_EVENT: {
        SourceLocation location = at(event.start_mark, &event.end_mark);
        const yaml_char_t* tag = event.data.scalar.tag;
        if (tag != nullptr && !is_standard_tag(reinterpret_cast<const char*>(tag))) {
          sink_.error("yaml-tag", location,
                      fmt::format("YAML tag '{}' is not allowed in a model file",
                                  reinterpret_cast<const char*>(tag)));
          ok = false;
          break;
        }
        if (!count(1, false, location)) {
          ok = false;
          break;
        }
        const bool quoted = event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
                            (tag != nullptr && !event.data.scalar.plain_implicit);
        if (event.data.scalar.anchor == nullptr && !stack_.empty() &&
            stack_.back().node.kind == NodeKind::mapping && !stack_.back().have_key) {
          ok = attach_key(scalar_text(event), quoted, location);  // keys need no node
          break;
        }
        Node node = Node::scalar(location, scalar_text(event), quoted);
        if (event.data.scalar.anchor != nullptr) {
          anchors_[reinterpret_cast<const char*>(event.data.scalar.anchor)] = {node, 1};
        }
        ok = attach(node);
        break;
      }
      case YAML_ALIAS_EVENT: {
        SourceLocation location = at(event.start_mark, &event.end_mark);
        std::string name = reinterpret_cast<const char*>(event.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          sink_.error("undefined-alias", location, fmt::format("alias '*{}' has no anchor", name));
          ok = false;
          break;
        }
        ok = count(it->second.size, true, location) && attach(it->second.node);
        break;
      }
      default:
        break;
    }
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  if (!ok) return {};
  if (!root_) {
    sink_.error("empty-file", {file_, 0, 0, 0}, "the file is empty; a model starts with 'tmc: 1'");
    return {};
  }
  if (!root_->is_mapping()) {
    sink_.error("not-a-mapping", root_->location,
                fmt::format("a model file must be a mapping of keys ('tmc: 1', 'title: ...'), "
                            "found {}",
                            describe(*root_)));
    return {};
  }
  return {root_, std::move(arena_)};
}

}  // namespace

SyntaxTree parse_document(uint32_t file, const SourceManager& sources, const LoadLimits& limits,
                          DiagnosticSink& sink) {
  const std::string& text = sources.contents(file);
  // Files are read up to one byte past the limit (FileSystem::read), so
  // the size past it is not known.
  if (text.size() > limits.max_file_bytes) {
    sink.error("file-too-large", {file, 0, 0, 0},
               fmt::format("the file holds more than {} bytes, the limit (change it with --max-file-size)",
                           limits.max_file_bytes));
    return {};
  }
  if (text.size() > UINT32_MAX) {  // a node holds 32-bit sizes
    sink.error("file-too-large", {file, 0, 0, 0},
               fmt::format("the file is {} bytes; tmc reads files of at most 4 GiB", text.size()));
    return {};
  }
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    sink.error("bom", {file, 1, 1, 3},
               "the file starts with a byte order mark; save it as UTF-8 without BOM");
    return {};
  }
  if (auto bad = find_invalid_utf8(file, text)) {
    sink.error("invalid-utf8", *bad, "the file is not valid UTF-8 here");
    return {};
  }
  if (auto tab = find_tab_indentation(file, text)) {
    sink.error("tab-indent", *tab, "tab in indentation; YAML indents with spaces only");
    return {};
  }
  DocumentParser parser(file, limits, sink);
  if (auto rewrite = rewrite_surrogate_pairs(text)) return parser.parse(text, &*rewrite);
  return parser.parse(text);
}

}  // namespace tmc::load
