// The facts stage: typed facts about every element and flow, derived once
// from what the model states, between the model and the rules. Rules read
// facts, never raw text (docs/rules.md, "Facts").
//
// Each fact keeps where it came from:
//   stated    a structured key said it (`facts:`, `kind:`, `internet_facing`,
//             a control, `response_to`...);
//   read      words in the free text said it (which words are kept);
//   inferred  it follows from other facts (the kind of the caller, the
//             protocol, the element's name, its neighbours);
//   unknown   nothing says it; the value is the weaker one a rule assumes.
// Free text that tmc cannot classify gives the weaker fact, never a
// stronger one: a vague word does not silence a rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyze/analysis.h"
#include "model/model.h"

namespace tmc::analyze {

enum class FactSource : uint8_t { unknown, stated, read, inferred };

// A fact's value and its origin. `evidence` names what said it: the key
// ("facts.authorization", "kind"), the word read ("scopes"), or the reason
// of an inference ("the caller is a browser"); a static string.
template <typename T>
struct Fact {
  T value{};
  FactSource source = FactSource::unknown;
  const char* evidence = "";
};

// How the caller proves who it is.
enum class AuthMechanism : uint8_t {
  unknown, none, password, session_cookie, bearer_token, api_key, client_certificate, signed_message,
  service_identity, network, other
};
// How fine-grained the authorization at the receiver is.
enum class AuthzGranularity : uint8_t { unknown, none, authenticated, coarse, per_object };
// Whose identity the receiver sees.
enum class CallerIdentity : uint8_t { unknown, end_user, technical };
// Where the call travels.
enum class Locality : uint8_t { network, same_host, in_process };
// Who asks: the requester of the flow.
enum class Caller : uint8_t { none, browser, app, person, device, service, third_party };
// What a call to a language model is for.
enum class LlmUse : uint8_t { none, generation, embeddings };
// What data of class `authority` is: a value the server could compute or
// look up itself (a price, a role, a tenant id), or the user's own request
// (a command, a setting, a grant) that only the caller can make. A name
// that says neither is read as a value: the weaker reading.
enum class AuthorityKind : uint8_t { none, value, request };
// How far from the least-trusted party an element is.
enum class Exposure : uint8_t { internal, indirect, internet };
// A log store's purpose.
enum class LogPurpose : uint8_t { none, audit, operational };

// The spellings used by `facts:`, `tmc facts` and the rule language
// (inline: the build-time rule compiler needs them without the analysis).
inline const char* to_string(FactSource source) {
  switch (source) {
    case FactSource::stated: return "stated";
    case FactSource::read: return "read";
    case FactSource::inferred: return "inferred";
    case FactSource::unknown: break;
  }
  return "unknown";
}

inline const char* to_string(AuthMechanism value) {
  static const char* const kNames[] = {"unknown",         "none",           "password",       "session-cookie",
                                       "bearer-token",    "api-key",        "client-certificate", "signed-message",
                                       "service-identity", "network",       "other"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(AuthzGranularity value) {
  static const char* const kNames[] = {"unknown", "none", "authenticated", "coarse", "per-object"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(CallerIdentity value) {
  static const char* const kNames[] = {"unknown", "end-user", "technical"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(Locality value) {
  static const char* const kNames[] = {"network", "same-host", "in-process"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(Caller value) {
  static const char* const kNames[] = {"none", "browser", "app", "person", "device", "service", "third-party"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(LlmUse value) {
  static const char* const kNames[] = {"none", "generation", "embeddings"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(Exposure value) {
  static const char* const kNames[] = {"internal", "indirect", "internet"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(AuthorityKind value) {
  static const char* const kNames[] = {"none", "value", "request"};
  return kNames[static_cast<size_t>(value)];
}
inline const char* to_string(LogPurpose value) {
  static const char* const kNames[] = {"none", "audit", "operational"};
  return kNames[static_cast<size_t>(value)];
}


struct FlowFacts {
  Fact<AuthMechanism> authentication;
  Fact<bool> second_factor;
  Fact<bool> jwt;               // the token is a JWT (its verifier reads an alg header)
  Fact<bool> shared_credential;
  Fact<AuthzGranularity> authorization;
  Fact<CallerIdentity> identity;
  Fact<Locality> locality;
  Fact<Caller> caller;
  Fact<bool> sign_in;
  Fact<bool> public_access;  // anonymous by design (public pages, a public-read bucket)
  Fact<bool> reviewed;       // changes pass review on a protected branch before they travel on it
  Fact<bool> parameterized;  // queries on it are parameterized (said in its validation or description)
  Fact<LlmUse> llm_use;
  Fact<bool> authority_value;  // carries authority data that is a value (see AuthorityKind)
  int authority_asset = -1;    // the asset that decides authority_value (-1: none)
  int requester = -1;  // the element that asks (see requester_of)
};

struct ElementFacts {
  Fact<std::string_view> kind;  // "" = none stated or inferred
  Fact<LogPurpose> log;
  Fact<bool> managed;
  Fact<bool> backup;            // a store that is itself a backup, a dump or a replica
  Fact<bool> derived;           // a store whose records can be rebuilt: their source is kept elsewhere
  Fact<bool> admin;             // an administrative interface (tag admin, or a privileged app people use)
  Fact<Exposure> exposure;
  bool pass_through = false;    // a load balancer, gateway, proxy or CDN (kind)
  bool untrusted = false;       // in the outside or an internet zone
  bool zone_exposed = false;    // another process of its zone is internet-facing
  bool holds_secret = false;    // its own assets hold a key, or a secret that is no user's token
  bool holds_password = false;  // its own assets hold people's passwords (credentials that are no token)
};

struct AssetFacts {
  Fact<AuthorityKind> authority;  // none unless the asset has class authority
};

// Facts about the whole model, computed once (linear in its size, except
// that each element keeps at most kMaxFronts proxies in front of it).
struct ModelFacts {
  static constexpr size_t kMaxFronts = 64;
  std::vector<FlowFacts> flows;        // by flow index
  std::vector<ElementFacts> elements;  // by element index
  std::vector<AssetFacts> assets;      // by asset index
  std::vector<int> input_from;         // element -> flow that first brings untrusted input (-1: a source / none)
  std::vector<bool> input_reached;     // untrusted input reaches the element along flows
  // Untrusted content reaches the element through a store that keeps it
  // (a ticket, a chat message, a document read back later): second order.
  std::vector<bool> content_reached;
  std::vector<std::vector<int>> fronts;  // element -> pass-through proxies in front of it (sorted)
};

// True when a declaration (authentication, authorization, validation)
// starts, after spaces, with the word "none" in any case.
bool says_none(const std::optional<model::Text>& value);

// REQUIRES: a built model (references resolved).
ModelFacts compute_facts(const model::Model& model);

// The element that asks on a flow: its `from`, except that a response is
// asked by its receiver and a store never asks (a flow out of a store is a
// read by its receiver). -1 for an unresolved flow.
int requester_of(const model::Model& model, const model::Flow& flow);

// How many of the assets in `data` the flow carries too: which of several
// flows goes on with the same data.
size_t data_in_common(const model::Flow& flow, const std::vector<int>& data);

// One fact as `tmc facts` and `--explain` print it.
struct FactLine {
  std::string name;      // "authorization"
  std::string value;     // "coarse"
  FactSource source = FactSource::unknown;
  std::string evidence;  // "'scopes' in authorization \"SMART on FHIR scopes\""
};
std::vector<FactLine> describe_flow_facts(const model::Model& model, const ModelFacts& facts, int flow);
std::vector<FactLine> describe_element_facts(const model::Model& model, const ModelFacts& facts, int element);

// Notes for facts a rule needs and the model does not state (an inferred
// kind, an authorization text that says nothing about granularity), at
// most one per element and one per flow, in file order.
struct FactNote {
  model::TargetKind kind = model::TargetKind::element;
  int index = -1;
  std::string message;
  std::optional<SourceLocation> at;  // the declaration it is about, when not the target's
};
std::vector<FactNote> fact_notes(const model::Model& model, const ModelFacts& facts);

}  // namespace tmc::analyze
