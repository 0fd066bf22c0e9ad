#include "cli/docgen.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "base/version.h"

namespace tmc::cli {

namespace {

// What completion and the manual need to know of one option.
struct OptionDoc {
  std::vector<std::string> long_names;   // without "--"
  std::vector<std::string> short_names;  // without "-"
  std::string description;
  std::string value;                     // "" for a flag, else the value's type ("TEXT", "FILE"...)
  std::vector<std::string> choices;      // from an IsMember check: "{text,json}"
  bool positional = false;
  std::string positional_name;
};

struct CommandDoc {
  std::string name;
  std::string description;
  std::string footer;
  std::vector<OptionDoc> options;
};

std::vector<std::string> split_choices(const std::string& type_name) {
  std::vector<std::string> choices;
  size_t open = type_name.find('{'), close = type_name.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return choices;
  std::string list = type_name.substr(open + 1, close - open - 1);
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string choice = list.substr(start, comma - start);
    if (!choice.empty()) choices.push_back(choice);
    start = comma + 1;
  }
  return choices;
}

OptionDoc option_doc(const CLI::Option& option) {
  OptionDoc doc;
  doc.long_names = option.get_lnames();
  doc.short_names = option.get_snames();
  doc.description = option.get_description();
  doc.positional = option.get_positional();
  doc.positional_name = option.get_name();
  if (option.get_expected_max() > 0) {  // a flag expects no value
    std::string type = option.get_type_name();
    doc.choices = split_choices(type);
    doc.value = type.substr(0, type.find(':'));
    if (doc.value.empty()) doc.value = "VALUE";
  }
  return doc;
}

// The commands in table order (help last), each with its visible options.
std::vector<CommandDoc> commands_of(const CLI::App& app) {
  std::vector<CommandDoc> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    CommandDoc doc{sub->get_name(), sub->get_description(), sub->get_footer(), {}};
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_group().empty()) continue;  // hidden
      if (option->get_lnames() == std::vector<std::string>{"help"}) continue;
      doc.options.push_back(option_doc(*option));
    }
    commands.push_back(std::move(doc));
  }
  return commands;
}

// Words separated by spaces, as completion scripts list them.
std::string spaced(const std::vector<std::string>& words) { return fmt::format("{}", fmt::join(words, " ")); }

std::string command_names(const std::vector<CommandDoc>& commands) {
  std::vector<std::string> names;
  for (const CommandDoc& command : commands) names.push_back(command.name);
  return spaced(names);
}

// --- roff -----------------------------------------------------------------

// Text as roff: backslashes escaped, hyphens kept as hyphens, and a line
// that starts with '.' or '\'' not read as a request.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string option_synopsis(const OptionDoc& option) {
  std::string names;
  for (const std::string& s : option.short_names) names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-{}\\fR", roff(s));
  for (const std::string& l : option.long_names) names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-\\-{}\\fR", roff(l));
  if (!option.value.empty()) names += fmt::format(" \\fI{}\\fR", roff(option.value));
  return names;
}

// --- shells ---------------------------------------------------------------

std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

std::vector<std::string> option_words(const OptionDoc& option) {
  std::vector<std::string> words;
  for (const std::string& l : option.long_names) words.push_back("--" + l);
  for (const std::string& s : option.short_names) words.push_back("-" + s);
  return words;
}

std::string bash(const std::vector<CommandDoc>& commands, const std::vector<OptionDoc>& global) {
  const std::string names = command_names(commands);
  std::string global_words;
  for (const OptionDoc& option : global)
    for (const std::string& word : option_words(option)) global_words += (global_words.empty() ? "" : " ") + word;
  std::string out = fmt::format(
      "# bash completion for tmc {}, generated by `tmc completion bash`.\n"
      "_tmc() {{\n"
      "  local cur=\"${{COMP_WORDS[COMP_CWORD]}}\" prev=\"${{COMP_WORDS[COMP_CWORD-1]}}\"\n"
      "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
      "    COMPREPLY=($(compgen -W \"{} {}\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  local options=\"\" values=\"\"\n"
      "  case \"${{COMP_WORDS[1]}}\" in\n",
      version(), names, global_words);
  for (const CommandDoc& command : commands) {
    std::string words, value_cases;
    for (const OptionDoc& option : command.options) {
      if (option.positional) continue;
      std::string alternatives;
      for (const std::string& word : option_words(option)) {
        words += (words.empty() ? "" : " ") + word;
        alternatives += (alternatives.empty() ? "" : "|") + word;
      }
      if (!option.choices.empty()) {
        const std::string list = spaced(option.choices);
        value_cases += fmt::format("        {}) values=\"{}\" ;;\n", alternatives, list);
      }
    }
    if (command.name == "help") {
      out += fmt::format("    help) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;\n", names);
      continue;
    }
    out += fmt::format("    {})\n      options=\"{}\"\n", command.name, words);
    for (const OptionDoc& option : command.options) {
      if (!option.positional || option.choices.empty()) continue;
      const std::string list = spaced(option.choices);
      out += fmt::format("      [[ \"$cur\" != -* ]] && values=\"{}\"\n", list);
    }
    if (!value_cases.empty()) out += fmt::format("      case \"$prev\" in\n{}      esac\n", value_cases);
    out += "      ;;\n";
  }
  out +=
      "  esac\n"
      "  if [ -n \"$values\" ]; then\n"
      "    COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n"
      "  elif [[ \"$cur\" == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -o filenames -o bashdefault -F _tmc tmc\n";
  return out;
}

// zsh's _arguments specs: brackets and colons in a description are escaped.
std::string zsh_description(std::string_view text) {
  std::string out;
  for (char c : first_line(text)) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string zsh(const std::vector<CommandDoc>& commands) {
  std::string out = fmt::format(
      "#compdef tmc\n"
      "# zsh completion for tmc {}, generated by `tmc completion zsh`.\n"
      "_tmc() {{\n"
      "  local -a commands\n"
      "  commands=(\n",
      version());
  for (const CommandDoc& command : commands)
    out += fmt::format("    {}\n", single_quoted(command.name + ":" + zsh_description(command.description)));
  out +=
      "  )\n"
      "  if (( CURRENT == 2 )); then\n"
      "    _describe -t commands 'tmc command' commands\n"
      "    return\n"
      "  fi\n"
      "  case $words[2] in\n";
  for (const CommandDoc& command : commands) {
    if (command.name == "help") {
      out += "    help) (( CURRENT == 3 )) && _describe -t commands 'tmc command' commands ;;\n";
      continue;
    }
    out += fmt::format("    {})\n      _arguments -s", command.name);
    for (const OptionDoc& option : command.options) {
      if (option.positional) continue;
      std::string action;
      if (!option.value.empty()) {
        if (!option.choices.empty()) {
          const std::string list = spaced(option.choices);
          action = fmt::format(":{}:({})", option.value, list);
        } else {
          action = fmt::format(":{}:_files", option.value);
        }
      }
      std::vector<std::string> words = option_words(option);
      for (const std::string& word : words) {
        out += " \\\n        " + single_quoted(fmt::format("{}[{}]{}", word, zsh_description(option.description), action));
      }
    }
    std::string rest = "'*:file:_files'";
    for (const OptionDoc& option : command.options) {
      if (!option.positional || option.choices.empty()) continue;
      const std::string list = spaced(option.choices);
      rest = single_quoted(fmt::format("1:{}:({})", option.positional_name, list));
    }
    out += " \\\n        " + rest + " ;;\n";
  }
  out +=
      "  esac\n"
      "}\n"
      "_tmc \"$@\"\n";
  return out;
}

std::string fish(const std::vector<CommandDoc>& commands) {
  std::string out = fmt::format("# fish completion for tmc {}, generated by `tmc completion fish`.\n", version());
  const std::string names = command_names(commands);
  for (const CommandDoc& command : commands) {
    out += fmt::format("complete -c tmc -f -n __fish_use_subcommand -a {} -d {}\n", command.name,
                       single_quoted(first_line(command.description)));
  }
  out += fmt::format("complete -c tmc -f -n '__fish_seen_subcommand_from help' -a {}\n", single_quoted(names));
  for (const CommandDoc& command : commands) {
    if (command.name == "help") continue;
    std::string when = single_quoted("__fish_seen_subcommand_from " + command.name);
    for (const OptionDoc& option : command.options) {
      if (!option.positional || option.choices.empty()) continue;
      const std::string list = spaced(option.choices);
      out += fmt::format("complete -c tmc -f -n {} -a {}\n", when, single_quoted(list));
    }
    for (const OptionDoc& option : command.options) {
      if (option.positional) continue;
      std::string line = fmt::format("complete -c tmc -n {}", when);
      for (const std::string& l : option.long_names) line += " -l " + l;
      for (const std::string& s : option.short_names) line += " -s " + s;
      if (!option.value.empty()) line += option.choices.empty() ? " -r -F" : " -x";
      if (!option.choices.empty()) {
        const std::string list = spaced(option.choices);
        line += " -a " + single_quoted(list);
      }
      out += line + " -d " + single_quoted(first_line(option.description)) + "\n";
    }
  }
  return out;
}

}  // namespace

std::string man_page(const CLI::App& app) {
  std::vector<CommandDoc> commands = commands_of(app);
  std::string out = fmt::format(
      ".\\\" The manual page of tmc {0}, generated by `tmc help --man` from the command table.\n"
      ".TH TMC 1 \"\" \"tmc {0}\" \"User Commands\"\n"
      ".SH NAME\n"
      "tmc \\- the threat model compiler\n"
      ".SH SYNOPSIS\n"
      ".B tmc\n"
      ".I COMMAND\n"
      "[\\fIOPTIONS\\fR] [\\fIMODEL\\fR]\n"
      ".br\n"
      ".B tmc \\-\\-version\n"
      ".br\n"
      ".B tmc help\n"
      "[\\fICOMMAND\\fR]\n"
      ".SH DESCRIPTION\n"
      "{1}\n"
      ".PP\n"
      "A model is a YAML file (by convention \\fI*.tm.yaml\\fR); a model path of \\fB\\-\\fR reads it from "
      "standard input. Diagnostics are printed as \\fIfile:line:col: severity: message [code]\\fR.\n"
      ".SH COMMANDS\n",
      version(), roff(app.get_description()));
  for (const CommandDoc& command : commands) {
    std::string positionals;
    for (const OptionDoc& option : command.options)
      if (option.positional) positionals += " " + option.positional_name;
    out += fmt::format(".SS \"tmc {}{}\"\n{}\n", command.name, roff(positionals), roff(command.description));
    for (const OptionDoc& option : command.options) {
      if (option.positional) {
        out += fmt::format(".TP\n\\fI{}\\fR\n{}\n", roff(option.positional_name), roff(option.description));
      } else {
        out += fmt::format(".TP\n{}\n{}\n", option_synopsis(option), roff(option.description));
      }
    }
    if (!command.footer.empty()) out += fmt::format(".PP\n.nf\n{}\n.fi\n", roff(command.footer));
  }
  out +=
      ".SH EXIT STATUS\n"
      ".TP\n0\nSuccess: the model is valid and done.\n"
      ".TP\n1\nThe model is valid but not done: an open item at or above the gate (\\-\\-fail\\-on).\n"
      ".TP\n2\nAn invalid model, bad usage or an I/O error.\n"
      ".SH ENVIRONMENT\n"
      ".TP\nNO_COLOR\nWhen set and not empty, diagnostics are not coloured (unless \\-\\-color always).\n"
      ".SH SEE ALSO\n"
      "The model format, rules and outputs are documented in the docs/ folder of the tmc sources "
      "(installed under share/doc/tmc).\n";
  return out;
}

std::string completion_script(const CLI::App& app, std::string_view shell) {
  std::vector<CommandDoc> commands = commands_of(app);
  std::vector<OptionDoc> global;
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_group().empty()) global.push_back(option_doc(*option));
  }
  if (shell == "bash") return bash(commands, global);
  if (shell == "zsh") return zsh(commands);
  return fish(commands);
}

}  // namespace tmc::cli
