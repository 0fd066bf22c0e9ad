// build_model(): the top level of a model file and its entity sections.
#include "model/builder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>
#include <algorithm>
#include <cctype>

#include "base/suggest.h"
#include "base/version.h"
#include "model/builder_context.h"
#include "model/controls.h"

namespace tmc::model {

namespace {

const std::vector<std::string> kTopKeys = {
    "tmc", "title", "scope", "in_scope", "out_of_scope", "authors", "reviewed", "review_every",
    "review_when", "scale", "max_threats", "include", "assumptions", "actors", "assets",
    "boundaries", "elements", "flows", "paths", "threats", "dismissed", "attack_trees",
    "asset_classes", "rules", "requires"};
const std::vector<std::string> kSections = {"assumptions", "actors", "assets", "boundaries",
                                            "elements", "flows", "paths", "threats",
                                            "dismissed", "rules", "attack_trees"};

bool valid_id(std::string_view id) {
  if (id.empty() || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

std::optional<Level> to_level(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  if (*text == "low") return Level::low;
  if (*text == "medium") return Level::medium;
  return Level::high;
}

const std::vector<std::string> kLevels = {"low", "medium", "high"};

void read_assumption(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "an assumption", {"id", "text", "description"}, context.sink);
  auto id = context.read_id(reader, "assumption");
  Assumption assumption;
  assumption.id = id ? id->value : "";
  assumption.text = reader.string("text", true);
  if (assumption.text.empty()) assumption.text = reader.string("description");
  assumption.location = node.location;
  reader.finish();
  context.model.assumptions.push_back(std::move(assumption));
}

void read_actor(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "an actor", {"id", "name", "description"}, context.sink);
  auto id = context.read_id(reader, "actor");
  Actor actor;
  actor.id = id ? id->value : "";
  actor.name = reader.string("name");
  if (actor.name.empty()) actor.name = actor.id;
  actor.description = reader.string("description");
  actor.location = node.location;
  reader.finish();
  context.model.actors.push_back(std::move(actor));
}

// The built-in class a common other name means ("PHI" -> health, "API
// key" -> key, "password" -> credentials), compared ignoring case, spaces,
// '-' and '_'; nullopt for a name that is no such synonym.
std::optional<std::string> asset_class_synonym(std::string_view name) {
  static const std::pair<const char*, const char*> kSynonyms[] = {
      {"phi", "health"},          {"ephi", "health"},          {"medical", "health"},
      {"clinical", "health"},     {"healthdata", "health"},    {"patientdata", "health"},
      {"password", "credentials"}, {"passwords", "credentials"}, {"credential", "credentials"},
      {"logincredentials", "credentials"},
      {"apikey", "key"},          {"apikeys", "key"},          {"privatekey", "key"},
      {"signingkey", "key"},      {"encryptionkey", "key"},    {"tokensecret", "key"},
      {"clientsecret", "key"},    {"secrets", "secret"},
      {"personaldata", "pii"},    {"personal", "pii"},         {"gdpr", "pii"},
      {"pd", "pii"},              {"cardholderdata", "payment"}, {"chd", "payment"},
      {"pan", "payment"},         {"pci", "payment"},          {"carddata", "payment"},
      {"financialdata", "financial"}, {"banking", "financial"},
  };
  std::string folded;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_') continue;
    folded += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  for (const auto& [synonym, canonical] : kSynonyms) {
    if (folded == synonym) return std::string(canonical);
  }
  return std::nullopt;
}

// Asset classes are a closed list: the known ones plus those the model
// declares under `asset_classes`. A known class in another case is read in
// its canonical spelling with a warning; anything else is an error, so a
// typo cannot silently switch off the sensitive-data rules.
void check_asset_classes(BuildContext& context, std::vector<Text>& classes) {
  std::vector<std::string> allowed = known_asset_classes();
  for (const Text& declared : context.model.asset_classes) allowed.push_back(declared.value);
  for (Text& item : classes) {
    if (std::find(allowed.begin(), allowed.end(), item.value) != allowed.end()) continue;
    if (auto canonical = canonical_spelling(item.value, allowed)) {
      warn_spelling(item.location, "asset class", item.value, *canonical, context.sink);
      item.value = *canonical;
      continue;
    }
    if (auto synonym = asset_class_synonym(item.value)) {
      context.sink.error("unknown-asset-class", item.location,
                         fmt::format("unknown asset class '{}': tmc calls this class '{}'; write '{}' so the rules "
                                     "for that data read it",
                                     item.value, *synonym, *synonym));
      continue;
    }
    auto near = closest_match(item.value, allowed);
    context.sink.error("unknown-asset-class", item.location,
                       fmt::format("unknown asset class '{}'{}; a model declares its own classes under "
                                   "'asset_classes'",
                                   item.value, near ? " (did you mean '" + *near + "'?)" : ""));
  }
}

void read_asset(BuildContext& context, const load::Node& node) {
  static const std::vector<std::string> kKeys = {"id", "name", "description", "owner", "classes",
                                                "confidentiality", "integrity", "availability", "facts"};
  MapReader reader(node, "an asset", &kKeys, context.sink);
  auto id = context.read_id(reader, "asset");
  Asset asset;
  asset.id = id ? std::move(id->value) : "";
  asset.name = reader.string("name");
  if (asset.name.empty()) asset.name = asset.id;
  asset.description = reader.string("description");
  asset.owner = reader.string("owner");
  asset.classes = reader.text_list("classes");
  check_asset_classes(context, asset.classes);
  if (auto v = to_level(reader.choice("confidentiality", kLevels))) asset.confidentiality = *v;
  if (auto v = to_level(reader.choice("integrity", kLevels))) asset.integrity = *v;
  if (auto v = to_level(reader.choice("availability", kLevels))) asset.availability = *v;
  read_facts(reader, asset_fact_keys(), asset.facts);
  asset.location = node.location;
  reader.finish();
  if (id) context.model.asset_ids.insert(asset.id, static_cast<int>(context.model.assets.size()));
  context.model.assets.push_back(std::move(asset));
}

void read_boundary(BuildContext& context, const load::Node& node) {
  static const std::vector<std::string> kKeys = {"id", "name", "description", "parent", "trust"};
  MapReader reader(node, "a boundary", &kKeys, context.sink);
  auto id = context.read_id(reader, "boundary");
  Boundary boundary;
  boundary.id = id ? id->value : "";
  boundary.name = reader.string("name");
  if (boundary.name.empty()) boundary.name = boundary.id;
  boundary.description = reader.string("description");
  boundary.parent = reader.text("parent");
  if (auto trust = reader.integer("trust", 0, 1000)) boundary.trust = static_cast<int>(*trust);
  boundary.location = node.location;
  reader.finish();
  if (id) context.model.boundary_ids.insert(boundary.id, static_cast<int>(context.model.boundaries.size()));
  context.model.boundaries.push_back(std::move(boundary));
}

void check_controls(BuildContext& context, std::vector<Text>& controls) {
  for (Text& control : controls) {
    if (!context.known_control_set.contains(control.value)) {
      if (auto canonical = canonical_spelling(control.value, context.known_controls)) {
        warn_spelling(control.location, "control", control.value, *canonical, context.sink);
        control.value = *canonical;
        continue;
      }
      std::string suggestion = did_you_mean(control.value, context.known_controls);
      if (suggestion.empty()) {
        // Nothing close: say what an unknown control does, and how to
        // make a team's own control count.
        suggestion = ": no rule reads it, so it answers no finding ('tmc controls' lists the known ones; a team rule "
                     "file that reads it with has: or lacks: makes it known)";
      }
      context.sink.warning("unknown-control", control.location,
                           fmt::format("unknown control '{}'{}", control.value, suggestion));
    }
  }
}

// Tags are free, but the known ones steer rules: `Webhook` is read as
// `webhook`, with a warning.
void check_tags(BuildContext& context, std::vector<Text>& tags) {
  for (Text& tag : tags) {
    const std::vector<std::string>& known = known_tags();
    if (std::find(known.begin(), known.end(), tag.value) != known.end()) continue;
    if (auto canonical = canonical_spelling(tag.value, known)) {
      warn_spelling(tag.location, "tag", tag.value, *canonical, context.sink);
      tag.value = *canonical;
    }
  }
}

void read_element(BuildContext& context, const load::Node& node) {
  static const std::vector<std::string> kKeys = {
      "id",       "name",     "description", "type", "store", "boundary", "internet_facing", "multi_tenant",
      "assets",   "controls", "privilege",   "tags", "clear", "kind",     "accepts",         "out_of_scope",
      "facts"};
  MapReader reader(node, "an element", &kKeys, context.sink);
  auto id = context.read_id(reader, "element");
  Element element;
  element.id = id ? std::move(id->value) : "";
  element.name = reader.string("name");
  if (element.name.empty()) element.name = element.id;
  element.description = reader.string("description");
  if (!reader.has("type")) {
    context.sink.error("missing-key", node.location,
                       fmt::format("element '{}' has no 'type' (external, process or store)", element.id));
  }
  static const std::vector<std::string> kTypes = {"external", "process", "store"};
  if (auto type = reader.choice("type", kTypes)) {
    element.type = *type == "external" ? ElementType::external
                   : *type == "store"  ? ElementType::store
                                       : ElementType::process;
  }
  const load::MappingEntry* store_entry = reader.entry("store");
  if (store_entry != nullptr && !store_entry->value->is_null()) {
    static const std::vector<std::string> kStores = {"sql", "nosql", "cache", "queue", "object", "file", "log", "other"};
    if (auto store = check_choice(*store_entry->value, "store", kStores, context.sink)) {
      for (size_t i = 0; i < kStores.size(); ++i) {
        if (kStores[i] == *store) element.store = static_cast<StoreKind>(i + 1);
      }
    }
    if (element.type != ElementType::store) {
      context.sink.warning("store-on-non-store", store_entry->key_location,
                           fmt::format("'store' only applies to elements of type store; '{}' is a {}",
                                       element.id, to_string(element.type)));
    }
  }
  element.boundary = reader.text("boundary");
  element.internet_facing = reader.boolean("internet_facing").value_or(false);
  element.multi_tenant = reader.boolean("multi_tenant").value_or(false);
  element.assets = reader.text_list("assets");
  element.controls = reader.text_list("controls");
  check_controls(context, element.controls);
  element.tags = reader.text_list("tags");
  check_tags(context, element.tags);
  static const std::vector<std::string> kPrivileges = {"service", "user", "admin", "root"};
  if (auto privilege = reader.choice("privilege", kPrivileges)) {
    element.privilege = *privilege == "service" ? Privilege::service
                        : *privilege == "user"  ? Privilege::user
                        : *privilege == "admin" ? Privilege::admin
                                                : Privilege::root;
  }
  read_clearances(reader, element.clear);
  if (auto kind = reader.choice("kind", known_element_kinds())) element.kind = *kind;
  if (const load::MappingEntry* accepts = reader.entry("accepts")) {
    for (const Text& item : reader.text_list("accepts")) {
      if (std::find(known_accepts().begin(), known_accepts().end(), item.value) == known_accepts().end()) {
        context.sink.error("invalid-value", item.location,
                           fmt::format("'{}' is not something tmc knows a process accepts ({}){}", item.value,
                                       fmt::join(known_accepts(), ", "), did_you_mean(item.value, known_accepts())));
        continue;
      }
      element.accepts.push_back(item);
    }
    if (element.type != ElementType::process && !element.accepts.empty()) {
      context.sink.warning("accepts-on-non-process", accepts->key_location,
                           fmt::format("'accepts' describes what a process interprets; '{}' is a {}", element.id,
                                       to_string(element.type)));
    }
  }
  element.out_of_scope = reader.boolean("out_of_scope").value_or(false);
  read_facts(reader, element_fact_keys(), element.facts);
  element.location = node.location;
  reader.finish();
  if (id) context.model.element_ids.insert(element.id, static_cast<int>(context.model.elements.size()));
  context.model.elements.push_back(std::move(element));
}

void read_flow(BuildContext& context, const load::Node& node) {
  static const std::vector<std::string> kKeys = {
      "id",         "from",          "to",         "label",    "protocol", "description", "data",       "in_url",
      "authentication", "authorization", "validation", "controls", "tags",     "clear",       "response_to",
      "facts"};
  MapReader reader(node, "a flow", &kKeys, context.sink);
  auto id = context.read_id(reader, "flow");
  Flow flow;
  flow.id = id ? std::move(id->value) : "";
  if (auto from = reader.text("from", true)) flow.from = std::move(*from);
  if (auto to = reader.text("to", true)) flow.to = std::move(*to);
  flow.label = reader.string("label");
  flow.protocol = reader.string("protocol");
  flow.description = reader.string("description");
  flow.data = reader.text_list("data");
  flow.in_url = reader.text_list("in_url");
  flow.authentication = reader.text("authentication");
  flow.authorization = reader.text("authorization");
  flow.validation = reader.text("validation");
  flow.controls = reader.text_list("controls");
  check_controls(context, flow.controls);
  flow.tags = reader.text_list("tags");
  check_tags(context, flow.tags);
  read_clearances(reader, flow.clear);
  flow.response_to = reader.text("response_to");
  read_facts(reader, flow_fact_keys(), flow.facts);
  flow.location = node.location;
  reader.finish();
  if (id) context.model.flow_ids.insert(flow.id, static_cast<int>(context.model.flows.size()));
  context.model.flows.push_back(std::move(flow));
}

void read_path(BuildContext& context, const load::Node& node) {
  MapReader reader(node, "a path", {"id", "name", "description", "flows"}, context.sink);
  auto id = context.read_id(reader, "path");
  RequestPath path;
  path.id = id ? id->value : "";
  path.name = reader.string("name");
  if (path.name.empty()) path.name = reader.string("description");
  if (path.name.empty()) path.name = path.id;
  path.flows = reader.text_list("flows");
  path.location = node.location;
  reader.finish();
  context.model.paths.push_back(std::move(path));
}

// Room for the items of a section before reading them: the entity
// vectors then never move their (large) objects while growing.
void reserve_section(BuildContext& context, std::string_view name, size_t more) {
  auto grow = [more](auto&... tables) { (tables.reserve(tables.size() + more), ...); };
  Model& model = context.model;
  grow(context.ids, context.definitions);
  if (name == "assets") grow(model.assets, model.asset_ids);
  else if (name == "boundaries") grow(model.boundaries, model.boundary_ids);
  else if (name == "elements") grow(model.elements, model.element_ids);
  else if (name == "flows") grow(model.flows, model.flow_ids);
  else if (name == "threats") grow(model.threats, model.threat_ids);
}

void read_section(BuildContext& context, const load::MappingEntry& section) {
  const std::vector<const load::Node*> items = section_items(section, context.sink);
  reserve_section(context, section.key, items.size());
  for (const load::Node* item : items) {
    const std::string_view name = section.key;
    if (name == "assumptions") read_assumption(context, *item);
    else if (name == "actors") read_actor(context, *item);
    else if (name == "assets") read_asset(context, *item);
    else if (name == "boundaries") read_boundary(context, *item);
    else if (name == "elements") read_element(context, *item);
    else if (name == "flows") read_flow(context, *item);
    else if (name == "paths") read_path(context, *item);
    else if (name == "threats") read_threat(context, *item);
    else if (name == "dismissed") read_dismissal(context, *item);
    else if (name == "rules") read_rule_setting(context, *item);
    else if (name == "attack_trees") read_attack_tree(context, *item);
  }
}

// `asset_classes:` the model's own classes, each a name or
// `{ name, description }`.
void read_asset_class_declarations(BuildContext& context, MapReader& reader) {
  const load::MappingEntry* entry = reader.entry("asset_classes");
  if (entry == nullptr || entry->value->is_null()) return;
  if (!entry->value->is_sequence()) {
    context.sink.error("wrong-type", entry->value->location,
                       fmt::format("'asset_classes' expects a list of class names, found {}",
                                   load::describe(*entry->value)));
    return;
  }
  for (load::NodePtr item : entry->value->items()) {
    std::optional<Text> name;
    if (item->is_mapping()) {
      MapReader declaration(*item, "an asset class", {"name", "description"}, context.sink);
      name = declaration.text("name", true);
      declaration.get("description");
      declaration.finish();
    } else if (expect_scalar(*item, "asset_classes", context.sink)) {
      name = Text{std::string(item->text()), item->location};
    }
    if (!name) continue;
    const std::vector<std::string>& known = known_asset_classes();
    if (std::find(known.begin(), known.end(), name->value) != known.end()) {
      context.sink.warning("redeclared-asset-class", name->location,
                           fmt::format("'{}' is a built-in asset class; it needs no declaration", name->value));
      continue;
    }
    // A team's own name for a built-in class steers no built-in rule.
    if (auto synonym = asset_class_synonym(name->value)) {
      context.sink.warning("asset-class-synonym", name->location,
                           fmt::format("'{}' is what tmc calls '{}': declared as a class of its own, no built-in rule "
                                       "reads it; use '{}' instead",
                                       name->value, *synonym, *synonym));
    }
    context.model.asset_classes.push_back(*name);
  }
}

// `requires: ">= 0.2"`: the oldest tmc that reads this model as its team
// means it (its rules, its gate). An older tmc refuses it, clearly, rather
// than judging it differently.
void read_required_version(BuildContext& context, MapReader& reader) {
  const load::Node* node = reader.get("requires");
  if (node == nullptr) return;
  const std::string text = node->is_scalar() ? std::string(node->text()) : std::string();
  auto newer = version_at_least(text);
  if (!newer) {
    context.sink.error("invalid-value", node->location,
                       fmt::format("'requires' takes the oldest tmc version this model needs, such as \">= 0.2\" or "
                                   "0.2.0, not '{}'",
                                   text));
  } else if (!*newer) {
    auto wanted = parse_version(text);
    context.sink.error("requires-newer-tmc", node->location,
                       fmt::format("this model requires tmc {}.{}.{} or newer; this is tmc {}: upgrade tmc (an older "
                                   "tmc may judge the model differently from its authors)",
                                   (*wanted)[0], (*wanted)[1], (*wanted)[2], version()));
  }
}

void read_root_settings(BuildContext& context, MapReader& reader) {
  Model& model = context.model;
  const load::MappingEntry* version = reader.entry("tmc");
  if (version == nullptr) {
    context.sink.error("missing-key", reader.node().location,
                       "the model has no 'tmc' version key; start the file with 'tmc: 1'");
  } else if (!version->value->is_scalar() || version->value->text() != "1") {
    context.sink.error("unsupported-version", version->value->location,
                       fmt::format("unsupported format version '{}'; this tmc reads 'tmc: 1'",
                                   version->value->text()));
  }
  read_required_version(context, reader);
  model.title = reader.string("title", true);
  model.scope = reader.string("scope");
  model.in_scope = reader.string_list("in_scope");
  model.out_of_scope = reader.string_list("out_of_scope");
  model.authors = reader.string_list("authors");
  if (const load::Node* reviewed = reader.node().find("reviewed") ? reader.node().find("reviewed")->value : nullptr) {
    model.reviewed_location = reviewed->location;
  }
  model.reviewed = reader.date("reviewed");
  if (auto every = reader.integer("review_every", 1, 3650)) model.review_every = static_cast<int>(*every);
  model.review_when = reader.string_list("review_when");
  if (const load::Node* scale = reader.get("scale")) {
    if (scale->is_scalar() && !scale->quoted && (scale->text() == "3" || scale->text() == "5")) {
      model.scale = scale->text() == "3" ? 3 : 5;
    } else if (scale->is_scalar() && scale->quoted && (scale->text() == "3" || scale->text() == "5")) {
      context.sink.error("quoted-number", scale->location, quoted_number_message("scale", scale->text()));
    } else {
      context.sink.error("invalid-value", scale->location,
                         fmt::format("scale must be 3 or 5, not '{}'", scale->text()));
    }
  }
  if (auto max = reader.integer("max_threats", 1, std::numeric_limits<int>::max())) {
    model.max_threats = static_cast<int>(*max);
  }
  reader.get("include");  // the loader already followed it
  read_asset_class_declarations(context, reader);
}

}  // namespace

bool BuildContext::define(const Text& id, const std::string& kind) {
  if (!valid_id(id.value)) {
    sink.error("invalid-id", id.location,
               fmt::format("'{}' is not a valid id: start with a letter, then letters, digits, "
                           "'_', '.' or '-'",
                           id.value));
    return false;
  }
  auto [first, added] = ids.insert(id.value, static_cast<int>(definitions.size()));
  if (!added) {
    const Definition& definition = definitions[static_cast<size_t>(first)];
    sink.error("duplicate-id", id.location,
               fmt::format("id '{}' is already used; ids are unique across the whole model", id.value),
               {{definition.location, fmt::format("first defined here ({})", definition.kind)}});
    return false;
  }
  definitions.push_back({kind, id.location});
  return true;
}

std::optional<Text> BuildContext::read_id(MapReader& reader, const std::string& kind, bool required) {
  auto id = reader.text("id", required);
  if (!id) return std::nullopt;
  reader.set_what(kind + " '" + id->value + "'");
  if (!define(*id, kind)) return std::nullopt;
  return id;
}

std::vector<const load::Node*> section_items(const load::MappingEntry& section, DiagnosticSink& sink) {
  std::vector<const load::Node*> items;
  if (section.value->is_null()) return items;
  if (!section.value->is_sequence()) {
    sink.error("wrong-type", section.value->location,
               fmt::format("'{}' expects a list, found {}", section.key, load::describe(*section.value)));
    return items;
  }
  for (const load::NodePtr& item : section.value->items()) {
    if (!item->is_mapping()) {
      sink.error("wrong-type", item->location,
                 sink.full() ? std::string()
                             : fmt::format("each entry of '{}' must be a mapping of keys, found {}", section.key,
                                           load::describe(*item)));
      continue;
    }
    items.push_back(item);
  }
  return items;
}

// `facts: { key: value }`: each key from `keys`, each value from its list,
// with "did you mean" for both.
void read_facts(MapReader& reader, const std::vector<FactKey>& keys, std::vector<StatedFact>& out) {
  const load::Node* facts = reader.get("facts");
  if (facts == nullptr || facts->is_null()) return;
  if (!facts->is_mapping()) {
    reader.sink().error("wrong-type", facts->location,
                        "'facts' expects a mapping of facts to values, e.g. { authorization: per-object }");
    return;
  }
  std::vector<std::string> names;
  for (const FactKey& key : keys) names.emplace_back(key.key);
  for (const load::MappingEntry& entry : facts->entries()) {
    auto key = std::find_if(keys.begin(), keys.end(), [&](const FactKey& k) { return entry.key == k.key; });
    if (key == keys.end()) {
      reader.sink().error("unknown-key", entry.key_location,
                          fmt::format("'{}' is not a fact tmc knows here ({}){}", entry.key, fmt::join(names, ", "),
                                      did_you_mean(entry.key, names)));
      continue;
    }
    if (!entry.value->is_scalar() || entry.value->is_null()) {
      reader.sink().error("wrong-type", entry.value->location,
                          fmt::format("fact '{}' takes one of: {}", key->key, fmt::join(key->values, ", ")));
      continue;
    }
    if (auto value = check_choice(*entry.value, key->key, key->values, reader.sink())) {
      out.push_back({key->key, *value, entry.key_location});
    }
  }
}

void read_clearances(MapReader& reader, std::vector<Clearance>& out) {
  const load::Node* clear = reader.get("clear");
  if (clear == nullptr || clear->is_null()) return;
  if (!clear->is_mapping()) {
    reader.sink().error("wrong-type", clear->location,
                        "'clear' expects a mapping of STRIDE letters to reasons, e.g. { R: reason }");
    return;
  }
  static const std::vector<std::string> kLetters = {"S", "T", "R", "I", "D", "E"};
  for (const load::MappingEntry& entry : clear->entries()) {
    int letter = -1;
    std::string key(entry.key);
    if (auto canonical = canonical_spelling(key, kLetters); canonical && *canonical != key) {
      warn_spelling(entry.key_location, "STRIDE letter", key, *canonical, reader.sink());
      key = *canonical;
    }
    for (int i = 0; i < 6; ++i) {
      if (key == kLetters[static_cast<size_t>(i)]) letter = i;
    }
    if (letter < 0) {
      reader.sink().error("invalid-value", entry.key_location,
                          fmt::format("'{}' is not a STRIDE letter (S, T, R, I, D or E)", entry.key));
      continue;
    }
    if (!entry.value->is_scalar() || entry.value->is_null() || entry.value->text().empty()) {
      reader.sink().error("missing-key", entry.key_location,
                          fmt::format("clearing '{}' needs a reason", entry.key));
      continue;
    }
    out.push_back({static_cast<Stride>(letter), std::string(entry.value->text()), entry.key_location});
  }
}

std::optional<Model> build_model(const std::vector<load::Document>& documents, DiagnosticSink& sink,
                                 const BuildOptions& options) {
  BuildContext context{sink, options, Model{}, known_control_names(), {}, {}, {}};
  for (const std::string& extra : options.extra_controls) context.known_controls.push_back(extra);
  context.known_control_set.insert(context.known_controls.begin(), context.known_controls.end());
  size_t errors_before = sink.error_count();
  for (size_t d = 0; d < documents.size(); ++d) {
    const load::Document& document = documents[d];
    context.model.files.push_back(document.path);
    if (!document.root) continue;
    const load::Node& root = *document.root;
    if (d == 0) {
      context.model.location = root.location;
      MapReader reader(root, "the model", kTopKeys, sink);
      read_root_settings(context, reader);
      for (const std::string& section : kSections) reader.get(section);
      reader.finish();
    } else {
      for (const load::MappingEntry& entry : root.entries()) {
        bool is_section = std::find(kSections.begin(), kSections.end(), entry.key) != kSections.end();
        if (entry.key == "include" || is_section) continue;
        bool is_setting = std::find(kTopKeys.begin(), kTopKeys.end(), entry.key) != kTopKeys.end();
        if (is_setting) {
          sink.warning("include-scalar", entry.key_location,
                       fmt::format("'{}' in an included file is ignored; only the main model file "
                                   "sets it",
                                   entry.key));
        } else {
          report_unknown_key(entry, "an included file", kTopKeys, sink);
        }
      }
    }
  }
  // Sections in file order, the root file's first: ids can be used before
  // they are defined, so references are resolved once everything is read.
  for (const std::string& section : kSections) {
    for (const load::Document& document : documents) {
      if (!document.root) continue;
      if (const load::MappingEntry* entry = document.root->find(section)) read_section(context, *entry);
    }
  }
  resolve_references(context);
  if (sink.error_count() > errors_before) return std::nullopt;
  return std::move(context.model);
}

}  // namespace tmc::model
