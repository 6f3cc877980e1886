#pragma once

#include "config/errc.hpp"
#include "config/job_spec.hpp"
#include "protocol/describe.hpp"
#include "tests/support/temp_dir.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace sluice::testing {

/// Writes job files into a fresh folder and reads them back.
struct job_file_fixture {
  temp_dir dir;

  /// Writes `text` to `name` in the folder; its path.
  std::string write(const std::string& name, const std::string& text) {
    auto path = dir.file(name);
    std::ofstream{path} << text;
    return path;
  }

  /// The path of job.ini, as errors name it.
  std::string job() const { return dir.file("job.ini"); }

  /// Writes `text` to job.ini and reads it.
  caf::expected<config::job_spec> read(const std::string& text,
                                       const std::vector<std::string>& overrides
                                       = {}) {
    return config::read_job_file(write("job.ini", text), overrides);
  }

  /// The error reading `text` gives, as people see it; "" if none.
  std::string error_of(const std::string& text,
                       const std::vector<std::string>& overrides = {}) {
    auto spec = read(text, overrides);
    return spec ? std::string{} : protocol::describe(spec.error());
  }

  /// The code of the error reading `text` gives.
  caf::error code_of(const std::string& text) {
    auto spec = read(text);
    return spec ? caf::error{} : spec.error();
  }
};

} // namespace sluice::testing
