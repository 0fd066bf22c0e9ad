// Zones and crossings (SPEC 2.1). An element belongs to its boundary (or
// to the outside); a flow crosses every boundary between its endpoints'
// zones: it leaves the source's zones up to the common ancestor and enters
// the target's.
#pragma once

#include <optional>
#include <vector>

#include "analyze/analysis.h"
#include "model/model.h"

namespace tmc::analyze {

// The chain of boundaries containing `element`, innermost first; empty for
// an element outside every boundary. REQUIRES: a built (acyclic) model.
std::vector<int> zone_chain(const model::Model& model, int element);

// The crossing of `flow`, or nullopt-like empty crossing (flow == -1) when
// both endpoints are in the same zone.
BoundaryCrossing crossing_of(const model::Model& model, int flow);

// Every crossing flow, in flow order.
std::vector<BoundaryCrossing> compute_crossings(const model::Model& model);

// True when the flow's protocol or controls show transport encryption
// (HTTPS, TLS, mTLS, SSH, "over TLS", ...; or a tls/mtls control).
bool flow_is_encrypted(const model::Flow& flow);

// True when the element is in the outside zone (no boundary) or in a
// boundary the model marks as the internet (id or name "internet", or the
// lowest `trust`), or is an external entity in such a zone.
bool in_untrusted_zone(const model::Model& model, int element);

// True when the flow stays on one machine (file, IPC, pipe...), where
// transport encryption does not apply.
bool is_local_transport(const model::Flow& flow);

// The `trust` of the innermost boundary around `element` that states one.
std::optional<int> zone_trust(const model::Model& model, int element);

}  // namespace tmc::analyze
