#pragma once

#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace sluice::config {

/// Errors of job files and engine settings. The context of each is one
/// sentence naming the file, the line and the key at fault.
enum class errc : uint8_t {
  unreadable_file = 1, ///< A job file, or a file it names, cannot be used.
  syntax,           ///< A line is neither a section, a setting nor a comment.
  unknown_section,  ///< A section Sluice does not know.
  unknown_key,      ///< A key its section does not know.
  duplicate,        ///< A section or key appears twice.
  wrong_type,       ///< A value that is not of the key's type.
  missing_key,      ///< A key the section needs is absent.
  unknown_operator, ///< A stage type Sluice does not know.
  missing_input,    ///< A stage reads from nothing or an unknown stage.
  cycle,            ///< Stages read from each other in a cycle.
  invalid_graph,    ///< Stages that do not fit together.
  bad_option,       ///< A command-line option Sluice does not know.
};

std::string to_string(errc x);

inline std::ostream& operator<<(std::ostream& os, errc x) {
  return os << to_string(x);
}

} // namespace sluice::config

CAF_ERROR_CODE_ENUM(sluice::config::errc, "sl_config")
