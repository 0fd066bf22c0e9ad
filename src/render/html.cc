// The HTML report: one self-contained page (inline CSS, script and SVG; no
// fetch of any kind), a strict Content-Security-Policy that allows only the
// page's own style and script by hash, and every piece of model text
// escaped. Prints as the full report.
#include <fmt/format.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "analyze/attack_tree.h"
#include "analyze/scoring.h"
#include "base/version.h"
#include "render/attack_tree_render.h"
#include "render/escape.h"
#include "render/json_writer.h"
#include "render/render.h"
#include "render/rows.h"

namespace tmc::embedded {
extern const std::string_view report_css;
extern const std::string_view report_js;
}  // namespace tmc::embedded

namespace tmc::render {

namespace {

std::string h(std::string_view text) { return html_escape(text); }

// 'sha256-...' for a CSP source list.
std::string csp_hash(std::string_view content) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, content.size(), reinterpret_cast<const uint8_t*>(content.data()));
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context, SHA256_DIGEST_SIZE, digest);
  char encoded[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1] = {};
  base64_encode_raw(encoded, SHA256_DIGEST_SIZE, digest);
  return "'sha256-" + std::string(encoded) + "'";
}

// The Graphviz SVG without its XML prolog, doctype and comments, ready to
// sit inside the page.
std::string inline_svg(std::string svg) {
  size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  svg.erase(0, start);
  for (size_t comment = svg.find("<!--"); comment != std::string::npos; comment = svg.find("<!--", comment)) {
    size_t end = svg.find("-->", comment);
    if (end == std::string::npos) break;
    svg.erase(comment, end + 3 - comment);
  }
  svg.insert(4, " role=\"img\" aria-labelledby=\"dfd-title\"");
  return svg;
}

std::string bucket_badge(const analyze::RiskBucket& bucket) {
  return fmt::format("<span class=\"bucket b-{}\">{}</span>", h(bucket.name), h(bucket.label));
}

const char* heat_color(int scale, int rank) {
  static const char* const kThree[] = {"#f2b8b5", "#f7d9a8", "#cfe8d2"};
  static const char* const kFive[] = {"#f2b8b5", "#f7c9a0", "#f5e3a3", "#cfe8d2"};
  return scale == 5 ? kFive[std::min(rank, 3)] : kThree[std::min(rank, 2)];
}

std::string heat_map(const RenderInput& input) {
  const int scale = input.model.scale;
  // Items (all, open) by likelihood and impact.
  std::vector<std::pair<int, int>> counts(static_cast<size_t>((scale + 1) * (scale + 1)));
  for_each_row(input, false, [&](const Row& row) {
    if (row.likelihood < 1 || row.likelihood > scale || row.impact < 1 || row.impact > scale) return;
    auto& [all, open] = counts[static_cast<size_t>(row.likelihood * (scale + 1) + row.impact)];
    ++all;
    open += row.resolved ? 0 : 1;
  });
  const int cell = 64, left = 70, top = 10;
  std::string out = fmt::format(
      "<svg class=\"heat\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"heat-title heat-desc\">"
      "<title id=\"heat-title\">Likelihood by impact</title><desc id=\"heat-desc\">Each cell shows open items / all items "
      "with that likelihood and impact.</desc>",
      left + scale * cell + 10, top + scale * cell + 50);
  for (int likelihood = scale; likelihood >= 1; --likelihood) {
    for (int impact = 1; impact <= scale; ++impact) {
      auto [all, open] = counts[static_cast<size_t>(likelihood * (scale + 1) + impact)];
      int x = left + (impact - 1) * cell, y = top + (scale - likelihood) * cell;
      analyze::RiskBucket bucket = analyze::bucket_for(scale, likelihood * impact);
      out += fmt::format(
          "<g><title>likelihood {}, impact {}: {} open of {} ({})</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
          "fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
          "font-weight=\"{}\">{}</text></g>",
          likelihood, impact, open, all, h(bucket.label), x, y, cell, cell, heat_color(scale, bucket.rank), x + cell / 2, y + cell / 2 + 5,
          open > 0 ? "700" : "400", all == 0 ? std::string("·") : fmt::format("{}/{}", open, all));
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 8, top + (scale - likelihood) * cell + cell / 2 + 5,
                       likelihood);
  }
  for (int impact = 1; impact <= scale; ++impact) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", left + (impact - 1) * cell + cell / 2, top + scale * cell + 18,
                       impact);
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">impact</text>", left + scale * cell / 2, top + scale * cell + 40);
  out += fmt::format("<text x=\"16\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {})\">likelihood</text>",
                     top + scale * cell / 2, top + scale * cell / 2);
  return out + "</svg>";
}

std::string target_links(const model::Model& m, const Row& row) {
  std::string out;
  for (const std::string& id : row.target_ids) {
    int element = m.find_element(id);
    int flow = m.find_flow(id);
    int anchor = element >= 0 ? element : flow >= 0 ? m.flows[static_cast<size_t>(flow)].to_index : -1;
    if (!out.empty()) out += ", ";
    if (anchor >= 0) {
      out += fmt::format("<a class=\"target\" href=\"#el-{}\">{}</a>", h(m.elements[static_cast<size_t>(anchor)].id), h(id));
    } else {
      out += h(id);
    }
  }
  return out;
}

// Element ids a row belongs to for the DFD filter: its element targets and
// both ends of its flow targets.
std::string row_elements(const model::Model& m, const Row& row) {
  std::set<std::string> ids;
  for (const std::string& id : row.target_ids) {
    if (m.find_element(id) >= 0) ids.insert(id);
    int flow = m.find_flow(id);
    if (flow >= 0) {
      ids.insert(m.flows[static_cast<size_t>(flow)].from.value);
      ids.insert(m.flows[static_cast<size_t>(flow)].to.value);
    }
  }
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

// Above this many rows the threat table is data the page's script draws a
// window of (a browser cannot hide or sort 40,000 table rows in under
// seconds); at or below it, a plain HTML table.
constexpr size_t kVirtualTableRows = 2000;

// A `<script type="application/json" id="ID">` block holding {"s":
// [strings], "r": [rows]}: each string is stored once (rule findings repeat
// titles and mitigations thousands of times) and a row refers to it by its
// index. The rows are numbers and the renderer's own words, kept until
// close() writes the block to `out` a string at a time; the strings are
// kept once, as the keys of their index.
class DataBlock {
 public:
  // The index of `text` in "s".
  int text(const std::string& text) {
    auto [it, added] = index_.emplace(text, static_cast<int>(strings_.size()));
    if (added) strings_.push_back(&it->first);
    return it->second;
  }
  // One row: its JSON text.
  void row(std::string_view json) {
    if (!rows_.empty()) rows_ += ',';
    rows_ += json_for_script(json);
  }
  void close(Sink& out, std::string_view id) {
    out.write(fmt::format("<script type=\"application/json\" id=\"{}\">{{\"s\":[", id));
    StringSink json;
    for (size_t i = 0; i < strings_.size(); ++i) {
      json.str().clear();
      json.write(i > 0 ? ",\"" : "\"");
      write_json_escaped(json, *strings_[i]);
      json.put('"');
      out.write(json_for_script(json.str()));
    }
    out.write("],\"r\":[");
    out.write(rows_);
    out.write("]}</script>");
  }

 private:
  std::string rows_;  // the rows' JSON text, comma separated, made safe in a script
  std::unordered_map<std::string, int> index_;
  std::vector<const std::string*> strings_;  // the keys of index_, in index order
};

// A large table other than the threats (crossings, coverage): its rows as
// data, drawn a window at a time by report.js. A cell is a string index
// (text), [class, text] (a span) or ["abbr", text, title]; the first cell
// of a row is a row header when `row_headers`. The constructor writes the
// box and the empty table (`head` is the <thead> content) for `count`
// rows; close() writes the rows' data block.
class DataTable {
 public:
  DataTable(Sink& out, std::string_view id, std::string_view caption, std::string_view head, bool row_headers, size_t count)
      : out_(out), id_(std::string(id) + "-data") {
    out.write(fmt::format(
        "<div class=\"scroll virtual\" id=\"{0}-box\"><table id=\"{0}-table\" data-rows=\"{0}-data\"{1}>{2}<thead>{3}</thead><tbody>"
        "</tbody></table></div><noscript><p class=\"gap\">This table has {4} rows: the page's script draws them (the rows are in the page "
        "as data).</p></noscript>",
        id, row_headers ? " data-row-headers=\"yes\"" : "", caption, head, count));
  }
  std::string text(const std::string& value) { return std::to_string(block_.text(value)); }
  std::string span(const char* css_class, const std::string& value) { return fmt::format("[\"{}\",{}]", css_class, block_.text(value)); }
  std::string abbr(const std::string& value, const std::string& title) {
    int shown = block_.text(value);
    return fmt::format("[\"abbr\",{},{}]", shown, block_.text(title));
  }
  void add(const std::vector<std::string>& cells) {
    std::string row = "[";
    for (size_t i = 0; i < cells.size(); ++i) row += (i > 0 ? "," : "") + cells[i];
    block_.row(row + ']');
  }
  void close() { block_.close(out_, id_); }

 private:
  Sink& out_;
  std::string id_;
  DataBlock block_;
};

// The rows of a large threat table as one JSON data block the script
// renders, filters and sorts (report.js). A row is
// [rank, id, title, description, [[target, element anchor or -1], ...],
//  STRIDE shown, L, I, risk, bucket order, bucket name, bucket label,
//  status filter, status shown, resolved 0/1, mitigation, STRIDE letters,
//  element ids for the DFD filter]. Closes the table and its section.
void threat_data(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  out.write(fmt::format(
      "</tbody></table></div><noscript><p class=\"gap\">This table has {} rows: the page's script draws them (the rows are in the page as "
      "data). The same list: tmc report --format csv.</p></noscript>",
      input.analysis.ranked.size()));
  DataBlock str;
  int rank = 0;
  for_each_row(input, false, [&](const Row& row) {
    ++rank;
    std::string targets;
    for (const std::string& id : row.target_ids) {
      int element = m.find_element(id);
      int flow = m.find_flow(id);
      int anchor = element >= 0 ? element : flow >= 0 ? m.flows[static_cast<size_t>(flow)].to_index : -1;
      int target = str.text(id);
      targets += fmt::format("{}[{},{}]", targets.empty() ? "" : ",", target, anchor >= 0 ? str.text(m.elements[static_cast<size_t>(anchor)].id) : -1);
    }
    std::string status = row.is_finding ? "finding" : model::to_string(row.threat->status);
    // Strings numbered in column order (not in the unspecified order of
    // function arguments): the same page from every compiler.
    const std::string* texts[] = {&row.id, &row.title, &row.description, row.stride.empty() ? &row.privacy : &row.stride, &row.bucket.name,
                                  &row.bucket.label, &status, nullptr, &row.mitigation, &row.stride};
    static const std::string kFinding = "open rule finding";
    int index[11];
    for (size_t i = 0; i < 10; ++i) index[i] = str.text(texts[i] != nullptr ? *texts[i] : row.is_finding ? kFinding : row.status);
    index[10] = str.text(row_elements(m, row));
    str.row(fmt::format("[{},{},{},{},[{}],{},{},{},{},{},{},{},{},{},{},{},{},{}]", rank, index[0], index[1], index[2], targets, index[3],
                        row.likelihood, row.impact, row.risk, 10 - row.bucket.rank, index[4], index[5], index[6], index[7], row.resolved ? 1 : 0,
                        index[8], index[9], index[10]));
  });
  str.close(out, "threat-data");
  out.write("</section>");
}

void threat_section(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  const size_t count = input.analysis.ranked.size();
  out.write("<section id=\"threats\" aria-labelledby=\"threats-h\"><h2 id=\"threats-h\">Threats and findings</h2>");
  out.write("<div class=\"filters noprint\" role=\"search\">");
  out.write("<label>Bucket<select id=\"f-bucket\"><option value=\"\">any</option>");
  for (const auto& bucket : analyze::buckets_of(m.scale)) out.write(fmt::format("<option value=\"{}\">{}</option>", h(bucket.name), h(bucket.label)));
  out.write("</select></label><label>Status<select id=\"f-status\"><option value=\"\">any</option><option value=\"unresolved\">not resolved</option>");
  for (const char* status : {"open", "mitigating", "mitigated", "accepted", "transferred", "eliminated", "finding"}) {
    out.write(fmt::format("<option value=\"{}\">{}</option>", status, std::string_view(status) == "finding" ? "rule finding" : status));
  }
  out.write("</select></label><label>STRIDE<select id=\"f-stride\"><option value=\"\">any</option>");
  for (const char* letter : {"S", "T", "R", "I", "D", "E"}) out.write(fmt::format("<option value=\"{}\">{}</option>", letter, letter));
  out.write("</select></label><label>Element<select id=\"f-target\"><option value=\"\">any</option>");
  for (const auto& element : m.elements) out.write(fmt::format("<option value=\"{}\">{}</option>", h(element.id), h(element.name)));
  out.write("</select></label><label>Text<input id=\"f-text\" type=\"search\" placeholder=\"words in the row\"></label>"
            "<button id=\"f-reset\" type=\"button\">Show all</button> <span id=\"result-count\" aria-live=\"polite\"></span></div>");
  out.write(count > kVirtualTableRows ? "<div class=\"scroll virtual\" id=\"threat-box\">" : "<div class=\"scroll\">");
  out.write("<table id=\"threat-table\"><caption>Recorded threats and open rule findings, highest risk first. "
            "Sort with the column headings.</caption><thead><tr>");
  static const char* const kColumns[][2] = {{"#", "number"}, {"ID", "text"},   {"Title", "text"},  {"Target", "text"},
                                            {"STRIDE", "text"}, {"L", "number"}, {"I", "number"}, {"Risk", "number"},
                                            {"Bucket", "number"}, {"Status", "text"}, {"Mitigation", "text"}};
  for (const auto& column : kColumns) {
    out.write(fmt::format("<th scope=\"col\" data-type=\"{}\"><button type=\"button\">{}</button></th>", column[1], column[0]));
  }
  out.write("</tr></thead><tbody>");
  if (count > kVirtualTableRows) return threat_data(input, out);
  int rank = 0;
  for_each_row(input, false, [&](const Row& row) {
    ++rank;
    // The filter value is the status as written; the cell shows an ended acceptance.
    std::string status = row.is_finding ? "finding" : model::to_string(row.threat->status);
    out.write(fmt::format(
        "<tr id=\"row-{}\" data-rank=\"{}\" data-bucket=\"{}\" data-status=\"{}\" data-resolved=\"{}\" data-stride=\"{}\" data-targets=\"{}\"{}>",
        h(row.id), rank, h(row.bucket.name), h(status), row.resolved ? "yes" : "no", h(row.stride), h(row_elements(m, row)),
        row.resolved ? " class=\"resolved\"" : ""));
    // A finding's ID shows, on hover, the facts it rests on.
    std::string facts;
    if (row.finding != nullptr) {
      for (const std::string& fact : row.finding->facts) facts += (facts.empty() ? "Facts it rests on:\n" : "\n") + fact;
    }
    out.write(fmt::format("<td class=\"num\">{}</td><td{}>{}</td><td>{}{}</td><td>{}</td><td>{}</td>", rank,
                          facts.empty() ? "" : " title=\"" + h(facts) + "\"", h(row.id), h(row.title),
                          row.description.empty() ? "" : "<br><span class=\"muted\">" + h(row.description) + "</span>",
                          target_links(m, row), h(row.stride.empty() ? row.privacy : row.stride)));
    out.write(fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td data-value=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
        row.likelihood, row.impact, row.risk, 10 - row.bucket.rank, bucket_badge(row.bucket), h(row.is_finding ? "open rule finding" : row.status),
        h(row.mitigation)));
  });
  out.write("</tbody></table></div></section>");
}

void crossings_section(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  out.write("<section id=\"crossings\" aria-labelledby=\"crossings-h\"><h2 id=\"crossings-h\">Trust-boundary crossings</h2>");
  if (input.analysis.crossings.empty()) return out.write("<p>No flow crosses a trust boundary.</p></section>");
  constexpr std::string_view kCaption = "<caption>The walk list for a review: what stands at each crossing.</caption>";
  constexpr std::string_view kHead =
      "<tr><th scope=\"col\">Flow</th><th scope=\"col\">From → to</th><th scope=\"col\">Crosses</th><th scope=\"col\">Authentication</th>"
      "<th scope=\"col\">Authorization</th><th scope=\"col\">Validation</th><th scope=\"col\">Encrypted</th></tr>";
  auto crosses = [&](const analyze::BoundaryCrossing& c) {  // plain text
    std::string text;
    for (int b : c.exited) text += (text.empty() ? "leaves " : ", leaves ") + m.boundaries[static_cast<size_t>(b)].name;
    for (int b : c.entered) text += (text.empty() ? "enters " : ", enters ") + m.boundaries[static_cast<size_t>(b)].name;
    return text;
  };
  if (input.analysis.crossings.size() > kVirtualTableRows) {
    DataTable table(out, "crossings", kCaption, kHead, false, input.analysis.crossings.size());
    for (const auto& c : input.analysis.crossings) {
      const model::Flow& f = m.flows[static_cast<size_t>(c.flow)];
      auto declared = [&](Declaration which) {
        auto text = crossing_declaration(m, f, which);
        return text ? table.text(*text) : table.span("gap", "not declared");
      };
      table.add({table.text(f.id), table.text(f.from.value + " → " + f.to.value), table.text(crosses(c)),
                 declared(Declaration::authentication), declared(Declaration::authorization),
                 declared(Declaration::validation), c.encrypted ? table.text("yes") : table.span("gap", "no")});
    }
    table.close();
    return out.write("</section>");
  }
  out.write(fmt::format("<div class=\"scroll\"><table>{}<thead>{}</thead><tbody>", kCaption, kHead));
  for (const auto& c : input.analysis.crossings) {
    const model::Flow& f = m.flows[static_cast<size_t>(c.flow)];
    auto declared = [&](Declaration which) {
      auto text = crossing_declaration(m, f, which);
      return text ? h(*text) : std::string("<span class=\"gap\">not declared</span>");
    };
    out.write(fmt::format("<tr><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", h(f.id),
                          h(f.from.value), h(f.to.value), h(crosses(c)), declared(Declaration::authentication),
                          declared(Declaration::authorization), declared(Declaration::validation),
                          c.encrypted ? "yes" : "<span class=\"gap\">no</span>"));
  }
  out.write("</tbody></table></div></section>");
}

void coverage_section(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  const analyze::Coverage& coverage = input.analysis.coverage;
  out.write(fmt::format(
      "<section id=\"coverage\" aria-labelledby=\"coverage-h\"><h2 id=\"coverage-h\">STRIDE coverage</h2><p>{} of {} applicable "
      "(element or flow, letter) pairs are covered by a threat, a rule finding or a reasoned clearance ({:.0f}%).</p>",
      coverage.covered, coverage.applicable, coverage.percent()));
  std::string head = "<tr><th scope=\"col\">Element or flow</th>";
  for (const char* letter : {"S", "T", "R", "I", "D", "E"}) head += fmt::format("<th scope=\"col\">{}</th>", letter);
  head += "</tr>";
  if (coverage.rows.size() > kVirtualTableRows) {
    DataTable table(out, "coverage", "", head, true, coverage.rows.size());
    for (const auto& row : coverage.rows) {
      bool is_flow = row.kind == model::TargetKind::flow;
      std::vector<std::string> cells;
      cells.push_back(table.text(is_flow ? m.flows[static_cast<size_t>(row.index)].id : m.elements[static_cast<size_t>(row.index)].id));
      for (const auto& cell : row.cells) {
        cells.push_back(!cell.applicable         ? table.span("muted", "–")
                        : !cell.threats.empty()  ? table.text(m.threats[static_cast<size_t>(cell.threats[0])].id)
                        : !cell.findings.empty() ? table.text("finding")
                        : !cell.cleared.empty()  ? table.abbr("cleared", cell.cleared)
                                                 : table.span("gap", "gap"));
      }
      table.add(cells);
    }
    table.close();
    return out.write("</section>");
  }
  out.write("<div class=\"scroll\"><table><thead>" + head + "</thead><tbody>");
  for (const auto& row : coverage.rows) {
    bool is_flow = row.kind == model::TargetKind::flow;
    std::string id = is_flow ? m.flows[static_cast<size_t>(row.index)].id : m.elements[static_cast<size_t>(row.index)].id;
    std::string line = "<tr><th scope=\"row\">" + h(id) + "</th>";
    for (const auto& cell : row.cells) {
      std::string text = !cell.applicable         ? "<span class=\"muted\">–</span>"
                         : !cell.threats.empty()  ? h(m.threats[static_cast<size_t>(cell.threats[0])].id)
                         : !cell.findings.empty() ? "finding"
                         : !cell.cleared.empty()  ? "<abbr title=\"" + h(cell.cleared) + "\">cleared</abbr>"
                                                  : "<span class=\"gap\">gap</span>";
      line += "<td>" + text + "</td>";
    }
    out.write(line + "</tr>");
  }
  out.write("</tbody></table></div></section>");
}

void trees_section(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  out.write("<section id=\"trees\" aria-labelledby=\"trees-h\"><h2 id=\"trees-h\">Attack trees</h2>");
  if (m.attack_trees.empty()) return out.write("<p>No attack trees.</p></section>");
  for (const auto& tree : m.attack_trees) {
    analyze::TreeReport report = analyze::report_tree(m, tree, {});
    out.write(fmt::format("<h3>{}: {}</h3><p>Cheapest attack <strong>{}</strong> now, {} ignoring mitigations.</p><pre>{}</pre>", h(tree.id),
                          h(tree.goal), analyze::describe_cost(report.after.root_cost), analyze::describe_cost(report.before.root_cost),
                          h(attack_tree_text(m, report))));
  }
  out.write("</section>");
}

void mitigations_section(const RenderInput& input, Sink& out) {
  out.write("<section id=\"mitigations\" aria-labelledby=\"mitigations-h\"><h2 id=\"mitigations-h\">Mitigation plan</h2>"
            "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Threat</th><th scope=\"col\">Mitigation</th>"
            "<th scope=\"col\">Owner</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Acceptance</th>"
            "<th scope=\"col\">Test</th></tr></thead><tbody>");
  for_each_row(input, true, [&](const Row& row) {
    for (const auto& mit : row.threat->mitigations) {
      out.write(fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", h(row.id),
                            h(mit.description), h(mit.owner), mit.due ? mit.due->to_string() : "", model::to_string(mit.status),
                            h(mit.acceptance), h(mit.test)));
    }
  });
  out.write("</tbody></table></div></section>");
}

// The flows in full (label, protocol, every asset): the text the diagram
// shortens.
void flow_table(const RenderInput& input, Sink& out) {
  const model::Model& m = input.model;
  out.write("<div class=\"scroll\"><table class=\"flow-table\"><thead><tr><th scope=\"col\">Flow</th><th scope=\"col\">From → to</th>"
            "<th scope=\"col\">Carries</th></tr></thead><tbody>");
  for (const model::Flow& flow : m.flows) {
    out.write(fmt::format("<tr><td>{}</td><td>{} → {}</td><td>{}</td></tr>", h(flow.id), h(flow.from.value), h(flow.to.value),
                          h(flow_text(m, flow))));
  }
  out.write("</tbody></table></div>");
}

void residual_section(const RenderInput& input, Sink& out) {
  out.write("<section id=\"residual\" aria-labelledby=\"residual-h\"><h2 id=\"residual-h\">Residual risks and acceptances</h2><ul>");
  bool any = false;
  for_each_row(input, true, [&](const Row& row) {
    const model::Threat& t = *row.threat;
    if (t.status == model::ThreatStatus::accepted || t.status == model::ThreatStatus::transferred) {
      out.write(fmt::format("<li><strong>{}</strong> {} (risk {}): {} {}{}. {}{}</li>", h(t.id), h(t.title), row.risk,
                            t.status == model::ThreatStatus::accepted ? "accepted by" : "transferred to",
                            h(t.status == model::ThreatStatus::accepted ? t.accepted_by : t.transferred_to),
                            row.accepted_until.empty() ? "" : " until " + h(row.accepted_until), h(t.reason),
                            row.acceptance_expired ? " <strong>The acceptance has ended: the threat counts as open again until "
                                                     "it is reviewed and accepted anew.</strong>"
                                                   : ""));
      any = true;
    }
  });
  for (const auto& d : input.model.dismissed) {
    out.write(fmt::format("<li>Finding <strong>{}</strong> on {} dismissed by {}: {}</li>", h(d.rule.value), h(d.target.value), h(d.by),
                          h(d.reason)));
    any = true;
  }
  if (!any) out.write("<li>Nothing is accepted, transferred or dismissed.</li>");
  out.write("</ul></section>");
}

// The data-flow diagram: the Graphviz drawing (zoom and pan by the page's
// script), or above the overview threshold the overview and one drawing
// per boundary inside <details>, inserted when opened from a raw-text
// <script type="text/html"> block (a <template> would make the browser
// build every drawing's nodes while the page loads).
// When the layout fails the ASCII drawing stands in, with a warning.
void dfd_section(const RenderInput& input, const DiagramOptions& diagram, DiagnosticSink& sink, Sink& out) {
  const model::Model& m = input.model;
  bool overview = diagram_is_overview(input, diagram);
  out.write("<section id=\"dfd\" aria-labelledby=\"dfd-h\"><h2 id=\"dfd-h\">Data-flow diagram</h2><p class=\"noprint\">Dashed boxes are "
            "trust boundaries; red arrows cross one. Select an element to see its threats.</p>");
  if (overview) out.write("<p class=\"overview-note\">" + h(diagram_overview_note(input, diagram)) + " Open a boundary below to draw its elements.</p>");
  out.write("<div class=\"dfd\"><span id=\"dfd-title\" hidden>Data-flow diagram of " + h(m.title) + "</span>");
  DiagnosticSink layout;
  auto svg = diagram.draw ? diagram_svg(input, diagram, layout, Severity::warning) : std::nullopt;
  for (const Diagnostic& d : layout.diagnostics()) sink.report(d);
  if (svg) {
    out.write(inline_svg(std::move(*svg)));
  } else {
    out.write("<p class=\"gap\">The diagram could not be laid out; this is its text form.</p><pre class=\"dfd-text\">" +
              h(diagram_ascii(input, diagram)) + "</pre>");
  }
  out.write("</div>");
  if (overview) {
    out.write("<h3>Boundaries</h3><svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs><marker id=\"sketch-arrow\" "
              "viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" "
              "fill=\"#555555\"/></marker></defs></svg>");
    boundary_sketches(input, diagram.labels, [&](const BoundarySketch& sketch) {
      std::string name = sketch.boundary < 0 ? "Outside every boundary" : m.boundaries[static_cast<size_t>(sketch.boundary)].name;
      std::string id = sketch.boundary < 0 ? "_outside" : m.boundaries[static_cast<size_t>(sketch.boundary)].id;
      out.write(fmt::format("<details class=\"boundary\" id=\"bd-{}\"><summary>{} ({} element{}, {} flow{})</summary><script type=\"text/html\" class=\"sketch-src\">",
                            h(id), h(name), sketch.elements, sketch.elements == 1 ? "" : "s", sketch.flows.size(), sketch.flows.size() == 1 ? "" : "s"));
      // The flows' full text is in the tooltips of the drawing: a table
      // per boundary would list every flow twice on a page that must stay
      // light at 10,000 elements.
      // Every model string in the sketch is HTML-escaped, so no "</script"
      // or "<!--" can end or change the block.
      out.write("<div class=\"dfd\">");
      out.write(sketch.svg);
      out.write("</div></script></details>");
    });
  } else if (!m.flows.empty()) {
    out.write(fmt::format("<details class=\"flows\"><summary>Every flow with its data ({})</summary>", m.flows.size()));
    flow_table(input, out);
    out.write("</details>");
  }
  out.write("</section>\n");
}

}  // namespace

std::string report_html(const RenderInput& input) {
  DiagnosticSink sink;
  return report_html(input, DiagramOptions{}, sink);
}

std::string report_html(const RenderInput& input, const DiagramOptions& diagram, DiagnosticSink& sink) {
  StringSink out;
  report_html(input, diagram, sink, out);
  return std::move(out.str());
}

void report_html(const RenderInput& input, const DiagramOptions& diagram, DiagnosticSink& sink, Sink& out) {
  const model::Model& m = input.model;
  const analyze::Analysis& a = input.analysis;
  out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  out.write(fmt::format(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; img-src data:; "
      "base-uri 'none'; form-action 'none'\">\n",
      csp_hash(embedded::report_css), csp_hash(embedded::report_js)));
  out.write(fmt::format("<meta name=\"generator\" content=\"tmc {}\">\n<title>Threat model: {}</title>\n<style>", tmc::version(), h(m.title)));
  out.write(embedded::report_css);
  out.write("</style>\n</head>\n<body>\n");
  std::string authors;
  for (const auto& author : m.authors) authors += (authors.empty() ? "" : ", ") + author;
  out.write(fmt::format("<header><h1>Threat model: {}</h1><p class=\"meta\">{}{}Generated {} from {}.</p>", h(m.title),
                        authors.empty() ? "" : "By " + h(authors) + ". ", m.reviewed ? "Last reviewed " + m.reviewed->to_string() + ". " : "",
                        a.today.to_string(), h(m.files.empty() ? "" : m.files.front())));
  out.write(fmt::format("<p id=\"verdict\" class=\"verdict {}\">{}</p>", a.done ? "done" : "not-done",
                        a.done ? "Done: the top of the list is mitigated or explicitly accepted."
                               : fmt::format("Not done: {} open item{} in the top bucket.", a.metrics.open_top, a.metrics.open_top == 1 ? "" : "s")));
  if (a.stale) out.write(fmt::format(" <p class=\"verdict not-done\">Stale: a review was due on {}.</p>", a.stale_since->to_string()));
  out.write("</header>\n<nav aria-label=\"Sections\"><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#dfd\">Data flow</a></li>"
            "<li><a href=\"#heatmap\">Heat map</a></li><li><a href=\"#crossings\">Crossings</a></li><li><a href=\"#threats\">Threats</a></li>"
            "<li><a href=\"#coverage\">Coverage</a></li><li><a href=\"#trees\">Attack trees</a></li><li><a href=\"#mitigations\">Mitigations</a></li>"
            "<li><a href=\"#residual\">Residual risk</a></li></ul></nav>\n<main>\n");

  out.write("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>");
  if (!m.scope.empty()) out.write("<p>" + h(m.scope) + "</p>");
  out.write("<h3>Top risks</h3><div class=\"cards\">");
  int shown = 0;
  for (const analyze::RankedItem& item : a.ranked) {
    if (shown >= 3) break;
    if (item.resolved) continue;
    Row row = ranked_row(input, item);
    ++shown;
    out.write(fmt::format("<div class=\"card\"><div class=\"risk\">{}</div>{}<p><strong>{}</strong> {}</p><p class=\"muted\">{}</p></div>", row.risk,
                          bucket_badge(row.bucket), h(row.id), h(row.title), h(row.mitigation)));
  }
  if (shown == 0) out.write("<div class=\"card\">No open risks.</div>");
  out.write("</div><p>");
  for (const auto& [name, count] : a.metrics.per_bucket) out.write(fmt::format("{}: {} &nbsp; ", h(name), count));
  out.write("</p></section>\n");

  dfd_section(input, diagram, sink, out);

  out.write("<section id=\"heatmap\" aria-labelledby=\"heat-h\"><h2 id=\"heat-h\">Likelihood × impact</h2>" + heat_map(input) + "</section>\n");
  crossings_section(input, out);
  out.write("\n");
  threat_section(input, out);
  out.write("\n");
  coverage_section(input, out);
  out.write("\n");
  trees_section(input, out);
  out.write("\n");
  mitigations_section(input, out);
  out.write("\n");
  residual_section(input, out);
  out.write("\n</main>\n");
  out.write(fmt::format("<footer>Generated by tmc {} on {}. This page is self-contained and makes no network request.</footer>\n", tmc::version(),
                        a.today.to_string()));
  out.write("<script>");
  out.write(embedded::report_js);
  out.write("</script>\n</body>\n</html>\n");
}

}  // namespace tmc::render
