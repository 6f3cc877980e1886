#pragma once

// A sink of its own: publishes each customer's latest total, but only once
// the checkpoint that covers it completed.

#include "order.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <sluice.hpp>

/// The totals readers see: shared by the sink's instances (each runs in an
/// actor of its own, so they lock) and the application.
struct totals_board {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, int64_t> cents;
};

// snippet-begin: sink
/// One instance's logic. Records of an epoch wait in `pending_`; the
/// checkpoint barrier stages them (`pre_commit`), and the checkpoint's
/// completion publishes them (`commit`). Publishing sets each customer's
/// latest total, so publishing the same epoch twice changes nothing, as
/// `commit` after a restore requires. Staging here lives in memory: a sink
/// that must survive a crash of its process stages durably, as
/// `commit_files` does.
class board_instance final : public sluice::operator_instance {
public:
  board_instance(std::shared_ptr<totals_board> board, bool checkpointing)
      : board_(std::move(board)), checkpointing_(checkpointing) {}

  void process(uint32_t, sluice::record_payload&& batch) override {
    for (auto& x : sluice::take_records<customer_total>(batch))
      pending_[{x.key.shop, x.key.customer}] = x.cents;
  }

  std::optional<std::string> pre_commit(sluice::checkpoint_id id) override {
    staged_[id] = std::move(pending_);
    pending_.clear();
    return std::nullopt; // nothing for the checkpoint store to keep
  }

  void commit(sluice::checkpoint_id id) override {
    std::lock_guard<std::mutex> guard{board_->mutex};
    auto end = staged_.upper_bound(id);
    for (auto i = staged_.begin(); i != end; ++i)
      for (auto& [key, cents] : i->second)
        board_->cents[key] = cents;
    staged_.erase(staged_.begin(), end);
  }

  /// Without checkpoints nothing commits: the end of the input publishes.
  void finish() override {
    if (!checkpointing_)
      commit(sluice::checkpoint_id{UINT64_MAX});
  }

  sluice::output_port* output() noexcept override { return nullptr; }

private:
  using totals = std::map<std::pair<std::string, std::string>, int64_t>;
  std::shared_ptr<totals_board> board_;
  bool checkpointing_;
  totals pending_;
  std::map<sluice::checkpoint_id, totals> staged_;
};

/// The spec that `.sink(name, spec)` takes: a factory for each instance.
struct publish_totals {
  std::shared_ptr<totals_board> board;

  std::unique_ptr<sluice::operator_instance>
  make_instance(const sluice::instance_context& ctx) const {
    return std::make_unique<board_instance>(board, ctx.checkpointing);
  }
};
// snippet-end
