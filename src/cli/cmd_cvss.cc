// tmc cvss: score a CVSS vector.
#include <fmt/format.h>

#include <cstdio>

#include "analyze/cvss.h"
#include "cli/command.h"
#include "cli/output.h"

namespace tmc::cli {

void define_cvss(CLI::App& app, int* exit_code) {
  auto vector = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("cvss", "Score a CVSS v3.1 vector");
  command->add_option("VECTOR", *vector, "e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")->required();
  command->footer("Scores exactly as the FIRST CVSS v3.1 specification (v3.0 vectors too); temporal metrics are\n"
                  "scored when given. CVSS v4.0 is not supported yet.\n\n"
                  "Example:\n  tmc cvss CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N");
  command->callback([vector, exit_code] {
    auto result = analyze::score_cvss(*vector);
    if (const auto* error = std::get_if<analyze::CvssError>(&result)) {
      print_err(fmt::format("tmc: error: {}\n  {}\n  {}^\n", error->message, vector->c_str(),
                   std::string(error->offset, ' ')));
      *exit_code = 2;
      return;
    }
    const auto& score = std::get<analyze::CvssScore>(result);
    std::string text = fmt::format("{:.1f} {}\n", score.base, score.severity);
    if (score.temporal) text += fmt::format("temporal {:.1f} {}\n", *score.temporal, analyze::cvss_severity(*score.temporal));
    print_out(text);
    *exit_code = 0;
  });
}

}  // namespace tmc::cli
