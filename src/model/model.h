// The typed threat model: what `tmc` knows after reading a model file
// (SPEC section 1). Every object keeps the location of the YAML node that
// declared it. References are kept as written (with their locations) and,
// once resolved by the builder, as indexes into the Model's vectors
// (-1 = unresolved or absent).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/source.h"
#include "model/id_index.h"

namespace tmc::model {

// A string the user wrote, with where they wrote it.
struct Text {
  std::string value;
  SourceLocation location;
};

enum class ElementType { external, process, store };
enum class StoreKind { none, sql, nosql, cache, queue, object, file, log, other };
enum class Level { unset, low, medium, high };
enum class Privilege { unset, service, user, admin, root };
enum class ThreatStatus { open, mitigating, mitigated, accepted, transferred, eliminated };
enum class MitigationStatus { planned, in_progress, done, verified };

// STRIDE letters as bits of a StrideSet.
enum class Stride : uint8_t { S = 0, T = 1, R = 2, I = 3, D = 4, E = 5 };
inline constexpr int kStrideCount = 6;
using StrideSet = uint8_t;  // bit (1 << Stride)
inline constexpr StrideSet bit(Stride s) { return static_cast<StrideSet>(1u << static_cast<int>(s)); }
inline constexpr bool has(StrideSet set, Stride s) { return (set & bit(s)) != 0; }
char letter(Stride s);  // 'S', 'T', ...

// LINDDUN privacy classes as bits of a PrivacySet.
enum class Privacy : uint8_t {
  linkability = 0, identifiability, non_repudiation, detectability, disclosure, unawareness,
  non_compliance
};
inline constexpr int kPrivacyCount = 7;
using PrivacySet = uint8_t;
inline constexpr PrivacySet bit(Privacy p) { return static_cast<PrivacySet>(1u << static_cast<int>(p)); }
inline constexpr bool has(PrivacySet set, Privacy p) { return (set & bit(p)) != 0; }

// Spellings used in the file format, in enumeration order.
const char* to_string(ElementType value);
const char* to_string(StoreKind value);   // "" for none
const char* to_string(Level value);       // "" for unset
const char* to_string(Privilege value);   // "" for unset
const char* to_string(ThreatStatus value);
const char* to_string(MitigationStatus value);  // "in-progress" for in_progress
const char* to_string(Privacy value);           // "non-repudiation", ...
// The spellings of the classes in a set, in enumeration order.
std::vector<const char*> privacy_names(PrivacySet set);

// `clear: { R: reason }` on an element or flow: a STRIDE letter judged not
// to apply, with the reason.
struct Clearance {
  Stride letter = Stride::S;
  std::string reason;
  SourceLocation location;
};

// `facts: { authorization: per-object }` on an element or flow: a fact the
// team states in the vocabulary of element_fact_keys()/flow_fact_keys(). A
// stated fact overrides what the analysis reads from free text or infers
// (analyze/facts.h). Booleans are kept as "true"/"false".
struct StatedFact {
  std::string key;
  std::string value;
  SourceLocation location;
};

// One key of `facts:`: its name, its closed list of values and what it says.
struct FactKey {
  const char* key;
  std::vector<std::string> values;
  const char* meaning;
};
const std::vector<FactKey>& element_fact_keys();
const std::vector<FactKey>& flow_fact_keys();
const std::vector<FactKey>& asset_fact_keys();

struct Assumption {
  std::string id;
  std::string text;
  SourceLocation location;
};

struct Actor {
  std::string id;
  std::string name;
  std::string description;
  SourceLocation location;
};

struct Asset {
  std::string id;
  std::string name;
  std::string description;
  std::string owner;
  std::vector<Text> classes;  // pii, payment, health, credentials, secret, financial, public, authority, ...
  Level confidentiality = Level::unset;
  Level integrity = Level::unset;
  Level availability = Level::unset;
  std::vector<StatedFact> facts;  // `facts:` the team states
  SourceLocation location;

  bool has_class(std::string_view wanted) const;
  const StatedFact* stated(std::string_view key) const;
};

struct Boundary {
  std::string id;
  std::string name;
  std::string description;
  std::optional<Text> parent;
  std::optional<int> trust;
  SourceLocation location;
  int parent_index = -1;  // resolved
};

struct Element {
  std::string id;
  std::string name;  // defaults to id
  std::string description;
  ElementType type = ElementType::process;
  StoreKind store = StoreKind::none;
  std::optional<Text> boundary;
  bool internet_facing = false;
  bool multi_tenant = false;
  std::vector<Text> assets;
  std::vector<Text> controls;
  std::vector<Text> tags;
  Privilege privilege = Privilege::unset;
  std::vector<Clearance> clear;
  SourceLocation location;
  std::string kind;              // technology vocabulary (known_element_kinds()); "" = not said
  std::vector<Text> accepts;     // input a process interprets (known_accepts()): xml, urls, ...
  bool out_of_scope = false;     // drawn for context; rules raise no findings on it
  std::vector<StatedFact> facts; // `facts:` the team states

  int boundary_index = -1;          // resolved; -1 = outside every boundary
  std::vector<int> asset_indexes;   // resolved, same order as `assets`

  bool has_control(std::string_view wanted) const;
  bool has_tag(std::string_view wanted) const;
  // The value of a stated fact, or nullptr.
  const StatedFact* stated(std::string_view key) const;
};

struct Flow {
  std::string id;
  Text from;
  Text to;
  std::string label;     // shown on the arrow; empty = use protocol
  std::string protocol;
  std::string description;
  std::vector<Text> data;     // asset ids
  std::vector<Text> in_url;   // asset ids placed in the URL (subset of data)
  std::optional<Text> authentication;  // mechanism, or "none"; absent = not declared
  std::optional<Text> authorization;
  std::optional<Text> validation;
  std::vector<Text> controls;
  std::vector<Text> tags;
  std::vector<Clearance> clear;
  SourceLocation location;
  std::optional<Text> response_to;  // the request flow this flow answers
  std::vector<StatedFact> facts;    // `facts:` the team states

  int from_index = -1;  // resolved element indexes
  int to_index = -1;
  std::vector<int> data_indexes;    // resolved asset indexes
  std::vector<int> in_url_indexes;
  int response_to_index = -1;       // resolved; -1 = not a response

  bool has_control(std::string_view wanted) const;
  bool has_tag(std::string_view wanted) const;
  const StatedFact* stated(std::string_view key) const;
};

struct RequestPath {
  std::string id;
  std::string name;
  std::vector<Text> flows;
  SourceLocation location;
  std::vector<int> flow_indexes;  // resolved
};

struct Mitigation {
  std::string id;  // optional in the file; empty when absent
  std::string description;
  std::string owner;
  std::optional<Date> due;
  MitigationStatus status = MitigationStatus::planned;
  std::string acceptance;
  std::string test;
  std::string estimate;
  SourceLocation location;
};

// What a threat's `target` names.
enum class TargetKind { element, flow, boundary };
struct TargetRef {
  Text id;
  TargetKind kind = TargetKind::element;
  int index = -1;  // into elements, flows or boundaries (resolved)
};

struct Threat {
  std::string id;
  std::string title;
  std::string description;
  std::vector<TargetRef> targets;  // `target:` scalar or list
  StrideSet stride = 0;
  PrivacySet privacy = 0;
  std::optional<Text> actor;
  int likelihood = 0;  // 1..scale
  int impact = 0;      // 1..scale
  std::optional<Text> cvss;
  ThreatStatus status = ThreatStatus::open;
  std::optional<Date> identified;
  std::optional<Date> resolved;
  std::optional<Text> rule;  // the rule finding this threat answers
  std::vector<Mitigation> mitigations;
  std::string accepted_by;
  std::optional<Date> accepted_until;     // an acceptance ends after this day
  SourceLocation accepted_until_location;
  std::string transferred_to;
  std::string reason;
  SourceLocation location;
  SourceLocation likelihood_location;
  SourceLocation impact_location;

  int actor_index = -1;  // resolved
  int risk() const { return likelihood * impact; }
};

// A `dismissed:` entry: one rule judged not to apply to its targets. The
// target is one id, a list of ids, `{ tag: NAME }` (every element and flow
// with that tag) or `all`.
struct Dismissal {
  Text rule;
  Text target;               // as written, for messages and reports ("a, b", "tag web", "all")
  std::vector<Text> targets; // ids, when the target names them
  std::optional<Text> tag;   // `{ tag: NAME }`
  bool all = false;          // `all`
  std::string reason;
  std::string by;
  SourceLocation location;
};

// A `rules:` entry: this model's setting of one rule, with the reason.
// `enabled: false` switches the rule off; likelihood/impact replace its
// defaults (before the business-context raises). With `for_tags`, only
// targets carrying one of the tags are affected.
struct RuleSetting {
  Text rule;
  bool enabled = true;
  std::optional<int> likelihood;
  std::optional<int> impact;
  std::vector<Text> for_tags;
  std::string reason;
  std::string by;  // who approved it
  SourceLocation location;
};

// Attack trees. Nodes of every tree live in Model::attack_nodes; a tree
// names its root. A `ref` node points at another node (possibly in another
// tree), which makes the trees a DAG.
enum class AttackNodeKind { leaf, and_node, or_node, ref };
enum class CostLevel { trivial, low, medium, high, impossible };

struct AttackNode {
  AttackNodeKind kind = AttackNodeKind::leaf;
  std::string id;     // optional
  std::string title;
  // Leaves: cost as written. `cost_level` is set for named levels; `cost`
  // holds the number for numeric costs. Neither set = no cost given.
  std::optional<CostLevel> cost_level;
  std::optional<double> cost;
  std::optional<Level> skill;           // optional leaf attribute: low | medium | high
  std::optional<double> time_hours;     // optional leaf attribute: `time: 2h | 3d | 1w | <hours>`
  std::vector<Text> mitigated_by;       // mitigation ids
  std::vector<int> mitigated_by_indexes;  // resolved: index into Model::mitigation_index
  std::optional<Text> ref;              // kind == ref
  int ref_index = -1;                   // resolved node index
  std::vector<int> children;            // and/or: node indexes
  SourceLocation location;
};

struct AttackTree {
  std::string id;
  std::string goal;
  std::optional<Text> threat;
  int threat_index = -1;
  int root = -1;  // index into Model::attack_nodes
  SourceLocation location;
};

// Where a mitigation lives: threats[threat].mitigations[mitigation].
struct MitigationRef {
  int threat = -1;
  int mitigation = -1;
};

struct Model {
  int version = 1;
  std::string title;
  std::string scope;
  std::vector<std::string> in_scope;
  std::vector<std::string> out_of_scope;
  std::vector<std::string> authors;
  std::optional<Date> reviewed;
  SourceLocation reviewed_location;
  int review_every = 90;
  std::vector<std::string> review_when;
  int scale = 3;
  int max_threats = 30;

  std::vector<Assumption> assumptions;
  std::vector<Actor> actors;
  std::vector<Asset> assets;
  std::vector<Boundary> boundaries;
  std::vector<Element> elements;
  std::vector<Flow> flows;
  std::vector<RequestPath> paths;
  std::vector<Threat> threats;
  std::vector<Dismissal> dismissed;
  std::vector<RuleSetting> rule_settings;  // `rules:`
  std::vector<Text> asset_classes;         // `asset_classes:` the model's own classes
  std::vector<AttackTree> attack_trees;
  std::vector<AttackNode> attack_nodes;
  std::vector<MitigationRef> mitigation_index;  // every mitigation, in file order

  SourceLocation location;  // the root mapping of the main file
  std::vector<std::string> files;  // paths of every loaded file, root first

  // Lookups by id; -1 when absent.
  int find_element(std::string_view id) const;
  int find_flow(std::string_view id) const;
  int find_boundary(std::string_view id) const;
  int find_asset(std::string_view id) const;
  int find_threat(std::string_view id) const;
  int find_mitigation(std::string_view id) const;  // into mitigation_index
  int find_attack_node(std::string_view id) const;
  const Mitigation& mitigation(const MitigationRef& ref) const {
    return threats[ref.threat].mitigations[ref.mitigation];
  }

  // Maintained by the builder; used by the find_* helpers.
  IdIndex element_ids, flow_ids, boundary_ids, asset_ids, threat_ids, mitigation_ids, attack_node_ids;
};

// Asset classes the rules understand (others are allowed).
const std::vector<std::string>& known_asset_classes();
// Tags the rules understand (others are allowed).
const std::vector<std::string>& known_tags();
// The element `kind` vocabulary (closed) and what a process may `accept`.
const std::vector<std::string>& known_element_kinds();
const std::vector<std::string>& known_accepts();

}  // namespace tmc::model
