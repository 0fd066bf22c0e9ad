// Writes an imported model as the YAML a person would write.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "base/utf8.h"
#include "interchange/draft.h"

namespace tmc::interchange {

namespace {

using model::Text;

bool looks_special(const std::string& value) {
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"};
  std::string lower;
  for (char c : value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : kWords) {
    if (lower == word) return true;
  }
  // Numbers, dates and times would not read back as strings.
  bool numeric = !value.empty();
  for (char c : value) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' ||
          c == 'E' || c == ':' || c == '_')) {
      numeric = false;
    }
  }
  return numeric;
}

// Whether code point `code` may stand as it is in a YAML scalar: printable for YAML 1.2, not a line
// break for YAML 1.1 (NEL, U+2028, U+2029: libyaml ends the line there, and
// what follows would be read as structure), not a byte order mark, and
// nothing terminal_safe() would change, so that `import -o -` prints
// exactly what a file gets. Tabs and line feeds are up to each style.
bool verbatim(uint32_t code) {
  if (code < 0x80) return code >= 0x20 && code != 0x7F;
  if (code <= 0x9F || is_unicode_line_break(code) || is_bidi_control(code)) return false;  // C1 controls
  if (code == 0xFEFF || code == 0xFFFE || code == 0xFFFF) return false;
  return true;
}

// Whether every character of `value` but line feeds is verbatim().
bool verbatim_text(const std::string& value, bool line_feeds) {
  for (size_t i = 0; i < value.size();) {
    uint32_t code = 0;
    size_t length = utf8_sequence(value, i, code);
    if (length == 0) return false;
    if (!verbatim(code) && !(line_feeds && code == '\n')) return false;
    i += length;
  }
  return true;
}

bool plain_safe(const std::string& value) {
  if (value.empty() || value.size() > 200 || looks_special(value)) return false;
  if (value.front() == ' ' || value.back() == ' ') return false;
  unsigned char first = static_cast<unsigned char>(value.front());
  if (!(std::isalnum(first) || first == '_' || first == '/' || first == '(')) return false;
  if (!verbatim_text(value, false)) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80) continue;  // verbatim UTF-8 text is fine in plain scalars
    if (std::isalnum(c)) continue;
    if (std::string_view(" _./-()'+=<>;!?&*%$").find(static_cast<char>(c)) != std::string_view::npos) {
      // "&" and "*" open anchors/aliases only at the start; checked above.
      continue;
    }
    if (c == ':' && i + 1 < value.size() && value[i + 1] != ' ') continue;  // HTTP://, 10:00
    return false;
  }
  return value.find(" #") == std::string::npos && value.back() != ':';
}

// A double-quoted scalar: every character that is not verbatim() is an
// escape (\n, \t, \x85, \u2028, ...), so the scalar is one line of
// printable ASCII and verbatim UTF-8 that any YAML reader reads back as
// `value`. A byte that is not UTF-8 (never in a loaded or imported text)
// becomes \uFFFD.
std::string quoted(const std::string& value) {
  std::string out = "\"";
  for (size_t i = 0; i < value.size();) {
    uint32_t code = 0;
    size_t length = utf8_sequence(value, i, code);
    if (length == 0) {
      out += "\\uFFFD";
      ++i;
      continue;
    }
    switch (code) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (verbatim(code)) {
          out.append(value, i, length);
        } else if (code <= 0xFF) {
          out += fmt::format("\\x{:02X}", code);
        } else {
          out += fmt::format("\\u{:04X}", code);
        }
    }
    i += length;
  }
  return out + "\"";
}

// A multi-line text as a literal block (`|` or `|-`) indented by `indent`,
// when YAML reads it back exactly; otherwise nullopt.
std::optional<std::string> literal_block(const std::string& value, int indent) {
  if (value.find('\n') == std::string::npos || value.size() > 100'000) return std::nullopt;
  if (value.front() == ' ' || value.front() == '\n') return std::nullopt;
  size_t trailing = 0;
  for (size_t i = value.size(); i > 0 && value[i - 1] == '\n'; --i) ++trailing;
  if (trailing > 1) return std::nullopt;
  if (!verbatim_text(value, true)) return std::nullopt;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == ' ' && (i + 1 == value.size() || value[i + 1] == '\n')) return std::nullopt;  // trailing spaces
  }
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string out = trailing == 1 ? "|" : "|-";
  size_t start = 0;
  std::string body = trailing == 1 ? value.substr(0, value.size() - 1) : value;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += "\n" + (line.empty() ? "" : pad + line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// Inside [ ] libyaml reads ':' as an indicator, so such strings are quoted.
std::string flow_item(const std::string& value) {
  return plain_safe(value) && value.find(':') == std::string::npos ? value : quoted(value);
}

std::string flow_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + flow_item(values[i]);
  return out + "]";
}

std::vector<std::string> values(const std::vector<Text>& texts) {
  std::vector<std::string> out;
  for (const Text& t : texts) out.push_back(t.value);
  return out;
}

// Writes one list item: `- {key: value, ...}` when it fits in 80 columns and every
// value reads the same in a flow mapping, else one `key: value` per line.
class ItemWriter {
 public:
  ItemWriter(std::string& out, int indent) : out_(out), indent_(indent) {}
  ~ItemWriter() { flush(); }
  ItemWriter(const ItemWriter&) = delete;
  ItemWriter& operator=(const ItemWriter&) = delete;

  void field(const std::string& key, const std::string& rendered) { fields_.emplace_back(key, rendered); }
  void text(const std::string& key, const std::string& value) {
    if (value.empty()) return;
    auto block = literal_block(value, indent_ + 4);
    field(key, block ? *block : yaml_string(value));
  }
  void list(const std::string& key, const std::vector<std::string>& list_values) {
    if (!list_values.empty()) field(key, flow_list(list_values));
  }
  // A key whose value follows on indented lines: the item is written in
  // block style up to here.
  void open(const std::string& key) {
    write_block();
    out_ += pad() + (first_ ? "- " : "  ") + key + ":\n";
    first_ = false;
  }
  int child_indent() const { return indent_ + 4; }
  // Writes what is buffered in block style, before nested text follows.
  void block() { write_block(); }

 private:
  std::string pad() const { return std::string(static_cast<size_t>(indent_), ' '); }

  static bool flow_safe(const std::string& rendered) {
    if (rendered.empty() || rendered[0] == '|') return false;
    if (rendered[0] == '"' || rendered[0] == '[' || rendered[0] == '{') return true;  // quoted or already a flow collection
    return rendered.find_first_of(":,[]{}#") == std::string::npos;
  }

  void flush() {
    if (fields_.empty()) return;
    if (first_) {
      std::string line = "- {";
      bool fits = true;
      for (size_t i = 0; i < fields_.size() && fits; ++i) {
        fits = flow_safe(fields_[i].second);
        line += (i ? ", " : "") + fields_[i].first + ": " + fields_[i].second;
      }
      line += "}";
      if (fits && static_cast<int>(line.size()) + indent_ <= 80) {
        out_ += pad() + line + "\n";
        fields_.clear();
        return;
      }
    }
    write_block();
  }

  void write_block() {
    for (const auto& [key, rendered] : fields_) {
      out_ += pad() + (first_ ? "- " : "  ") + key + ": " + rendered + "\n";
      first_ = false;
    }
    fields_.clear();
  }

  std::string& out_;
  int indent_;
  bool first_ = true;
  std::vector<std::pair<std::string, std::string>> fields_;
};

std::string letters(model::StrideSet set) {
  std::vector<std::string> out;
  for (int l = 0; l < model::kStrideCount; ++l) {
    if (model::has(set, static_cast<model::Stride>(l))) out.emplace_back(1, model::letter(static_cast<model::Stride>(l)));
  }
  return flow_list(out);
}

std::string clearances(const std::vector<model::Clearance>& clear) {
  std::string out = "{";
  for (size_t i = 0; i < clear.size(); ++i) {
    out += (i ? ", " : "") + std::string(1, model::letter(clear[i].letter)) + ": " + yaml_string(clear[i].reason);
  }
  return out + "}";
}

std::string number(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) return fmt::format("{}", static_cast<long long>(value));
  return fmt::format("{}", value);
}

void write_attack_node(const model::Model& m, int index, std::string& out, int indent, const std::string& key) {
  const model::AttackNode& node = m.attack_nodes[static_cast<size_t>(index)];
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string lead = key.empty() ? pad + "- " : pad + key + ":\n" + pad + "  ";
  std::string cont = pad + "  ";
  bool first = true;
  auto line = [&](const std::string& k, const std::string& v) {
    out += (first ? lead : cont) + k + ": " + v + "\n";
    first = false;
  };
  if (node.kind == model::AttackNodeKind::ref) {
    line("ref", yaml_string(node.ref ? node.ref->value : ""));
    return;
  }
  if (!node.id.empty()) line("id", yaml_string(node.id));
  if (!node.title.empty()) line("title", yaml_string(node.title));
  if (node.kind == model::AttackNodeKind::leaf) {
    if (node.cost_level) {
      static const char* const kCosts[] = {"trivial", "low", "medium", "high", "impossible"};
      line("cost", kCosts[static_cast<int>(*node.cost_level)]);
    } else if (node.cost) {
      line("cost", number(*node.cost));
    }
    if (node.skill) line("skill", model::to_string(*node.skill));
    if (node.time_hours) line("time", number(*node.time_hours));
    if (!node.mitigated_by.empty()) line("mitigated_by", flow_list(values(node.mitigated_by)));
    return;
  }
  out += (first ? lead : cont) + (node.kind == model::AttackNodeKind::and_node ? "and" : "or") + ":\n";
  for (int child : node.children) write_attack_node(m, child, out, indent + 4, "");
}

}  // namespace

std::string yaml_string(const std::string& value) { return plain_safe(value) ? value : quoted(value); }

std::string write_yaml(const Draft& draft) {
  const model::Model& m = draft.model;
  std::string out;
  // A comment ends at a line break: a header line (it names the source
  // file) that holds one, or anything else not verbatim, is written quoted.
  for (const std::string& line : draft.header) {
    out += line.empty() ? "#\n" : "# " + (verbatim_text(line, false) ? line : quoted(line)) + "\n";
  }
  out += "tmc: 1\n";
  out += "title: " + yaml_string(m.title.empty() ? "Imported model" : m.title) + "\n";
  if (!m.scope.empty()) {
    auto block = literal_block(m.scope, 2);
    out += "scope: " + (block ? *block : yaml_string(m.scope)) + "\n";
  }
  if (!m.in_scope.empty()) out += "in_scope: " + flow_list(m.in_scope) + "\n";
  if (!m.out_of_scope.empty()) out += "out_of_scope: " + flow_list(m.out_of_scope) + "\n";
  if (!m.authors.empty()) out += "authors: " + flow_list(m.authors) + "\n";
  if (m.reviewed) out += "reviewed: " + m.reviewed->to_string() + "\n";
  if (m.review_every != 90) out += fmt::format("review_every: {}\n", m.review_every);
  if (!m.review_when.empty()) out += "review_when: " + flow_list(m.review_when) + "\n";
  if (m.scale != 3) out += fmt::format("scale: {}\n", m.scale);
  if (m.max_threats != 30) out += fmt::format("max_threats: {}\n", m.max_threats);
  if (!m.asset_classes.empty()) out += "asset_classes: " + flow_list(values(m.asset_classes)) + "\n";

  if (!m.assumptions.empty()) {
    out += "\nassumptions:\n";
    for (const auto& a : m.assumptions) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(a.id));
      item.text("text", a.text);
    }
  }
  if (!m.actors.empty()) {
    out += "\nactors:\n";
    for (const auto& a : m.actors) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(a.id));
      if (a.name != a.id) item.text("name", a.name);
      item.text("description", a.description);
    }
  }
  if (!m.assets.empty()) {
    out += "\nassets:\n";
    for (const auto& a : m.assets) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(a.id));
      if (a.name != a.id) item.text("name", a.name);
      item.text("description", a.description);
      item.text("owner", a.owner);
      item.list("classes", values(a.classes));
      if (a.confidentiality != model::Level::unset) item.field("confidentiality", model::to_string(a.confidentiality));
      if (a.integrity != model::Level::unset) item.field("integrity", model::to_string(a.integrity));
      if (a.availability != model::Level::unset) item.field("availability", model::to_string(a.availability));
    }
  }
  if (!m.boundaries.empty()) {
    out += "\nboundaries:\n";
    for (const auto& b : m.boundaries) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(b.id));
      if (b.name != b.id) item.text("name", b.name);
      item.text("description", b.description);
      if (b.parent) item.field("parent", yaml_string(b.parent->value));
      if (b.trust) item.field("trust", std::to_string(*b.trust));
    }
  }
  if (!m.elements.empty()) {
    out += "\nelements:\n";
    for (const auto& e : m.elements) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(e.id));
      if (e.name != e.id) item.text("name", e.name);
      item.text("description", e.description);
      item.field("type", model::to_string(e.type));
      if (e.type == model::ElementType::store && e.store != model::StoreKind::none) item.field("store", model::to_string(e.store));
      if (e.boundary) item.field("boundary", yaml_string(e.boundary->value));
      if (e.internet_facing) item.field("internet_facing", "true");
      if (e.multi_tenant) item.field("multi_tenant", "true");
      item.list("assets", values(e.assets));
      item.list("controls", values(e.controls));
      if (e.privilege != model::Privilege::unset) item.field("privilege", model::to_string(e.privilege));
      item.list("tags", values(e.tags));
      if (!e.clear.empty()) item.field("clear", clearances(e.clear));
    }
  }
  if (!m.flows.empty()) {
    out += "\nflows:\n";
    for (const auto& f : m.flows) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(f.id));
      item.field("from", yaml_string(f.from.value));
      item.field("to", yaml_string(f.to.value));
      item.text("label", f.label);
      item.text("protocol", f.protocol);
      item.text("description", f.description);
      item.list("data", values(f.data));
      item.list("in_url", values(f.in_url));
      if (f.authentication) item.field("authentication", yaml_string(f.authentication->value));
      if (f.authorization) item.field("authorization", yaml_string(f.authorization->value));
      if (f.validation) item.field("validation", yaml_string(f.validation->value));
      item.list("controls", values(f.controls));
      item.list("tags", values(f.tags));
      if (!f.clear.empty()) item.field("clear", clearances(f.clear));
    }
  }
  if (!m.paths.empty()) {
    out += "\npaths:\n";
    for (const auto& p : m.paths) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(p.id));
      item.text("name", p.name);
      item.list("flows", values(p.flows));
    }
  }
  if (!m.threats.empty()) {
    out += "\nthreats:\n";
    for (const auto& t : m.threats) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(t.id));
      item.field("title", yaml_string(t.title.empty() ? t.id : t.title));
      item.text("description", t.description);
      std::vector<std::string> targets;
      for (const auto& target : t.targets) targets.push_back(target.id.value);
      if (targets.size() == 1) {
        item.field("target", yaml_string(targets[0]));
      } else {
        item.list("target", targets);
      }
      if (t.stride != 0) item.field("stride", letters(t.stride));
      if (t.privacy != 0) {
        std::vector<std::string> words;
        for (int p = 0; p < model::kPrivacyCount; ++p) {
          if (model::has(t.privacy, static_cast<model::Privacy>(p))) words.emplace_back(model::to_string(static_cast<model::Privacy>(p)));
        }
        item.list("privacy", words);
      }
      if (t.actor) item.field("actor", yaml_string(t.actor->value));
      item.field("likelihood", std::to_string(t.likelihood));
      item.field("impact", std::to_string(t.impact));
      if (t.cvss) item.field("cvss", yaml_string(t.cvss->value));
      item.field("status", model::to_string(t.status));
      if (t.identified) item.field("identified", t.identified->to_string());
      if (t.resolved) item.field("resolved", t.resolved->to_string());
      if (t.rule) item.field("rule", yaml_string(t.rule->value));
      item.text("accepted_by", t.accepted_by);
      if (t.accepted_until) item.field("accepted_until", t.accepted_until->to_string());
      item.text("transferred_to", t.transferred_to);
      item.text("reason", t.reason);
      if (!t.mitigations.empty()) {
        item.open("mitigations");
        for (const auto& mit : t.mitigations) {
          ItemWriter sub(out, item.child_indent());
          if (!mit.id.empty()) sub.field("id", yaml_string(mit.id));
          sub.field("description", yaml_string(mit.description.empty() ? "(no description)" : mit.description));
          sub.text("owner", mit.owner);
          if (mit.due) sub.field("due", mit.due->to_string());
          sub.field("status", model::to_string(mit.status));
          sub.text("acceptance", mit.acceptance);
          sub.text("test", mit.test);
          sub.text("estimate", mit.estimate);
        }
      }
    }
  }
  if (!m.dismissed.empty()) {
    out += "\ndismissed:\n";
    for (const auto& d : m.dismissed) {
      ItemWriter item(out, 2);
      item.field("rule", yaml_string(d.rule.value));
      if (d.all) {
        item.field("target", "all");
      } else if (d.tag) {
        item.field("target", "{tag: " + flow_item(d.tag->value) + "}");
      } else if (d.targets.size() == 1) {
        item.field("target", yaml_string(d.targets[0].value));
      } else {
        item.list("target", values(d.targets));
      }
      item.text("reason", d.reason);
      item.text("by", d.by);
    }
  }
  if (!m.attack_trees.empty()) {
    out += "\nattack_trees:\n";
    for (const auto& tree : m.attack_trees) {
      ItemWriter item(out, 2);
      item.field("id", yaml_string(tree.id));
      item.text("goal", tree.goal);
      if (tree.threat) item.field("threat", yaml_string(tree.threat->value));
      item.block();
      if (tree.root >= 0) write_attack_node(m, tree.root, out, 4, "root");
    }
  }
  if (!draft.source_ids.empty()) {
    out += "\n# Ids these entities had in the tool they came from; tmc export writes them back.\nx-source-ids:\n";
    for (const auto& [id, source] : draft.source_ids) out += "  " + yaml_string(id) + ": " + yaml_string(source) + "\n";
  }
  if (!draft.positions.empty()) {
    out += "\n# Positions in the source diagram (x, y), kept as layout hints.\nx-layout:\n";
    for (const auto& [id, at] : draft.positions) {
      out += "  " + yaml_string(id) + ": [" + number(std::round(at.first)) + ", " + number(std::round(at.second)) + "]\n";
    }
  }
  return out;
}

}  // namespace tmc::interchange
