// The JSON Schema (draft-07) of the model file format, version 1, for
// editors' YAML plugins: completion, hover help and validation as you type.
// tmc itself is stricter than the schema in places (references, scale,
// acceptance), and looser in one: unknown keys are warnings in tmc but
// flagged by the schema.
#pragma once

#include <string>

namespace tmc::model {

// The schema as pretty-printed JSON with a trailing newline; deterministic.
std::string model_json_schema();

}  // namespace tmc::model
