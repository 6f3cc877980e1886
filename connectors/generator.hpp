#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"
#include "protocol/key_hash.hpp"
#include "protocol/output_router.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <type_traits>

namespace sluice::connectors {

template <class Make>
class generator_instance;

/// The count of an endless generator: it runs until the job is stopped.
inline constexpr uint64_t unbounded = std::numeric_limits<uint64_t>::max();

/// A deterministic source: record `i` is `make(i, r_i)`, where `r_i` is a
/// pseudo-random number drawn from the seed and `i` alone. So any instance
/// can resume at any index and produce the same records again.
template <class Make>
class generator {
public:
  using record_type
    = std::decay_t<std::invoke_result_t<Make, uint64_t, uint64_t>>;

  generator(uint64_t count, uint64_t seed, Make make_record)
      : count_(count), seed_(seed), make_(std::move(make_record)) {}

  /// Records per second over all instances; unlimited by default.
  generator& rate(double records_per_second) {
    rate_ = records_per_second;
    return *this;
  }

  /// Any number of instances; each produces its share of the indices.
  static constexpr uint32_t max_parallelism = 0;

  std::unique_ptr<operators::source_instance>
  make_instance(const operators::instance_context& ctx,
                std::unique_ptr<protocol::output_router<record_type>> r) const {
    return std::make_unique<generator_instance<Make>>(
      *this, ctx.instance, ctx.parallelism, std::move(r));
  }

  uint64_t count() const noexcept { return count_; }
  uint64_t seed() const noexcept { return seed_; }
  std::optional<double> rate() const noexcept { return rate_; }
  const Make& make() const noexcept { return make_; }

private:
  uint64_t count_;
  uint64_t seed_;
  std::optional<double> rate_;
  Make make_;
};

/// A generator of `count` records made by `make(index, random)`.
template <class Make>
generator<Make> generate(uint64_t count, uint64_t seed, Make make) {
  return {count, seed, std::move(make)};
}

/// Instance `i` of `p` produces indices i, i + p, i + 2p, ... below the
/// count. Its offset is the number of records it produced.
template <class Make>
class generator_instance final : public operators::source_instance {
public:
  using record_type = typename generator<Make>::record_type;
  using clock = std::chrono::steady_clock;

  generator_instance(const generator<Make>& spec, uint32_t instance,
                     uint32_t parallelism,
                     std::unique_ptr<protocol::output_router<record_type>> r)
      : spec_(spec), instance_(instance), parallelism_(parallelism),
        router_(std::move(r)) {
    if (auto rate = spec.rate())
      per_instance_rate_ = *rate / parallelism;
  }

  operators::pull_result pull(uint64_t max_records) override {
    auto remaining = remaining_records();
    if (remaining == 0)
      return {0, operators::pull_status::exhausted, {}};
    auto n = std::min(max_records, remaining);
    if (per_instance_rate_) {
      auto now = clock::now();
      if (!started_)
        started_ = now;
      std::chrono::duration<double> elapsed = now - *started_;
      auto due = static_cast<uint64_t>(elapsed.count() * *per_instance_rate_);
      auto allowed
        = due > emitted_since_start_ ? due - emitted_since_start_ : 0;
      if (allowed == 0) {
        auto wait = std::chrono::duration<double>(
          (emitted_since_start_ + 1) / *per_instance_rate_ - elapsed.count());
        return {0, operators::pull_status::throttled,
                std::chrono::duration_cast<std::chrono::nanoseconds>(wait)};
      }
      n = std::min(n, allowed);
    }
    auto& out = router_->staging();
    out.reserve(out.size() + n);
    for (uint64_t k = 0; k < n; ++k) {
      auto index = instance_ + (offset_ + k) * parallelism_;
      out.push_back(spec_.make()(
        index, protocol::mix64(spec_.seed() ^ protocol::mix64(index))));
    }
    offset_ += n;
    emitted_since_start_ += n;
    router_->route();
    return {n,
            remaining_records() == 0 ? operators::pull_status::exhausted
                                     : operators::pull_status::more,
            {}};
  }

  uint64_t offset() const override { return offset_; }

  void seek(uint64_t offset) override {
    offset_ = offset;
    started_.reset();
    emitted_since_start_ = 0;
  }

  protocol::output_port& output() noexcept override { return *router_; }

private:
  /// Records this instance still has to produce.
  uint64_t remaining_records() const {
    auto count = spec_.count();
    if (count == unbounded)
      return unbounded;
    // Indices i + k*p < count  <=>  k < ceil((count - i) / p).
    uint64_t mine = count > instance_
                      ? (count - instance_ + parallelism_ - 1) / parallelism_
                      : 0;
    return mine > offset_ ? mine - offset_ : 0;
  }

  generator<Make> spec_;
  uint32_t instance_;
  uint32_t parallelism_;
  std::unique_ptr<protocol::output_router<record_type>> router_;
  uint64_t offset_ = 0;
  std::optional<double> per_instance_rate_;
  std::optional<clock::time_point> started_;
  uint64_t emitted_since_start_ = 0;
};

} // namespace sluice::connectors
