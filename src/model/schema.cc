#include "model/schema.h"

#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "model/controls.h"
#include "model/model.h"

namespace tmc::model {

namespace {

using Json = nlohmann::ordered_json;

Json str(const char* description) { return Json{{"type", "string"}, {"description", description}}; }
Json strings(const char* description) {
  return Json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", description}};
}
Json one_or_many(const char* description) {
  return Json{{"description", description},
              {"oneOf", Json::array({{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
}
Json enumeration(const char* description, std::initializer_list<const char*> values) {
  Json list = Json::array();
  for (const char* value : values) list.push_back(value);
  return Json{{"type", "string"}, {"enum", list}, {"description", description}};
}
Json vocabulary(const char* description, const std::vector<std::string>& values) {
  Json list = Json::array();
  for (const std::string& value : values) list.push_back(value);
  return Json{{"type", "string"}, {"enum", list}, {"description", description}};
}
// Keys starting with x- are a team's own extensions, allowed everywhere.
Json extensions() { return Json{{"^x-", Json::object({{"description", "Your own extension key, kept and ignored"}})}}; }
Json ref(const char* name) { return Json{{"$ref", std::string("#/definitions/") + name}}; }
Json list_of(const char* definition, const char* description) {
  return Json{{"type", "array"}, {"items", ref(definition)}, {"description", description}};
}
Json object(Json properties, std::initializer_list<const char*> required, const char* description) {
  Json out{{"type", "object"}, {"description", description}, {"properties", std::move(properties)},
           {"patternProperties", extensions()}, {"additionalProperties", false}};
  if (required.size() > 0) {
    Json list = Json::array();
    for (const char* key : required) list.push_back(key);
    out["required"] = list;
  }
  return out;
}

const char* kIdPattern = "^[A-Za-z][A-Za-z0-9_.-]*$";
const char* kDatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

Json id(const char* description) { return Json{{"type", "string"}, {"pattern", kIdPattern}, {"description", description}}; }
Json date(const char* description) {
  return Json{{"type", "string"}, {"pattern", kDatePattern}, {"description", description}};
}
Json level(const char* description) { return enumeration(description, {"low", "medium", "high"}); }
Json score(const char* description) {
  return Json{{"type", "integer"}, {"minimum", 1}, {"maximum", 5}, {"description", description}};
}
// `facts:` with its closed keys and values (booleans as JSON booleans).
Json facts(const std::vector<FactKey>& keys) {
  Json properties = Json::object();
  for (const FactKey& key : keys) {
    if (key.values == std::vector<std::string>{"true", "false"}) {
      properties[key.key] = Json{{"type", "boolean"}, {"description", key.meaning}};
    } else {
      properties[key.key] = vocabulary(key.meaning, key.values);
    }
  }
  return Json{{"type", "object"},
              {"description", "Facts the team states; they override what tmc reads from free text or infers (tmc facts)"},
              {"properties", properties},
              {"additionalProperties", false}};
}
Json controls() {
  Json names = Json::array();
  for (const KnownControl& control : known_controls()) names.push_back(control.name);
  return Json{{"type", "array"},
              {"description", "Controls in place (tmc controls lists the known names; others are warned about)"},
              {"items", {{"type", "string"}, {"examples", names}}}};
}
Json clear() {
  Json reason = str("Why this STRIDE letter does not apply here");
  return Json{{"type", "object"},
              {"description", "STRIDE letters judged not to apply, each with its reason"},
              {"properties", {{"S", reason}, {"T", reason}, {"R", reason}, {"I", reason}, {"D", reason}, {"E", reason}}},
              {"additionalProperties", false}};
}

Json definitions() {
  Json d;
  d["assumption"] = object({{"id", id("Unique id")}, {"text", str("What is assumed to be true")}, {"description", str("Alias of text")}},
                           {"id"}, "Something the model trusts to be true");
  d["actor"] = object({{"id", id("Unique id")}, {"name", str("Display name")}, {"description", str("Who they are")}},
                      {"id"}, "Who might attack or interact with the system");
  d["asset"] = object({{"id", id("Unique id")},
                       {"name", str("Display name")},
                       {"description", str("What it is")},
                       {"owner", str("Who owns it")},
                       {"classes", {{"type", "array"},
                                    {"description", "Data classes: the built-in ones (pii, payment, health, credentials, "
                                                    "secret, financial, public, authority, internal; the first five "
                                                    "raise impact) or those declared under asset_classes"},
                                    {"items", {{"type", "string"}, {"examples", known_asset_classes()}}}}},
                       {"confidentiality", level("Required confidentiality")},
                       {"integrity", level("Required integrity")},
                       {"availability", level("Required availability")},
                       {"facts", facts(asset_fact_keys())}},
                      {"id"}, "What the system protects");
  d["boundary"] = object({{"id", id("Unique id")},
                          {"name", str("Display name")},
                          {"description", str("What the zone is")},
                          {"parent", id("The enclosing boundary (zones nest)")},
                          {"trust", {{"type", "integer"}, {"minimum", 0}, {"description", "Higher = more trusted"}}}},
                         {"id"}, "A trust zone, drawn as a dashed line");
  d["element"] = object(
      {{"id", id("Unique id")},
       {"name", str("Display name (defaults to the id)")},
       {"description", str("What it does")},
       {"type", enumeration("The DFD shape", {"external", "process", "store"})},
       {"store", enumeration("Kind of data store", {"sql", "nosql", "cache", "queue", "object", "file", "log", "other"})},
       {"boundary", id("The trust zone it lives in (none = outside)")},
       {"internet_facing", {{"type", "boolean"}, {"description", "Reachable from the internet"}}},
       {"multi_tenant", {{"type", "boolean"}, {"description", "Holds rows of many users or tenants"}}},
       {"assets", strings("Asset ids processed or stored here")},
       {"controls", controls()},
       {"privilege", enumeration("The privilege it runs with", {"service", "user", "admin", "root"})},
       {"tags", {{"type", "array"},
                 {"description", "Free labels; login, admin, webhook, upload, csv and file steer rules"},
                 {"items", {{"type", "string"}, {"examples", known_tags()}}}}},
       {"clear", clear()},
       {"kind", vocabulary("What it is, in the rules' vocabulary (web-app, browser, api-gateway, vault, ci, llm...)",
                           known_element_kinds())},
       {"accepts", {{"type", "array"},
                    {"description", "Input a process interprets: injection-class rules read it"},
                    {"items", vocabulary("Input kind", known_accepts())}}},
       {"out_of_scope", {{"type", "boolean"}, {"description", "Drawn for context only: no findings on it"}}},
       {"facts", facts(element_fact_keys())}},
      {"id", "type"}, "A DFD shape other than an arrow");
  d["flow"] = object({{"id", id("Unique id")},
                      {"from", id("Source element")},
                      {"to", id("Target element")},
                      {"label", str("Text on the arrow (default: protocol)")},
                      {"protocol", str("HTTPS, SQL over TLS, AMQP...")},
                      {"description", str("What moves")},
                      {"data", strings("Asset ids carried")},
                      {"in_url", strings("Asset ids placed in the URL (a subset of data)")},
                      {"authentication", str("Mechanism, or none")},
                      {"authorization", str("Mechanism, or none")},
                      {"validation", str("Mechanism, or none")},
                      {"controls", controls()},
                      {"tags", strings("Free labels")},
                      {"clear", clear()},
                      {"response_to", id("The request flow this flow answers (it runs the other way)")},
                      {"facts", facts(flow_fact_keys())}},
                     {"id", "from", "to"}, "A DFD arrow");
  d["path"] = object({{"id", id("Unique id")}, {"name", str("What the request does")}, {"description", str("Alias of name")},
                      {"flows", strings("Flow ids, hop by hop")}},
                     {"id", "flows"}, "One request followed hop by hop");
  d["mitigation"] = object({{"id", id("Unique id (needed for mitigated_by)")},
                            {"description", str("What is done")},
                            {"owner", str("Who does it")},
                            {"due", date("Due date")},
                            {"status", enumeration("Progress", {"planned", "in-progress", "done", "verified"})},
                            {"acceptance", str("Acceptance criteria")},
                            {"test", str("How it is verified")},
                            {"estimate", str("Effort, e.g. 3d")}},
                           {"description"}, "What the team does about a threat");
  d["threat"] = object(
      {{"id", id("Unique id")},
       {"title", str("One line: what goes wrong")},
       {"description", str("Details")},
       {"target", one_or_many("Element, flow or boundary id(s)")},
       {"stride", {{"type", "array"}, {"items", enumeration("STRIDE letter", {"S", "T", "R", "I", "D", "E"})}}},
       {"privacy", {{"type", "array"},
                    {"items", enumeration("LINDDUN class", {"linkability", "identifiability", "non-repudiation",
                                                            "detectability", "disclosure", "unawareness",
                                                            "non-compliance"})}}},
       {"actor", id("Actor id")},
       {"likelihood", score("1..scale")},
       {"impact", score("1..scale")},
       {"cvss", str("CVSS v3.1 or v4.0 vector")},
       {"status", enumeration("Decision", {"open", "mitigating", "mitigated", "accepted", "transferred", "eliminated"})},
       {"identified", date("When it was found")},
       {"resolved", date("When it was resolved")},
       {"rule", str("The rule id whose finding this threat answers")},
       {"mitigations", list_of("mitigation", "Mitigations")},
       {"accepted_by", str("Who accepted the risk (required for accepted)")},
       {"accepted_until", date("Last day the acceptance holds; without it, until the model's review is due")},
       {"transferred_to", str("Who carries the risk (required for transferred)")},
       {"reason", str("Why (required for accepted and transferred)")}},
      {"id", "title", "target", "likelihood", "impact"}, "Something that can go wrong");
  Json by_tag = object({{"tag", str("Every element and flow with this tag")}}, {"tag"}, "Targets by tag");
  d["dismissal"] = object(
      {{"rule", str("Rule id")},
       {"target", {{"description", "An element, flow or boundary id, a list of ids, { tag: NAME } or all"},
                   {"anyOf", Json::array({id("Element, flow or boundary id"), strings("Element, flow or boundary ids"),
                                          by_tag, {{"const", "all"}}})}}},
       {"reason", str("Why the finding does not apply")},
       {"by", str("Who decided")}},
      {"rule", "target", "reason", "by"}, "A rule finding judged not to apply to its targets");
  d["rule_setting"] = object({{"rule", str("Rule id (tmc rules lists them)")},
                              {"enabled", {{"type", "boolean"}, {"description", "false switches the rule off"}}},
                              {"likelihood", score("Replaces the rule's default likelihood and its raise (1..scale)")},
                              {"impact", score("Replaces the rule's default impact and its raise (1..scale)")},
                              {"for_tags", strings("Only targets with one of these tags")},
                              {"reason", str("Why (required)")},
                              {"by", str("Who approved switching the rule off or setting its score")}},
                             {"rule", "reason"}, "This model's setting of one rule");
  d["asset_class"] = Json{{"description", "A class name, or { name, description }"},
                          {"anyOf", Json::array({str("Class name"),
                                                 object({{"name", str("Class name")}, {"description", str("What it covers")}},
                                                        {"name"}, "A declared class")})}};
  Json cost{{"description", "trivial, low, medium, high, impossible or a non-negative number"},
            {"oneOf", Json::array({enumeration("Named cost", {"trivial", "low", "medium", "high", "impossible"}),
                                   {{"type", "number"}, {"minimum", 0}}})}};
  Json time{{"description", "Attacker time: 30m, 2h, 3d, 1w or a number of hours"},
            {"oneOf", Json::array({{{"type", "string"}, {"pattern", "^[0-9.]+[mhdw]?$"}}, {{"type", "number"}, {"minimum", 0}}})}};
  d["node"] = Json{
      {"description", "An attack tree node: and, or, ref or a leaf"},
      {"oneOf", Json::array({
                    object({{"id", id("Unique id")}, {"title", str("Sub-goal")}, {"and", list_of("node", "All needed")}},
                           {"and"}, "AND node"),
                    object({{"id", id("Unique id")}, {"title", str("Sub-goal")}, {"or", list_of("node", "Any one is enough")}},
                           {"or"}, "OR node"),
                    object({{"ref", id("Id of a node defined elsewhere")}}, {"ref"}, "Reuse of another node"),
                    object({{"id", id("Unique id")},
                            {"title", str("The attack step")},
                            {"cost", cost},
                            {"skill", level("Skill the step needs")},
                            {"time", time},
                            {"mitigated_by", strings("Mitigation ids that make it impossible once done")}},
                           {"title"}, "Leaf"),
                })}};
  d["attack_tree"] = object({{"id", id("Unique id")}, {"goal", str("The attacker's goal")}, {"threat", id("Threat id")},
                             {"description", str("Details")}, {"root", ref("node")}},
                            {"id", "goal", "root"}, "An attack tree");
  return d;
}

}  // namespace

std::string model_json_schema() {
  Json schema;
  schema["$schema"] = "http://json-schema.org/draft-07/schema#";
  schema["$id"] = "urn:tmc:model-format:1";
  schema["title"] = "tmc threat model (format version 1)";
  schema["type"] = "object";
  Json properties;
  properties["tmc"] = Json{{"const", 1}, {"description", "Format version: 1"}};
  properties["title"] = str("The system modelled");
  properties["scope"] = str("One paragraph: what system, which assets, which questions");
  properties["in_scope"] = strings("What the model covers");
  properties["out_of_scope"] = strings("What it leaves out");
  properties["authors"] = strings("Who wrote it");
  properties["reviewed"] = date("Date of the last review");
  properties["review_every"] = Json{{"type", "integer"}, {"minimum", 1}, {"description", "Days before the model is stale (90)"}};
  properties["review_when"] = strings("Events that call for a review");
  properties["requires"] = str("The oldest tmc version this model needs, such as \">= 0.2\"; an older tmc refuses the model");
  properties["scale"] = Json{{"enum", Json::array({3, 5})}, {"description", "Range of likelihood and impact (3)"}};
  properties["max_threats"] = Json{{"type", "integer"}, {"minimum", 1}, {"description", "Warn past this many threats (30)"}};
  properties["include"] = strings("Files merged into this model, relative to it");
  properties["assumptions"] = list_of("assumption", "What the model trusts to be true");
  properties["actors"] = list_of("actor", "Who might attack or interact");
  properties["assets"] = list_of("asset", "What is protected");
  properties["boundaries"] = list_of("boundary", "Trust zones");
  properties["elements"] = list_of("element", "Externals, processes and stores");
  properties["flows"] = list_of("flow", "Data flows");
  properties["paths"] = list_of("path", "Requests followed hop by hop");
  properties["threats"] = list_of("threat", "What can go wrong");
  properties["dismissed"] = list_of("dismissal", "Rule findings judged not to apply");
  properties["rules"] = list_of("rule_setting", "This model's rule settings: switch off, or set likelihood/impact");
  properties["asset_classes"] = list_of("asset_class", "The model's own asset classes");
  properties["attack_trees"] = list_of("attack_tree", "Attack trees");
  schema["properties"] = std::move(properties);
  schema["required"] = Json::array({"tmc", "title"});
  schema["patternProperties"] = extensions();
  schema["additionalProperties"] = false;
  schema["definitions"] = definitions();
  return json_document(schema);
}

}  // namespace tmc::model
