#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::config {

/// A file a job reads or writes: one file, or the files of a file sink's
/// instances (`instance_path`), named by who uses it.
struct file_claim {
  /// As the job file gives it (relative to the job file's folder).
  std::string path;
  /// More than 1: the files of that many sink instances.
  uint32_t instances = 1;
  bool writes = false;
  /// Set for a database: users of one database may share it, one table
  /// each.
  std::optional<std::string> table;
};

/// The first claim that conflicts with an earlier one, and that earlier
/// one (indices): both touch one file and at least one writes it, unless
/// both are databases with different tables. One file is one path once
/// made absolute and free of symbolic links, or (for files that exist) one
/// inode. Costs at most the smaller instance count per pair of sinks.
std::optional<std::pair<size_t, size_t>>
find_conflict(const std::vector<file_claim>& claims);

} // namespace sluice::config
