#pragma once

#include <string>

namespace sluice::bench {

/// A checkpoint store path in the temporary directory, unique within the
/// machine; the database and its SQLite side files (-wal, -shm, -journal)
/// are removed when this goes out of scope.
class temp_store {
public:
  explicit temp_store(const std::string& label);
  ~temp_store();

  temp_store(const temp_store&) = delete;
  temp_store& operator=(const temp_store&) = delete;

  const std::string& path() const noexcept { return path_; }

private:
  std::string path_;
};

} // namespace sluice::bench
