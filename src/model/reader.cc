#include "model/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "base/suggest.h"

namespace tmc::model {

MapReader::MapReader(const load::Node& node, std::string what,
                     std::vector<std::string> known_keys, DiagnosticSink& sink)
    : node_(node),
      what_(std::move(what)),
      own_keys_(std::move(known_keys)),
      known_keys_(&own_keys_),
      read_large_(node.entries().size() > 64 ? node.entries().size() : 0, false),
      sink_(sink) {}

MapReader::MapReader(const load::Node& node, std::string what, const std::vector<std::string>* known_keys,
                     DiagnosticSink& sink)
    : node_(node),
      what_(std::move(what)),
      known_keys_(known_keys),
      read_large_(node.entries().size() > 64 ? node.entries().size() : 0, false),
      sink_(sink) {}

const load::MappingEntry* MapReader::entry(std::string_view key) {
  const size_t n = node_.entries().size();
  for (size_t k = 0, i = next_; k < n; ++k, i = i + 1 == n ? 0 : i + 1) {
    if (node_.entries()[i].key == key) {
      mark_read(i);
      next_ = i + 1 == n ? 0 : i + 1;
      return &node_.entries()[i];
    }
  }
  return nullptr;
}

const load::Node* MapReader::get(std::string_view key) {
  const load::MappingEntry* found = entry(key);
  return found != nullptr ? found->value : nullptr;
}

bool expect_scalar(const load::Node& value, std::string_view field, DiagnosticSink& sink) {
  if (value.is_scalar() && !value.is_null()) return true;
  sink.error("wrong-type", value.location,
             fmt::format("'{}' expects a single value, found {}", field, load::describe(value)));
  return false;
}

std::optional<Text> MapReader::text(std::string_view key, bool required) {
  const load::MappingEntry* found = entry(key);
  if (found == nullptr || (found->value->is_null() && required)) {
    if (required) {
      sink_.error("missing-key", found ? found->key_location : node_.location,
                  fmt::format("{} has no '{}'", what_, key));
    }
    return std::nullopt;
  }
  if (found->value->is_null()) return std::nullopt;
  if (!expect_scalar(*found->value, key, sink_)) return std::nullopt;
  return Text{std::string(found->value->text()), found->value->location};
}

std::string MapReader::string(std::string_view key, bool required) {
  auto value = text(key, required);
  return value ? value->value : std::string();
}

std::vector<Text> MapReader::text_list(std::string_view key) {
  std::vector<Text> out;
  const load::Node* value = get(key);
  if (value == nullptr || value->is_null()) return out;
  if (value->is_scalar()) {
    out.push_back({std::string(value->text()), value->location});
    return out;
  }
  if (!value->is_sequence()) {
    sink_.error("wrong-type", value->location,
                fmt::format("'{}' expects a list, found {}", key, load::describe(*value)));
    return out;
  }
  for (const load::NodePtr& item : value->items()) {
    if (expect_scalar(*item, key, sink_)) out.push_back({std::string(item->text()), item->location});
  }
  return out;
}

std::vector<std::string> MapReader::string_list(std::string_view key) {
  std::vector<std::string> out;
  for (Text& item : text_list(key)) out.push_back(std::move(item.value));
  return out;
}

std::optional<bool> MapReader::boolean(std::string_view key) {
  const load::Node* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!expect_scalar(*value, key, sink_)) return std::nullopt;
  if (!value->quoted && value->text() == "true") return true;
  if (!value->quoted && value->text() == "false") return false;
  std::string hint;
  if (value->text() == "yes" || value->text() == "on" || value->text() == "True") hint = "; did you mean 'true'?";
  if (value->text() == "no" || value->text() == "off" || value->text() == "False") hint = "; did you mean 'false'?";
  sink_.error("invalid-value", value->location,
              fmt::format("'{}' must be true or false, not '{}'{}", key, value->text(), hint));
  return std::nullopt;
}

std::optional<long> MapReader::integer(std::string_view key, long min, long max, bool required) {
  const load::MappingEntry* found = entry(key);
  if (found == nullptr || found->value->is_null()) {
    if (required) {
      sink_.error("missing-key", found ? found->key_location : node_.location,
                  fmt::format("{} has no '{}'", what_, key));
    }
    return std::nullopt;
  }
  const load::Node& value = *found->value;
  if (!expect_scalar(value, key, sink_)) return std::nullopt;
  long number = 0;
  const char* begin = value.text().data();
  const char* end = begin + value.text().size();
  auto [ptr, error] = std::from_chars(begin, end, number);
  if (value.quoted && error == std::errc() && ptr == end) {
    sink_.error("quoted-number", value.location, quoted_number_message(key, value.text()));
    return std::nullopt;
  }
  if (value.quoted || error != std::errc() || ptr != end) {
    sink_.error("wrong-type", value.location,
                fmt::format("'{}' expects a whole number, found '{}'", key, value.text()));
    return std::nullopt;
  }
  if (number < min || number > max) {
    sink_.error("invalid-value", value.location,
                max == std::numeric_limits<long>::max()
                    ? fmt::format("'{}' must be at least {}, not {}", key, min, number)
                    : fmt::format("'{}' must be between {} and {}, not {}", key, min, max, number));
    return std::nullopt;
  }
  return number;
}

std::optional<Date> MapReader::date(std::string_view key) {
  const load::Node* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!expect_scalar(*value, key, sink_)) return std::nullopt;
  auto parsed = parse_date(value->text());
  if (!parsed) {
    sink_.error("invalid-date", value->location,
                fmt::format("'{}' is not a date; write YYYY-MM-DD, e.g. 2026-03-12", value->text()));
  }
  return parsed;
}

std::string quoted_number_message(std::string_view key, std::string_view text) {
  return fmt::format("'{}' expects a number, not the quoted text \"{}\"; write {} without quotes", key, text, text);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> canonical_spelling(std::string_view word, const std::vector<std::string>& allowed) {
  std::optional<std::string> found;
  std::string lowered = lowercase(word);
  for (const std::string& option : allowed) {
    if (lowercase(option) != lowered) continue;
    if (found && *found != option) return std::nullopt;  // ambiguous (a list may repeat a value)
    found = option;
  }
  return found;
}

void warn_spelling(const SourceLocation& location, std::string_view field, std::string_view written,
                   std::string_view canonical, DiagnosticSink& sink) {
  sink.strict_warning("enum-case", location,
                      fmt::format("'{}' is read as {} '{}'; write it that way", written, field, canonical));
}

std::optional<std::string> check_choice(const load::Node& value, std::string_view field,
                                        const std::vector<std::string>& allowed,
                                        DiagnosticSink& sink) {
  if (!expect_scalar(value, field, sink)) return std::nullopt;
  for (const std::string& option : allowed) {
    if (value.text() == option) return option;
  }
  if (auto canonical = canonical_spelling(value.text(), allowed)) {
    warn_spelling(value.location, field, value.text(), *canonical, sink);
    return canonical;
  }
  std::string list;
  for (const std::string& option : allowed) list += (list.empty() ? "" : ", ") + option;
  std::string suggestion = did_you_mean(value.text(), allowed);
  sink.error("invalid-value", value.location,
             suggestion.empty()
                 ? fmt::format("'{}' is not a valid {} (expected one of: {})", value.text(), field, list)
                 : fmt::format("'{}' is not a valid {}{}", value.text(), field, suggestion));
  return std::nullopt;
}

std::optional<std::string> MapReader::choice(std::string_view key,
                                             const std::vector<std::string>& allowed) {
  const load::Node* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return check_choice(*value, key, allowed, sink_);
}

bool is_extension_key(std::string_view key) { return key.size() > 2 && key.compare(0, 2, "x-") == 0; }

void report_unknown_key(const load::MappingEntry& entry, std::string_view what,
                        const std::vector<std::string>& known_keys, DiagnosticSink& sink) {
  if (is_extension_key(entry.key)) return;
  std::string hint = did_you_mean(entry.key, known_keys);
  if (hint.empty()) hint = "; a team's own keys start with 'x-'";
  sink.error("unknown-key", entry.key_location, fmt::format("unknown key '{}' in {}{}", entry.key, what, hint));
}

void MapReader::finish() {
  for (size_t i = 0; i < node_.entries().size(); ++i) {
    if (was_read(i)) continue;
    const load::MappingEntry& unknown = node_.entries()[i];
    if (unknown.key.rfind("x-", 0) == 0) continue;  // a team's own extension (SPEC 1): kept and ignored
    // A known key left unread was judged by another diagnostic already.
    if (std::find(known_keys_->begin(), known_keys_->end(), unknown.key) != known_keys_->end()) continue;
    report_unknown_key(unknown, what_, *known_keys_, sink_);
  }
}

}  // namespace tmc::model
