// tmc cvss: score a CVSS vector.
#include <fmt/format.h>

#include <cstdio>

#include "analyze/cvss.h"
#include "cli/command.h"
#include "cli/output.h"

namespace tmc::cli {

void define_cvss(CLI::App& app, int* exit_code) {
  auto vector = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("cvss", "Score a CVSS v4.0 or v3.1 vector");
  command->add_option("VECTOR", *vector,
                      "e.g. CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")->required();
  command->footer(
      "Scores exactly as FIRST's specifications: CVSS v4.0 as FIRST's reference calculator does, CVSS v3.1\n"
      "(and v3.0). Prints the base score and its severity (None, Low, Medium, High, Critical). A v3.x vector\n"
      "with temporal metrics adds a line 'temporal SCORE SEVERITY'; a v4.0 vector with Threat or Environmental\n"
      "metrics adds a line with the score of the whole vector, named as v4.0 asks: CVSS-BT, CVSS-BE or CVSS-BTE.\n"
      "v4.0 metrics must be listed in the specification's order (Table 23); Supplemental metrics are checked\n"
      "but do not change the score.\n\n"
      "Examples:\n"
      "  tmc cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\n"
      "      9.3 Critical\n"
      "  tmc cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MAV:A\n"
      "      9.3 Critical\n"
      "      CVSS-BTE 6.3 Medium\n"
      "  tmc cvss CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N\n"
      "      6.5 Medium\n\n"
      "Exit codes: 0 scored; 2 the vector is invalid (the message points at the offending metric).");
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
    if (score.threat_environmental) {
      text += fmt::format("{} {:.1f} {}\n", score.nomenclature, *score.threat_environmental,
                          analyze::cvss_severity(*score.threat_environmental));
    }
    print_out(text);
    *exit_code = 0;
  });
}

}  // namespace tmc::cli
