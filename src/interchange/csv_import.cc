// CSV threat registers -> Draft: the twelve columns of tmc's own CSV (and of
// the threat-modeling guides), header names matched loosely, merged into a
// model (--into) or into a skeleton with one element per component.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "interchange/importers.h"
#include "load/text_checks.h"

namespace tmc::interchange {

namespace {

struct CsvCell {
  std::string text;
  SourceLocation at;
};
struct CsvRow {
  uint32_t line = 0;
  std::vector<CsvCell> cells;
};

// RFC 4180 with CR LF or LF line ends, read a row at a time, so that a
// register costs the memory of one row however long it is. Rows with no
// text (empty lines) are skipped.
class CsvReader {
 public:
  CsvReader(uint32_t file, const std::string& text)
      : file_(file), text_(text), i_(text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0) {}

  // The next row into `row`; false at the end, or after reporting a quoted
  // field that never closes.
  bool next(CsvRow& row, DiagnosticSink& sink) {
    while (i_ < text_.size()) {
      row = CsvRow{line_, {}};
      CsvCell cell{"", {file_, line_, column_, 0}};
      bool row_has_text = false;
      auto end_cell = [&] {
        row.cells.push_back(std::move(cell));
        cell = CsvCell{"", {file_, line_, column_, 0}};
      };
      bool line_ended = false;
      while (i_ < text_.size() && !line_ended) {
        char c = text_[i_];
        if (c == '"' && cell.text.empty()) {
          if (!quoted(cell, sink)) return false;
          row_has_text = true;
        } else if (c == ',') {
          ++i_, ++column_;
          end_cell();
          row_has_text = true;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i_ + 1 < text_.size() && text_[i_ + 1] == '\n') ++i_;
          ++i_;
          end_cell();
          ++line_;
          column_ = 1;
          line_ended = true;
        } else {
          cell.text += c;
          ++i_, ++column_;
          row_has_text = true;
        }
      }
      if (!line_ended) {  // the last line, with no line end
        if (!row_has_text && cell.text.empty()) return false;
        end_cell();
        return true;
      }
      if (row_has_text || row.cells.size() > 1 || !row.cells[0].text.empty()) return true;
    }
    return false;
  }

 private:
  // A quoted field from its opening quote: "" is a quote, line ends are text.
  bool quoted(CsvCell& cell, DiagnosticSink& sink) {
    SourceLocation open{file_, line_, column_, 1};
    ++i_, ++column_;
    while (i_ < text_.size()) {
      if (text_[i_] == '"') {
        if (i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
          cell.text += '"';
          i_ += 2, column_ += 2;
          continue;
        }
        ++i_, ++column_;
        return true;
      }
      if (text_[i_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
      cell.text += text_[i_++];
    }
    sink.error("csv-syntax", open, "this quoted field is never closed (is the file truncated?)");
    return false;
  }

  uint32_t file_;
  const std::string& text_;
  size_t i_;
  uint32_t line_ = 1, column_ = 1;
};

std::string squash(const std::string& header) {
  std::string out;
  for (char c : header) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Elements, flows or boundaries by id and by squashed name; each table
// keeps the first that has a key.
class TargetIndex {
 public:
  void add(const std::string& id, const std::string& name, size_t index) {
    by_id_.emplace(id, index);
    if (std::string key = squash(name); !key.empty()) by_name_.emplace(std::move(key), index);
  }
  // The first one whose id is `name` or whose name squashes to the same.
  std::optional<size_t> find(const std::string& name) const {
    std::optional<size_t> found;
    if (auto it = by_id_.find(name); it != by_id_.end()) found = it->second;
    if (std::string key = squash(name); !key.empty()) {
      if (auto it = by_name_.find(key); it != by_name_.end() && (!found || it->second < *found)) found = it->second;
    }
    return found;
  }

 private:
  std::unordered_map<std::string, size_t> by_id_, by_name_;
};

const std::vector<std::string> kColumns = {"id", "component", "threat", "description", "likelihood", "impact",
                                           "risk_score", "mitigation", "owner", "due", "date_identified", "status"};
const std::map<std::string, std::string> kAliases = {
    {"threatid", "id"},       {"title", "threat"},        {"threattitle", "threat"}, {"target", "component"},
    {"element", "component"}, {"riskscore", "risk_score"}, {"risk", "risk_score"},   {"score", "risk_score"},
    {"mitigations", "mitigation"}, {"duedate", "due"},    {"identified", "date_identified"},
    {"dateidentified", "date_identified"}, {"mitigationowner", "owner"}};

std::string column_of(const std::string& header) {
  std::string s = squash(header);
  for (const std::string& c : kColumns) {
    if (squash(c) == s) return c;
  }
  auto it = kAliases.find(s);
  return it == kAliases.end() ? "" : it->second;
}

}  // namespace

bool import_csv(uint32_t file, const SourceManager& sources, const ImportOptions& options, Draft& draft, LossReport& losses,
                DiagnosticSink& sink) {
  if (auto bad = load::find_invalid_utf8(file, sources.contents(file))) {
    sink.error("invalid-utf8", *bad, "the file is not valid UTF-8 here (save the register as UTF-8 CSV)");
    return false;
  }
  // The rows are read twice, one at a time: once for the syntax (a quoted
  // field that never closes refuses the whole file, as before any row is
  // read) and the values that set the scale, once to import them.
  const std::string& text = sources.contents(file);
  CsvRow header;
  {
    CsvReader check(file, text);
    CsvRow row;
    bool first = true;
    while (check.next(row, sink)) {
      if (first) header = std::move(row);
      first = false;
    }
    if (sink.has_errors()) return false;
    if (first) {
      sink.error("csv-header", {file, 1, 1, 0}, "the CSV is empty: it needs a header row with the twelve register columns");
      return false;
    }
  }
  std::map<std::string, size_t> index;
  std::vector<std::string> unknown;
  for (size_t c = 0; c < header.cells.size(); ++c) {
    std::string column = column_of(header.cells[c].text);
    if (column.empty() || index.count(column)) {
      losses.note("column", fmt::format("header '{}'", trim(header.cells[c].text)), "dropped (not a register column)", header.cells[c].at);
      unknown.push_back(header.cells[c].text);
      continue;
    }
    index[column] = c;
  }
  std::string missing;
  for (const std::string& c : kColumns) {
    if (!index.count(c)) missing += (missing.empty() ? "'" : ", '") + c + "'";
  }
  if (!missing.empty()) {
    sink.error("csv-header", {file, header.line, 1, 0},
               fmt::format("the header has no {} column; a threat register has the columns {} (names are matched "
                           "ignoring case, spaces and order){}",
                           missing, "id, component, threat, description, likelihood, impact, risk_score, mitigation, owner, due, date_identified, status",
                           unknown.empty() ? "" : fmt::format(" (columns not understood: {})", fmt::join(unknown, ", "))));
    return false;
  }
  auto get = [&](const CsvRow& row, const std::string& column) -> const CsvCell* {
    size_t c = index[column];
    return c < row.cells.size() ? &row.cells[c] : nullptr;
  };
  // Where a row's cell is, or the row's start when the row is shorter.
  auto where = [&](const CsvRow& row, const std::string& column) {
    const CsvCell* cell = get(row, column);
    return cell ? cell->at : SourceLocation{file, row.line, 1, 0};
  };
  // tmc's CSV (like other careful writers) neutralizes = + - @ at the start
  // of a cell with a quote; the quote is not part of the text.
  auto value = [&](const CsvRow& row, const std::string& column) {
    const CsvCell* cell = get(row, column);
    std::string v = cell ? trim(cell->text) : std::string();
    if (v.size() > 1 && v[0] == '\'' && std::string_view("=+-@\t\r").find(v[1]) != std::string_view::npos) v.erase(0, 1);
    return v;
  };

  model::Model& m = draft.model;
  IdMaker ids;
  if (options.into != nullptr) {
    m = *options.into;
    draft.source_ids = options.into_source_ids;
    for (const auto& x : m.elements) ids.reserve(x.id);
    for (const auto& x : m.flows) ids.reserve(x.id);
    for (const auto& x : m.boundaries) ids.reserve(x.id);
    for (const auto& x : m.assets) ids.reserve(x.id);
    for (const auto& x : m.actors) ids.reserve(x.id);
    for (const auto& x : m.assumptions) ids.reserve(x.id);
    for (const auto& x : m.paths) ids.reserve(x.id);
    for (const auto& x : m.attack_trees) ids.reserve(x.id);
    for (const auto& x : m.attack_nodes) ids.reserve(x.id);
    for (const auto& t : m.threats) {
      ids.reserve(t.id);
      for (const auto& mit : t.mitigations) ids.reserve(mit.id);
    }
  } else {
    std::string name = sources.path(file);
    name = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    m.title = "Threat register " + name;
    m.scope = "Imported from the threat register " + name + "; describe the system, its elements and flows.";
    // A register written on a 1..5 scale makes a scale-5 model.
    CsvReader scan(file, text);
    CsvRow row;
    for (bool first = true; scan.next(row, sink); first = false) {
      if (first) continue;
      for (const char* column : {"likelihood", "impact"}) {
        std::string v = value(row, column);
        if (v == "4" || v == "5") m.scale = 5;
      }
    }
  }

  // A target by id or name (case and spacing ignored): the first element,
  // then flow, then boundary that answers to it, as a walk through the
  // model finds it, from two hash tables per kind.
  TargetIndex elements, flows, boundaries;
  for (size_t i = 0; i < m.elements.size(); ++i) elements.add(m.elements[i].id, m.elements[i].name, i);
  for (size_t i = 0; i < m.flows.size(); ++i) flows.add(m.flows[i].id, m.flows[i].label, i);
  for (size_t i = 0; i < m.boundaries.size(); ++i) boundaries.add(m.boundaries[i].id, m.boundaries[i].name, i);
  auto find_target = [&](const std::string& name) -> std::optional<model::TargetRef> {
    if (auto e = elements.find(name)) return model::TargetRef{{m.elements[*e].id, {}}, model::TargetKind::element, -1};
    if (auto f = flows.find(name)) return model::TargetRef{{m.flows[*f].id, {}}, model::TargetKind::flow, -1};
    if (auto b = boundaries.find(name)) return model::TargetRef{{m.boundaries[*b].id, {}}, model::TargetKind::boundary, -1};
    return std::nullopt;
  };
  std::unordered_map<std::string, size_t> threat_at;  // threat id -> index in m.threats
  for (size_t i = 0; i < m.threats.size(); ++i) threat_at[m.threats[i].id] = i;

  CsvReader reader(file, text);
  CsvRow row;
  reader.next(row, sink);  // the header
  while (reader.next(row, sink)) {
    std::string status_text = value(row, "status");
    std::string status_lower = squash(status_text);
    if (status_lower == "openrulefinding") {
      losses.note("row", "a rule finding", "skipped (tmc finds it again from the model)", row.cells[0].at);
      continue;
    }
    int numbers[2] = {0, 0};
    const char* names[2] = {"likelihood", "impact"};
    bool bad = false;
    for (int k = 0; k < 2; ++k) {
      const CsvCell* cell = get(row, names[k]);
      std::string v = cell ? trim(cell->text) : "";
      bool digits = !v.empty() && v.size() <= 3 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
      int n = digits ? std::stoi(v) : 0;
      if (!digits || n < 1 || n > m.scale) {
        SourceLocation at = cell ? cell->at : SourceLocation{file, row.line, 1, 0};
        sink.error("csv-value", at,
                   fmt::format("{} '{}' is not a whole number from 1 to {}", names[k], v, m.scale));
        bad = true;
      }
      numbers[k] = n;
    }
    if (bad) continue;
    if (std::string risk = value(row, "risk_score"); !risk.empty() && risk != std::to_string(numbers[0] * numbers[1])) {
      losses.note("row", "a risk score other than likelihood x impact", "recomputed", where(row, "risk_score"));
    }
    std::string id = value(row, "id");
    int existing = -1;
    if (auto at = threat_at.find(id); !id.empty() && at != threat_at.end()) existing = static_cast<int>(at->second);
    model::Threat fresh;
    model::Threat& t = existing >= 0 ? m.threats[static_cast<size_t>(existing)] : fresh;
    if (existing < 0) {
      t.id = valid_id(id) && !ids.used(id) ? ids.keep_or_make(id, "threat") : ids.next_numbered("T");
      if (!id.empty() && id != t.id) draft.source_ids[t.id] = id;
      std::string components = value(row, "component");
      size_t start = 0;
      while (start <= components.size()) {
        size_t slash = components.find(" / ", start);
        std::string name = trim(components.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        start = slash == std::string::npos ? components.size() + 1 : slash + 3;
        if (name.empty()) continue;
        auto target = find_target(name);
        if (!target) {
          model::Element e;
          e.id = ids.make(name, "component");
          e.name = name;
          e.type = model::ElementType::process;
          elements.add(e.id, e.name, m.elements.size());
          m.elements.push_back(e);
          if (options.into != nullptr) {
            losses.note("row", "a component that is not in the model", "added as a new process; give it its type, boundary and flows",
                        where(row, "component"));
          }
          target = model::TargetRef{{e.id, {}}, model::TargetKind::element, -1};
        }
        t.targets.push_back(*target);
      }
      if (t.targets.empty()) {
        sink.error("csv-value", where(row, "component"), "the component is empty: every threat needs a target");
        continue;
      }
    }
    t.title = value(row, "threat");
    if (t.title.empty()) t.title = "Untitled threat";
    t.description = value(row, "description");
    t.likelihood = numbers[0];
    t.impact = numbers[1];
    std::string mitigation = value(row, "mitigation");
    t.status = model::ThreatStatus::open;
    if (status_lower == "open" || status_lower == "new" || status_lower == "identified" || status_lower.empty()) {
      t.status = model::ThreatStatus::open;
    } else if (status_lower == "mitigating" || status_lower == "inprogress") {
      t.status = model::ThreatStatus::mitigating;
    } else if (status_lower == "mitigated" || status_lower == "closed" || status_lower == "done" || status_lower == "fixed" ||
               status_lower == "resolved") {
      t.status = model::ThreatStatus::mitigated;
    } else if (status_lower == "eliminated" || status_lower == "notapplicable" || status_lower == "falsepositive") {
      t.status = model::ThreatStatus::eliminated;
    } else if (status_lower == "accepted" || status_lower == "transferred" || status_lower.rfind("accepteduntil", 0) == 0) {
      // tmc's own CSV writes a dated acceptance as "accepted until D" (", expired"
      // once it ended) and appends "The acceptance ended on D; review it".
      bool accepted = status_lower != "transferred";
      if (status_lower.rfind("accepteduntil", 0) == 0) {
        size_t until = status_text.find("until ");
        if (until != std::string::npos) t.accepted_until = parse_date(trim(status_text.substr(until + 6, 10)));
        if (size_t ended = mitigation.rfind(". The acceptance ended on "); ended != std::string::npos) mitigation.erase(ended + 1);
        if (!t.accepted_until) losses.note("row", fmt::format("status '{}'", status_text), "its end date is not YYYY-MM-DD: dropped", where(row, "status"));
      }
      // tmc's own CSV says "Accepted by WHO: REASON" in the mitigation column,
      // after the mitigations themselves.
      std::string prefix = accepted ? "Accepted by " : "Transferred to ";
      size_t at = mitigation.rfind(prefix);
      size_t colon = at == std::string::npos ? at : mitigation.find(": ", at);
      bool named = colon != std::string::npos && colon > at + prefix.size() && colon + 2 < mitigation.size();
      if (named && (at == 0 || mitigation.compare(at - 2, 2, ". ") == 0 || mitigation.compare(at - 2, 2, "; ") == 0)) {
        t.status = accepted ? model::ThreatStatus::accepted : model::ThreatStatus::transferred;
        (accepted ? t.accepted_by : t.transferred_to) = mitigation.substr(at + prefix.size(), colon - at - prefix.size());
        t.reason = mitigation.substr(colon + 2);
        mitigation = mitigation.substr(0, at);
        while (!mitigation.empty() && (mitigation.back() == ' ' || mitigation.back() == ';')) mitigation.pop_back();
      } else {
        losses.note("row", fmt::format("status '{}' without who {} it and why", status_text, accepted ? "accepted" : "took"),
                    "imported as open; record accepted_by/transferred_to and reason", where(row, "status"));
      }
    } else {
      losses.note("row", fmt::format("status '{}'", status_text), "taken as open", where(row, "status"));
    }
    std::string owner = value(row, "owner");
    std::optional<Date> due;
    if (std::string d = value(row, "due"); !d.empty()) {
      due = parse_date(d);
      if (!due) losses.note("row", fmt::format("a due date not written YYYY-MM-DD ('{}')", d), "dropped", where(row, "due"));
    }
    if (std::string d = value(row, "date_identified"); !d.empty()) {
      t.identified = parse_date(d);
      if (!t.identified) losses.note("row", fmt::format("an identified date not written YYYY-MM-DD ('{}')", d), "dropped", where(row, "date_identified"));
    }
    if (!mitigation.empty()) {
      std::string joined;
      for (const auto& mit : t.mitigations) joined += (joined.empty() ? "" : " ") + mit.description;
      if (joined != mitigation) {
        t.mitigations.clear();
        model::Mitigation mit;
        mit.description = mitigation;
        mit.owner = owner;
        mit.due = due;
        mit.status = t.status == model::ThreatStatus::mitigated ? model::MitigationStatus::done : model::MitigationStatus::planned;
        t.mitigations.push_back(std::move(mit));
      }
    } else if (!owner.empty() || due) {
      losses.note("row", "an owner or due date but no mitigation", "dropped (owners and dates belong to a mitigation)", row.cells[0].at);
    }
    // tmc's mitigated has every mitigation done; the model merged into may
    // still have one planned.
    bool open = std::any_of(t.mitigations.begin(), t.mitigations.end(), [](const model::Mitigation& mit) {
      return mit.status != model::MitigationStatus::done && mit.status != model::MitigationStatus::verified;
    });
    if (t.status == model::ThreatStatus::mitigated && open) {
      t.status = model::ThreatStatus::mitigating;
      losses.note("row", fmt::format("status '{}' while a mitigation of the model is not done", status_text),
                  "imported as mitigating", where(row, "status"));
    }
    if (existing < 0) {
      threat_at[fresh.id] = m.threats.size();
      m.threats.push_back(std::move(fresh));
    }
  }
  return !sink.has_errors();
}

}  // namespace tmc::interchange
