// The known controls, as data. Rules look for these names; a model that
// lists a name not in this table gets a warning with a suggestion, so a
// typo such as 'tsl' never silently counts as a control.
#include "model/controls.h"

namespace tmc::model {

const std::vector<KnownControl>& known_controls() {
  static const std::vector<KnownControl> kControls = {
      {"account-lockout", "element", "Locks or slows an account after repeated failed sign-ins."},
      {"alg-pinned", "element, flow", "Token verification accepts one configured signing algorithm, never the token's own 'alg'."},
      {"allow-list-validation", "element, flow", "Input is checked against a list of allowed values or shapes."},
      {"anomaly-detection", "element", "Unusual behaviour (volume, geography, failures) raises an alert."},
      {"append-only", "element", "Stored records can be added but never changed or deleted by the writers."},
      {"artifact-signing", "element, flow", "Artifacts and images are signed at build time and verified (by digest) before use."},
      {"audit-log", "element", "Security-relevant actions are recorded with who, what and when on the server."},
      {"backup", "element", "Data is backed up and restores are tested."},
      {"branch-protection", "element", "Release branches need reviewed, checked changes; no direct or force pushes."},
      {"circuit-breaker", "element, flow", "Calls to a failing dependency are cut off instead of piling up."},
      {"constant-time-compare", "element, flow", "Secrets and signatures are compared in constant time."},
      {"consent", "element", "Personal data is processed only with recorded consent of the person."},
      {"content-filtering", "element", "Untrusted content is filtered and marked before it reaches a model or an index."},
      {"content-security-policy", "element", "Pages send a strict Content-Security-Policy."},
      {"csrf-token", "element, flow", "State-changing requests carry an anti-CSRF token that the server checks."},
      {"data-minimization", "element, flow", "Only the personal data needed for the purpose is collected or sent."},
      {"dead-letter-queue", "element", "Messages that keep failing are set aside instead of retried forever."},
      {"dependency-pinning", "element", "Third-party dependencies are pinned and scanned."},
      {"egress-allowlist", "element", "Outbound connections are limited to known destinations."},
      {"encryption-at-rest", "element", "Stored data is encrypted with managed keys."},
      {"formula-escaping", "element, flow", "Cells that start with = + - @ are neutralized before people open exported files."},
      {"generic-errors", "element", "Errors shown to callers are generic; details stay in internal logs."},
      {"hsts", "element", "Browsers are told to use HTTPS only (Strict-Transport-Security)."},
      {"human-approval", "element", "Irreversible actions wait for a person's approval."},
      {"idempotency-keys", "element, flow", "Repeated requests with the same key have one effect, tied to the caller."},
      {"input-validation", "element, flow", "Input is validated on the server before use."},
      {"kms", "element", "Keys are held in a key management service."},
      {"ldap-escaping", "element, flow", "LDAP filter values and DN parts are escaped (RFC 4515/4514) or built by the library."},
      {"least-privilege", "element", "The component runs with the minimum rights its work needs."},
      {"malware-scan", "element, flow", "Uploaded files are scanned before anyone else can fetch them."},
      {"mfa", "element", "Sign-in needs a second factor (always or on risky logins)."},
      {"message-ttl", "element, flow", "Messages expire after a set time."},
      {"mtls", "flow", "Both ends authenticate with certificates (mutual TLS)."},
      {"network-segmentation", "element", "The component sits in its own network segment with filtered access."},
      {"no-shell", "element", "Programs are run directly with an argument list, never through a shell."},
      {"object-level-authz", "element, flow", "Every object access checks that the caller may use that object."},
      {"originator-context", "flow", "Messages carry the originating user and their authorization claims."},
      {"output-encoding", "element", "Output is encoded for its context (HTML, SQL, shell...)."},
      {"output-filtering", "element, flow", "A model's answers are checked for personal data and secrets before they reach a person."},
      {"output-validation", "element, flow", "Model output is validated against a schema before anything acts on it."},
      {"parameterized-queries", "element, flow", "Queries bind parameters instead of concatenating input."},
      {"password-hashing", "element", "Passwords are stored with a slow, salted hash (argon2, bcrypt, scrypt)."},
      {"path-canonicalization", "element", "File paths are canonicalized and checked to stay under their base directory."},
      {"provenance-tracking", "element", "Each stored document records its source and how far it is trusted."},
      {"pseudonymization", "element, flow", "Direct identifiers are replaced by pseudonyms."},
      {"query-limits", "element", "Queries are bounded: page sizes, timeouts, complexity limits."},
      {"rate-limit", "element, flow", "Requests are limited per identity and per source."},
      {"pull-deploy", "element, flow", "Production pulls what it runs (a GitOps agent); no pipeline holds credentials to push into it."},
      {"redaction", "element, flow", "Sensitive fields are removed from responses and logs."},
      {"replay-protection", "element, flow", "Old or repeated messages are rejected (timestamp window, nonce)."},
      {"retention-policy", "element", "Data is deleted when it is no longer needed, on a schedule."},
      {"return-url-allowlist", "element", "Redirect targets after login are checked against an allow-list."},
      {"safe-deserialization", "element", "Only plain data formats or an allow-list of types are deserialized."},
      {"samesite-cookies", "element, flow", "Session cookies are SameSite=Lax or Strict."},
      {"sandbox", "element", "Untrusted input is processed in an isolated sandbox."},
      {"sandboxed-templates", "element", "User-editable templates run in a logic-less or sandboxed engine."},
      {"schema-validation", "element, flow", "Messages are validated against a strict schema."},
      {"scoped-cache-keys", "element", "Cache keys include the user or tenant the entry belongs to."},
      {"secret-scanning", "element", "Commits are scanned for secrets before they land, and found ones are revoked."},
      {"secrets-vault", "element", "Secrets come from a vault, never from code, config files or URLs."},
      {"server-side-recompute", "element", "Security-relevant fields (price, role, tenant) are computed on the server."},
      {"session-rotation", "element", "The session id changes at login and privilege change."},
      {"short-lived-tokens", "element, flow", "Tokens expire quickly."},
      {"signature-verification", "element, flow", "Incoming messages or webhooks are accepted only with a valid signature."},
      {"signed", "flow", "Messages are signed by the sender and verified by the receiver."},
      {"single-use-tokens", "element, flow", "Tokens are invalidated after first use."},
      {"size-limit", "element, flow", "Request and upload sizes are capped."},
      {"timeouts", "element, flow", "Calls and jobs have time limits."},
      {"tls", "flow", "The connection is encrypted with TLS."},
      {"token-budget", "element", "Model use is capped in tokens, steps or spend per user."},
      {"tool-allowlist", "element", "Agents call only allow-listed tools with pinned, validated configurations."},
      {"url-allowlist", "element", "URLs fetched on a caller's behalf are checked against allowed hosts and schemes."},
      {"waf", "element", "A web application firewall filters requests."},
      {"xml-hardened", "element", "XML parsers run with DTDs and external entities disabled."},
  };
  return kControls;
}

std::vector<std::string> known_control_names() {
  std::vector<std::string> names;
  for (const KnownControl& control : known_controls()) names.emplace_back(control.name);
  return names;
}

}  // namespace tmc::model
