#include "model/model.h"

#include <algorithm>

namespace tmc::model {

char letter(Stride s) { return "STRIDE"[static_cast<int>(s)]; }

const char* to_string(ElementType value) {
  switch (value) {
    case ElementType::external: return "external";
    case ElementType::process: return "process";
    case ElementType::store: return "store";
  }
  return "";
}

const char* to_string(StoreKind value) {
  static const char* const kNames[] = {"", "sql", "nosql", "cache", "queue", "object", "file", "log", "other"};
  return kNames[static_cast<int>(value)];
}

const char* to_string(Level value) {
  static const char* const kNames[] = {"", "low", "medium", "high"};
  return kNames[static_cast<int>(value)];
}

const char* to_string(Privilege value) {
  static const char* const kNames[] = {"", "service", "user", "admin", "root"};
  return kNames[static_cast<int>(value)];
}

const char* to_string(ThreatStatus value) {
  static const char* const kNames[] = {"open", "mitigating", "mitigated", "accepted", "transferred", "eliminated"};
  return kNames[static_cast<int>(value)];
}

const char* to_string(MitigationStatus value) {
  static const char* const kNames[] = {"planned", "in-progress", "done", "verified"};
  return kNames[static_cast<int>(value)];
}

const char* to_string(Privacy value) {
  static const char* const kNames[] = {"linkability", "identifiability", "non-repudiation", "detectability",
                                       "disclosure", "unawareness", "non-compliance"};
  return kNames[static_cast<int>(value)];
}

std::vector<const char*> privacy_names(PrivacySet set) {
  std::vector<const char*> names;
  for (int p = 0; p < kPrivacyCount; ++p) {
    if (has(set, static_cast<Privacy>(p))) names.push_back(to_string(static_cast<Privacy>(p)));
  }
  return names;
}

namespace {
bool contains(const std::vector<Text>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(), [&](const Text& t) { return t.value == name; });
}
}  // namespace

bool Asset::has_class(std::string_view wanted) const { return contains(classes, wanted); }
bool Element::has_control(std::string_view wanted) const { return contains(controls, wanted); }
bool Element::has_tag(std::string_view wanted) const { return contains(tags, wanted); }
bool Flow::has_control(std::string_view wanted) const { return contains(controls, wanted); }
bool Flow::has_tag(std::string_view wanted) const { return contains(tags, wanted); }

int Model::find_element(std::string_view id) const { return element_ids.find(id); }
int Model::find_flow(std::string_view id) const { return flow_ids.find(id); }
int Model::find_boundary(std::string_view id) const { return boundary_ids.find(id); }
int Model::find_asset(std::string_view id) const { return asset_ids.find(id); }
int Model::find_threat(std::string_view id) const { return threat_ids.find(id); }
int Model::find_mitigation(std::string_view id) const { return mitigation_ids.find(id); }
int Model::find_attack_node(std::string_view id) const { return attack_node_ids.find(id); }

const std::vector<std::string>& known_asset_classes() {
  static const std::vector<std::string> kClasses = {
      "pii", "payment", "health", "credentials", "secret", "financial", "public", "authority", "internal", "key"};
  return kClasses;
}

const std::vector<std::string>& known_tags() {
  static const std::vector<std::string> kTags = {"login", "admin", "webhook", "upload", "csv", "file",
                                                 "session", "redirect", "search", "export", "public"};
  return kTags;
}

const std::vector<std::string>& known_element_kinds() {
  static const std::vector<std::string> kKinds = {
      "web-app",         "api",           "service",           "worker",        "job",
      "browser",         "mobile-app",    "desktop-app",       "person",        "third-party",
      "api-gateway",     "load-balancer", "reverse-proxy",     "cdn",           "identity-provider",
      "ldap-directory",  "vault",         "ci",                "source-control", "artifact-registry",
      "container-registry", "llm",        "agent",             "tool",          "vector-store",
      "database",        "queue",         "bucket",            "mail-server",   "device",
      "broker",          "other"};
  return kKinds;
}

const std::vector<std::string>& known_accepts() {
  static const std::vector<std::string> kAccepts = {"xml", "serialized-objects", "files", "paths", "urls",
                                                    "templates", "commands", "ldap-queries", "html", "prompts"};
  return kAccepts;
}

namespace {
const StatedFact* find_fact(const std::vector<StatedFact>& facts, std::string_view key) {
  for (const StatedFact& fact : facts) {
    if (fact.key == key) return &fact;
  }
  return nullptr;
}
}  // namespace

const StatedFact* Element::stated(std::string_view key) const { return find_fact(facts, key); }
const StatedFact* Flow::stated(std::string_view key) const { return find_fact(facts, key); }
const StatedFact* Asset::stated(std::string_view key) const { return find_fact(facts, key); }

const std::vector<FactKey>& element_fact_keys() {
  static const std::vector<FactKey> kKeys = {
      {"log", {"audit", "operational"}, "a log store's purpose: the audit trail, or operational logs and traces"},
      {"managed", {"true", "false"}, "run by a provider (a managed control plane, a SaaS): we configure it, we do not write its code"},
      {"backup", {"true", "false"}, "a store that is itself a backup, a dump, a snapshot or a replica"},
      {"derived", {"true", "false"},
       "a store whose records can be rebuilt from another store (a warehouse, an outbox, a cache, a device buffer)"},
      {"admin", {"true", "false"},
       "an administrative interface: staff use it to manage other people's accounts and data, or the system"},
  };
  return kKeys;
}

const std::vector<FactKey>& asset_fact_keys() {
  static const std::vector<FactKey> kKeys = {
      {"authority", {"value", "request"},
       "for authority data: a value the server could compute or look up (a price, a role, a tenant id), or the "
       "caller's own request (a command, a setting, a grant)"},
  };
  return kKeys;
}

const std::vector<FactKey>& flow_fact_keys() {
  static const std::vector<FactKey> kKeys = {
      {"authentication",
       {"none", "password", "session-cookie", "bearer-token", "api-key", "client-certificate", "signed-message",
        "service-identity", "network", "other"},
       "how the caller proves who it is"},
      {"second_factor", {"true", "false"}, "the caller's sign-in needs a second factor (MFA)"},
      {"jwt", {"true", "false"}, "the caller's token is a JWT (signed JSON with an alg header)"},
      {"shared_credential", {"true", "false"}, "one credential is shared by many callers (a fleet, every install)"},
      {"authorization", {"none", "authenticated", "coarse", "per-object"},
       "how fine-grained the check is: none, any signed-in caller, a role or scope, each object or tenant"},
      {"identity", {"end-user", "technical"}, "whose identity the receiver sees: the person's, or a service's"},
      {"locality", {"network", "same-host", "in-process"}, "where the call travels"},
      {"sign_in", {"true", "false"}, "the flow signs someone in (it carries the credentials being checked)"},
      {"public", {"true", "false"}, "anyone may make this call by design (public pages, a public-read bucket)"},
      {"parameterized", {"true", "false"}, "the queries it carries are parameterized (prepared statements, an ORM)"},
      {"llm_use", {"generation", "embeddings"}, "a call to a model: text generation, or embeddings only"},
      {"reviewed", {"true", "false"},
       "changes travel on it only after review on a protected branch (a merge to main), not from any push, pull "
       "request or fork"},
  };
  return kKeys;
}

}  // namespace tmc::model
