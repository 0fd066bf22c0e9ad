#include "analyze/zones.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <span>
#include <string_view>
#include <unordered_map>

#include "analyze/words.h"

namespace tmc::analyze {

std::vector<int> zone_chain(const model::Model& model, int element) {
  std::vector<int> chain;
  int boundary = model.elements[static_cast<size_t>(element)].boundary_index;
  // The builder breaks parent cycles; the bound is a second guard.
  while (boundary >= 0 && chain.size() <= model.boundaries.size()) {
    chain.push_back(boundary);
    boundary = model.boundaries[static_cast<size_t>(boundary)].parent_index;
  }
  return chain;
}

namespace {

// The protocol text also names a plaintext way ("SFTP (FTP for legacy
// tenants)", "TLS optional"): the weaker reading wins. A plaintext protocol
// wrapped in an encrypted one ("FTP over TLS") is no such mention.
bool names_plaintext(const std::string& protocol) {
  for (std::string_view word : {"plaintext", "plain text", "plain-text", "cleartext", "unencrypted", "without tls",
                                "no tls", "tls optional", "optional tls", "tls off"}) {
    if (has_word(protocol, word)) return true;
  }
  for (std::string_view word : {"ftp", "telnet"}) {
    for (size_t at = protocol.find(word); at != std::string::npos; at = protocol.find(word, at + 1)) {
      const size_t end = at + word.size();
      const bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(protocol[at - 1]));
      const bool right = end >= protocol.size() || !std::isalnum(static_cast<unsigned char>(protocol[end]));
      if (!left || !right) continue;
      const std::string_view rest = std::string_view(protocol).substr(end);
      const bool wrapped = rest.starts_with(" over tls") || rest.starts_with(" over ssl") ||
                           rest.starts_with(" with tls") || rest.starts_with(" over ssh") ||
                           rest.starts_with(" over ipsec") || rest.starts_with(" over vpn") ||
                           rest.starts_with(" over wireguard");
      if (!wrapped) return true;
    }
  }
  return false;
}

// flow_is_encrypted() for the protocol alone.
bool protocol_is_encrypted(std::string_view protocol_text) {
  std::string protocol = lower(protocol_text);
  if (names_plaintext(protocol)) return false;
  for (std::string_view word : {"https", "tls", "mtls", "ssl", "ssh", "sftp", "ftps", "wss", "ipsec", "wireguard", "vpn"}) {
    if (has_word(protocol, word)) return true;
  }
  // The TLS variants of common protocols, spelled with a trailing s, and
  // other encrypted transports (issue 12: LDAPS, HTTP/S, AMQPS... were
  // reported as plaintext).
  for (std::string_view word : {"ldaps", "amqps", "mqtts", "imaps", "smtps", "pop3s", "rediss", "dtls", "quic",
                                "http/s", "https/2", "h2s", "encrypted", "encryption", "kms-encrypted", "bonded"}) {
    if (has_word(protocol, word)) return true;
  }
  return false;
}

bool controls_encrypt(const model::Flow& flow) { return flow.has_control("tls") || flow.has_control("mtls"); }

// The crossing of `flow` between zones with these chains (innermost
// first), without its `encrypted` (the caller sets it).
BoundaryCrossing crossing_between(int flow, std::span<const int> from, std::span<const int> to) {
  BoundaryCrossing crossing;
  // Strip the common ancestors (the tails of both chains).
  size_t a = from.size(), b = to.size();
  while (a > 0 && b > 0 && from[a - 1] == to[b - 1]) {
    --a;
    --b;
  }
  if (a == 0 && b == 0) return crossing;
  crossing.flow = flow;
  crossing.exited.assign(from.begin(), from.begin() + static_cast<std::ptrdiff_t>(a));  // innermost first
  crossing.entered.assign(std::make_reverse_iterator(to.begin() + static_cast<std::ptrdiff_t>(b)), to.rend());  // outermost first
  return crossing;
}

BoundaryCrossing zones_crossed(const model::Model& model, int flow) {
  const model::Flow& f = model.flows[static_cast<size_t>(flow)];
  if (f.from_index < 0 || f.to_index < 0) return {};
  return crossing_between(flow, zone_chain(model, f.from_index), zone_chain(model, f.to_index));
}

}  // namespace

BoundaryCrossing crossing_of(const model::Model& model, int flow) {
  BoundaryCrossing crossing = zones_crossed(model, flow);
  if (crossing.flow >= 0) crossing.encrypted = flow_is_encrypted(model.flows[static_cast<size_t>(flow)]);
  return crossing;
}

std::vector<BoundaryCrossing> compute_crossings(const model::Model& model) {
  std::vector<BoundaryCrossing> out;
  // A model has a handful of zones and protocols for thousands of flows:
  // each zone's chain of boundaries is walked once, each protocol judged once.
  std::vector<std::vector<int>> chains(model.boundaries.size());
  std::vector<bool> walked(model.boundaries.size(), false);
  auto chain_of = [&](int element) -> std::span<const int> {
    const int boundary = model.elements[static_cast<size_t>(element)].boundary_index;
    if (boundary < 0) return {};
    const size_t b = static_cast<size_t>(boundary);
    if (!walked[b]) {
      chains[b] = zone_chain(model, element);
      walked[b] = true;
    }
    return chains[b];
  };
  std::unordered_map<std::string_view, bool> encrypted_protocol;
  for (size_t i = 0; i < model.flows.size(); ++i) {
    const model::Flow& flow = model.flows[i];
    if (flow.from_index < 0 || flow.to_index < 0) continue;
    BoundaryCrossing crossing = crossing_between(static_cast<int>(i), chain_of(flow.from_index), chain_of(flow.to_index));
    if (crossing.flow < 0) continue;
    auto [known, added] = encrypted_protocol.try_emplace(flow.protocol, false);
    if (added) known->second = protocol_is_encrypted(flow.protocol);
    crossing.encrypted = controls_encrypt(flow) || known->second;
    out.push_back(std::move(crossing));
  }
  return out;
}

bool flow_is_encrypted(const model::Flow& flow) { return controls_encrypt(flow) || protocol_is_encrypted(flow.protocol); }

bool is_local_transport(const model::Flow& flow) {
  std::string protocol = lower(flow.protocol);
  for (std::string_view word : {"file", "ipc", "in-process", "local", "pipe", "unix socket"}) {
    if (has_word(protocol, word)) return true;
  }
  return false;
}

bool is_internet_zone(const model::Model& model, int boundary) {
  const model::Boundary& b = model.boundaries[static_cast<size_t>(boundary)];
  std::string id = lower(b.id), name = lower(b.name);
  return has_word(id, "internet") || has_word(name, "internet") || has_word(id, "public") || has_word(name, "public");
}

bool in_untrusted_zone(const model::Model& model, int element) {
  std::vector<int> chain = zone_chain(model, element);
  if (chain.empty()) return true;  // the outside zone
  // A zone's name decides only where no trust is stated: "IoT edge (public
  // endpoints)" with trust 1 is a zone the model ranks above the internet.
  if (std::any_of(chain.begin(), chain.end(), [&](int b) {
        return !model.boundaries[static_cast<size_t>(b)].trust && is_internet_zone(model, b);
      })) {
    return true;
  }
  // A zone with trust 0 is the least trusted there is.
  const model::Boundary& zone = model.boundaries[static_cast<size_t>(chain.front())];
  return zone.trust && *zone.trust == 0;
}

std::optional<int> zone_trust(const model::Model& model, int element) {
  for (int boundary : zone_chain(model, element)) {
    const auto& trust = model.boundaries[static_cast<size_t>(boundary)].trust;
    if (trust) return *trust;
  }
  return std::nullopt;
}

}  // namespace tmc::analyze
