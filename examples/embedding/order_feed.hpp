#pragma once

// A source of its own: a feed of orders that can be replayed from any
// position, which is what a source needs to resume after a checkpoint.

#include "order.hpp"

#include <cstdint>
#include <memory>
#include <string>

#include <sluice.hpp>

/// Order `i` of `shop`: the same every time it is asked for.
inline order order_at(const std::string& shop, uint64_t i) {
  static const char* customers[] = {"ada", "bo", "cy", "dee", "eve"};
  return {i, shop, customers[(i * 7 + shop.size()) % 5],
          static_cast<int64_t>((i * 37) % 1000)};
}

// snippet-begin: source
/// One instance's logic: fills the output with up to `max_records` orders
/// per pull. Its offset is its position, which the checkpoint stores and
/// `seek` returns to.
class order_feed_instance final : public sluice::source_instance {
public:
  order_feed_instance(std::string shop, uint64_t count,
                      std::unique_ptr<sluice::output_router<order>> out)
      : shop_(std::move(shop)), count_(count), out_(std::move(out)) {}

  sluice::pull_result pull(uint64_t max_records) override {
    uint64_t n = 0;
    for (; n < max_records && next_ < count_; ++n)
      out_->staging().push_back(order_at(shop_, next_++));
    out_->route(); // hands the staged records to the engine
    auto status = next_ < count_ ? sluice::pull_status::more
                                 : sluice::pull_status::exhausted;
    return {n, status, {}};
  }

  uint64_t offset() const override { return next_; }

  void seek(uint64_t offset) override { next_ = offset; }

  sluice::output_port& output() noexcept override { return *out_; }

private:
  std::string shop_;
  uint64_t count_;
  std::unique_ptr<sluice::output_router<order>> out_;
  uint64_t next_ = 0;
};

/// The spec that `job.source(name, spec)` takes: the record type, how many
/// instances may read, and a factory for each instance.
struct order_feed {
  using record_type = order;
  static constexpr uint32_t max_parallelism = 1; // 0: any number

  std::string shop;
  uint64_t count = sluice::unbounded;

  std::unique_ptr<sluice::source_instance>
  make_instance(const sluice::instance_context&,
                std::unique_ptr<sluice::output_router<order>> out) const {
    return std::make_unique<order_feed_instance>(shop, count, std::move(out));
  }
};
// snippet-end
