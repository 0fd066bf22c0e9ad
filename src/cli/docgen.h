// Documents generated from the command table itself, so that they cannot
// drift from `--help`: the manual page (`tmc help --man`) and the shell
// completions (`tmc completion bash|zsh|fish`).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace tmc::cli {

// The manual page tmc(1) in roff, one section per command.
std::string man_page(const CLI::App& app);

// The completion script for `shell` (bash, zsh or fish).
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace tmc::cli
