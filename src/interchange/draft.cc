#include <fmt/format.h>

#include "interchange/draft.h"

namespace tmc::interchange {

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
}

std::string IdMaker::make(const std::string& name, const std::string& fallback) {
  std::string base;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      base += static_cast<char>(std::tolower(u));
    } else if (!base.empty() && base.back() != '_') {
      base += '_';
    }
    if (base.size() >= 40) break;
  }
  while (!base.empty() && base.back() == '_') base.pop_back();
  if (base.empty()) base = fallback;
  // Words YAML reads as null or booleans make poor ids.
  static const char* const kSpecial[] = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"};
  bool special = false;
  for (const char* word : kSpecial) special = special || base == word;
  if (special || !std::isalpha(static_cast<unsigned char>(base[0]))) base = fallback + "_" + base;
  std::string id = base;
  if (used(id)) {
    int& n = suffixes_.try_emplace(base, 2).first->second;
    do {
      id = fmt::format("{}_{}", base, n++);
    } while (used(id));
  }
  used_.insert(id);
  return id;
}

std::string IdMaker::keep_or_make(const std::string& wanted, const std::string& fallback) {
  if (valid_id(wanted) && !used(wanted)) {
    used_.insert(wanted);
    return wanted;
  }
  return make(wanted, fallback);
}

std::string IdMaker::next_numbered(const std::string& prefix) {
  int& n = counters_[prefix];
  std::string id;
  do {
    id = fmt::format("{}{}", prefix, ++n);
  } while (used(id));
  used_.insert(id);
  return id;
}

void LossReport::note(const std::string& subject, const std::string& what, const std::string& fate, SourceLocation at) {
  std::string key = subject + "\n" + what + "\n" + fate;
  auto it = index_.find(key);
  if (it == index_.end()) {
    index_[key] = kinds_.size();
    kinds_.push_back({subject, what, fate, at, 1});
  } else {
    ++kinds_[it->second].count;
  }
}

void LossReport::emit(DiagnosticSink& sink) const {
  for (const Kind& kind : kinds_) {
    std::string subject = kind.subject;
    if (kind.count > 1) subject += subject.back() == 's' ? "es" : (subject.back() == 'y' ? "" : "s");
    if (kind.count > 1 && kind.subject.back() == 'y') subject = kind.subject.substr(0, kind.subject.size() - 1) + "ies";
    sink.warning("import-dropped", kind.first, fmt::format("{} {} had {}: {}", kind.count, subject, kind.what, kind.fate));
  }
}

}  // namespace tmc::interchange
