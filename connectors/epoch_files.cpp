#include "connectors/epoch_files.hpp"

#include "connectors/fence_check.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace sluice::connectors {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " '" + path
                           + "': " + std::strerror(errno));
}

/// Makes a rename in `dir` durable.
void sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    fail("open directory", dir);
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("sync directory", dir);
  }
  ::close(fd);
}

std::string id_text(protocol::checkpoint_id id) {
  char buf[24];
  // Fixed width: published files sort in checkpoint order.
  std::snprintf(buf, sizeof(buf), "%020llu",
                static_cast<unsigned long long>(protocol::to_integer(id)));
  return buf;
}

} // namespace

epoch_files::epoch_files(std::string directory, std::string name)
    : dir_(std::move(directory)), staging_(dir_ + "/.staging"),
      name_(std::move(name)), part_(staging_ + "/" + name_ + ".part") {
  std::error_code ec;
  fs::create_directories(staging_, ec);
  if (ec)
    throw std::runtime_error("cannot create '" + staging_
                             + "': " + ec.message());
}

epoch_files::~epoch_files() {
  if (fd_ >= 0)
    ::close(fd_);
}

void epoch_files::open_epoch() {
  fd_ = ::open(part_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0)
    fail("open", part_);
  written_ = 0;
}

void epoch_files::close_epoch() {
  if (fd_ < 0)
    return;
  if (::fsync(fd_) != 0)
    fail("sync", part_);
  if (::close(fd_) != 0)
    fail("close", part_);
  fd_ = -1;
}

void epoch_files::write(const std::string& bytes) {
  if (fd_ < 0)
    open_epoch();
  size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fail("write", part_);
    }
    done += static_cast<size_t>(n);
  }
  written_ += bytes.size();
}

std::optional<std::string> epoch_files::stage(protocol::checkpoint_id id) {
  if (fd_ < 0 || written_ == 0) {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
      fs::remove(part_);
    }
    return std::nullopt;
  }
  close_epoch();
  auto to = pending(id);
  if (::rename(part_.c_str(), to.c_str()) != 0)
    fail("stage", to);
  sync_directory(staging_);
  return fs::path(to).filename().string();
}

void epoch_files::publish(protocol::checkpoint_id id) {
  // Staged epochs up to `id`, oldest first.
  std::vector<std::pair<uint64_t, fs::path>> due;
  auto prefix = name_ + ".";
  for (auto& entry : fs::directory_iterator(staging_)) {
    auto file = entry.path().filename().string();
    if (file.rfind(prefix, 0) != 0 || entry.path().extension() != ".pending")
      continue;
    auto stamp = file.substr(prefix.size(), file.size() - prefix.size() - 8);
    auto k = std::stoull(stamp);
    if (k <= protocol::to_integer(id))
      due.emplace_back(k, entry.path());
  }
  if (due.empty())
    return;
  std::sort(due.begin(), due.end());
  for (auto& [k, path] : due) {
    auto to = published(protocol::checkpoint_id{k});
    if (::rename(path.c_str(), to.c_str()) != 0)
      fail("publish", to);
  }
  sync_directory(dir_);
}

uint64_t epoch_files::last_published() const {
  // DIR/NAME-ID.txt with ID in fixed width.
  auto prefix = name_ + "-";
  constexpr size_t id_width = 20;
  uint64_t last = 0;
  for (auto& entry : fs::directory_iterator(dir_)) {
    auto file = entry.path().filename().string();
    if (file.size() != prefix.size() + id_width + 4
        || file.rfind(prefix, 0) != 0 || entry.path().extension() != ".txt")
      continue;
    auto stamp = file.substr(prefix.size(), id_width);
    if (stamp.find_first_not_of("0123456789") != std::string::npos)
      continue;
    last = std::max<uint64_t>(last, std::stoull(stamp));
  }
  return last;
}

void epoch_files::recover(std::optional<protocol::checkpoint_id> id,
                          bool start_over) {
  check_fence("file sink '" + name_ + "' in '" + dir_ + "'", last_published(),
              id, start_over);
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (id)
    publish(*id);
  // Whatever is left was staged or written after `id`: it comes again.
  auto prefix = name_ + ".";
  std::vector<fs::path> stale;
  for (auto& entry : fs::directory_iterator(staging_)) {
    auto file = entry.path().filename().string();
    if (file.rfind(prefix, 0) == 0)
      stale.push_back(entry.path());
  }
  for (auto& path : stale)
    fs::remove(path);
}

void epoch_files::publish_open(const std::string& label) {
  if (fd_ < 0)
    return;
  close_epoch();
  auto to = dir_ + "/" + name_ + "-" + label + ".txt";
  if (::rename(part_.c_str(), to.c_str()) != 0)
    fail("publish", to);
  sync_directory(dir_);
}

std::string epoch_files::published(protocol::checkpoint_id id) const {
  return dir_ + "/" + name_ + "-" + id_text(id) + ".txt";
}

std::string epoch_files::pending(protocol::checkpoint_id id) const {
  return staging_ + "/" + name_ + "." + id_text(id) + ".pending";
}

} // namespace sluice::connectors
