// The `tmc` extension objects: what Threat Dragon and OTM have no field for
// travels with an export in an object named `tmc` (on a Threat Dragon cell,
// threat or file; in an OTM element's `attributes`), spelled with the keys
// of tmc's own format, so that importing an export gives the model back.
// Both directions live here so they cannot drift apart.
#pragma once

#include <nlohmann/json.hpp>

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

// Apply an extension object read from a source file; absent keys leave the
// field as the importer set it from the tool's own fields.
void apply_element_extension(const Node* ext, model::Element& element);
void apply_flow_extension(const Node* ext, model::Flow& flow);
void apply_threat_extension(const Node* ext, model::Threat& threat);
void apply_model_extension(const Node* ext, model::Model& model);

// Threat status and mitigation status from their file spelling.
std::optional<model::ThreatStatus> threat_status(const std::string& text);
std::optional<model::MitigationStatus> mitigation_status(const std::string& text);
std::optional<model::Level> level(const std::string& text);

}  // namespace tmc::interchange
