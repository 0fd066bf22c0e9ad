// parse_document(): libyaml events -> syntax tree, built iteratively with
// an explicit stack so that no input can exhaust the call stack.
#include <yaml.h>

#include <fmt/format.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "load/loader.h"
#include "load/text_checks.h"

namespace tmc::load {

namespace {

// A node under construction and, for mappings, the key waiting for its value.
struct Frame {
  std::shared_ptr<Node> node;
  size_t nodes_before = 0;  // node count when the node started (for anchors)
  std::string anchor;
  bool have_key = false;
  std::string key;
  SourceLocation key_location;
  // Keys seen, for duplicate detection in large mappings (small ones are
  // searched directly).
  std::unordered_map<std::string, SourceLocation> key_locations;
};

struct Anchor {
  NodePtr node;
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

class DocumentParser {
 public:
  DocumentParser(uint32_t file, const LoadLimits& limits, DiagnosticSink& sink)
      : file_(file), limits_(limits), sink_(sink) {}

  NodePtr parse(const std::string& text);

 private:
  SourceLocation at(const yaml_mark_t& mark, const yaml_mark_t* end = nullptr) const {
    SourceLocation location{file_, static_cast<uint32_t>(mark.line + 1),
                            static_cast<uint32_t>(mark.column + 1), 0};
    if (end != nullptr && end->line == mark.line && end->column > mark.column) {
      location.length = static_cast<uint32_t>(end->column - mark.column);
    }
    return location;
  }
  // Adds a finished node to its parent (or makes it the root). Returns
  // false when parsing must stop.
  bool attach(NodePtr node, size_t size);
  bool start_collection(const yaml_event_t& event, NodeKind kind);
  bool end_collection();
  bool count(size_t nodes, bool through_alias, const SourceLocation& location);
  void syntax_error(const yaml_parser_t& parser, const std::string& text);

  uint32_t file_;
  const LoadLimits& limits_;
  DiagnosticSink& sink_;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchor> anchors_;
  NodePtr root_;
  size_t nodes_ = 0;
  size_t alias_nodes_ = 0;
};

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

bool DocumentParser::attach(NodePtr node, size_t size) {
  (void)size;
  if (stack_.empty()) {
    root_ = std::move(node);
    return true;
  }
  Frame& parent = stack_.back();
  Node& into = *parent.node;
  if (into.kind == NodeKind::sequence) {
    into.items.push_back(std::move(node));
    return true;
  }
  if (!parent.have_key) {
    if (!node->is_scalar()) {
      sink_.error("complex-key", node->location, "mapping keys must be plain strings");
      return false;
    }
    if (!node->quoted && node->text == "<<") {
      sink_.error("merge-key", node->location,
                  "merge keys ('<<') are not supported; write the keys out");
      return false;
    }
    parent.have_key = true;
    parent.key = node->text;
    parent.key_location = node->location;
    return true;
  }
  parent.have_key = false;
  const SourceLocation* first = nullptr;
  constexpr size_t kSmallMapping = 16;
  if (into.entries.size() < kSmallMapping) {
    for (const MappingEntry& entry : into.entries) {
      if (entry.key == parent.key) first = &entry.key_location;
    }
  } else {
    if (parent.key_locations.empty()) {
      for (const MappingEntry& entry : into.entries) {
        parent.key_locations.emplace(entry.key, entry.key_location);
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
  into.entries.push_back({std::move(parent.key), parent.key_location, std::move(node)});
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
  frame.node = std::make_shared<Node>();
  frame.node->kind = kind;
  frame.node->location = location;
  frame.nodes_before = nodes_ + alias_nodes_ - 1;
  if (anchor != nullptr) frame.anchor = reinterpret_cast<const char*>(anchor);
  stack_.push_back(std::move(frame));
  return true;
}

bool DocumentParser::end_collection() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  size_t size = nodes_ + alias_nodes_ - frame.nodes_before;
  NodePtr node = frame.node;
  if (!frame.anchor.empty()) anchors_[frame.anchor] = {node, size};
  return attach(std::move(node), size);
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

// Line and column (in characters, like libyaml's marks) of a byte offset.
SourceLocation location_of_offset(uint32_t file, const std::string& text, size_t offset) {
  SourceLocation location{file, 1, 1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++location.line;
      location.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++location.column;
    }
  }
  return location;
}

void DocumentParser::syntax_error(const yaml_parser_t& parser, const std::string& text) {
  if (parser.error == YAML_READER_ERROR) {
    // Invalid UTF-8 was reported before; what is left are control characters.
    SourceLocation location = location_of_offset(file_, text, parser.problem_offset);
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

NodePtr DocumentParser::parse(const std::string& text) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    sink_.error("yaml-syntax", {file_, 0, 0, 0}, "cannot initialize the YAML parser");
    return nullptr;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  bool ok = true;
  bool done = false;
  int documents = 0;
  while (ok && !done) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      syntax_error(parser, text);
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
        auto node = std::make_shared<Node>();
        node->kind = NodeKind::scalar;
        node->location = location;
        node->text.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                          event.data.scalar.length);
        node->quoted = event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
                       (tag != nullptr && !event.data.scalar.plain_implicit);
        if (event.data.scalar.anchor != nullptr) {
          anchors_[reinterpret_cast<const char*>(event.data.scalar.anchor)] = {node, 1};
        }
        ok = attach(std::move(node), 1);
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
        ok = count(it->second.size, true, location) && attach(it->second.node, it->second.size);
        break;
      }
      default:
        break;
    }
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  if (!ok) return nullptr;
  if (!root_) {
    sink_.error("empty-file", {file_, 0, 0, 0}, "the file is empty; a model starts with 'tmc: 1'");
    return nullptr;
  }
  if (!root_->is_mapping()) {
    sink_.error("not-a-mapping", root_->location,
                fmt::format("a model file must be a mapping of keys ('tmc: 1', 'title: ...'), "
                            "found {}",
                            describe(*root_)));
    return nullptr;
  }
  return root_;
}

}  // namespace

NodePtr parse_document(uint32_t file, const SourceManager& sources, const LoadLimits& limits,
                       DiagnosticSink& sink) {
  const std::string& text = sources.contents(file);
  if (text.size() > limits.max_file_bytes) {
    sink.error("file-too-large", {file, 0, 0, 0},
               fmt::format("the file is {} bytes, over the limit of {} bytes (change it with "
                           "--max-file-size)",
                           text.size(), limits.max_file_bytes));
    return nullptr;
  }
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    sink.error("bom", {file, 1, 1, 3},
               "the file starts with a byte order mark; save it as UTF-8 without BOM");
    return nullptr;
  }
  if (auto bad = find_invalid_utf8(file, text)) {
    sink.error("invalid-utf8", *bad, "the file is not valid UTF-8 here");
    return nullptr;
  }
  if (auto tab = find_tab_indentation(file, text)) {
    sink.error("tab-indent", *tab, "tab in indentation; YAML indents with spaces only");
    return nullptr;
  }
  DocumentParser parser(file, limits, sink);
  return parser.parse(text);
}

}  // namespace tmc::load
