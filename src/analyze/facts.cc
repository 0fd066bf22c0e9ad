// The facts stage (facts.h): what each element and flow is, read once from
// the model's structured keys, its free text and its shape.
#include "analyze/facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "analyze/flow_lists.h"
#include "analyze/words.h"
#include "analyze/zones.h"

namespace tmc::analyze {

namespace {

template <typename T>
struct Word {
  const char* word;
  T value;
};

// The first entry of `table` whose word is in `text` (lower case), or null.
template <typename T, size_t N>
const Word<T>* first_word(std::string_view text, const Word<T> (&table)[N]) {
  for (const Word<T>& entry : table) {
    if (has_word(text, entry.word)) return &entry;
  }
  return nullptr;
}

// The first of `words` in `text` (lower case), or null.
template <size_t N>
const char* any_word(std::string_view text, const char* const (&words)[N]) {
  for (const char* word : words) {
    if (has_word(text, word)) return word;
  }
  return nullptr;
}


using A = AuthMechanism;
// Order matters: the first word found decides ("API token" is a key, not
// a bearer token; "session token" is a token, not a cookie).
constexpr Word<AuthMechanism> kAuthWords[] = {
    {"source ip", A::network},          {"ip allow-list", A::network},      {"ip allowlist", A::network},
    {"ip allow", A::network},           {"ip whitelist", A::network},       {"vpc", A::network},
    {"firewall", A::network},           {"same subnet", A::network},        {"security group", A::network},
    {"private network", A::network},    {"network", A::network},            {"vpn", A::network},
    {"mtls", A::client_certificate},    {"mutual tls", A::client_certificate}, {"client cert", A::client_certificate},
    {"client certificate", A::client_certificate}, {"device certificate", A::client_certificate},
    {"certificate", A::client_certificate}, {"x.509", A::client_certificate}, {"x509", A::client_certificate},
    {"spiffe", A::client_certificate},  {"key-pair", A::client_certificate}, {"key pair", A::client_certificate},
    {"ssh key", A::client_certificate}, {"private key", A::client_certificate},
    {"api key", A::api_key},            {"api-key", A::api_key},            {"apikey", A::api_key},
    {"api token", A::api_key},          {"access key", A::api_key},         {"shared secret", A::api_key},
    {"static token", A::api_key},       {"pre-shared", A::api_key},         {"psk", A::api_key},
    {"deploy key", A::api_key},         {"personal access token", A::api_key},
    {"cookie", A::session_cookie},      {"jsessionid", A::session_cookie},  {"phpsessid", A::session_cookie},
    {"bearer", A::bearer_token},        {"jwt", A::bearer_token},           {"oauth", A::bearer_token},
    {"oauth2", A::bearer_token},        {"oidc", A::bearer_token},          {"openid", A::bearer_token},
    {"saml", A::bearer_token},          {"token", A::bearer_token},
    {"hmac", A::signed_message},        {"signature", A::signed_message},   {"signed", A::signed_message},
    {"iam", A::service_identity},       {"workload identity", A::service_identity},
    {"managed identity", A::service_identity}, {"service account", A::service_identity},
    {"instance role", A::service_identity}, {"instance profile", A::service_identity},
    {"password", A::password},          {"passphrase", A::password},        {"basic", A::password},
    {"username", A::password},          {"credentials", A::password},       {"db user", A::password},
    {"session", A::session_cookie},
};

constexpr const char* kSecondFactorWords[] = {
    "mfa", "2fa", "second factor", "two-factor", "two factor", "otp", "totp", "webauthn", "passkey", "passkeys",
    "fido", "fido2", "hardware key", "u2f", "security key", "2-step", "two-step"};

// A person's password named as what they sign in with.
constexpr const char* kPasswordWords[] = {"password", "passphrase", "username and", "user name and"};

constexpr const char* kSharedCredentialWords[] = {
    "shared by all", "shared across", "shared by every", "fleet-wide", "fleet wide", "fleet key", "fleet password",
    "fleet certificate", "fleet token", "same key", "same password", "same credential", "same certificate",
    "same token", "one key", "one password", "common password", "default password", "hard-coded", "hardcoded"};
constexpr const char* kOwnCredentialWords[] = {"per-device", "per device", "unique", "individual",
                                                            "own certificate", "own key"};

using Z = AuthzGranularity;
// Said outright: any caller who got in may do it (checked before the rest:
// "broker ACL (any authenticated client)" is no per-object check).
constexpr Word<AuthzGranularity> kAnyCallerWords[] = {
    {"any authenticated", Z::authenticated}, {"any signed-in", Z::authenticated}, {"any signed in", Z::authenticated},
    {"any logged-in", Z::authenticated},     {"any logged in", Z::authenticated}, {"any user", Z::authenticated},
    {"any employee", Z::authenticated},      {"any customer", Z::authenticated},  {"any client", Z::authenticated},
    {"any staff", Z::authenticated},         {"every employee", Z::authenticated}, {"all employees", Z::authenticated},
};
// The key the check scopes by (the tenant, the account) is what the caller
// sends: a row-level or per-tenant check on it only checks the caller's
// claim. Unless the text says it is checked against the session or token.
constexpr const char* kCallerChosenScopeWords[] = {
    "x-tenant",           "tenant header",       "tenant-id header",   "tenant id header", "tenant switcher",
    "client-chosen",      "chosen by the client", "client-supplied",   "client supplied",  "supplied by the client",
    "sent by the client", "sent by the spa",     "sent by the browser", "sent by the app", "taken from the request"};
constexpr const char* kCheckedAgainstWords[] = {"checked against", "verified against", "validated against",
                                                "must match", "matched against", "compared with", "compared to"};
constexpr Word<AuthzGranularity> kAuthzWords[] = {
    // Per object (checked first: a text that names a role and an owner
    // check is an owner check).
    {"own", Z::per_object},           {"owner", Z::per_object},          {"owners", Z::per_object},
    {"ownership", Z::per_object},     {"owned", Z::per_object},          {"per-object", Z::per_object},
    {"per object", Z::per_object},    {"object-level", Z::per_object},   {"object level", Z::per_object},
    {"row", Z::per_object},           {"row-level", Z::per_object},      {"rls", Z::per_object},
    {"per-user", Z::per_object},      {"per user", Z::per_object},       {"per-account", Z::per_object},
    {"per account", Z::per_object},   {"per-tenant", Z::per_object},     {"per tenant", Z::per_object},
    {"tenant isolation", Z::per_object}, {"tenant check", Z::per_object}, {"tenant-scoped", Z::per_object},
    {"tenant scoped", Z::per_object}, {"scoped to", Z::per_object},
    {"belongs to", Z::per_object},    {"belonging to", Z::per_object},
    {"resource-level", Z::per_object}, {"record-level", Z::per_object},  {"per-record", Z::per_object},
    {"per record", Z::per_object},    {"per-device", Z::per_object},     {"per device", Z::per_object},
    {"relationship", Z::per_object},  {"rebac", Z::per_object},          {"assigned", Z::per_object},
    {"one object", Z::per_object},    {"single object", Z::per_object},  {"care team", Z::per_object},     {"same tenant", Z::per_object},    {"their", Z::per_object},
    {"from the session", Z::per_object}, {"from the token", Z::per_object}, {"from the jwt", Z::per_object},
    {"token's subject", Z::per_object}, {"session's", Z::per_object},    {"caller's own", Z::per_object},
    // The caller's own tenant (an employer's admin, a tenant's namespace).
    {"caller's tenant", Z::per_object}, {"token's tenant", Z::per_object}, {"tenant's namespace", Z::per_object},
    {"own tenant", Z::per_object},    {"tenant named in the token", Z::per_object},
    // Coarse: a role, a scope, a group, a list of callers.
    {"role", Z::coarse},              {"roles", Z::coarse},              {"rbac", Z::coarse},
    {"scope", Z::coarse},             {"scopes", Z::coarse},             {"group", Z::coarse},
    {"groups", Z::coarse},            {"permission", Z::coarse},         {"permissions", Z::coarse},
    {"allow-list", Z::coarse},        {"allowlist", Z::coarse},          {"allow list", Z::coarse},
    {"whitelist", Z::coarse},         {"admin", Z::coarse},              {"policy", Z::coarse},
    {"acl", Z::coarse},               {"acls", Z::coarse},
    {"policies", Z::coarse},          {"abac", Z::coarse},               {"read", Z::coarse},
    {"write", Z::coarse},             {"writer", Z::coarse},             {"reader", Z::coarse},
    {"read-only", Z::coarse},         {"read-write", Z::coarse},         {"project", Z::coarse},
    {"entitlement", Z::coarse},       {"entitlements", Z::coarse},       {"claims", Z::coarse},
    {"claim", Z::coarse},             {"iam", Z::coarse},                {"grant", Z::coarse},
    // Any caller who got in.
    {"logged in", Z::authenticated},  {"logged-in", Z::authenticated},   {"authenticated", Z::authenticated},
    {"any user", Z::authenticated},   {"signed in", Z::authenticated},   {"signed-in", Z::authenticated},
    {"valid token", Z::authenticated}, {"valid session", Z::authenticated},
};

constexpr const char* kEndUserWords[] = {
    "on behalf", "on-behalf", "user token", "user's token", "end-user", "end user", "token exchange", "forwarded",
    "propagated", "passed through", "pass-through", "obo", "delegated", "user jwt", "customer id", "user id",
    "account id", "patient id", "tenant id", "user ids", "tenant ids", "ids from the", "originator", "passed in", "passed on", "from the session",
    "from the token", "user context", "caller's identity", "signed claims"};
constexpr const char* kPublicWords[] = {"public", "public-read", "anonymous", "anyone", "unauthenticated by design",
                                        "no login", "open to all", "cacheable"};
constexpr const char* kParameterizedWords[] = {"parameterized", "parameterised", "prepared statement",
                                               "prepared statements", "bind variables", "bound parameters",
                                               "query builder", "orm"};
constexpr const char* kSignedInElsewhereWords[] = {"sso", "single sign-on", "single sign on", "saml", "idp",
                                                    "identity provider"};
constexpr const char* kSignInWords[] = {"sign-in", "sign in", "signin", "login", "log in", "log-in", "logon"};
constexpr const char* kTechnicalWords[] = {"service", "technical", "client credentials", "machine",
                                                        "system account", "service account", "workload"};

using L = Locality;
constexpr Word<Locality> kLocalityWords[] = {
    {"in-process", L::in_process}, {"in process", L::in_process}, {"function call", L::in_process},
    {"method call", L::in_process}, {"library call", L::in_process}, {"in-memory", L::in_process},
    {"inproc", L::in_process},
    {"ipc", L::same_host},         {"unix socket", L::same_host},     {"unix domain socket", L::same_host},
    {"pipe", L::same_host},        {"localhost", L::same_host},       {"loopback", L::same_host},
    {"file", L::same_host},        {"shared memory", L::same_host},   {"local", L::same_host},
};

// Authority data: the words that make it a value the server owns, and
// those that make it the caller's own request. A value word wins: "roles
// and settings" may hold a role the client should not set.
constexpr const char* kAuthorityValueWords[] = {
    "price", "prices", "amount", "amounts", "fee", "fees", "rate", "rates", "discount", "discounts", "total",
    "totals", "balance", "balances", "quote", "quotes", "cost", "costs", "tax", "taxes", "limit", "limits",
    "quota", "quotas", "role", "roles", "tenant id", "tenant ids", "account id", "user id", "owner id",
    "permission", "permissions", "entitlement", "entitlements", "score", "points", "credit", "credits"};
constexpr const char* kAuthorityRequestWords[] = {
    "command", "commands", "instruction", "instructions", "setting", "settings", "action", "actions", "grant",
    "grants", "edit", "edits", "prompt", "prompts", "switch", "switches", "setpoint", "setpoints", "request",
    "requests", "message", "messages", "configuration", "config", "flag", "flags", "consent", "consents",
    "preference", "preferences", "change", "changes", "code", "codes", "coupon", "coupons", "voucher", "vouchers"};

constexpr const char* kEmbeddingWords[] = {"embedding", "embeddings", "embed", "vectorize", "vectorise"};

// Element kinds read from names, most specific first. Only for elements
// without `kind`.
struct KindWord {
  const char* word;
  const char* kind;
};
constexpr KindWord kProcessKindWords[] = {
    {"site gateway", "device"},         {"iot gateway", "device"},          {"sensor", "device"},
    {"thermostat", "device"},           {"hvac", "device"},                 {"plc", "device"},
    {"api gateway", "api-gateway"},     {"gateway", "api-gateway"},         {"load balancer", "load-balancer"},
    {"reverse proxy", "reverse-proxy"}, {"ingress", "reverse-proxy"},       {"nginx", "reverse-proxy"},
    {"envoy", "reverse-proxy"},         {"cdn", "cdn"},                     {"cloudfront", "cdn"},
    {"identity provider", "identity-provider"}, {"idp", "identity-provider"}, {"sso", "identity-provider"},
    {"keycloak", "identity-provider"},  {"auth0", "identity-provider"},     {"okta", "identity-provider"},
    {"cognito", "identity-provider"},   {"secrets manager", "vault"},       {"secret manager", "vault"},
    {"vault", "vault"},                 {"key vault", "vault"},             {"kms", "vault"},
    {"ldap", "ldap-directory"},         {"active directory", "ldap-directory"},
    {"container registry", "container-registry"}, {"docker registry", "container-registry"},
    {"artifact registry", "artifact-registry"}, {"artifactory", "artifact-registry"}, {"nexus", "artifact-registry"},
    {"package registry", "artifact-registry"}, {"ci", "ci"}, {"jenkins", "ci"}, {"ci runner", "ci"},
    {"build server", "ci"},             {"github actions", "ci"},           {"gitlab ci", "ci"},
    {"source control", "source-control"}, {"git server", "source-control"}, {"gitlab", "source-control"},
    {"github", "source-control"},       {"bitbucket", "source-control"},    {"git repository", "source-control"},
    {"web app", "web-app"},             {"webapp", "web-app"},              {"web application", "web-app"},
    {"website", "web-app"},             {"web site", "web-app"},            {"web server", "web-app"},
    {"web frontend", "web-app"},        {"web ui", "web-app"},              {"portal", "web-app"},
    {"storefront", "web-app"},          {"dashboard", "web-app"},           {"frontend", "web-app"},
    {"front end", "web-app"},           {"front-end", "web-app"},           {"llm", "llm"},
    {"mqtt broker", "broker"},          {"broker", "broker"},               {"mqtt", "broker"},
    {"smtp", "mail-server"},            {"mail server", "mail-server"},     {"worker", "worker"},
    {"consumer", "worker"},             {"cron", "job"},                    {"batch", "job"},
    {"job", "job"},                     {"scheduler", "job"},               {"graphql", "api"},
    {"rest api", "api"},                {"api", "api"},                     {"backend", "api"},
    {"service", "service"},             {"microservice", "service"},
};
constexpr KindWord kExternalKindWords[] = {
    {"browser", "browser"},     {"mobile app", "mobile-app"}, {"ios app", "mobile-app"},  {"android", "mobile-app"},
    {"desktop app", "desktop-app"}, {"llm", "llm"},           {"openai", "llm"},          {"gpt", "llm"},
    {"language model", "llm"},  {"model provider", "llm"},    {"bedrock", "llm"},         {"gemini", "llm"},
    {"claude", "llm"},          {"device", "device"},         {"devices", "device"},      {"sensor", "device"},
    {"sensors", "device"},      {"thermostat", "device"},     {"camera", "device"},       {"meter", "device"},
    {"user", "person"},         {"users", "person"},          {"customer", "person"},     {"patient", "person"},
    {"clinician", "person"},    {"staff", "person"},          {"operator", "person"},     {"technician", "person"},
    {"employee", "person"},     {"developer", "person"},
};
constexpr KindWord kStoreKindWords[] = {
    {"vector store", "vector-store"}, {"vector db", "vector-store"}, {"vector database", "vector-store"},
    {"pinecone", "vector-store"},     {"weaviate", "vector-store"}, {"qdrant", "vector-store"},
    {"pgvector", "vector-store"},
};

const std::vector<std::string_view> kPassThroughKinds = {"api-gateway", "load-balancer", "reverse-proxy", "cdn"};

bool is_pass_through_kind(std::string_view kind) {
  return std::find(kPassThroughKinds.begin(), kPassThroughKinds.end(), kind) != kPassThroughKinds.end();
}

Fact<std::string_view> element_kind(const model::Element& e) {
  if (!e.kind.empty()) return {e.kind, FactSource::stated, "kind"};
  std::string names = lower(e.id + " " + e.name);
  for (char& c : names) {
    if (c == '_') c = ' ';
  }
  auto pick = [&](const auto& table) -> Fact<std::string_view> {
    for (const KindWord& entry : table) {
      if (has_word(names, entry.word)) return {entry.kind, FactSource::inferred, entry.word};
    }
    return {};
  };
  switch (e.type) {
    case model::ElementType::process: return pick(kProcessKindWords);
    case model::ElementType::external: return pick(kExternalKindWords);
    case model::ElementType::store: return pick(kStoreKindWords);
  }
  return {};
}

Caller caller_of_kind(std::string_view kind, model::ElementType type) {
  if (kind == "browser") return Caller::browser;
  if (kind == "mobile-app" || kind == "desktop-app") return Caller::app;
  if (kind == "person") return Caller::person;
  if (kind == "device") return Caller::device;
  if (type == model::ElementType::external) return Caller::third_party;
  return Caller::service;
}

bool is_person_caller(Caller caller) {
  return caller == Caller::browser || caller == Caller::app || caller == Caller::person;
}

// An asset that is somebody's token (a session, a reset link, a JWT), by
// its id or name, rather than a password or a key.
bool is_token(const model::Asset& asset) {
  static constexpr const char* kTokenWords[] = {"token", "tokens", "session", "cookie", "jwt", "bearer", "otp", "nonce",
                                                "assertion", "saml", "ticket"};
  std::string names = lower(asset.id + " " + asset.name);
  for (char& c : names) {
    if (c == '_') c = ' ';
  }
  return any_word(names, kTokenWords) != nullptr;
}

// A person's password on the flow: credentials that are no token.
bool carries_password(const model::Model& model, const model::Flow& flow) {
  return std::any_of(flow.data_indexes.begin(), flow.data_indexes.end(), [&](int a) {
    const model::Asset& asset = model.assets[static_cast<size_t>(a)];
    return asset.has_class("credentials") && !is_token(asset);
  });
}

bool carries_class(const model::Model& model, const model::Flow& flow, std::string_view wanted) {
  return std::any_of(flow.data_indexes.begin(), flow.data_indexes.end(),
                     [&](int a) { return model.assets[static_cast<size_t>(a)].has_class(wanted); });
}

template <typename T, typename Parse>
bool take_stated(Fact<T>& fact, const model::StatedFact* stated, Parse parse) {
  if (stated == nullptr) return false;
  fact = {parse(stated->value), FactSource::stated, "facts"};
  return true;
}

template <typename Enum>
Enum enum_named(std::string_view name, Enum last) {
  for (int v = 0; v <= static_cast<int>(last); ++v) {
    if (name == to_string(static_cast<Enum>(v))) return static_cast<Enum>(v);
  }
  return Enum{};
}

// "A user JWT forwarded over mTLS": the mTLS is the channel between two
// services, the JWT says who the caller is. The channel decides only when
// the text names nothing else.
constexpr const char* kChannelPhrases[] = {"over mtls", "via mtls", "through mtls", "inside mtls", "within mtls",
                                           "over mutual tls", "via mutual tls", "over a mtls", "over an mtls"};

std::string without_channel(std::string text) {
  for (const char* phrase : kChannelPhrases) {
    const std::string_view p(phrase);
    for (size_t at = text.find(p); at != std::string::npos; at = text.find(p, at)) text.replace(at, p.size(), " ");
  }
  return text;
}

// The authentication a flow declares, read from its text (not `facts:`).
Fact<AuthMechanism> read_authentication(const model::Flow& f) {
  if (!f.authentication) return {AuthMechanism::unknown, FactSource::unknown, "no authentication declared"};
  if (says_none(f.authentication)) return {AuthMechanism::none, FactSource::stated, "authentication: none"};
  const std::string text = lower(f.authentication->value);
  if (const std::string caller = without_channel(text); caller != text) {
    if (const auto* word = first_word(caller, kAuthWords)) return {word->value, FactSource::read, word->word};
  }
  if (const auto* word = first_word(text, kAuthWords)) {
    return {word->value, FactSource::read, word->word};
  }
  return {AuthMechanism::other, FactSource::read, ""};
}

// Whether a flow's sign-in takes a second factor, from its text (lower
// case) and controls. A second factor that is optional or off by default is
// no second factor for the accounts that matter: the weaker fact wins.
Fact<bool> read_second_factor(const model::Flow& f, const std::string& authentication) {
  static constexpr const char* kNoSecondFactorWords[] = {
      "no mfa",      "without mfa",    "exempt",        "no second factor", "password only", "password-only",
      "no 2fa",      "mfa off",        "optional",      "off by default",   "not enforced",  "not required",
      "can be enabled", "opt-in",      "if enabled",    "only if",          "if they turn",  "if the user turns"};
  if (const char* no = any_word(authentication, kNoSecondFactorWords)) return {false, FactSource::read, no};
  if (const char* word = any_word(authentication, kSecondFactorWords)) return {true, FactSource::read, word};
  if (f.has_control("mfa")) return {true, FactSource::stated, "control mfa"};
  // "username and password", "session cookie after password login": the
  // credential people present, named whole.
  if (const char* password = any_word(authentication, kPasswordWords)) return {false, FactSource::read, password};
  return {};
}

// The request into the pass-through `proxy` that it forwards: the first
// request into it that a person makes, else the first; -1 when none.
int request_into(const model::Model& model, const std::vector<ElementFacts>& elements, const FlowLists& inbound,
                 int proxy) {
  int found = -1;
  for (int f : inbound[static_cast<size_t>(proxy)]) {
    const model::Flow& in = model.flows[static_cast<size_t>(f)];
    const int asker = requester_of(model, in);
    if (asker < 0 || asker == proxy || in.response_to_index >= 0) continue;
    if (found < 0) found = f;
    if (is_person_caller(caller_of_kind(elements[static_cast<size_t>(asker)].kind.value,
                                        model.elements[static_cast<size_t>(asker)].type))) {
      return f;
    }
  }
  return found;
}

// The request a pass-through forwards on `flow`, or -1 (the flow is no
// request out of a pass-through).
int forwarded_request(const model::Model& model, const std::vector<ElementFacts>& elements, const FlowLists& inbound,
                      const model::Flow& flow) {
  const int requester = requester_of(model, flow);
  if (requester < 0 || !elements[static_cast<size_t>(requester)].pass_through || flow.response_to_index >= 0) return -1;
  return request_into(model, elements, inbound, requester);
}

// The request into the pass-through that asks on `flow` which `flow` goes on
// with: a person's request that carries the most of its data (a gateway has
// many routes; the sign-in is not the statement request). -1 when the flow
// does not leave a pass-through, carries no data, or no request in shares it.
int same_request_into_proxy(const model::Model& model, const std::vector<ElementFacts>& elements,
                            const FlowLists& inbound, const model::Flow& flow) {
  const int proxy = requester_of(model, flow);
  if (proxy < 0 || !elements[static_cast<size_t>(proxy)].pass_through || flow.response_to_index >= 0 ||
      flow.data_indexes.empty()) {
    return -1;
  }
  int best = -1;
  size_t best_shared = 0;
  for (int f : inbound[static_cast<size_t>(proxy)]) {
    const model::Flow& in = model.flows[static_cast<size_t>(f)];
    const int asker = requester_of(model, in);
    if (asker < 0 || asker == proxy || in.response_to_index >= 0) continue;
    if (!is_person_caller(caller_of_kind(elements[static_cast<size_t>(asker)].kind.value,
                                         model.elements[static_cast<size_t>(asker)].type))) {
      continue;
    }
    const size_t shared = data_in_common(in, flow.data_indexes);
    if (shared > best_shared) {
      best = f;
      best_shared = shared;
    }
  }
  return best;
}

// Who asks on a flow: the kind of its requester; through a load balancer,
// gateway, proxy or CDN, whoever asks that pass-through (a few hops at
// most, request_into's choice at each).
Fact<Caller> caller_of(const model::Model& model, const std::vector<ElementFacts>& elements, const FlowLists& inbound,
                       int requester) {
  if (requester < 0) return {};
  for (int hop = 0; hop < 4 && elements[static_cast<size_t>(requester)].pass_through; ++hop) {
    const int f = request_into(model, elements, inbound, requester);
    if (f < 0) break;
    requester = requester_of(model, model.flows[static_cast<size_t>(f)]);
  }
  const model::Element& asker = model.elements[static_cast<size_t>(requester)];
  const ElementFacts& facts = elements[static_cast<size_t>(requester)];
  return {caller_of_kind(facts.kind.value, asker.type),
          facts.kind.source == FactSource::stated ? FactSource::stated : FactSource::inferred,
          facts.kind.value.empty() ? "the requester's type" : "the requester's kind (through any proxy)"};
}

FlowFacts flow_facts(const model::Model& model, const std::vector<ElementFacts>& elements,
                     const std::vector<AssetFacts>& assets, const FlowLists& inbound, int index) {
  const model::Flow& f = model.flows[static_cast<size_t>(index)];
  FlowFacts out;
  out.requester = requester_of(model, f);
  const std::string authentication = f.authentication ? lower(f.authentication->value) : "";
  const std::string authorization = f.authorization ? lower(f.authorization->value) : "";

  // Who asks.
  out.caller = caller_of(model, elements, inbound, out.requester);

  // Authentication.
  if (!take_stated(out.authentication, f.stated("authentication"),
                   [](std::string_view v) { return enum_named(v, AuthMechanism::other); })) {
    out.authentication = read_authentication(f);
    // Undeclared behind a proxy: what the caller presented to the proxy
    // goes on (a session cookie through a load balancer).
    if (!f.authentication) {
      const int forwarded = forwarded_request(model, elements, inbound, f);
      if (forwarded >= 0 && model.flows[static_cast<size_t>(forwarded)].authentication) {
        out.authentication = read_authentication(model.flows[static_cast<size_t>(forwarded)]);
        out.authentication.source = FactSource::inferred;
        out.authentication.evidence = "what the caller presents to the proxy in front";
      }
    }
  }
  if (!take_stated(out.second_factor, f.stated("second_factor"), [](std::string_view v) { return v == "true"; })) {
    out.second_factor = read_second_factor(f, authentication);
    // Behind a proxy that passes the session on, what the person showed the
    // proxy in front goes on: the request in that carries this one's data.
    if (out.second_factor.source == FactSource::unknown) {
      const int forwarded = same_request_into_proxy(model, elements, inbound, f);
      if (forwarded >= 0) {
        const model::Flow& in = model.flows[static_cast<size_t>(forwarded)];
        const Fact<bool> front = read_second_factor(in, in.authentication ? lower(in.authentication->value) : "");
        if (front.source != FactSource::unknown) {
          out.second_factor = {front.value, FactSource::inferred, "what the caller presents to the proxy in front"};
        }
      }
    }
  }
  if (!take_stated(out.jwt, f.stated("jwt"), [](std::string_view v) { return v == "true"; })) {
    static constexpr const char* kJwtWords[] = {"jwt", "jws", "id token", "oidc", "openid", "json web token"};
    if (const char* word = any_word(authentication, kJwtWords)) out.jwt = {true, FactSource::read, word};
  }
  if (!take_stated(out.shared_credential, f.stated("shared_credential"), [](std::string_view v) { return v == "true"; })) {
    const char* word = any_word(authentication, kSharedCredentialWords);
    if (word != nullptr && any_word(authentication, kOwnCredentialWords) == nullptr) {
      out.shared_credential = {true, FactSource::read, word};
    }
  }

  // Authorization.
  if (!take_stated(out.authorization, f.stated("authorization"),
                   [](std::string_view v) { return enum_named(v, AuthzGranularity::per_object); })) {
    if (!f.authorization) {
      out.authorization = {AuthzGranularity::unknown, FactSource::unknown, "no authorization declared"};
    } else if (says_none(f.authorization)) {
      out.authorization = {AuthzGranularity::none, FactSource::stated, "authorization: none"};
    } else if (const auto* any = first_word(authorization, kAnyCallerWords)) {
      out.authorization = {any->value, FactSource::read, any->word};
    } else if (const char* chosen = any_word(authorization, kCallerChosenScopeWords);
               chosen != nullptr && any_word(authorization, kCheckedAgainstWords) == nullptr) {
      // No finer than a role: the caller picks what it may see.
      out.authorization = {AuthzGranularity::coarse, FactSource::read, chosen};
    } else if (const auto* word = first_word(authorization, kAuthzWords)) {
      out.authorization = {word->value, FactSource::read, word->word};
    } else {
      // Some check, of unknown granularity: the weaker reading.
      out.authorization = {AuthzGranularity::coarse, FactSource::read, ""};
    }
  }

  // Where it travels.
  if (!take_stated(out.locality, f.stated("locality"), [](std::string_view v) { return enum_named(v, Locality::in_process); })) {
    if (const auto* word = first_word(lower(f.protocol), kLocalityWords)) {
      out.locality = {word->value, FactSource::read, word->word};
    } else {
      out.locality = {Locality::network, f.protocol.empty() ? FactSource::unknown : FactSource::inferred, "protocol"};
    }
  }

  // Whose identity the receiver sees.
  if (!take_stated(out.identity, f.stated("identity"),
                   [](std::string_view v) { return enum_named(v, CallerIdentity::technical); })) {
    const char* end_user = any_word(authentication, kEndUserWords);
    if (end_user == nullptr) end_user = any_word(authorization, kEndUserWords);
    const AuthMechanism mechanism = out.authentication.value;
    if (is_person_caller(out.caller.value)) {
      out.identity = {CallerIdentity::end_user, FactSource::inferred, "the caller is a person"};
    } else if (end_user != nullptr) {
      out.identity = {CallerIdentity::end_user, FactSource::read, end_user};
    } else if (const char* technical = any_word(authentication, kTechnicalWords)) {
      out.identity = {CallerIdentity::technical, FactSource::read, technical};
    } else if (out.authorization.value == AuthzGranularity::per_object) {
      out.identity = {CallerIdentity::end_user, FactSource::inferred, "authorization is per object"};
    } else if (mechanism == AuthMechanism::bearer_token || mechanism == AuthMechanism::session_cookie) {
      out.identity = {CallerIdentity::end_user, FactSource::inferred, "a user's token or session passed on"};
    } else if (mechanism != AuthMechanism::unknown && mechanism != AuthMechanism::none &&
               mechanism != AuthMechanism::other) {
      out.identity = {CallerIdentity::technical, FactSource::inferred, "the mechanism identifies a service"};
    }
  }

  // A sign-in: a person's credentials checked where people sign in.
  if (!take_stated(out.sign_in, f.stated("sign_in"), [](std::string_view v) { return v == "true"; })) {
    const int to = f.to_index;
    if (to >= 0 && out.requester == f.from_index && is_person_caller(out.caller.value)) {
      const model::Element& receiver = model.elements[static_cast<size_t>(to)];
      // Words count on a flow that presents no token of its own ("bearer
      // token from the sign-in" is a call made after it).
      const AuthMechanism a = out.authentication.value;
      const bool no_token = a == AuthMechanism::password || a == AuthMechanism::none || a == AuthMechanism::unknown ||
                            a == AuthMechanism::other;
      const char* said = no_token ? any_word(authorization, kSignInWords) : nullptr;
      if (said == nullptr && no_token) said = any_word(authentication, kSignInWords);
      const bool login_place = f.has_tag("login") || receiver.has_tag("login") ||
                               elements[static_cast<size_t>(to)].kind.value == "identity-provider";
      // A password carried by a call whose session comes from a sign-in
      // elsewhere (single sign-on at an identity provider) is data the
      // person enters (a Wi-Fi key), not a sign-in here.
      const bool elsewhere = !no_token && any_word(authentication, kSignedInElsewhereWords) != nullptr;
      const bool password = a == AuthMechanism::password || (!elsewhere && carries_password(model, f));
      const bool credentials = carries_class(model, f, "credentials");
      if (((login_place || password || said != nullptr) && (password || credentials)) || (login_place && no_token)) {
        out.sign_in = {true, said != nullptr ? FactSource::read : FactSource::inferred,
                       said != nullptr ? said
                       : login_place   ? "credentials sent where people sign in"
                                       : "a password is checked"};
      }
    }
  }
  if (!take_stated(out.parameterized, f.stated("parameterized"), [](std::string_view v) { return v == "true"; })) {
    std::string text = f.validation ? lower(f.validation->value) : "";
    text += " " + lower(f.description);
    if (const char* word = any_word(text, kParameterizedWords)) out.parameterized = {true, FactSource::read, word};
  }
  // Public by design: the declarations say anyone may call.
  if (!take_stated(out.public_access, f.stated("public"), [](std::string_view v) { return v == "true"; })) {
    const char* word = any_word(authorization, kPublicWords);
    if (word == nullptr && says_none(f.authentication)) word = any_word(authentication, kPublicWords);
    if (word != nullptr) out.public_access = {true, FactSource::read, word};
  }

  // Reviewed changes only (a source-control trigger on merges to a protected
  // branch), or anything anyone pushes: the label and the declarations say.
  if (!take_stated(out.reviewed, f.stated("reviewed"), [](std::string_view v) { return v == "true"; })) {
    static constexpr const char* kReviewedWords[] = {
        "protected branch", "protected branches", "branch protection", "required review", "required reviews",
        "reviewed merge",   "reviewed merges",    "merge to main",     "merges to main",  "merge to master",
        "on merge",         "after review",       "code review",       "two-person review"};
    static constexpr const char* kUnreviewedWords[] = {
        "fork",       "forks",           "every pull request", "any pull request", "every push", "any push",
        "any branch", "every branch",    "unreviewed",         "without review",   "no review",
        "no code review", "without code review", "not reviewed", "no required review", "no branch protection"};
    std::string said = lower(f.label) + " | " + authorization + " | " + (f.validation ? lower(f.validation->value) : "");
    if (const char* no = any_word(said, kUnreviewedWords)) {
      out.reviewed = {false, FactSource::read, no};
    } else if (const char* word = any_word(said, kReviewedWords)) {
      out.reviewed = {true, FactSource::read, word};
    }
  }

  // Authority data on it that the receiver should not take as given.
  for (int a : f.data_indexes) {
    const Fact<AuthorityKind>& authority = assets[static_cast<size_t>(a)].authority;
    if (authority.value == AuthorityKind::none) continue;
    if (out.authority_asset < 0 || (authority.value == AuthorityKind::value && !out.authority_value.value)) {
      out.authority_value = {authority.value == AuthorityKind::value, authority.source, authority.evidence};
      out.authority_asset = a;
    }
  }

  // What a call to a language model is for.
  if (f.to_index >= 0 && elements[static_cast<size_t>(f.to_index)].kind.value == "llm") {
    if (!take_stated(out.llm_use, f.stated("llm_use"), [](std::string_view v) { return enum_named(v, LlmUse::embeddings); })) {
      std::string text = lower(f.label + " " + f.description + " " + f.id);
      for (const model::Text& tag : f.tags) text += " " + lower(tag.value);
      if (const char* word = any_word(text, kEmbeddingWords)) {
        out.llm_use = {LlmUse::embeddings, FactSource::read, word};
      } else {
        out.llm_use = {LlmUse::generation, FactSource::inferred, "a call to a model"};
      }
    }
  }
  return out;
}

constexpr const char* kOperationalLogWords[] = {
    "debug", "application log", "app log", "trace", "traces", "tracing", "metrics", "operational", "observability"};
constexpr const char* kManagedWords[] = {
    "managed service", "fully managed", "control plane", "managed kubernetes", "eks", "gke", "aks", "saas",
    "hosted by", "provided by"};

AssetFacts asset_facts(const model::Asset& asset) {
  AssetFacts out;
  if (!asset.has_class("authority")) return out;
  if (take_stated(out.authority, asset.stated("authority"),
                  [](std::string_view v) { return enum_named(v, AuthorityKind::request); })) {
    return out;
  }
  std::string text = lower(asset.id + " " + asset.name + " " + asset.description);
  for (char& c : text) {
    if (c == '_') c = ' ';
  }
  if (const char* word = any_word(text, kAuthorityValueWords)) {
    out.authority = {AuthorityKind::value, FactSource::read, word};
  } else if (const char* request = any_word(text, kAuthorityRequestWords)) {
    out.authority = {AuthorityKind::request, FactSource::read, request};
  } else {
    out.authority = {AuthorityKind::value, FactSource::unknown, "nothing says it is the caller's own request"};
  }
  return out;
}

ElementFacts element_facts(const model::Model& model, int index, bool untrusted) {
  const model::Element& e = model.elements[static_cast<size_t>(index)];
  ElementFacts out;
  out.kind = element_kind(e);
  out.pass_through = is_pass_through_kind(out.kind.value);
  out.untrusted = untrusted;
  out.holds_password = std::any_of(e.asset_indexes.begin(), e.asset_indexes.end(), [&](int a) {
    const model::Asset& asset = model.assets[static_cast<size_t>(a)];
    return asset.has_class("credentials") && !is_token(asset);
  });
  out.holds_secret = std::any_of(e.asset_indexes.begin(), e.asset_indexes.end(), [&](int a) {
    const model::Asset& asset = model.assets[static_cast<size_t>(a)];
    return asset.has_class("key") || (asset.has_class("secret") && !is_token(asset));
  });
  std::string text = lower(e.id + " " + e.name + " " + e.description);
  for (char& c : text) {
    if (c == '_') c = ' ';
  }
  if (e.type == model::ElementType::store && e.store == model::StoreKind::log) {
    if (!take_stated(out.log, e.stated("log"), [](std::string_view v) { return enum_named(v, LogPurpose::operational); })) {
      // Only words or a tag make it the audit trail: append-only alone does
      // not (operational logs are often write-once too), and the audit fact
      // quiets the rule about personal data in logs.
      if (has_word(text, "audit") || e.has_tag("audit")) {
        out.log = {LogPurpose::audit, FactSource::read, "audit"};
      } else if (const char* word = any_word(text, kOperationalLogWords)) {
        out.log = {LogPurpose::operational, FactSource::read, word};
      } else {
        out.log = {LogPurpose::operational, FactSource::unknown, ""};
      }
    }
  }
  if (e.type == model::ElementType::store &&
      !take_stated(out.backup, e.stated("backup"), [](std::string_view v) { return v == "true"; })) {
    static constexpr const char* kBackupWords[] = {"backup", "backups", "dump", "dumps", "snapshot", "snapshots",
                                                   "archive", "replica"};
    if (const char* word = any_word(text, kBackupWords)) out.backup = {true, FactSource::read, word};
  }
  if (e.type == model::ElementType::store &&
      !take_stated(out.derived, e.stated("derived"), [](std::string_view v) { return v == "true"; })) {
    static constexpr const char* kDerivedWords[] = {
        "rebuilt",   "re-built",  "regenerated", "re-generated", "can be rebuilt", "derived from", "loaded from",
        "copy of",   "cache of",  "buffer",      "outbox",       "staging",        "re-downloaded", "recomputed"};
    if (const char* word = any_word(text, kDerivedWords)) out.derived = {true, FactSource::read, word};
  }
  if (!take_stated(out.managed, e.stated("managed"), [](std::string_view v) { return v == "true"; })) {
    // A product we run but do not write (a source-control server, a
    // registry, an identity provider): its code is not ours to fix.
    static const std::vector<std::string_view> kProducts = {
        "source-control", "ci", "artifact-registry", "container-registry", "identity-provider", "vault",
        "ldap-directory", "mail-server", "broker", "llm", "vector-store", "database", "queue", "bucket"};
    if (const char* word = any_word(text, kManagedWords)) {
      out.managed = {true, FactSource::read, word};
    } else if (e.type == model::ElementType::process &&
               std::find(kProducts.begin(), kProducts.end(), out.kind.value) != kProducts.end()) {
      out.managed = {true, FactSource::inferred, "a product of this kind runs our configuration, not our code"};
    }
  }
  return out;
}

}  // namespace

bool says_none(const std::optional<model::Text>& value) {
  if (!value) return false;
  std::string text = lower(value->value);
  size_t start = text.find_first_not_of(' ');
  return start != std::string::npos && text.compare(start, 4, "none") == 0 &&
         (text.size() == start + 4 || !std::isalnum(static_cast<unsigned char>(text[start + 4])));
}

size_t data_in_common(const model::Flow& flow, const std::vector<int>& data) {
  return static_cast<size_t>(std::count_if(flow.data_indexes.begin(), flow.data_indexes.end(), [&](int asset) {
    return std::find(data.begin(), data.end(), asset) != data.end();
  }));
}

int requester_of(const model::Model& model, const model::Flow& f) {
  if (f.from_index < 0 || f.to_index < 0) return -1;
  if (f.response_to_index >= 0) return f.to_index;
  bool passive = model.elements[static_cast<size_t>(f.from_index)].type == model::ElementType::store &&
                 model.elements[static_cast<size_t>(f.to_index)].type != model::ElementType::store;
  return passive ? f.to_index : f.from_index;
}

// One credential, many callers: the same account named on the requests of
// three or more different processes to one target (a database user that
// every service logs in as). What is each caller's own (a service identity,
// an IAM role, mTLS, a service account) is not one credential, however
// alike the words.
void infer_shared_credentials(const model::Model& model, ModelFacts& facts) {
  static constexpr const char* kPerCallerWords[] = {
      "service identity", "iam role", "mtls", "mutual tls", "service account", "workload identity", "irsa",
      "own",              "its",      "per-service", "per service", "each service", "per-caller"};
  constexpr size_t kCallers = 3;
  std::map<std::pair<int, std::string>, std::vector<size_t>> same;  // (target, authentication) -> flows
  for (size_t f = 0; f < model.flows.size(); ++f) {
    const model::Flow& flow = model.flows[f];
    if (flow.response_to_index >= 0 || !flow.authentication || says_none(flow.authentication) || flow.from_index < 0 ||
        model.elements[static_cast<size_t>(flow.from_index)].type != model::ElementType::process) {
      continue;
    }
    std::string text = lower(flow.authentication->value);
    if (any_word(text, kPerCallerWords) != nullptr || any_word(text, kOwnCredentialWords) != nullptr) continue;
    same[{flow.to_index, std::move(text)}].push_back(f);
  }
  for (const auto& [key, flows] : same) {
    std::vector<int> callers;
    for (size_t f : flows) callers.push_back(model.flows[f].from_index);
    std::sort(callers.begin(), callers.end());
    if (static_cast<size_t>(std::unique(callers.begin(), callers.end()) - callers.begin()) < kCallers) continue;
    for (size_t f : flows) {
      Fact<bool>& shared = facts.flows[f].shared_credential;
      if (shared.source == FactSource::unknown) {
        shared = {true, FactSource::inferred, "the same credential on the requests of three or more callers"};
      }
    }
  }
}

// A store is derived when everything written into it is computed by
// processes that take their input only from backed-up stores (a warehouse
// an ETL job loads from the core database, an outbox of files built from
// it), or when every record it keeps goes on to a backed-up store (a
// device's buffer of taps that are uploaded): losing it loses nothing that
// cannot be rebuilt. Data that comes from people or partners is kept where
// it lands: a process with any other input is no such source. (An asset id
// on two stores says what kind of record each keeps, not that one is a copy
// of the other: that alone is no sign.)
void infer_derived_stores(const model::Model& model, const FlowLists& inbound, const FlowLists& outbound,
                          ModelFacts& facts) {
  const size_t n = model.elements.size();
  auto backed_up = [&](size_t e) {
    return model.elements[e].type == model::ElementType::store && model.elements[e].has_control("backup");
  };
  // Whether `asset` goes on from `start` to a backed-up store within a few
  // hops (through processes), carried by every hop. `seen` is shared by
  // every call and cleared of what one call marked.
  std::vector<bool> seen(n, false);
  auto goes_to_backup = [&](size_t start, int asset) {
    std::vector<size_t> marked = {start}, frontier = {start};
    seen[start] = true;
    bool found = false;
    for (int hop = 0; hop < 4 && !frontier.empty() && !found; ++hop) {
      std::vector<size_t> next;
      for (size_t at : frontier) {
        for (int f : outbound[at]) {
          const model::Flow& flow = model.flows[static_cast<size_t>(f)];
          if (flow.to_index < 0 || std::find(flow.data_indexes.begin(), flow.data_indexes.end(), asset) == flow.data_indexes.end()) {
            continue;
          }
          const size_t to = static_cast<size_t>(flow.to_index);
          found = found || backed_up(to);
          if (model.elements[to].type == model::ElementType::process && !seen[to]) {
            seen[to] = true;
            marked.push_back(to);
            next.push_back(to);
          }
        }
      }
      frontier = std::move(next);
    }
    for (size_t e : marked) seen[e] = false;
    return found;
  };
  for (size_t e = 0; e < n; ++e) {
    ElementFacts& ef = facts.elements[e];
    if (model.elements[e].type != model::ElementType::store || ef.derived.source != FactSource::unknown || backed_up(e)) {
      continue;
    }
    // What is written into it, and what it keeps: that and its own records.
    std::vector<int> written;
    for (int f : inbound[e]) {
      const model::Flow& flow = model.flows[static_cast<size_t>(f)];
      if (flow.response_to_index < 0) written.insert(written.end(), flow.data_indexes.begin(), flow.data_indexes.end());
    }
    const std::vector<int>& own = model.elements[e].asset_indexes;
    std::vector<int> kept = own;
    kept.insert(kept.end(), written.begin(), written.end());
    if (!kept.empty() && std::all_of(kept.begin(), kept.end(), [&](int a) { return goes_to_backup(e, a); })) {
      ef.derived = {true, FactSource::inferred, "every record it keeps goes on to a backed-up store"};
      continue;
    }
    // Each of its own records is written into it (nothing starts there).
    if (!std::all_of(own.begin(), own.end(),
                     [&](int a) { return std::find(written.begin(), written.end(), a) != written.end(); })) {
      continue;
    }
    bool writers = false, computed = true;
    for (int f : inbound[e]) {
      const model::Flow& flow = model.flows[static_cast<size_t>(f)];
      if (flow.response_to_index >= 0 || flow.from_index < 0) continue;
      const size_t writer = static_cast<size_t>(flow.from_index);
      writers = true;
      bool reads_backed_up = false;
      for (int in : inbound[writer]) {
        const int source = model.flows[static_cast<size_t>(in)].from_index;
        if (source < 0) continue;
        const bool from_backup = backed_up(static_cast<size_t>(source));
        reads_backed_up = reads_backed_up || from_backup;
        computed = computed && from_backup;
      }
      computed = computed && model.elements[writer].type == model::ElementType::process && reads_backed_up;
      if (!computed) break;
    }
    if (writers && computed) ef.derived = {true, FactSource::inferred, "only computed from backed-up stores"};
  }
}

ModelFacts compute_facts(const model::Model& model) {
  const size_t n = model.elements.size();
  ModelFacts facts;
  facts.elements.reserve(n);
  // Whether an element is in an untrusted zone depends on its zone alone:
  // judged once per zone.
  std::vector<int8_t> zone_untrusted(model.boundaries.size() + 1, -1);  // boundary + 1 -> unknown, false, true
  for (size_t e = 0; e < n; ++e) {
    int8_t& untrusted = zone_untrusted[static_cast<size_t>(model.elements[e].boundary_index + 1)];
    if (untrusted < 0) untrusted = in_untrusted_zone(model, static_cast<int>(e)) ? 1 : 0;
    facts.elements.push_back(element_facts(model, static_cast<int>(e), untrusted == 1));
  }
  facts.assets.reserve(model.assets.size());
  for (const model::Asset& asset : model.assets) facts.assets.push_back(asset_facts(asset));
  const FlowLists inbound(n, model.flows.size(), [&](size_t f) { return model.flows[f].to_index; });
  const FlowLists outbound(n, model.flows.size(), [&](size_t f) { return model.flows[f].from_index; });
  facts.flows.reserve(model.flows.size());
  for (size_t f = 0; f < model.flows.size(); ++f) {
    facts.flows.push_back(flow_facts(model, facts.elements, facts.assets, inbound, static_cast<int>(f)));
  }
  infer_derived_stores(model, inbound, outbound, facts);
  // An administrative interface: tagged admin, stated, or a web app or API
  // that runs privileged (admin, root) and that people use.
  for (size_t e = 0; e < n; ++e) {
    const model::Element& element = model.elements[e];
    ElementFacts& ef = facts.elements[e];
    if (take_stated(ef.admin, element.stated("admin"), [](std::string_view v) { return v == "true"; })) continue;
    if (element.has_tag("admin")) {
      ef.admin = {true, FactSource::stated, "tag admin"};
      continue;
    }
    const bool privileged = element.privilege == model::Privilege::admin || element.privilege == model::Privilege::root;
    if (!privileged || (ef.kind.value != "web-app" && ef.kind.value != "api")) continue;
    for (int f : inbound[e]) {
      if (is_person_caller(facts.flows[static_cast<size_t>(f)].caller.value)) {
        ef.admin = {true, FactSource::inferred, "a privileged web app or API that people use"};
        break;
      }
    }
  }
  infer_shared_credentials(model, facts);
  // People who sign in with a second factor (at an identity provider that
  // lists mfa, or on a sign-in flow that says so) carry it in the session
  // or token they use afterwards.
  // Every identity provider of the model must ask for it: one without
  // (a staff tenant exempt from MFA) keeps the rules asking.
  int providers = 0, with_mfa = 0;
  for (size_t e = 0; e < n; ++e) {
    if (facts.elements[e].kind.value != "identity-provider") continue;
    ++providers;
    with_mfa += model.elements[e].has_control("mfa") ? 1 : 0;
  }
  // Or every sign-in flow of a person says so: one sign-in without it (an
  // optional second factor for employees beside a required one for admins)
  // keeps the rules asking.
  int sign_ins = 0, sign_ins_with_mfa = 0;
  for (size_t f = 0; f < model.flows.size(); ++f) {
    if (!facts.flows[f].sign_in.value || !is_person_caller(facts.flows[f].caller.value)) continue;
    ++sign_ins;
    sign_ins_with_mfa += facts.flows[f].second_factor.value ? 1 : 0;
  }
  const bool sign_in_mfa = (providers > 0 && with_mfa == providers) || (sign_ins > 0 && sign_ins_with_mfa == sign_ins);
  if (sign_in_mfa) {
    for (size_t f = 0; f < model.flows.size(); ++f) {
      FlowFacts& flow = facts.flows[f];
      const AuthMechanism a = flow.authentication.value;
      if (flow.second_factor.source != FactSource::unknown || !is_person_caller(flow.caller.value)) continue;
      // An admin interface's second factor is said, not assumed.
      const int to = model.flows[f].to_index;
      if (to >= 0 && facts.elements[static_cast<size_t>(to)].admin.value) continue;
      if (a == AuthMechanism::bearer_token || a == AuthMechanism::session_cookie) {
        flow.second_factor = {true, FactSource::inferred, "people sign in with a second factor"};
      }
    }
  }

  facts.input_from.assign(n, -1);
  facts.input_reached.assign(n, false);
  facts.fronts.assign(n, {});
  // Untrusted input flows with the data (the drawn direction) through
  // processes, queues and file or object stores (messages and files are
  // passed on as they came); databases, caches and logs end the walk (their
  // records are typed and owned by us). Breadth first, sources in file
  // order: the recorded path is deterministic.
  // Three rounds: from externals and untrusted zones along requests (so a
  // path names the person or party the input comes from and the way it was
  // sent), then along responses too, then from internet-facing elements no
  // such path reached ("the internet -> ...").
  auto input_source = [&](size_t e) {
    const model::Element& element = model.elements[e];
    return element.type == model::ElementType::external || element.internet_facing ||
           (element.boundary_index >= 0 && facts.elements[e].untrusted);
  };
  std::vector<int> queue;
  for (int round = 0; round < 3; ++round) {
    for (size_t e = 0; e < n; ++e) {
      const model::Element& element = model.elements[e];
      bool outside = element.type == model::ElementType::external ||
                     (element.boundary_index >= 0 && facts.elements[e].untrusted);
      bool seed = round < 2 ? outside || facts.input_reached[e] : element.internet_facing || facts.input_reached[e];
      if (seed) {
        facts.input_reached[e] = true;
        queue.push_back(static_cast<int>(e));
      }
    }
    for (size_t head = 0; head < queue.size(); ++head) {
      const size_t e = static_cast<size_t>(queue[head]);
      const model::Element& element = model.elements[e];
      bool passes = input_source(e) || element.type != model::ElementType::store ||
                    element.store == model::StoreKind::queue || element.store == model::StoreKind::file ||
                    element.store == model::StoreKind::object;
      if (!passes) continue;
      for (int f : outbound[e]) {
        const model::Flow& flow = model.flows[static_cast<size_t>(f)];
        if (round == 0 && flow.response_to_index >= 0) continue;
        int to = flow.to_index;
        if (to < 0 || facts.input_reached[static_cast<size_t>(to)]) continue;
        facts.input_reached[static_cast<size_t>(to)] = true;
        facts.input_from[static_cast<size_t>(to)] = f;
        queue.push_back(to);
      }
    }
    queue.clear();
  }
  // Second order: what untrusted input wrote into any store is read back
  // as untrusted content by whoever reads that store.
  facts.content_reached = facts.input_reached;
  for (size_t e = 0; e < n; ++e) {
    if (facts.content_reached[e]) queue.push_back(static_cast<int>(e));
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    for (int f : outbound[static_cast<size_t>(queue[head])]) {
      int to = model.flows[static_cast<size_t>(f)].to_index;
      if (to < 0 || facts.content_reached[static_cast<size_t>(to)]) continue;
      facts.content_reached[static_cast<size_t>(to)] = true;
      queue.push_back(to);
    }
  }
  // Reads drawn from the reader to the store (`reader -> store`, answered
  // by a response) bring the content too.
  for (size_t f = 0; f < model.flows.size(); ++f) {
    const model::Flow& flow = model.flows[f];
    if (flow.response_to_index < 0 || flow.from_index < 0 || flow.to_index < 0) continue;
    if (model.elements[static_cast<size_t>(flow.from_index)].type == model::ElementType::store &&
        facts.content_reached[static_cast<size_t>(flow.from_index)]) {
      facts.content_reached[static_cast<size_t>(flow.to_index)] = true;
    }
  }
  queue.clear();
  // Proxies in front of an element: walk back through inbound flows from
  // pass-through elements, breadth first, visiting each proxy once and
  // keeping the nearest kMaxFronts (a hostile mesh of proxies stays cheap).
  for (size_t e = 0; e < n; ++e) {
    if (facts.elements[e].pass_through) continue;
    std::vector<int> seen;
    auto visit = [&](int element) {
      for (int f : inbound[static_cast<size_t>(element)]) {
        int from = model.flows[static_cast<size_t>(f)].from_index;
        if (seen.size() >= ModelFacts::kMaxFronts || from < 0 || !facts.elements[static_cast<size_t>(from)].pass_through) continue;
        if (std::find(seen.begin(), seen.end(), from) == seen.end()) seen.push_back(from);
      }
    };
    visit(static_cast<int>(e));
    for (size_t head = 0; head < seen.size(); ++head) visit(seen[head]);
    std::sort(seen.begin(), seen.end());
    facts.fronts[e] = std::move(seen);
  }
  // Exposure: who can reach the element, the least trusted first.
  for (size_t e = 0; e < n; ++e) {
    ElementFacts& element = facts.elements[e];
    const model::Element& m = model.elements[e];
    if (m.internet_facing) {
      element.exposure = {Exposure::internet, FactSource::stated, "internet_facing"};
      continue;
    }
    const std::span<const int> in = inbound[e];
    bool from_untrusted = std::any_of(in.begin(), in.end(), [&](int f) {
      const model::Flow& flow = model.flows[static_cast<size_t>(f)];
      return flow.from_index >= 0 && facts.elements[static_cast<size_t>(flow.from_index)].untrusted;
    });
    if (m.type != model::ElementType::external && from_untrusted) {
      element.exposure = {Exposure::internet, FactSource::inferred, "a flow from an untrusted zone"};
    } else if (facts.input_reached[e]) {
      element.exposure = {Exposure::indirect, FactSource::inferred, "untrusted input reaches it through other elements"};
    } else {
      element.exposure = {Exposure::internal, FactSource::inferred, "no path from an untrusted zone"};
    }
  }
  // A zone is exposed when one of its processes is internet-facing: an
  // attacker who takes that process over shares its neighbours' network. A
  // public bucket or a static site in the zone runs no code an attacker
  // can take over, so it is no foothold.
  std::vector<int> exposed_in_zone(model.boundaries.size() + 1, 0);  // boundary + 1 -> exposed processes
  for (size_t e = 0; e < n; ++e) {
    if (model.elements[e].type == model::ElementType::process && model.elements[e].internet_facing) {
      ++exposed_in_zone[static_cast<size_t>(model.elements[e].boundary_index + 1)];
    }
  }
  for (size_t e = 0; e < n; ++e) {
    const model::Element& element = model.elements[e];
    if (element.boundary_index < 0) continue;  // the outside is no network of ours
    const int exposed = exposed_in_zone[static_cast<size_t>(element.boundary_index + 1)];
    const bool self = element.type == model::ElementType::process && element.internet_facing;
    facts.elements[e].zone_exposed = exposed - (self ? 1 : 0) > 0;
  }
  return facts;
}

namespace {

std::string quoted_in(const char* word, const char* where, const std::optional<model::Text>& text) {
  if (!text) return "";
  if (*word == '\0') return fmt::format("no word tmc knows in {} \"{}\"", where, text->value);
  return fmt::format("'{}' in {} \"{}\"", word, where, text->value);
}

template <typename T>
FactLine line(const char* name, const Fact<T>& fact, std::string value, std::string evidence) {
  return {name, std::move(value), fact.source, std::move(evidence)};
}

std::string evidence_of(const char* evidence, FactSource source) {
  if (source == FactSource::stated && std::string_view(evidence) == "facts") return "facts:";
  return evidence;
}

}  // namespace

std::vector<FactLine> describe_flow_facts(const model::Model& model, const ModelFacts& facts, int flow) {
  const model::Flow& f = model.flows[static_cast<size_t>(flow)];
  const FlowFacts& ff = facts.flows[static_cast<size_t>(flow)];
  auto from_text = [&](const auto& fact, const char* where, const std::optional<model::Text>& text) {
    if (fact.source == FactSource::read) return quoted_in(fact.evidence, where, text);
    return evidence_of(fact.evidence, fact.source);
  };
  std::vector<FactLine> out;
  out.push_back(line("authentication", ff.authentication, to_string(ff.authentication.value),
                     from_text(ff.authentication, "authentication", f.authentication)));
  out.push_back(line("second factor", ff.second_factor, ff.second_factor.value ? "yes" : "no",
                     from_text(ff.second_factor, "authentication", f.authentication)));
  if (ff.authentication.value == AuthMechanism::bearer_token || ff.jwt.value) {
    out.push_back(line("jwt", ff.jwt, ff.jwt.value ? "yes" : "no", from_text(ff.jwt, "authentication", f.authentication)));
  }
  out.push_back(line("shared credential", ff.shared_credential, ff.shared_credential.value ? "yes" : "no",
                     from_text(ff.shared_credential, "authentication", f.authentication)));
  out.push_back(line("authorization", ff.authorization, to_string(ff.authorization.value),
                     from_text(ff.authorization, "authorization", f.authorization)));
  // The identity is read from the authentication, or from the authorization.
  const bool identity_in_authorization =
      ff.identity.source == FactSource::read && f.authorization && has_word(lower(f.authorization->value), ff.identity.evidence) &&
      !(f.authentication && has_word(lower(f.authentication->value), ff.identity.evidence));
  out.push_back(line("identity", ff.identity, to_string(ff.identity.value),
                     identity_in_authorization ? from_text(ff.identity, "authorization", f.authorization)
                                               : from_text(ff.identity, "authentication", f.authentication)));
  std::optional<model::Text> protocol;
  if (!f.protocol.empty()) protocol = model::Text{f.protocol, {}};
  out.push_back(line("locality", ff.locality, to_string(ff.locality.value),
                     ff.locality.source == FactSource::read ? quoted_in(ff.locality.evidence, "protocol", protocol)
                     : ff.locality.source == FactSource::inferred ? fmt::format("protocol \"{}\"", f.protocol)
                                                                   : evidence_of(ff.locality.evidence, ff.locality.source)));
  std::string caller = to_string(ff.caller.value);
  if (ff.requester >= 0) caller += " (" + model.elements[static_cast<size_t>(ff.requester)].id + ")";
  out.push_back(line("caller", ff.caller, caller, ff.caller.evidence));
  out.push_back(line("sign-in", ff.sign_in, ff.sign_in.value ? "yes" : "no",
                     ff.sign_in.source == FactSource::read ? fmt::format("'{}' in its declarations", ff.sign_in.evidence)
                                                           : evidence_of(ff.sign_in.evidence, ff.sign_in.source)));
  if (ff.parameterized.value) {
    out.push_back(line("parameterized", ff.parameterized, "yes",
                       ff.parameterized.source == FactSource::read
                           ? fmt::format("'{}' in its validation or description", ff.parameterized.evidence)
                           : evidence_of(ff.parameterized.evidence, ff.parameterized.source)));
  }
  if (ff.reviewed.source != FactSource::unknown) {
    out.push_back(line("reviewed", ff.reviewed, ff.reviewed.value ? "yes" : "no",
                       ff.reviewed.source == FactSource::read
                           ? fmt::format("'{}' in its label, authorization or validation", ff.reviewed.evidence)
                           : evidence_of(ff.reviewed.evidence, ff.reviewed.source)));
  }
  out.push_back(line("public", ff.public_access, ff.public_access.value ? "yes" : "no",
                     ff.public_access.source == FactSource::read
                         ? from_text(ff.public_access, "authorization", f.authorization)
                         : evidence_of(ff.public_access.evidence, ff.public_access.source)));
  if (ff.authority_asset >= 0) {
    const model::Asset& asset = model.assets[static_cast<size_t>(ff.authority_asset)];
    const Fact<AuthorityKind>& authority = facts.assets[static_cast<size_t>(ff.authority_asset)].authority;
    std::string evidence = authority.source == FactSource::read
                               ? fmt::format("'{}' in asset '{}'", authority.evidence, asset.id)
                           : authority.source == FactSource::stated
                               ? fmt::format("facts: on asset '{}'", asset.id)
                               : fmt::format("asset '{}': {}", asset.id, authority.evidence);
    out.push_back(line("authority data", ff.authority_value, to_string(authority.value), std::move(evidence)));
  }
  if (ff.llm_use.value != LlmUse::none) {
    out.push_back(line("llm use", ff.llm_use, to_string(ff.llm_use.value),
                       ff.llm_use.source == FactSource::read ? fmt::format("'{}' in its label, description or tags", ff.llm_use.evidence)
                                                              : evidence_of(ff.llm_use.evidence, ff.llm_use.source)));
  }
  return out;
}

std::vector<FactLine> describe_element_facts(const model::Model&, const ModelFacts& facts, int element) {
  const ElementFacts& ef = facts.elements[static_cast<size_t>(element)];
  std::vector<FactLine> out;
  std::string kind_evidence = ef.kind.source == FactSource::inferred
                                  ? fmt::format("'{}' in its id or name", ef.kind.evidence)
                                  : evidence_of(ef.kind.evidence, ef.kind.source);
  out.push_back(line("kind", ef.kind, ef.kind.value.empty() ? "(none)" : std::string(ef.kind.value), kind_evidence));
  out.push_back(line("exposure", ef.exposure, to_string(ef.exposure.value), ef.exposure.evidence));
  if (ef.log.value != LogPurpose::none) {
    out.push_back(line("log", ef.log, to_string(ef.log.value),
                       ef.log.source == FactSource::read ? fmt::format("'{}' in its id, name or description", ef.log.evidence)
                                                          : evidence_of(ef.log.evidence, ef.log.source)));
  }
  if (ef.backup.value) {
    out.push_back(line("backup", ef.backup, "yes",
                       ef.backup.source == FactSource::read ? fmt::format("'{}' in its id, name or description", ef.backup.evidence)
                                                            : evidence_of(ef.backup.evidence, ef.backup.source)));
  }
  if (ef.derived.value) {
    out.push_back(line("derived", ef.derived, "yes",
                       ef.derived.source == FactSource::read ? fmt::format("'{}' in its id, name or description", ef.derived.evidence)
                                                             : evidence_of(ef.derived.evidence, ef.derived.source)));
  }
  out.push_back(line("admin", ef.admin, ef.admin.value ? "yes" : "no", evidence_of(ef.admin.evidence, ef.admin.source)));
  out.push_back(line("managed", ef.managed, ef.managed.value ? "yes" : "no",
                     ef.managed.source == FactSource::read ? fmt::format("'{}' in its id, name or description", ef.managed.evidence)
                                                            : evidence_of(ef.managed.evidence, ef.managed.source)));
  return out;
}

std::vector<FactNote> fact_notes(const model::Model& model, const ModelFacts& facts) {
  std::vector<FactNote> notes;
  for (size_t e = 0; e < model.elements.size(); ++e) {
    const model::Element& element = model.elements[e];
    const ElementFacts& ef = facts.elements[e];
    if (element.out_of_scope) continue;
    if (ef.kind.source == FactSource::inferred) {
      static const std::vector<std::string_view> kQuiet = {"api", "service", "worker", "job", "person"};
      if (std::find(kQuiet.begin(), kQuiet.end(), ef.kind.value) != kQuiet.end()) continue;
      notes.push_back({model::TargetKind::element, static_cast<int>(e),
                       fmt::format("tmc takes '{}' for kind {} (the word '{}' in its id or name) and judges it so; "
                                   "state 'kind:' to confirm or correct it",
                                   element.name, ef.kind.value, ef.kind.evidence),
                       std::nullopt});
    } else if (ef.log.source == FactSource::unknown && ef.log.value == LogPurpose::operational) {
      notes.push_back({model::TargetKind::element, static_cast<int>(e),
                       fmt::format("tmc takes the log store '{}' for operational logs; if it is the audit trail, state "
                                   "'facts: {{log: audit}}' so the audit-log rules judge it",
                                   element.name),
                       std::nullopt});
    }
  }
  for (size_t f = 0; f < model.flows.size(); ++f) {
    const model::Flow& flow = model.flows[f];
    const FlowFacts& ff = facts.flows[f];
    if (flow.response_to_index >= 0 || flow.from_index < 0 || flow.to_index < 0) continue;
    if (model.elements[static_cast<size_t>(flow.from_index)].out_of_scope &&
        model.elements[static_cast<size_t>(flow.to_index)].out_of_scope) {
      continue;
    }
    // How fine-grained a check is matters where people ask (the
    // object-level rules judge their requests); between services an IAM
    // permission or an allow-list is what it says.
    if (ff.authorization.source == FactSource::read && *ff.authorization.evidence == '\0' &&
        is_person_caller(ff.caller.value)) {
      notes.push_back({model::TargetKind::flow, static_cast<int>(f),
                       fmt::format("authorization \"{}\" does not say how fine-grained it is; tmc reads it as coarse "
                                   "(a role or scope, not a check of each object); if it checks that the caller may "
                                   "use each record, say so in its text or state 'facts: {{authorization: ...}}' "
                                   "(none, authenticated, coarse, per-object)",
                                   flow.authorization->value),
                       flow.authorization->location});
    } else if (ff.authentication.source == FactSource::read && *ff.authentication.evidence == '\0') {
      notes.push_back({model::TargetKind::flow, static_cast<int>(f),
                       fmt::format("authentication \"{}\" names no mechanism tmc knows; state 'facts: "
                                   "{{authentication: ...}}' (password, session-cookie, bearer-token, api-key, "
                                   "client-certificate, signed-message, service-identity, network)",
                                   flow.authentication->value),
                       flow.authentication->location});
    }
  }
  return notes;
}

}  // namespace tmc::analyze
