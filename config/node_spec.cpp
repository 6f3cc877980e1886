#include "config/node_spec.hpp"

#include "config/engine_options.hpp"
#include "config/value_parsers.hpp"

#include <filesystem>

namespace sluice::config {

namespace {

/// The engine sections that mean something to a node; the others belong
/// to jobs.
constexpr const char* node_engine_sections[] = {"cluster", "log", "scheduler"};

bool applies_to_nodes(const std::string& section) {
  for (auto* name : node_engine_sections)
    if (section == name)
      return true;
  return false;
}

caf::error read_node_section(const ini_section& section, node_spec& into) {
  for (auto& e : section.entries) {
    if (e.key == "name") {
      if (!is_identifier(e.value))
        return key_error(errc::wrong_type, section, e,
                         "expected a name of letters, digits and '_', got '"
                           + e.value + "'");
      into.name = e.value;
    } else if (e.key == "bind") {
      if (e.value.empty())
        return key_error(errc::wrong_type, section, e,
                         "expected an address such as 127.0.0.1");
      into.bind = e.value;
    } else if (e.key == "port") {
      auto port = parse_unsigned(e.value);
      if (!port || *port > 65535)
        return key_error(errc::wrong_type, section, e,
                         "expected an integer from 0 to 65535, got '" + e.value
                           + "'");
      into.port = static_cast<uint16_t>(*port);
    } else if (e.key == "hello-timeout") {
      auto timeout = parse_duration(e.value);
      if (!timeout || timeout->count() <= 0)
        return key_error(errc::wrong_type, section, e,
                         "expected a duration above 0 such as 5s, got '"
                           + e.value + "'");
      into.hello_timeout = *timeout;
    } else if (e.key == "max-pending-connections") {
      auto n = parse_unsigned(e.value);
      if (!n || *n == 0 || *n > 65535)
        return key_error(errc::wrong_type, section, e,
                         "expected an integer from 1 to 65535, got '" + e.value
                           + "'");
      into.max_pending_connections = static_cast<size_t>(*n);
    } else {
      return key_error(errc::unknown_key, section, e,
                       "unknown key; [node] knows name, bind, port, "
                       "hello-timeout, max-pending-connections");
    }
  }
  if (section.find("port") == nullptr)
    return missing_key_error(section, "port",
                             "the port the node listens on (0: any)");
  return caf::none;
}

caf::error read_sections(const ini_document& doc, node_spec& into) {
  auto base_dir = std::filesystem::path{doc.file()}.parent_path().string();
  bool has_node = false;
  for (auto& section : doc.sections()) {
    if (section.name == "node") {
      has_node = true;
      if (auto err = read_node_section(section, into))
        return err;
    } else if (applies_to_nodes(section.name)) {
      if (auto err = apply_engine_section(section, into.settings, base_dir))
        return err;
    } else {
      return section_error(errc::unknown_section, section,
                           "unknown section; a node file has [node], "
                           "[cluster], [log] and [scheduler]");
    }
  }
  if (!has_node)
    return caf::make_error(errc::missing_key,
                           doc.file()
                             + ": a node file needs a [node] section with "
                               "at least its port");
  return caf::none;
}

} // namespace

caf::expected<node_spec>
read_node_file(const std::string& path,
               const std::vector<std::string>& overrides) {
  auto doc = ini_document::read(path);
  if (!doc)
    return std::move(doc.error());
  node_spec result;
  result.file = path;
  result.name = std::filesystem::path{path}.stem().string();
  if (!is_identifier(result.name))
    result.name = "node";
  if (auto err = read_sections(*doc, result))
    return err;
  for (auto& arg : overrides) {
    // A malformed option is left to apply_engine_override to describe.
    auto dot = arg.find('.');
    auto section = arg.compare(0, 2, "--") == 0 && dot != std::string::npos
                     ? arg.substr(2, dot - 2)
                     : std::string{};
    if (!section.empty() && is_engine_section(section)
        && !applies_to_nodes(section))
      return caf::make_error(errc::bad_option,
                             "command line: option '" + arg
                               + "': a node takes settings of [cluster], "
                                 "[log] and [scheduler] only");
    if (auto err = apply_engine_override(arg, result.settings))
      return err;
  }
  if (auto err = check_engine_settings(result.settings, *doc, overrides))
    return err;
  if (auto problem = log_file_problem(result.settings.log.file))
    return caf::make_error(errc::unreadable_file,
                           path + ": [log] file: " + *problem);
  return result;
}

} // namespace sluice::config
