// The threat register as an Excel workbook (libxlsxwriter): sheet
// "Threats" with the twelve CSV columns plus bucket, STRIDE and next
// mitigation; sheet "Crossings" with the walk list. Every model string is
// written with worksheet_write_string, and as the CSV writes it
// (formula_safe: a leading = + - @ gets an apostrophe), so nothing a model
// says becomes a formula, not even when a cell is edited or the sheet is
// saved as CSV; numbers are numbers and dates from 1900 on are date cells.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "render/escape.h"
#include "render/render.h"
#include "render/rows.h"

namespace tmc::render {

namespace {

// Excel's limit on one cell's text; longer text is cut at a UTF-8 boundary.
constexpr size_t kMaxCell = 32767;

std::string clipped(std::string text) {
  if (text.size() <= kMaxCell) return text;
  size_t cut = kMaxCell;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

// Model text as a cell holds it: libxlsxwriter takes a C string and writes
// the other controls as _xHHHH_, so what XML cannot hold (a NUL would end
// the cell, U+FFFE/U+FFFF would make the part invalid) is U+FFFD first, as
// in the HTML; then made formula-safe as in the CSV.
std::string cell_text(const std::string& text) { return clipped(formula_safe(xml_text(text))); }

// Display width of a string in characters (UTF-8 lead bytes), first line only.
size_t width_of(const std::string& text) {
  size_t n = 0;
  for (char c : text) {
    if (c == '\n') break;
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string components(const model::Model& m, const Row& row) {
  std::string out;
  for (const std::string& id : row.target_ids) {
    int e = m.find_element(id);
    out += (out.empty() ? "" : " / ") + (e >= 0 ? m.elements[static_cast<size_t>(e)].name : id);
  }
  return out;
}

std::string next_mitigation(const Row& row) {
  if (row.finding != nullptr) return row.finding->mitigation;
  for (const model::Mitigation& m : row.threat->mitigations) {
    if (!mitigation_done(m)) return m.description;
  }
  return "";
}

struct Sheet {
  lxw_worksheet* sheet;
  std::vector<size_t> widths;
  void text(lxw_row_t r, lxw_col_t c, const std::string& value, lxw_format* format = nullptr) {
    std::string t = cell_text(value);
    worksheet_write_string(sheet, r, c, t.c_str(), format);
    widths[c] = std::max(widths[c], width_of(t));
  }
  void number(lxw_row_t r, lxw_col_t c, double value, lxw_format* format = nullptr) {
    worksheet_write_number(sheet, r, c, value, format);
    widths[c] = std::max<size_t>(widths[c], 4);
  }
  void date(lxw_row_t r, lxw_col_t c, const std::string& value, lxw_format* format) {
    auto parsed = parse_date(value);
    // Excel's dates start on 1900-01-01: an earlier one would be a
    // negative serial number, shown as #### or as another day. Its text.
    if (!parsed || parsed->year < 1900) {
      if (!value.empty()) text(r, c, value);
      return;
    }
    lxw_datetime when = {parsed->year, parsed->month, parsed->day, 0, 0, 0};
    worksheet_write_datetime(sheet, r, c, &when, format);
    widths[c] = std::max<size_t>(widths[c], 10);
  }
  void fit() {
    for (size_t c = 0; c < widths.size(); ++c) {
      worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           static_cast<double>(std::clamp<size_t>(widths[c] + 2, 8, 60)), nullptr);
    }
  }
};

}  // namespace

std::optional<std::string> threats_xlsx(const RenderInput& input, std::string& error) {
  const model::Model& m = input.model;
  // libxlsxwriter writes to a file name: a private temporary file, read back.
  const char* tmpdir = std::getenv("TMPDIR");
  std::string directory = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  std::string temp = directory + "/tmc-xlsx-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = "cannot create a temporary file for the workbook";
    return std::nullopt;
  }
  ::close(fd);
  struct Cleanup {
    std::string path;
    ~Cleanup() { ::unlink(path.c_str()); }
  } cleanup{temp};

  // Constant memory: each row goes to a temporary file as the next one
  // starts, and strings are written in their cells, instead of the whole
  // sheet and a shared-string table in memory (hundreds of megabytes at
  // 10k elements). Rows are written in order, as that mode requires.
  lxw_workbook_options book_options = {};
  book_options.constant_memory = LXW_TRUE;
  book_options.tmpdir = directory.data();
  lxw_workbook* book = workbook_new_opt(temp.c_str(), &book_options);
  if (book == nullptr) {
    error = "libxlsxwriter could not start a workbook";
    return std::nullopt;
  }
  // A fixed creation time keeps the output byte-identical for the same model.
  lxw_doc_properties properties = {};
  std::string title = clipped(xml_text(m.title));
  properties.title = title.data();
  properties.created = 946684800;  // 2000-01-01T00:00:00Z
  workbook_set_properties(book, &properties);

  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_bg_color(header, 0xD9D9D9);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* date = workbook_add_format(book);
  format_set_num_format(date, "yyyy-mm-dd");
  const lxw_color_t kBucketColors[] = {0xF4CCCC, 0xFCE5CD, 0xFFF2CC, 0xD9EAD3};
  std::vector<lxw_format*> bucket_formats;
  for (lxw_color_t color : kBucketColors) {
    lxw_format* f = workbook_add_format(book);
    format_set_bg_color(f, color);
    bucket_formats.push_back(f);
  }

  static const std::vector<std::string> kCrossingColumns = {
      "flow", "from", "to", "leaves", "enters", "protocol", "authentication", "authorization", "validation", "encrypted"};
  static const std::vector<std::string> kColumns = {
      "id", "component", "threat", "description", "likelihood", "impact", "risk_score", "mitigation", "owner", "due",
      "date_identified", "status", "bucket", "stride", "next_mitigation"};
  Sheet threats{workbook_add_worksheet(book, "Threats"), std::vector<size_t>(kColumns.size(), 0)};
  Sheet crossings{workbook_add_worksheet(book, "Crossings"), std::vector<size_t>(kCrossingColumns.size(), 0)};
  if (threats.sheet == nullptr || crossings.sheet == nullptr) {  // each needs a temporary file
    workbook_close(book);
    error = "libxlsxwriter could not start a worksheet";
    return std::nullopt;
  }
  for (size_t c = 0; c < kColumns.size(); ++c) threats.text(0, static_cast<lxw_col_t>(c), kColumns[c], header);
  lxw_row_t r = 0;
  for_each_row(input, false, [&](const Row& row) {
    ++r;
    threats.text(r, 0, row.id);
    threats.text(r, 1, components(m, row));
    threats.text(r, 2, row.title);
    threats.text(r, 3, row.description);
    threats.number(r, 4, row.likelihood);
    threats.number(r, 5, row.impact);
    threats.number(r, 6, row.risk);
    threats.text(r, 7, row.mitigation);
    threats.text(r, 8, row.owner);
    threats.date(r, 9, row.due, date);
    threats.date(r, 10, row.identified, date);
    threats.text(r, 11, row.is_finding ? "open (rule finding)" : row.status);
    size_t rank = std::min<size_t>(static_cast<size_t>(std::max(row.bucket.rank, 0)), bucket_formats.size() - 1);
    threats.text(r, 12, row.bucket.name, bucket_formats[rank]);
    threats.text(r, 13, row.stride);
    threats.text(r, 14, next_mitigation(row));
  });
  worksheet_freeze_panes(threats.sheet, 1, 0);
  worksheet_autofilter(threats.sheet, 0, 0, r, static_cast<lxw_col_t>(kColumns.size() - 1));
  threats.fit();

  for (size_t c = 0; c < kCrossingColumns.size(); ++c) crossings.text(0, static_cast<lxw_col_t>(c), kCrossingColumns[c], header);
  lxw_row_t cr = 0;
  auto declared = [&](const model::Flow& f, Declaration which) {
    return crossing_declaration(m, f, which).value_or("(not declared)");
  };
  for (const analyze::BoundaryCrossing& crossing : input.analysis.crossings) {
    const model::Flow& f = m.flows[static_cast<size_t>(crossing.flow)];
    std::string left, entered;
    for (int b : crossing.exited) left += (left.empty() ? "" : ", ") + m.boundaries[static_cast<size_t>(b)].id;
    for (int b : crossing.entered) entered += (entered.empty() ? "" : ", ") + m.boundaries[static_cast<size_t>(b)].id;
    ++cr;
    crossings.text(cr, 0, f.id);
    crossings.text(cr, 1, f.from.value);
    crossings.text(cr, 2, f.to.value);
    crossings.text(cr, 3, left);
    crossings.text(cr, 4, entered);
    crossings.text(cr, 5, f.protocol);
    crossings.text(cr, 6, declared(f, Declaration::authentication));
    crossings.text(cr, 7, declared(f, Declaration::authorization));
    crossings.text(cr, 8, declared(f, Declaration::validation));
    crossings.text(cr, 9, crossing.encrypted ? "yes" : "no");
  }
  worksheet_freeze_panes(crossings.sheet, 1, 0);
  worksheet_autofilter(crossings.sheet, 0, 0, cr, static_cast<lxw_col_t>(kCrossingColumns.size() - 1));
  crossings.fit();

  lxw_error status = workbook_close(book);
  if (status != LXW_NO_ERROR) {
    error = std::string("libxlsxwriter: ") + lxw_strerror(status);
    return std::nullopt;
  }
  std::ifstream file(temp, std::ios::binary | std::ios::ate);
  std::string bytes(file ? static_cast<size_t>(file.tellg()) : 0, '\0');
  if (!file || !file.seekg(0).read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    error = "cannot read back the temporary workbook";
    return std::nullopt;
  }
  return bytes;
}

}  // namespace tmc::render
