// Internal to the model builder: state shared by the files that read the
// sections of a model.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/diagnostic.h"
#include "load/syntax_tree.h"
#include "model/builder.h"
#include "model/model.h"
#include "model/reader.h"

namespace tmc::model {

struct BuildContext {
  DiagnosticSink& sink;
  const BuildOptions& options;
  Model model;
  std::vector<std::string> known_controls;
  // The same names, to look up (views into known_controls, filled once).
  std::unordered_set<std::string_view> known_control_set;

  // Every id in the file, for uniqueness across kinds: ids maps each to
  // its definition.
  struct Definition {
    std::string kind;
    SourceLocation location;
  };
  IdIndex ids;
  std::vector<Definition> definitions;

  // Registers an id; reports invalid-id or duplicate-id. Returns false when
  // the id is unusable.
  bool define(const Text& id, const std::string& kind);
  // Reads and defines the `id` of an entity. Empty Text when absent/invalid.
  std::optional<Text> read_id(MapReader& reader, const std::string& kind, bool required = true);
};

// The items of a list section, each a mapping; reports shapes otherwise.
std::vector<const load::Node*> section_items(const load::MappingEntry& section, DiagnosticSink& sink);

// Readers of the sections (builder_*.cc).
void read_threat(BuildContext& context, const load::Node& node);
void read_dismissal(BuildContext& context, const load::Node& node);
void read_rule_setting(BuildContext& context, const load::Node& node);
void read_attack_tree(BuildContext& context, const load::Node& node);
void read_clearances(MapReader& reader, std::vector<Clearance>& out);
// `facts:` of an element or flow, checked against `keys`.
void read_facts(MapReader& reader, const std::vector<FactKey>& keys, std::vector<StatedFact>& out);

// Resolution after every file is read (builder_resolve.cc).
void resolve_references(BuildContext& context);

}  // namespace tmc::model
