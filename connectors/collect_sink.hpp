#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <memory>
#include <mutex>
#include <vector>

namespace sluice::connectors {

/// The records a `collect` sink received, per instance. Safe to read from
/// any thread; complete once the job finished.
template <class T>
class collected {
public:
  /// All records, instance 0's first; each instance's in arrival order.
  std::vector<T> records() const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<T> result;
    for (auto& xs : by_instance_)
      result.insert(result.end(), xs.begin(), xs.end());
    return result;
  }

  /// The records each instance received.
  std::vector<std::vector<T>> by_instance() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return by_instance_;
  }

  size_t size() const {
    std::lock_guard<std::mutex> guard{mtx_};
    size_t n = 0;
    for (auto& xs : by_instance_)
      n += xs.size();
    return n;
  }

  void append(uint32_t instance, std::vector<T>&& xs) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (by_instance_.size() <= instance)
      by_instance_.resize(instance + 1);
    auto& to = by_instance_[instance];
    if (to.empty())
      to = std::move(xs);
    else
      to.insert(to.end(), std::make_move_iterator(xs.begin()),
                std::make_move_iterator(xs.end()));
  }

private:
  mutable std::mutex mtx_;
  std::vector<std::vector<T>> by_instance_;
};

/// A sink that keeps every record in memory, for tests and embedding.
template <class T>
struct collect {
  using record_type = T;

  std::shared_ptr<collected<T>> into = std::make_shared<collected<T>>();

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class T>
class collect_instance final : public operators::operator_instance {
public:
  collect_instance(std::shared_ptr<collected<T>> into, uint32_t instance)
    : into_(std::move(into)), instance_(instance) {
    into_->append(instance_, {}); // every instance shows, even if it gets nothing
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    into_->append(instance_, operators::take_records<T>(payload));
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::shared_ptr<collected<T>> into_;
  uint32_t instance_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
collect<T>::make_instance(const operators::instance_context& ctx) const {
  return std::make_unique<collect_instance<T>>(into, ctx.instance);
}

} // namespace sluice::connectors
