#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::connectors {

/// The records a `collect` sink committed, per instance. With checkpoints,
/// a record shows once the checkpoint after it completed (exactly-once: a
/// restarted job never shows a record twice); without, at once. Safe to
/// read from any thread.
template <class T>
class collected {
public:
  /// All committed records, instance 0's first; each instance's in arrival
  /// order.
  std::vector<T> records() const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<T> result;
    for (auto& p : parts_)
      result.insert(result.end(), p.committed.begin(), p.committed.end());
    return result;
  }

  /// The committed records of each instance.
  std::vector<std::vector<T>> by_instance() const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::vector<T>> result;
    for (auto& p : parts_)
      result.push_back(p.committed);
    return result;
  }

  /// Number of committed records.
  size_t size() const {
    std::lock_guard<std::mutex> guard{mtx_};
    size_t n = 0;
    for (auto& p : parts_)
      n += p.committed.size();
    return n;
  }

  // -- used by the sink instances ---------------------------------------------

  /// Appends to what `instance` will commit (or commits at once).
  void append(uint32_t instance, std::vector<T>&& xs, bool hold) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto& to
      = part(instance).*(hold ? &part_data::open : &part_data::committed);
    if (to.empty())
      to = std::move(xs);
    else
      to.insert(to.end(), std::make_move_iterator(xs.begin()),
                std::make_move_iterator(xs.end()));
  }

  /// Sets the open records of `instance` aside for checkpoint `id`.
  void stage(uint32_t instance, protocol::checkpoint_id id) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto& p = part(instance);
    p.staged[id] = std::move(p.open);
    p.open.clear();
  }

  /// Commits everything staged up to checkpoint `id`; idempotent.
  void commit(uint32_t instance, protocol::checkpoint_id id) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto& p = part(instance);
    for (auto i = p.staged.begin(); i != p.staged.end() && i->first <= id;
         i = p.staged.erase(i))
      p.committed.insert(p.committed.end(), i->second.begin(), i->second.end());
  }

  /// A restarted instance: what it staged before is lost, except what the
  /// restored checkpoint covers, which commits now.
  void recover(uint32_t instance, std::optional<protocol::checkpoint_id> id) {
    if (id)
      commit(instance, *id);
    std::lock_guard<std::mutex> guard{mtx_};
    auto& p = part(instance);
    p.staged.clear();
    p.open.clear();
  }

private:
  struct part_data {
    std::vector<T> committed;
    std::vector<T> open;
    std::map<protocol::checkpoint_id, std::vector<T>> staged;
  };

  part_data& part(uint32_t instance) {
    if (parts_.size() <= instance)
      parts_.resize(instance + 1);
    return parts_[instance];
  }

  mutable std::mutex mtx_;
  std::vector<part_data> parts_;
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
  collect_instance(std::shared_ptr<collected<T>> into, uint32_t instance,
                   bool hold)
      : into_(std::move(into)), instance_(instance), hold_(hold) {}

  void open(const std::optional<operators::restored_from>& restored) override {
    into_->recover(instance_,
                   restored ? std::optional{restored->id} : std::nullopt);
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    into_->append(instance_, operators::take_records<T>(payload), hold_);
  }

  std::optional<std::string> pre_commit(protocol::checkpoint_id id) override {
    into_->stage(instance_, id);
    return std::to_string(protocol::to_integer(id));
  }

  void commit(protocol::checkpoint_id id) override {
    into_->commit(instance_, id);
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::shared_ptr<collected<T>> into_;
  uint32_t instance_;
  bool hold_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
collect<T>::make_instance(const operators::instance_context& ctx) const {
  return std::make_unique<collect_instance<T>>(into, ctx.instance,
                                               ctx.checkpointing);
}

} // namespace sluice::connectors
