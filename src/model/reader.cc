#include "model/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "base/suggest.h"

namespace tmc::model {

MapReader::MapReader(const load::Node& node, std::string what,
                     std::vector<std::string> known_keys, DiagnosticSink& sink)
    : node_(node),
      what_(std::move(what)),
      known_keys_(std::move(known_keys)),
      read_(node.entries().size(), false),
      sink_(sink) {}

const load::MappingEntry* MapReader::entry(std::string_view key) {
  for (size_t i = 0; i < node_.entries().size(); ++i) {
    if (node_.entries()[i].key == key) {
      read_[i] = true;
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
  return Text{std::string(found->value->text), found->value->location};
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
    out.push_back({std::string(value->text), value->location});
    return out;
  }
  if (!value->is_sequence()) {
    sink_.error("wrong-type", value->location,
                fmt::format("'{}' expects a list, found {}", key, load::describe(*value)));
    return out;
  }
  for (const load::NodePtr& item : value->items()) {
    if (expect_scalar(*item, key, sink_)) out.push_back({std::string(item->text), item->location});
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
  if (!value->quoted && value->text == "true") return true;
  if (!value->quoted && value->text == "false") return false;
  std::string hint;
  if (value->text == "yes" || value->text == "on" || value->text == "True") hint = "; did you mean 'true'?";
  if (value->text == "no" || value->text == "off" || value->text == "False") hint = "; did you mean 'false'?";
  sink_.error("invalid-value", value->location,
              fmt::format("'{}' must be true or false, not '{}'{}", key, value->text, hint));
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
  const char* begin = value.text.data();
  const char* end = begin + value.text.size();
  auto [ptr, error] = std::from_chars(begin, end, number);
  if (value.quoted || error != std::errc() || ptr != end) {
    sink_.error("wrong-type", value.location,
                fmt::format("'{}' expects a whole number, found '{}'", key, value.text));
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
  auto parsed = parse_date(value->text);
  if (!parsed) {
    sink_.error("invalid-date", value->location,
                fmt::format("'{}' is not a date; write YYYY-MM-DD, e.g. 2026-03-12", value->text));
  }
  return parsed;
}

std::optional<std::string> check_choice(const load::Node& value, std::string_view field,
                                        const std::vector<std::string>& allowed,
                                        DiagnosticSink& sink) {
  if (!expect_scalar(value, field, sink)) return std::nullopt;
  for (const std::string& option : allowed) {
    if (value.text == option) return option;
  }
  std::string list;
  for (const std::string& option : allowed) list += (list.empty() ? "" : ", ") + option;
  std::string suggestion = did_you_mean(value.text, allowed);
  sink.error("invalid-value", value.location,
             suggestion.empty()
                 ? fmt::format("'{}' is not a valid {} (expected one of: {})", value.text, field, list)
                 : fmt::format("'{}' is not a valid {}{}", value.text, field, suggestion));
  return std::nullopt;
}

std::optional<std::string> MapReader::choice(std::string_view key,
                                             const std::vector<std::string>& allowed) {
  const load::Node* value = get(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return check_choice(*value, key, allowed, sink_);
}

void MapReader::finish() {
  for (size_t i = 0; i < node_.entries().size(); ++i) {
    if (read_[i]) continue;
    const load::MappingEntry& unknown = node_.entries()[i];
    // A known key left unread was judged by another diagnostic already.
    if (std::find(known_keys_.begin(), known_keys_.end(), unknown.key) != known_keys_.end()) continue;
    sink_.strict_warning("unknown-key", unknown.key_location,
                         fmt::format("unknown key '{}' in {}{}", unknown.key, what_,
                                     did_you_mean(unknown.key, known_keys_)));
  }
}

}  // namespace tmc::model
