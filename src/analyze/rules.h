// The rule library (SPEC 3): declarative rules, compiled into the binary
// from rules/*.yaml, plus user rule files loaded with --rules. Rules are
// data; no rule and no model can run code. Owned by the rules engine; the
// analysis calls only what is declared here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyze/analysis.h"
#include "analyze/facts.h"
#include "base/diagnostic.h"
#include "base/source.h"
#include "load/file_system.h"
#include "load/loader.h"
#include "model/model.h"

namespace tmc::analyze {

struct Rule;  // defined in rule_engine internals

// A set of compiled rules. Move-only.
class RuleLibrary {
 public:
  RuleLibrary();
  ~RuleLibrary();
  RuleLibrary(RuleLibrary&&) noexcept;
  RuleLibrary& operator=(RuleLibrary&&) noexcept;

  // The built-in rules. Errors in the embedded files are a bug in tmc and
  // are reported into `sink` like a user file's.
  // They come from the rule pack made at build time (rule_pack.h); the
  // text of rules/*.yaml is registered in `sources` (ids in file order) so
  // that locations point into it.
  static RuleLibrary builtin(SourceManager& sources, DiagnosticSink& sink);
  // The same rules compiled from their embedded YAML at run time (the slow
  // path the pack replaces; tests compare the two).
  static RuleLibrary builtin_from_yaml(SourceManager& sources, DiagnosticSink& sink);

  // Adds the rules of a user file (--rules FILE). Problems are diagnostics
  // at file:line:col; returns false when the file had errors.
  bool add_file(const std::string& path, const load::FileSystem& fs,
                const load::LoadLimits& limits, SourceManager& sources, DiagnosticSink& sink);

  size_t size() const;
  const Rule& rule(size_t index) const;
  // Index of the rule with this id, or -1.
  int find(std::string_view id) const;
  std::vector<std::string> ids() const;
  // Control names the rules mention (so the model does not warn on them).
  std::vector<std::string> controls() const;

 private:
  std::vector<std::unique_ptr<Rule>> rules_;
};

// Runs every rule over the model's elements, flows and crossings.
// Findings come sorted by rule id, then target kind and file order, with
// likelihood and impact already raised for the business context (SPEC 2.5)
// and their status set: addressed by a threat with the same `rule` and
// target, dismissed by a `dismissed` entry, else open.
struct RuleRunOptions {
  // The work is shared between this many threads (0: one per core the
  // process may use, up to 8, for a large model, else one); the findings
  // do not depend on how many.
  unsigned threads = 0;
  // RuleFinding::raises (why likelihood and impact were raised) are
  // written; false leaves them empty, the numbers unchanged.
  bool raises = true;
  // The model's facts when the caller computed them already (else the
  // rules compute them); must be compute_facts() of the same model.
  const ModelFacts* facts = nullptr;
};
// The facts a finding rests on: those of its target (and, for an element,
// of the requests into it; for a flow, of its two ends) that the rule's
// condition reads, each named "subject: fact". For `threats --explain`.
std::vector<FactLine> facts_behind(const model::Model& model, const ModelFacts& facts, const Rule& rule,
                                   const RuleFinding& finding);

std::vector<RuleFinding> run_rules(const model::Model& model,
                                   const std::vector<BoundaryCrossing>& crossings,
                                   const RuleLibrary& rules, const RuleRunOptions& options = {});

}  // namespace tmc::analyze
