#include "cli/report_json.h"

#include <optional>

#include "cli/diagnostic_printer.h"
#include "render/json_items.h"
#include "render/json_writer.h"

namespace tmc::cli {

std::string check_json(const FrontEnd& front) {
  render::StringSink out;
  render::JsonWriter json(out);
  json.begin_object();
  render::version_members(json);
  write_diagnostics_members(json, front.sink, front.sources);
  std::optional<render::RenderInput> input;
  if (front.analysis && front.model) {
    input.emplace(render::RenderInput{*front.model, *front.analysis, front.sources});
    json.member("done", front.analysis->done);
    json.member("stale", front.analysis->stale);
  }
  json.key("findings");
  json.begin_array();
  if (input) {
    for (const analyze::RuleFinding& f : input->analysis.findings) {
      render::finding_object(json, *input, f, render::FindingKeys::shared_and_flat_location);
    }
  }
  json.end_array();
  json.key("ranked");
  json.begin_array();
  if (input) {
    for (const analyze::RankedItem& item : input->analysis.ranked) render::ranked_object(json, *input, item);
  }
  json.end_array();
  json.end_object();
  out.put('\n');
  return std::move(out.str());
}

}  // namespace tmc::cli
