#include "render/diff_render.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "analyze/attack_tree.h"
#include "base/json_text.h"
#include "render/escape.h"

namespace tmc::render {

namespace {

using analyze::ChangeKind;
using analyze::ItemChange;
using analyze::ModelDiff;

constexpr size_t kMaxModelText = 300;  // characters of one piece of model text in a comment row

// "path:line" of a location on one side, or "" when unknown.
std::string place(const SourceManager& sources, const SourceLocation& location) {
  if (!location.known() || location.file == 0 || location.file > sources.file_count()) return "";
  return fmt::format("{}:{}", sources.path(location.file), location.line);
}

std::string change_place(const DiffRenderInput& in, const ItemChange& change) {
  if (change.after.known()) return place(in.after_sources, change.after);
  return place(in.before_sources, change.before);
}

std::string reason_place(const DiffRenderInput& in, const analyze::ReviewReason& reason) {
  return place(reason.in_before ? in.before_sources : in.after_sources, reason.location);
}

std::string cost_text(const std::optional<double>& cost) {
  if (!cost) return "-";
  if (std::isinf(*cost)) return "impossible";
  return analyze::describe_cost(*cost);
}

std::string field_summary(const analyze::FieldChange& f) {
  auto shown = [](const std::string& v) { return v.empty() ? std::string("(none)") : "'" + v + "'"; };
  return fmt::format("{}: {} -> {}", f.field, shown(f.before), shown(f.after));
}

std::string change_title(const ItemChange& c) {
  if (c.kind == analyze::ItemKind::model) return "model";
  if (c.change == ChangeKind::renamed) return fmt::format("{} '{}' -> '{}'", to_string(c.kind), c.old_id, c.id);
  return fmt::format("{} '{}'", to_string(c.kind), c.id);
}

// Keeps at most `limit` bytes of `text`, cut on a UTF-8 boundary, with "…".
std::string clip(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

// ---- terminal text ---------------------------------------------------------

struct Palette {
  bool on = false;
  std::string paint(const char* code, const std::string& text) const {
    return on ? fmt::format("\033[{}m{}\033[0m", code, text) : text;
  }
};

}  // namespace

std::string diff_text(const DiffRenderInput& in, bool color) {
  const ModelDiff& d = in.diff;
  Palette p{color};
  std::string out = fmt::format("tmc diff {} -> {}\n", one_line(in.before_label), one_line(in.after_label));
  if (d.needs_review()) {
    out += p.paint("1;31", fmt::format("Needs security review ({} reason{})", d.reasons.size(), d.reasons.size() == 1 ? "" : "s")) + "\n";
    for (size_t i = 0; i < d.reasons.size(); ++i) {
      const auto& r = d.reasons[i];
      std::string where = reason_place(in, r);
      out += fmt::format("  {}. {}: {}{}\n", i + 1, p.paint("1", describe(r.kind)), one_line(r.message),
                         where.empty() ? "" : "  [" + one_line(where) + "]");
    }
  } else {
    out += p.paint("1;32", "No security-relevant change") + "\n";
  }
  if (d.stale && d.stale_since) {
    out += p.paint("33", fmt::format("The model is stale since {} (reviewed + review_every).", d.stale_since->to_string())) + "\n";
  }
  if (!d.changes.empty()) {
    out += "\nChanges:\n";
    for (const ItemChange& c : d.changes) {
      const char* mark = c.change == ChangeKind::added ? "+" : c.change == ChangeKind::removed ? "-" : c.change == ChangeKind::renamed ? ">" : "~";
      std::string line = fmt::format("  {} {} {}", mark, to_string(c.change), one_line(change_title(c)));
      if (c.cosmetic_only()) line += " (cosmetic)";
      std::string where = change_place(in, c);
      if (!where.empty()) line += "  [" + one_line(where) + "]";
      out += line + "\n";
      if (c.kind == analyze::ItemKind::crossing) {
        for (const auto& f : c.fields) out += fmt::format("      {}: {}\n", f.field, one_line(f.after));
        continue;
      }
      for (const auto& f : c.fields) {
        out += fmt::format("      {}{}\n", one_line(field_summary(f)), f.cosmetic ? " (cosmetic)" : "");
      }
    }
  }
  if (!d.new_findings.empty() || !d.resolved_findings.empty()) {
    out += fmt::format("\nFindings: {} new, {} resolved\n", d.new_findings.size(), d.resolved_findings.size());
    for (const auto& f : d.new_findings) {
      out += fmt::format("  + {} on '{}' ({}, risk {}): {}\n", one_line(f.rule), one_line(f.target), f.bucket.label, f.risk,
                         one_line(f.title));
    }
    for (const auto& f : d.resolved_findings) {
      out += fmt::format("  - {} on '{}': {}\n", one_line(f.rule), one_line(f.target), one_line(f.resolution));
    }
  }
  if (!d.trees.empty()) {
    out += "\nAttack trees (cheapest attack, before -> after):\n";
    for (const auto& t : d.trees) {
      out += fmt::format("  {} '{}': {} -> {}\n", one_line(t.id), one_line(t.goal), cost_text(t.before), cost_text(t.after));
    }
  }
  return out;
}

// ---- Markdown ----------------------------------------------------------------

namespace {

std::string md(const std::string& text) { return markdown_escape(clip(text, kMaxModelText)); }

std::string url_encode_path(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || std::string_view("-._~/").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The link base keeps its URL syntax, but nothing that could end the
// Markdown link or start markup.
std::string url_encode_base(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || std::string_view("-._~/:#?=&%+@,;!$*").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// A location of the new side as a link (with a link base) or code text.
std::string md_place(const DiffRenderInput& in, const SourceLocation& location, bool before) {
  const SourceManager& sources = before ? in.before_sources : in.after_sources;
  std::string where = place(sources, location);
  if (where.empty()) return "";
  if (before || in.link_base.empty()) return md(where);
  return fmt::format("[{}]({}{}#L{})", md(where), url_encode_base(in.link_base),
                     url_encode_path(sources.path(location.file)), location.line);
}

// Appends rows while they fit in the budget; counts the rest.
struct BoundedList {
  std::string text;
  size_t budget;
  size_t left_out = 0;
  void add(const std::string& row) {
    if (left_out == 0 && text.size() + row.size() <= budget) {
      text += row;
    } else {
      ++left_out;
    }
  }
};

}  // namespace

std::string diff_markdown(const DiffRenderInput& in, size_t max_chars) {
  const ModelDiff& d = in.diff;
  std::string out;
  if (d.needs_review()) {
    out += fmt::format("### \u26a0\ufe0f tmc: this change needs a security review ({} reason{})\n\n", d.reasons.size(),
                       d.reasons.size() == 1 ? "" : "s");
  } else {
    out += "### \u2705 tmc: no security-relevant change\n\n";
  }
  out += fmt::format("Threat model {} compared with {}.", md(in.after_label), md(in.before_label));
  if (d.stale && d.stale_since) out += fmt::format(" The model is stale since {}: review it.", d.stale_since->to_string());
  out += "\n\n";

  // The closing note and the <details> wrappers need room; the reasons get
  // half of the rest, the details share what remains.
  const size_t reserve = 1024;
  const size_t total = max_chars > reserve * 2 ? max_chars - reserve : max_chars / 2;
  BoundedList reasons{"", total / 2};
  for (size_t i = 0; i < d.reasons.size(); ++i) {
    const auto& r = d.reasons[i];
    std::string where = md_place(in, r.location, r.in_before);
    reasons.add(fmt::format("{}. **{}**: {}{}\n", i + 1, describe(r.kind), md(r.message), where.empty() ? "" : " (" + where + ")"));
  }
  out += reasons.text;
  if (reasons.left_out > 0) out += fmt::format("\n\u2026 and {} more reasons (run `tmc diff` locally for all of them).\n", reasons.left_out);
  if (!d.reasons.empty()) out += "\n";

  auto section = [&](const std::string& summary, const std::string& header, const std::vector<std::string>& rows) {
    if (rows.empty()) return;
    size_t room = total > out.size() + summary.size() + header.size() + 64 ? total - out.size() - summary.size() - header.size() - 64 : 0;
    BoundedList list{"", room};
    for (const std::string& row : rows) list.add(row);
    out += "<details><summary>" + summary + "</summary>\n\n" + header + list.text;
    if (list.left_out > 0) out += fmt::format("\n\u2026 {} more rows not shown (run `tmc diff` locally for the full list).\n", list.left_out);
    out += "\n</details>\n\n";
  };

  std::vector<std::string> rows;
  size_t cosmetic = 0;
  for (const ItemChange& c : d.changes) {
    if (c.cosmetic_only()) ++cosmetic;
    std::string what;
    for (const auto& f : c.fields) {
      what += (what.empty() ? "" : "; ") + (c.kind == analyze::ItemKind::crossing
                                                ? md(f.field + ": " + f.after)
                                                : md(field_summary(f)) + (f.cosmetic ? " *(cosmetic)*" : ""));
    }
    std::string where = c.after.known() ? md_place(in, c.after, false) : md_place(in, c.before, true);
    rows.push_back(fmt::format("| {} | {} | {} | {} | {} |\n", to_string(c.change), to_string(c.kind),
                               md(c.change == ChangeKind::renamed ? c.old_id + " -> " + c.id : c.id), what, where));
  }
  section(fmt::format("Changes ({}{})", d.changes.size(), cosmetic > 0 ? fmt::format(", {} cosmetic", cosmetic) : ""),
          "| change | kind | id | what | where |\n|---|---|---|---|---|\n", rows);

  rows.clear();
  for (const auto& f : d.new_findings) {
    rows.push_back(fmt::format("| new | {} | {} | {} | {} | {} | {} |\n", md(f.rule), md(f.target), md(f.bucket.label), f.risk,
                               md(f.title), md_place(in, f.location, false)));
  }
  for (const auto& f : d.resolved_findings) {
    rows.push_back(fmt::format("| resolved | {} | {} | {} | {} | {} | {} |\n", md(f.rule), md(f.target), md(f.bucket.label), f.risk,
                               md(f.resolution), md_place(in, f.location, true)));
  }
  section(fmt::format("Findings ({} new, {} resolved)", d.new_findings.size(), d.resolved_findings.size()),
          "| | rule | target | bucket | risk | title | where |\n|---|---|---|---|---|---|---|\n", rows);

  rows.clear();
  for (const auto& t : d.trees) {
    rows.push_back(fmt::format("| {} | {} | {} | {} |\n", md(t.id), md(t.goal), cost_text(t.before), cost_text(t.after)));
  }
  section(fmt::format("Attack trees ({})", d.trees.size()), "| tree | goal | cheapest attack before | after |\n|---|---|---|---|\n", rows);

  out += "<sub>Generated by `tmc diff`. Cosmetic edits (names, descriptions, order, comments) never need a review.</sub>\n";
  if (out.size() > max_chars) out = clip(out, max_chars - 8) + "\n";  // unreachable by construction; a last guard
  return out;
}

// ---- JSON ----------------------------------------------------------------------

namespace {

nlohmann::ordered_json location_json(const SourceManager& sources, const SourceLocation& location) {
  if (!location.known() || location.file == 0 || location.file > sources.file_count()) return nullptr;
  nlohmann::ordered_json j;
  j["file"] = sources.path(location.file);
  j["line"] = location.line;
  j["column"] = location.column;
  return j;
}

nlohmann::ordered_json cost_json(const std::optional<double>& cost) {
  if (!cost) return nullptr;
  if (std::isinf(*cost)) return "impossible";
  return *cost;
}

}  // namespace

std::string diff_json(const DiffRenderInput& in) {
  const ModelDiff& d = in.diff;
  nlohmann::ordered_json j;
  j["tmc_diff"] = 1;
  j["before"] = in.before_label;
  j["after"] = in.after_label;
  j["verdict"] = d.needs_review() ? "needs-review" : "no-security-relevant-change";
  j["reasons"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < d.reasons.size(); ++i) {
    const auto& r = d.reasons[i];
    nlohmann::ordered_json item;
    item["rank"] = i + 1;
    item["kind"] = to_string(r.kind);
    item["description"] = describe(r.kind);
    item["subject"] = r.subject;
    item["message"] = r.message;
    item["side"] = r.in_before ? "before" : "after";
    item["location"] = location_json(r.in_before ? in.before_sources : in.after_sources, r.location);
    j["reasons"].push_back(std::move(item));
  }
  j["changes"] = nlohmann::ordered_json::array();
  for (const ItemChange& c : d.changes) {
    nlohmann::ordered_json item;
    item["kind"] = to_string(c.kind);
    item["change"] = to_string(c.change);
    item["id"] = c.id;
    if (c.change == ChangeKind::renamed) item["old_id"] = c.old_id;
    item["cosmetic"] = c.cosmetic_only();
    item["fields"] = nlohmann::ordered_json::array();
    for (const auto& f : c.fields) {
      item["fields"].push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}, {"cosmetic", f.cosmetic}});
    }
    item["before"] = location_json(in.before_sources, c.before);
    item["after"] = location_json(in.after_sources, c.after);
    j["changes"].push_back(std::move(item));
  }
  auto finding = [&](const analyze::FindingChange& f, bool is_new) {
    nlohmann::ordered_json item;
    item["rule"] = f.rule;
    item["target"] = f.target;
    item["title"] = f.title;
    item["bucket"] = f.bucket.name;
    item["risk"] = f.risk;
    if (is_new) item["why"] = f.why;
    else item["resolution"] = f.resolution;
    item["location"] = location_json(is_new ? in.after_sources : in.before_sources, f.location);
    return item;
  };
  j["findings"]["new"] = nlohmann::ordered_json::array();
  for (const auto& f : d.new_findings) j["findings"]["new"].push_back(finding(f, true));
  j["findings"]["resolved"] = nlohmann::ordered_json::array();
  for (const auto& f : d.resolved_findings) j["findings"]["resolved"].push_back(finding(f, false));
  j["attack_trees"] = nlohmann::ordered_json::array();
  for (const auto& t : d.trees) {
    j["attack_trees"].push_back({{"id", t.id}, {"goal", t.goal}, {"before", cost_json(t.before)}, {"after", cost_json(t.after)}});
  }
  j["review_when_matched"] = d.matched_triggers;
  j["stale"] = d.stale;
  j["stale_since"] = d.stale_since ? nlohmann::ordered_json(d.stale_since->to_string()) : nlohmann::ordered_json(nullptr);
  return json_document(j);
}

// ---- GitHub annotations -----------------------------------------------------------

std::string diff_github(const DiffRenderInput& in) {
  const ModelDiff& d = in.diff;
  std::string out;
  for (const auto& r : d.reasons) {
    std::string properties;
    if (!r.in_before && r.location.known() && r.location.file <= in.after_sources.file_count()) {
      properties = fmt::format("file={},line={},col={},", github_property(in.after_sources.path(r.location.file)), r.location.line,
                               r.location.column);
    }
    properties += "title=" + github_property(std::string("tmc diff: ") + describe(r.kind));
    out += fmt::format("::warning {}::{}\n", properties, github_message(r.message));
  }
  out += fmt::format("::notice title={}::{}\n", github_property("tmc diff"),
                     github_message(d.needs_review() ? fmt::format("this change needs a security review ({} reason{})", d.reasons.size(),
                                                                   d.reasons.size() == 1 ? "" : "s")
                                                     : "no security-relevant change"));
  return out;
}

}  // namespace tmc::render
