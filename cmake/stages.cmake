# The stages of libtmc and what each links. Data files compiled into the
# binary are declared here next to the stage that reads them.
tmc_stage(base)
target_link_libraries(tmc_base PUBLIC fmt::fmt)
# The version comes from project() and reaches the code through base/version.h.
set_source_files_properties(src/base/version.cc PROPERTIES COMPILE_DEFINITIONS TMC_VERSION="${PROJECT_VERSION}")

tmc_stage(load)
target_link_libraries(tmc_load PUBLIC tmc_base PRIVATE PkgConfig::YAML)

tmc_stage(model)
target_link_libraries(tmc_model PUBLIC tmc_load PRIVATE nlohmann_json::nlohmann_json)

file(GLOB TMC_RULE_FILES CONFIGURE_DEPENDS RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/rules/*.yaml")
set(rule_args "")
set(rule_index 0)
foreach(f ${TMC_RULE_FILES})
  list(APPEND rule_args "${f}" "rule_file_${rule_index}")
  math(EXPR rule_index "${rule_index} + 1")
endforeach()
set(TMC_RULES_CC "${CMAKE_CURRENT_BINARY_DIR}/embedded_rules.cc")
if(rule_args)
  tmc_embed("${TMC_RULES_CC}" tmc::embedded ${rule_args})
else()
  file(WRITE "${TMC_RULES_CC}" "namespace tmc::embedded {}\n")
endif()
set(decls "")
set(entries "")
math(EXPR rule_last "${rule_index} - 1")
if(rule_index GREATER 0)
  foreach(i RANGE ${rule_last})
    list(GET TMC_RULE_FILES ${i} f)
    string(APPEND decls "extern const std::string_view rule_file_${i};\n")
    string(APPEND entries "  EmbeddedFile{\"${f}\", rule_file_${i}},\n")
  endforeach()
endif()
set(TMC_RULE_COUNT ${rule_index})
set(TMC_RULE_DECLS "${decls}")
set(TMC_RULE_ENTRIES "${entries}")
configure_file(cmake/embedded_rules_index.h.in "${CMAKE_CURRENT_BINARY_DIR}/generated/embedded_rules_index.h")
# The same rule files compiled at build time into a rule pack (no YAML
# parsing at start); tools/rule_pack.cc fails the build on a bad rule.
add_executable(tmc_rule_pack tools/rule_pack.cc src/analyze/rule_compile.cc src/analyze/rule_pack.cc)
target_link_libraries(tmc_rule_pack PRIVATE tmc_model)
tmc_warnings(tmc_rule_pack)
set(TMC_RULE_PACK_CC "${CMAKE_CURRENT_BINARY_DIR}/embedded_rule_pack.cc")
add_custom_command(OUTPUT "${TMC_RULE_PACK_CC}"
  COMMAND tmc_rule_pack "${TMC_RULE_PACK_CC}" "${CMAKE_CURRENT_SOURCE_DIR}" ${TMC_RULE_FILES}
  DEPENDS tmc_rule_pack ${TMC_RULE_FILES}
  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
  VERBATIM)
tmc_stage(analyze "${TMC_RULES_CC}" "${TMC_RULE_PACK_CC}")
target_include_directories(tmc_analyze PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/generated")
target_link_libraries(tmc_analyze PUBLIC tmc_model PRIVATE nlohmann_json::nlohmann_json)

# Other tools' formats in and out (Threat Dragon, OTM, CSV); the CLI links it.
tmc_stage(interchange)
target_link_libraries(tmc_interchange PUBLIC tmc_analyze PRIVATE nlohmann_json::nlohmann_json)

set(TMC_ASSETS_CC "${CMAKE_CURRENT_BINARY_DIR}/embedded_assets.cc")
tmc_embed("${TMC_ASSETS_CC}" tmc::embedded
  src/render/assets/report.css report_css
  src/render/assets/report.js report_js)
tmc_stage(render "${TMC_ASSETS_CC}")
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
target_link_libraries(tmc_render PUBLIC tmc_analyze nlohmann_json::nlohmann_json PRIVATE PkgConfig::GVC PkgConfig::NETTLE PkgConfig::XLSXWRITER)

set(TMC_TEMPLATES_CC "${CMAKE_CURRENT_BINARY_DIR}/embedded_templates.cc")
tmc_embed("${TMC_TEMPLATES_CC}" tmc::embedded
  templates/blank.tm.yaml template_blank
  templates/web-login.tm.yaml template_web_login
  templates/payments.tm.yaml template_payments)
tmc_stage(cli "${TMC_TEMPLATES_CC}")
target_link_libraries(tmc_cli PUBLIC tmc_render tmc_interchange CLI11::CLI11)
