# Installation and the Debian package.
#
#   cmake --install build --prefix P [--strip]   (make install PREFIX=P)
#   cpack --config build/CPackConfig.cmake       (make package)
#
# The manual page, the shell completions and the JSON Schema are generated
# by the built tmc from its own command table and model definition, so
# they cannot drift from --help and the loader.
include(GNUInstallDirs)

install(TARGETS tmc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(TMC_GENERATED "${CMAKE_CURRENT_BINARY_DIR}/dist")
set(TMC_GENERATED_FILES
  "${TMC_GENERATED}/tmc.1" "${TMC_GENERATED}/tmc.bash" "${TMC_GENERATED}/_tmc"
  "${TMC_GENERATED}/tmc.fish" "${TMC_GENERATED}/tmc.schema.json")
add_custom_command(OUTPUT ${TMC_GENERATED_FILES}
  COMMAND ${CMAKE_COMMAND} -E make_directory "${TMC_GENERATED}"
  COMMAND sh -c "\"$1\" help --man > \"$2/tmc.1\"" sh $<TARGET_FILE:tmc> "${TMC_GENERATED}"
  COMMAND sh -c "\"$1\" completion bash > \"$2/tmc.bash\"" sh $<TARGET_FILE:tmc> "${TMC_GENERATED}"
  COMMAND sh -c "\"$1\" completion zsh > \"$2/_tmc\"" sh $<TARGET_FILE:tmc> "${TMC_GENERATED}"
  COMMAND sh -c "\"$1\" completion fish > \"$2/tmc.fish\"" sh $<TARGET_FILE:tmc> "${TMC_GENERATED}"
  COMMAND sh -c "\"$1\" schema > \"$2/tmc.schema.json\"" sh $<TARGET_FILE:tmc> "${TMC_GENERATED}"
  DEPENDS tmc
  COMMENT "Generating the manual page, completions and JSON Schema from tmc"
  VERBATIM)
add_custom_target(tmc_generated ALL DEPENDS ${TMC_GENERATED_FILES})

install(FILES "${TMC_GENERATED}/tmc.1" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES "${TMC_GENERATED}/tmc.bash" DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME tmc)
install(FILES "${TMC_GENERATED}/_tmc" DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES "${TMC_GENERATED}/tmc.fish" DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES "${TMC_GENERATED}/tmc.schema.json" DESTINATION ${CMAKE_INSTALL_DATADIR}/tmc)
install(FILES README.md CHANGELOG.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(DIRECTORY templates/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tmc)
set(CPACK_PACKAGE_VENDOR "the tmc developers")
set(CPACK_PACKAGE_CONTACT "the tmc developers <tmc@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "threat model compiler: checks threat models written as YAML and renders reports")
set(CPACK_PACKAGE_DESCRIPTION
  "tmc reads a threat model written as YAML (scope, assets, trust boundaries, data flows, threats,
mitigations, attack trees), reports every mistake as file:line:col, walks every trust-boundary
crossing with STRIDE, runs a rule library, ranks what it finds and fails when the top of the list
is neither mitigated nor accepted. It renders diagrams, Markdown and HTML reports, CSV, JSON and SARIF.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.invalid/tmc")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The shared libraries tmc links (libyaml, Graphviz, nettle, fmt, libxlsxwriter)
# become Depends: through dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
include(CPack)
