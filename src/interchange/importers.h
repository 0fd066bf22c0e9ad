// Internal to the interchange stage: one importer per source format. Each
// reads a parsed source and fills a Draft, reporting problems at the
// source's file:line:col and lost fields into a LossReport. They return
// false when errors were reported.
#pragma once

#include "base/diagnostic.h"
#include "base/source.h"
#include "interchange/draft.h"
#include "interchange/interchange.h"
#include "interchange/tree_access.h"

namespace tmc::interchange {

bool import_threat_dragon(const Node& root, Draft& draft, LossReport& losses, DiagnosticSink& sink);
bool import_otm(const Node& root, Draft& draft, LossReport& losses, DiagnosticSink& sink);
// `file` is the CSV's id in `sources`. With options.into, the register is
// merged into that model (copied into draft.model first by the caller).
bool import_csv(uint32_t file, const SourceManager& sources, const ImportOptions& options, Draft& draft,
                LossReport& losses, DiagnosticSink& sink);

// Likelihood or impact on tmc's scale from a 0..100 percentage (OTM) and back.
int from_percent(double percent, int scale);
int to_percent(int value, int scale);

}  // namespace tmc::interchange
