#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace sluice::testing {

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when the test ends.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

  /// `name` inside the directory.
  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

private:
  std::filesystem::path path_;
};

inline temp_dir::temp_dir() {
  auto templ
    = (std::filesystem::temp_directory_path() / "sluice-test-XXXXXX").string();
  path_ = ::mkdtemp(templ.data());
}

inline temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

} // namespace sluice::testing
