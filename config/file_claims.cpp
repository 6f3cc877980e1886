#include "config/file_claims.hpp"

#include "config/instance_path.hpp"

#include <filesystem>

namespace sluice::config {

namespace {

namespace fs = std::filesystem;

/// A claim with its path made absolute and free of links, once.
struct resolved_claim {
  const file_claim* claim;
  std::string path;

  /// True if `file` (resolved) is one of the claim's files.
  bool holds(const std::string& file) const {
    auto n = claim->instances;
    if (n == 1)
      return file == path;
    // instance_path inserts "-K" at one place of the path: find it from
    // instance 0, then read K back from `file`.
    auto probe = instance_path(path, 0, n);
    size_t at = 0;
    while (at < path.size() && path[at] == probe[at])
      ++at;
    auto head = path.substr(0, at) + "-";
    auto tail = path.substr(at);
    if (file.size() <= head.size() + tail.size()
        || file.compare(0, head.size(), head) != 0
        || file.compare(file.size() - tail.size(), tail.size(), tail) != 0)
      return false;
    auto digits
      = file.substr(head.size(), file.size() - head.size() - tail.size());
    if (digits.size() > 10 || (digits.size() > 1 && digits[0] == '0'))
      return false;
    uint64_t k = 0;
    for (char c : digits) {
      if (c < '0' || c > '9')
        return false;
      k = k * 10 + static_cast<uint64_t>(c - '0');
    }
    return k < n;
  }
};

std::string resolve(const std::string& path) {
  std::error_code ec;
  auto absolute = fs::absolute(path, ec);
  if (ec)
    return fs::path{path}.lexically_normal().string();
  auto canonical = fs::weakly_canonical(absolute, ec);
  return (ec ? absolute.lexically_normal() : canonical).string();
}

bool same_file(const resolved_claim& a, const resolved_claim& b) {
  auto& x = *a.claim;
  auto& y = *b.claim;
  if (x.instances == 1 && y.instances == 1) {
    std::error_code ec;
    return a.path == b.path || (fs::equivalent(a.path, b.path, ec) && !ec);
  }
  if (x.instances == 1)
    return b.holds(a.path);
  if (y.instances == 1)
    return a.holds(b.path);
  if (a.path == b.path)
    return true;
  auto& fewer = x.instances <= y.instances ? a : b;
  auto& more = &fewer == &a ? b : a;
  for (uint32_t i = 0; i < fewer.claim->instances; ++i)
    if (more.holds(instance_path(fewer.path, i, fewer.claim->instances)))
      return true;
  return false;
}

} // namespace

std::optional<std::pair<size_t, size_t>>
find_conflict(const std::vector<file_claim>& claims) {
  std::vector<resolved_claim> resolved;
  resolved.reserve(claims.size());
  for (auto& c : claims)
    resolved.push_back({&c, resolve(c.path)});
  for (size_t i = 0; i < claims.size(); ++i)
    for (size_t j = 0; j < i; ++j) {
      auto& a = claims[j];
      auto& b = claims[i];
      if (!a.writes && !b.writes)
        continue;
      if (a.table && b.table && *a.table != *b.table)
        continue;
      if (same_file(resolved[j], resolved[i]))
        return std::make_pair(i, j);
    }
  return std::nullopt;
}

} // namespace sluice::config
