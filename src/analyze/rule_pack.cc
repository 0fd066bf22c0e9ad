// pack_rules() / unpack_rules(): rules <-> bytes. The format is private
// to one build of tmc (made and read by the same sources): a magic word,
// the file list, then every rule field in declaration order; numbers are
// LEB128 varints, strings a length and their bytes.
#include "analyze/rule_pack.h"

#include <fmt/format.h>

namespace tmc::analyze {

namespace {

constexpr std::string_view kMagic = "tmc-rule-pack-2";
// Conditions nest at most 12 levels in a rule file (rule_compile.cc), and
// each level is two nodes here; anything deeper is a damaged pack.
constexpr int kMaxDepth = 64;

class Writer {
 public:
  void number(uint64_t value) {
    do {
      auto byte = static_cast<uint8_t>(value & 0x7F);
      value >>= 7;
      out_ += static_cast<char>(value != 0 ? byte | 0x80 : byte);
    } while (value != 0);
  }
  void text(std::string_view value) {
    number(value.size());
    out_.append(value);
  }
  void words(const std::vector<std::string>& list) {
    number(list.size());
    for (const std::string& word : list) text(word);
  }
  void location(const SourceLocation& at) {
    number(at.file);
    number(at.line);
    number(at.column);
    number(at.length);
  }
  void condition(const Condition& c) {
    number(static_cast<uint64_t>(c.op));
    number(static_cast<uint64_t>(c.subject));
    text(c.predicate);
    number(static_cast<uint64_t>(c.kind));
    words(c.words);
    number(c.flag ? 1 : 0);
    location(c.location);
    number(c.children.size());
    for (const Condition& child : c.children) condition(child);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view in, const std::vector<uint32_t>& file_ids) : in_(in), file_ids_(file_ids) {}

  bool ok() const { return ok_; }
  bool at_end() const { return at_ == in_.size(); }
  const std::string& error() const { return error_; }

  uint64_t fail(std::string_view why) {
    if (ok_) error_ = fmt::format("the rule pack {} at byte {}", why, at_);
    ok_ = false;
    at_ = in_.size();
    return 0;
  }

  uint64_t number() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && ok_; shift += 7) {
      if (at_ >= in_.size()) return fail("ends inside a number");
      auto byte = static_cast<uint8_t>(in_[at_++]);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return fail("has a number too long");
  }
  // A number that must be at most `max`.
  uint64_t bounded(uint64_t max, const char* what) {
    uint64_t value = number();
    if (value > max) return fail(fmt::format("has {} {} out of range", what, value));
    return value;
  }
  std::string text() {
    uint64_t size = number();
    if (!ok_ || size > in_.size() - at_) {
      fail("ends inside a string");
      return {};
    }
    std::string value(in_.substr(at_, size));
    at_ += size;
    return value;
  }
  std::vector<std::string> words() {
    std::vector<std::string> list;
    uint64_t count = bounded(in_.size() - at_, "a list length");
    for (uint64_t i = 0; i < count && ok_; ++i) list.push_back(text());
    return list;
  }
  SourceLocation location() {
    SourceLocation at;
    uint64_t file = bounded(file_ids_.size(), "a file number");
    at.file = file == 0 || !ok_ ? 0 : file_ids_[file - 1];
    at.line = static_cast<uint32_t>(bounded(UINT32_MAX, "a line"));
    at.column = static_cast<uint32_t>(bounded(UINT32_MAX, "a column"));
    at.length = static_cast<uint32_t>(bounded(UINT32_MAX, "a length"));
    return at;
  }
  void condition(Condition& c, int depth) {
    if (depth > kMaxDepth) {
      fail("nests conditions too deeply");
      return;
    }
    c.op = static_cast<Condition::Op>(bounded(static_cast<uint64_t>(Condition::Op::predicate), "an operator"));
    c.subject = static_cast<Condition::Subject>(bounded(static_cast<uint64_t>(Condition::Subject::flow), "a subject"));
    c.predicate = text();
    c.kind = static_cast<Predicate>(bounded(static_cast<uint64_t>(Predicate::last), "a predicate"));
    c.words = words();
    c.flag = bounded(1, "a flag") == 1;
    c.location = location();
    uint64_t count = bounded(in_.size() - at_, "a child count");
    for (uint64_t i = 0; i < count && ok_; ++i) condition(c.children.emplace_back(), depth + 1);
  }

 private:
  std::string_view in_;
  const std::vector<uint32_t>& file_ids_;
  size_t at_ = 0;
  bool ok_ = true;
  std::string error_;
};

}  // namespace

std::string pack_rules(const std::vector<PackedFile>& files, const std::vector<Rule>& rules) {
  Writer out;
  out.text(kMagic);
  out.number(files.size());
  for (const PackedFile& file : files) {
    out.text(file.path);
    out.number(file.bytes);
  }
  out.number(rules.size());
  for (const Rule& rule : rules) {
    out.text(rule.id);
    out.text(rule.title);
    out.number(static_cast<uint64_t>(rule.target));
    out.number(rule.stride);
    out.number(rule.privacy);
    out.text(rule.rationale);
    out.text(rule.mitigation);
    out.text(rule.message);
    out.words(rule.references);
    out.number(static_cast<uint64_t>(rule.likelihood));
    out.number(static_cast<uint64_t>(rule.impact));
    out.number(static_cast<uint64_t>(rule.stakes));
    out.number(rule.once ? 1 : 0);
    out.number(rule.checklist ? 1 : 0);
    out.number(rule.collector ? 1 : 0);
    out.words(rule.folds);
    out.condition(rule.when);
    out.text(rule.source);
    out.location(rule.location);
  }
  return out.take();
}

bool unpack_rules(std::string_view pack, const std::vector<PackedFile>& files, const std::vector<uint32_t>& file_ids,
                  std::vector<Rule>& rules, std::string& error) {
  Reader in(pack, file_ids);
  if (in.text() != kMagic) {
    error = "the rule pack does not start with its magic word";
    return false;
  }
  uint64_t file_count = in.number();
  bool files_match = in.ok() && file_count == files.size() && file_ids.size() == files.size();
  for (uint64_t i = 0; i < file_count && in.ok() && files_match; ++i) {
    std::string path = in.text();
    uint64_t bytes = in.number();
    files_match = path == files[i].path && bytes == files[i].bytes;
  }
  if (in.ok() && !files_match) {
    error = "the rule pack was made from other rule files than the ones compiled into tmc";
    return false;
  }
  uint64_t count = in.bounded(pack.size(), "a rule count");
  for (uint64_t r = 0; r < count && in.ok(); ++r) {
    Rule& rule = rules.emplace_back();
    rule.id = in.text();
    rule.title = in.text();
    rule.target = static_cast<RuleTarget>(in.bounded(static_cast<uint64_t>(RuleTarget::crossing), "a target"));
    rule.stride = static_cast<model::StrideSet>(in.bounded(0xFF, "a STRIDE set"));
    rule.privacy = static_cast<model::PrivacySet>(in.bounded(0xFF, "a privacy set"));
    rule.rationale = in.text();
    rule.mitigation = in.text();
    rule.message = in.text();
    rule.references = in.words();
    rule.likelihood = static_cast<int>(in.bounded(3, "a likelihood"));
    rule.impact = static_cast<int>(in.bounded(3, "an impact"));
    rule.stakes = static_cast<RuleStakes>(in.bounded(static_cast<uint64_t>(RuleStakes::none), "the stakes"));
    rule.once = in.bounded(1, "a flag") == 1;
    rule.checklist = in.bounded(1, "a flag") == 1;
    rule.collector = in.bounded(1, "a flag") == 1;
    rule.folds = in.words();
    in.condition(rule.when, 0);
    rule.source = in.text();
    rule.location = in.location();
  }
  if (in.ok() && !in.at_end()) in.fail("has trailing bytes");
  if (!in.ok()) {
    error = in.error();
    rules.clear();
    return false;
  }
  return true;
}

}  // namespace tmc::analyze
