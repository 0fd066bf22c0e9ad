// Threats, mitigations, dismissed findings and attack trees.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "base/suggest.h"
#include "model/builder_context.h"

namespace tmc::model {

namespace {

const std::vector<std::string> kThreatStatuses = {"open", "mitigating", "mitigated", "accepted", "transferred", "eliminated"};
const std::vector<std::string> kMitigationStatuses = {"planned", "in-progress", "done", "verified"};
const std::vector<std::string> kStrideLetters = {"S", "T", "R", "I", "D", "E"};
const std::vector<std::string> kPrivacyWords = {"linkability", "identifiability", "non-repudiation", "detectability",
                                                "disclosure", "unawareness", "non-compliance"};
const std::vector<std::string> kCostLevels = {"trivial", "low", "medium", "high", "impossible"};

template <typename Enum>
Enum index_of(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return static_cast<Enum>(0);
}

void read_mitigation(BuildContext& context, const load::Node& node, int threat, Threat& into) {
  MapReader reader(node, "a mitigation",
                   {"id", "description", "owner", "due", "status", "acceptance", "test", "estimate"},
                   context.sink);
  Mitigation mitigation;
  if (auto id = context.read_id(reader, "mitigation", false)) mitigation.id = id->value;
  mitigation.description = reader.string("description", true);
  mitigation.owner = reader.string("owner");
  mitigation.due = reader.date("due");
  if (auto status = reader.choice("status", kMitigationStatuses)) {
    mitigation.status = index_of<MitigationStatus>(kMitigationStatuses, *status);
  }
  mitigation.acceptance = reader.string("acceptance");
  mitigation.test = reader.string("test");
  mitigation.estimate = reader.string("estimate");
  mitigation.location = node.location;
  reader.finish();
  int index = static_cast<int>(context.model.mitigation_index.size());
  context.model.mitigation_index.push_back({threat, static_cast<int>(into.mitigations.size())});
  if (!mitigation.id.empty()) context.model.mitigation_ids.insert(mitigation.id, index);
  into.mitigations.push_back(std::move(mitigation));
}

// Likelihood or impact: an integer in 1..scale. The scale is read before
// any threat, so it is known here.
int read_score(BuildContext& context, MapReader& reader, std::string_view key, SourceLocation& location) {
  const load::MappingEntry* entry = reader.entry(key);
  if (entry == nullptr || entry->value->is_null()) {
    context.sink.error("missing-key", entry ? entry->key_location : reader.node().location,
                       fmt::format("{} has no '{}' (1..{})", reader.what(), key, context.model.scale));
    return 0;
  }
  const load::Node& value = *entry->value;
  location = value.location;
  if (!expect_scalar(value, key, context.sink)) return 0;
  int number = 0;
  bool digits = !value.text().empty() && value.text().size() < 4;
  for (char c : value.text()) digits = digits && c >= '0' && c <= '9';
  if (digits && value.quoted) {
    context.sink.error("quoted-number", value.location, quoted_number_message(key, value.text()));
    return 0;
  }
  if (digits) number = std::stoi(std::string(value.text()));
  if (!digits || number < 1 || number > context.model.scale) {
    context.sink.error("out-of-scale", value.location,
                       fmt::format("{} '{}' is outside the scale 1..{}", key, value.text(), context.model.scale));
    return 0;
  }
  return number;
}

}  // namespace

void read_threat(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "a threat",
                   {"id", "title", "description", "target", "stride", "privacy", "actor", "likelihood",
                    "impact", "cvss", "status", "identified", "resolved", "rule", "mitigations",
                    "accepted_by", "accepted_until", "transferred_to", "reason"},
                   context.sink);
  Threat threat;
  int index = static_cast<int>(context.model.threats.size());
  if (auto id = context.read_id(reader, "threat")) {
    threat.id = id->value;
    context.model.threat_ids.insert(threat.id, index);
  }
  threat.title = reader.string("title", true);
  threat.description = reader.string("description");
  if (!reader.has("target")) {
    context.sink.error("missing-key", node.location,
                       fmt::format("threat '{}' has no 'target' (an element, flow or boundary id)", threat.id));
  }
  for (Text& target : reader.text_list("target")) threat.targets.push_back({std::move(target), TargetKind::element, -1});
  for (const Text& letter : reader.text_list("stride")) {
    const load::Node as_node = load::Node::scalar(letter.location, letter.value);
    if (auto valid = check_choice(as_node, "STRIDE letter", kStrideLetters, context.sink)) {
      threat.stride |= bit(index_of<Stride>(kStrideLetters, *valid));
    }
  }
  for (const Text& word : reader.text_list("privacy")) {
    const load::Node as_node = load::Node::scalar(word.location, word.value);
    if (auto valid = check_choice(as_node, "privacy (LINDDUN) class", kPrivacyWords, context.sink)) {
      threat.privacy |= bit(index_of<Privacy>(kPrivacyWords, *valid));
    }
  }
  threat.actor = reader.text("actor");
  threat.likelihood = read_score(context, reader, "likelihood", threat.likelihood_location);
  threat.impact = read_score(context, reader, "impact", threat.impact_location);
  threat.cvss = reader.text("cvss");
  const load::MappingEntry* status_entry = reader.entry("status");
  SourceLocation status_location = node.location;
  if (status_entry != nullptr && !status_entry->value->is_null()) {
    status_location = status_entry->value->location;
    if (auto status = check_choice(*status_entry->value, "status", kThreatStatuses, context.sink)) {
      threat.status = index_of<ThreatStatus>(kThreatStatuses, *status);
    }
  }
  threat.identified = reader.date("identified");
  threat.resolved = reader.date("resolved");
  if (threat.identified && threat.resolved && *threat.resolved < *threat.identified) {
    const load::Node* resolved = node.find("resolved")->value;
    context.sink.warning("date-order", resolved->location,
                         fmt::format("threat '{}' is resolved ({}) before it was identified ({})", threat.id,
                                     threat.resolved->to_string(), threat.identified->to_string()));
  }
  threat.rule = reader.text("rule");
  threat.accepted_by = reader.string("accepted_by");
  if (const load::MappingEntry* until = reader.entry("accepted_until"); until && !until->value->is_null()) {
    threat.accepted_until_location = until->value->location;
  }
  threat.accepted_until = reader.date("accepted_until");
  threat.transferred_to = reader.string("transferred_to");
  threat.reason = reader.string("reason");
  if (threat.status == ThreatStatus::accepted && (threat.accepted_by.empty() || threat.reason.empty())) {
    context.sink.error("missing-acceptance", status_location,
                       fmt::format("threat '{}' is accepted without {}: an acceptance names who accepted "
                                   "the risk ('accepted_by') and why ('reason')",
                                   threat.id,
                                   threat.accepted_by.empty() && threat.reason.empty() ? "'accepted_by' and 'reason'"
                                   : threat.accepted_by.empty()                         ? "'accepted_by'"
                                                                                        : "'reason'"));
  }
  if (threat.status == ThreatStatus::transferred && (threat.transferred_to.empty() || threat.reason.empty())) {
    context.sink.error("missing-acceptance", status_location,
                       fmt::format("threat '{}' is transferred without {}: a transfer names to whom "
                                   "('transferred_to') and why ('reason')",
                                   threat.id,
                                   threat.transferred_to.empty() && threat.reason.empty()
                                       ? "'transferred_to' and 'reason'"
                                   : threat.transferred_to.empty() ? "'transferred_to'"
                                                                   : "'reason'"));
  }
  if (const load::MappingEntry* mitigations = reader.entry("mitigations")) {
    for (const load::Node* item : section_items(*mitigations, context.sink)) {
      read_mitigation(context, *item, index, threat);
    }
  }
  if (threat.status == ThreatStatus::mitigated) {
    std::string open;
    for (const Mitigation& m : threat.mitigations) {
      if (m.status == MitigationStatus::done || m.status == MitigationStatus::verified) continue;
      std::string name = !m.id.empty() ? m.id : "'" + m.description + "'";
      open += (open.empty() ? "" : ", ") + fmt::format("{} ({})", name, to_string(m.status));
    }
    if (!open.empty()) {
      context.sink.error("mitigation-not-done", status_location,
                         fmt::format("threat '{}' is mitigated, but not every mitigation is done or verified: {}; "
                                     "set the status to 'mitigating' until they are",
                                     threat.id, open));
    }
  }
  threat.location = node.location;
  reader.finish();
  context.model.threats.push_back(std::move(threat));
}

void read_dismissal(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "a dismissed finding", {"rule", "target", "reason", "by"}, context.sink);
  Dismissal dismissal;
  if (auto rule = reader.text("rule", true)) dismissal.rule = *rule;
  const load::MappingEntry* target = reader.entry("target");
  if (target == nullptr || target->value->is_null()) {
    context.sink.error("missing-key", target ? target->key_location : node.location,
                       "a dismissed finding has no 'target' (an id, a list of ids, { tag: NAME } or all)");
  } else if (target->value->is_mapping()) {
    MapReader by_tag(*target->value, "a dismissal target", {"tag"}, context.sink);
    dismissal.tag = by_tag.text("tag", true);
    by_tag.finish();
    if (dismissal.tag) dismissal.target = {"tag " + dismissal.tag->value, dismissal.tag->location};
  } else if (target->value->is_scalar() && !target->value->quoted && target->value->text() == "all") {
    dismissal.all = true;
    dismissal.target = {"all", target->value->location};
  } else {
    dismissal.targets = reader.text_list("target");
    std::string written;
    for (const Text& id : dismissal.targets) written += (written.empty() ? "" : ", ") + id.value;
    dismissal.target = {written, target->value->location};
  }
  dismissal.reason = reader.string("reason", true);
  dismissal.by = reader.string("by", true);
  dismissal.location = node.location;
  reader.finish();
  context.model.dismissed.push_back(std::move(dismissal));
}

void read_rule_setting(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "a rule setting", {"rule", "enabled", "likelihood", "impact", "for_tags", "reason", "by"},
                   context.sink);
  RuleSetting setting;
  if (auto rule = reader.text("rule", true)) {
    setting.rule = *rule;
    reader.set_what("the setting of rule '" + rule->value + "'");
  }
  setting.enabled = reader.boolean("enabled").value_or(true);
  SourceLocation unused;
  if (reader.has("likelihood")) setting.likelihood = read_score(context, reader, "likelihood", unused);
  if (reader.has("impact")) setting.impact = read_score(context, reader, "impact", unused);
  if (setting.likelihood == 0) setting.likelihood.reset();
  if (setting.impact == 0) setting.impact.reset();
  setting.for_tags = reader.text_list("for_tags");
  setting.reason = reader.string("reason", true);
  setting.by = reader.string("by");
  setting.location = node.location;
  // Switching a rule off or setting its score silences findings as a
  // dismissal does, so it names who decided, as a dismissal does.
  if ((!setting.enabled || setting.likelihood || setting.impact) && setting.by.empty()) {
    context.sink.strict_warning("rule-setting-without-approver", node.location,
                                fmt::format("{} {} without 'by': name who approved it, as a dismissal does "
                                            "(tmc diff asks for a review of it either way)",
                                            reader.what(), setting.enabled ? "sets the rule's score" : "switches the rule off"));
  }
  if (setting.enabled && !reader.has("likelihood") && !reader.has("impact")) {
    context.sink.warning("empty-rule-setting", node.location,
                         fmt::format("{} changes nothing; set 'enabled: false', 'likelihood' or 'impact'",
                                     reader.what()));
  }
  reader.finish();
  context.model.rule_settings.push_back(std::move(setting));
}

namespace {

// Parses `time:`: 30m, 2h, 3d, 1w or a number of hours.
std::optional<double> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double factor = 1.0;
  std::string number = text;
  char unit = text.back();
  if (unit == 'm' || unit == 'h' || unit == 'd' || unit == 'w') {
    factor = unit == 'm' ? 1.0 / 60 : unit == 'h' ? 1.0 : unit == 'd' ? 24.0 : 168.0;
    number.pop_back();
  }
  if (number.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  return value * factor;
}

struct PendingNode {
  const load::Node* node;
  int index;  // already allocated in attack_nodes
};

// Reads the fields of one node; pushes its children (allocated) to `work`.
void read_attack_node(BuildContext& context, const PendingNode& pending, std::vector<PendingNode>& work) {
  const load::Node& node = *pending.node;
  Model& model = context.model;
  MapReader reader(node, "an attack tree node",
                   {"id", "title", "and", "or", "ref", "cost", "skill", "time", "mitigated_by"},
                   context.sink);
  AttackNode out;
  out.location = node.location;
  if (auto id = context.read_id(reader, "attack tree node", false)) {
    out.id = id->value;
    model.attack_node_ids.insert(out.id, pending.index);
  }
  out.title = reader.string("title");
  bool has_and = reader.has("and"), has_or = reader.has("or"), has_ref = reader.has("ref");
  bool has_leaf_fields = reader.has("cost") || reader.has("mitigated_by") || reader.has("skill") || reader.has("time");
  int shapes = (has_and ? 1 : 0) + (has_or ? 1 : 0) + (has_ref ? 1 : 0) + (has_leaf_fields ? 1 : 0);
  if (shapes > 1) {
    context.sink.error("node-shape", node.location,
                       "an attack tree node has exactly one of 'and', 'or', 'ref' or leaf fields "
                       "(cost, mitigated_by, skill, time)");
  }
  if (has_ref) {
    out.kind = AttackNodeKind::ref;
    out.ref = reader.text("ref", true);
    if (shapes == 1 && node.entries().size() > 1) {
      context.sink.error("node-shape", node.location, "a 'ref' node holds only 'ref: <node id>'");
    }
  } else if (has_and || has_or) {
    out.kind = has_and ? AttackNodeKind::and_node : AttackNodeKind::or_node;
    const load::MappingEntry* children = reader.entry(has_and ? "and" : "or");
    if (!children->value->is_sequence() || children->value->items().empty()) {
      context.sink.error("node-shape", children->value->location,
                         fmt::format("'{}' expects a non-empty list of nodes", children->key));
    } else {
      for (const load::NodePtr& child : children->value->items()) {
        if (!child->is_mapping()) {
          context.sink.error("wrong-type", child->location,
                             fmt::format("each entry of '{}' must be a node (a mapping), found {}",
                                         children->key, load::describe(*child)));
          continue;
        }
        int child_index = static_cast<int>(model.attack_nodes.size());
        model.attack_nodes.emplace_back();
        out.children.push_back(child_index);
        work.push_back({child, child_index});
      }
    }
  } else {
    out.kind = AttackNodeKind::leaf;
    if (out.title.empty()) context.sink.error("missing-key", node.location, "an attack tree leaf has no 'title'");
    const load::Node* cost = reader.get("cost");
    if (cost == nullptr || cost->is_null()) {
      context.sink.warning("missing-cost", node.location,
                           fmt::format("leaf '{}' has no cost; it counts as trivial", out.title));
    } else if (expect_scalar(*cost, "cost", context.sink)) {
      char* end = nullptr;
      const std::string text(cost->text());
      double number = std::strtod(text.c_str(), &end);
      bool numeric = !cost->quoted && !text.empty() && end == text.c_str() + text.size();
      if (numeric && std::isfinite(number) && number >= 0) {
        out.cost = number;
      } else if (numeric) {
        context.sink.error("invalid-value", cost->location,
                           fmt::format("cost {} must be a non-negative number or one of trivial, low, "
                                       "medium, high, impossible",
                                       cost->text()));
      } else if (auto level = check_choice(*cost, "cost", kCostLevels, context.sink)) {
        out.cost_level = index_of<CostLevel>(kCostLevels, *level);
      }
    }
    if (auto skill = reader.choice("skill", {"low", "medium", "high"})) {
      out.skill = *skill == "low" ? Level::low : *skill == "medium" ? Level::medium : Level::high;
    }
    if (auto time = reader.text("time")) {
      out.time_hours = parse_duration(time->value);
      if (!out.time_hours) {
        context.sink.error("invalid-value", time->location,
                           fmt::format("'{}' is not a duration; write 30m, 2h, 3d, 1w or a number of hours",
                                       time->value));
      }
    }
    out.mitigated_by = reader.text_list("mitigated_by");
  }
  reader.finish();
  model.attack_nodes[static_cast<size_t>(pending.index)] = std::move(out);
}

}  // namespace

void read_attack_tree(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "an attack tree", {"id", "goal", "threat", "root", "description"}, context.sink);
  AttackTree tree;
  if (auto id = context.read_id(reader, "attack tree")) tree.id = id->value;
  tree.goal = reader.string("goal", true);
  tree.threat = reader.text("threat");
  reader.get("description");
  tree.location = node.location;
  const load::Node* root = reader.get("root");
  if (root == nullptr || root->is_null()) {
    context.sink.error("missing-key", node.location, fmt::format("attack tree '{}' has no 'root' node", tree.id));
  } else if (!root->is_mapping()) {
    context.sink.error("wrong-type", root->location,
                       fmt::format("'root' expects a node (a mapping), found {}", load::describe(*root)));
  } else {
    tree.root = static_cast<int>(context.model.attack_nodes.size());
    context.model.attack_nodes.emplace_back();
    std::vector<PendingNode> work{{root, tree.root}};
    while (!work.empty()) {
      PendingNode next = work.back();
      work.pop_back();
      read_attack_node(context, next, work);
    }
  }
  reader.finish();
  context.model.attack_trees.push_back(std::move(tree));
}

}  // namespace tmc::model
