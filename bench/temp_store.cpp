#include "bench/temp_store.hpp"

#include <atomic>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace sluice::bench {

namespace {

std::atomic<unsigned> stores_made{0};

/// Removes the database and its side files; best effort: a file that is
/// not there is fine.
void remove_all(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
}

} // namespace

temp_store::temp_store(const std::string& label) {
  auto name = "sluice-bench-" + std::to_string(::getpid()) + "-"
              + std::to_string(stores_made++) + "-" + label + ".db";
  path_ = (std::filesystem::temp_directory_path() / name).string();
  remove_all(path_); // a leftover of an earlier process with the same pid
}

temp_store::~temp_store() {
  remove_all(path_);
}

} // namespace sluice::bench
