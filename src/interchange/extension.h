// The `tmc` extension objects: what Threat Dragon and OTM have no field for
// travels with an export in an object named `tmc` (on a Threat Dragon cell,
// threat or file; in an OTM element's `attributes`), spelled with the keys
// of tmc's own format, so that importing an export gives the model back.
// Both directions live here so they cannot drift apart.
#pragma once

#include <nlohmann/json.hpp>

#include "base/diagnostic.h"
#include "interchange/draft.h"
#include "interchange/tree_access.h"
#include "model/model.h"

namespace tmc::interchange {

using Json = nlohmann::ordered_json;

Json element_extension(const model::Element& element);
Json flow_extension(const model::Flow& flow);
// `targets` only when the threat has more than one.
Json threat_extension(const model::Threat& threat);
// Model settings and the sections without a place in the other format:
// assumptions, actors, assets, paths, dismissed findings.
Json model_extension(const model::Model& model);

// Reads the extension objects of one source file into its draft. Every
// value is checked where it is read, as tmc's format checks it, so that a
// value the format refuses is an error at the source's file:line:col and
// never reaches the written model: an id that is not valid, or that the
// model's own sections (assets, actors, assumptions, paths, mitigations)
// use twice; trust outside 0..1000, review_every outside 1..3650, a scale
// other than 3 or 5, likelihood or impact outside the model's scale; an
// accepted or transferred threat without who and why, a mitigated one
// with open mitigations; a clearance without a reason, an unknown asset
// class, an assumption without text, a dismissal without rule, target,
// reason or author; an unknown control is a warning there. The references
// it reads (assets, targets, actors, flows) keep their source location and
// are checked once the whole draft is read (check_draft). Absent keys
// leave a field as the importer set it from the tool's own fields.
class ExtensionReader {
 public:
  ExtensionReader(IdMaker& ids, DiagnosticSink& sink) : ids_(ids), sink_(sink) {}

  // The extension's `id`, or "" when it has none or (reported) an invalid one.
  std::string wanted_id(const Node* ext);
  void apply(const Node* ext, model::Asset& asset);  // owner, classes and levels
  void apply(const Node* ext, model::Boundary& boundary);
  void apply(const Node* ext, model::Element& element);
  void apply(const Node* ext, model::Flow& flow);
  // `scale` is the model's, read from the model's extension first.
  void apply(const Node* ext, model::Threat& threat, int scale);
  // The model's settings and sections; reserves the ids of the sections.
  void apply(const Node* ext, model::Model& model);

 private:
  std::optional<long> whole_number(const Node* ext, std::string_view key, long min, long max);
  // `id` of an item of the model's own sections: valid and not used yet.
  std::string section_id(const Node* item, const char* what);
  void read_clear(const Node* ext, std::vector<model::Clearance>& out);
  // Known names in their canonical spelling; an unknown control is a
  // warning, an unknown asset class an error.
  void check_controls(std::vector<model::Text>& controls);
  void check_asset_classes(std::vector<model::Text>& classes);

  IdMaker& ids_;
  DiagnosticSink& sink_;
  std::vector<model::Text> declared_classes_;  // the model's `asset_classes`
};
// Threat status and mitigation status from their file spelling.
std::optional<model::ThreatStatus> threat_status(const std::string& text);
std::optional<model::MitigationStatus> mitigation_status(const std::string& text);
std::optional<model::Level> level(const std::string& text);

}  // namespace tmc::interchange
