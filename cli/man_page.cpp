#include "cli/man_page.hpp"

#include "cli/commands.hpp"
#include "config/engine_options.hpp"
#include "config/engine_settings.hpp"
#include "config/stage_catalog.hpp"

#include <sstream>
#include <string_view>

namespace sluice::cli {

namespace {

/// `text` as roff prints it literally: backslashes and dashes escaped, and
/// no line that a leading '.' or '\'' would turn into a request.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\''))
      out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
    line_start = c == '\n';
  }
  return out;
}

void bold_item(std::ostream& os, std::string_view term,
               std::string_view description) {
  os << ".TP\n\\fB" << roff(term) << "\\fR\n" << roff(description) << "\n";
}

void stage_types(std::ostream& os) {
  os << ".SH STAGE TYPES\n"
        "A job file has one [stage.NAME] section per stage. Its \\fBtype\\fR "
        "is one of the types below; every stage but a source has an "
        "\\fBinput\\fR, the stage it reads.\n"
        "Keys of every stage of a kind:\n";
  for (auto kind : {config::stage_kind::source, config::stage_kind::transform,
                    config::stage_kind::sink, config::stage_kind::key_by}) {
    std::string keys;
    for (auto& k : config::kind_keys(kind))
      keys += (keys.empty() ? "" : ", ") + std::string{k.name};
    bold_item(os, config::to_string(kind), keys);
  }
  for (auto& k : config::kind_keys(config::stage_kind::transform))
    bold_item(os, k.name, k.meaning);
  for (auto& info : config::stage_catalog()) {
    os << ".SS " << roff(info.name) << " (" << roff(to_string(info.kind))
       << ")\n"
       << roff(info.summary) << ".\n";
    for (auto& k : info.keys)
      bold_item(os, k.name, k.meaning);
    if (!info.fields.empty())
      bold_item(os, "output", to_string(info.fields));
    else if (!info.output.empty())
      bold_item(os, "output", info.output);
  }
}

void engine_settings(std::ostream& os) {
  os << ".SH ENGINE SETTINGS\n"
        "Engine settings go in the job file as \\fB[section] key = "
        "value\\fR; \\fB\\-\\-section.key=value\\fR on the command line "
        "overrides the file.\n";
  config::engine_settings defaults;
  std::string section;
  for (auto& o : config::engine_options()) {
    if (o.section != section) {
      section = o.section;
      os << ".SS [" << roff(section) << "]\n";
    }
    bold_item(os, o.key,
              o.help + " (" + o.type + "; default: " + o.get(defaults) + ")");
  }
}

} // namespace

std::string man_page(const std::string& version) {
  std::ostringstream os;
  os << ".TH SLUICE 1 \"\" \"sluice " << roff(version)
     << "\" \"User Commands\"\n"
        ".SH NAME\n"
        "sluice \\- run streaming dataflows described by job files\n"
        ".SH SYNOPSIS\n"
        "\\fBsluice\\fR \\fICOMMAND\\fR [\\fIARGS\\fR...]\n"
        ".br\n"
        "\\fBsluice\\fR \\-\\-help | \\-\\-version\n"
        ".SH DESCRIPTION\n"
        "Sluice runs streaming dataflows described by job files (INI): "
        "sources, built\\-in operators and sinks, with checkpoints that let "
        "a stopped or crashed job resume. "
        "\\fBsluice\\fR \\fICOMMAND\\fR \\-\\-help describes a command.\n"
        ".SH COMMANDS\n";
  for (auto& c : all_commands())
    bold_item(os, c.name, c.summary);
  stage_types(os);
  engine_settings(os);
  os << ".SH EXIT STATUS\n"
        ".TP\n0\nsuccess\n"
        ".TP\n1\nthe job started and failed\n"
        ".TP\n2\na bad command line or job file: no job started\n";
  return os.str();
}

} // namespace sluice::cli
