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
      "database",        "queue",         "bucket",            "mail-server",   "other"};
  return kKinds;
}

const std::vector<std::string>& known_accepts() {
  static const std::vector<std::string> kAccepts = {"xml", "serialized-objects", "files", "paths", "urls",
                                                    "templates", "commands", "ldap-queries", "html", "prompts"};
  return kAccepts;
}

}  // namespace tmc::model
