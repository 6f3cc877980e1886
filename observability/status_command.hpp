#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace sluice::observability {

/// `sluice status URL [--watch SECONDS]`: prints the state of the job a
/// metrics server at URL serves (its dashboard URL, e.g.
/// `http://127.0.0.1:9464/`), as text; with `--watch`, again every
/// SECONDS until the job ended. `args` are the words after `status`.
/// Returns the exit status: 0, 1 when the server cannot be read, 2 for bad
/// arguments.
int status_command(const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err);

/// The same, on standard output and standard error.
int status_command(const std::vector<std::string>& args);

} // namespace sluice::observability
