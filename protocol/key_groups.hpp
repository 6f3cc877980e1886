#pragma once

#include <cstdint>

namespace sluice::protocol {

/// Half-open range of key groups owned by one instance.
struct key_group_range {
  uint32_t first = 0;
  uint32_t last = 0; ///< One past the last group.

  bool contains(uint32_t group) const noexcept {
    return group >= first && group < last;
  }

  uint32_t size() const noexcept { return last - first; }
};

/// Maps keys to a fixed number of key groups, and key groups to instances
/// in contiguous ranges (rule D8). The number of groups is the largest
/// parallelism a keyed stage can ever have; it never changes for a job, so
/// that keyed state can move between instances group by group when the
/// parallelism changes.
class key_groups {
public:
  /// Default number of key groups, as in other engines' "max parallelism".
  static constexpr uint32_t default_count = 128;

  explicit key_groups(uint32_t count = default_count) : count_(count) {}

  uint32_t count() const noexcept { return count_; }

  uint32_t group_of(uint64_t key_hash) const noexcept {
    return static_cast<uint32_t>(key_hash % count_);
  }

  /// The instance (of `parallelism`) that owns `group`.
  uint32_t instance_of(uint32_t group, uint32_t parallelism) const noexcept {
    return static_cast<uint32_t>(uint64_t{group} * parallelism / count_);
  }

  /// The groups owned by `instance` of `parallelism`: exactly those for
  /// which `instance_of` returns `instance`.
  key_group_range range_of(uint32_t instance,
                           uint32_t parallelism) const noexcept {
    auto bound = [&](uint64_t i) {
      return static_cast<uint32_t>((i * count_ + parallelism - 1)
                                   / parallelism);
    };
    return {bound(instance), bound(uint64_t{instance} + 1)};
  }

private:
  uint32_t count_;
};

} // namespace sluice::protocol
