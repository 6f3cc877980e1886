#pragma once

#include "connectors/epoch_files.hpp"
#include "connectors/line_format.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"

#include <memory>
#include <string>

namespace sluice::connectors {

/// An exactly-once sink: one line per record, each checkpoint's epoch in
/// its own file under `directory`, published by atomic rename once the
/// checkpoint completed (rule T1). A restarted job publishes what its
/// checkpoint covers and drops what came after, so every record appears in
/// the published files exactly once. Needs checkpoints; without them the
/// whole output is published when the job ends.
template <class T>
struct commit_files {
  using record_type = T;

  std::string directory;

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class T>
class commit_files_instance final : public operators::operator_instance {
public:
  commit_files_instance(std::string directory, std::string name,
                        bool checkpointing, bool start_over)
      : files_(std::move(directory), std::move(name)),
        checkpointing_(checkpointing), start_over_(start_over) {}

  void open(const std::optional<operators::restored_from>& restored) override {
    files_.recover(restored ? std::optional{restored->id} : std::nullopt,
                   start_over_ || !checkpointing_);
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    buffer_.clear();
    for (auto& x : records) {
      append_line(buffer_, x);
      buffer_ += '\n';
    }
    files_.write(buffer_);
  }

  std::optional<std::string> pre_commit(protocol::checkpoint_id id) override {
    return files_.stage(id);
  }

  void commit(protocol::checkpoint_id id) override { files_.publish(id); }

  void finish() override {
    if (!checkpointing_)
      files_.publish_open("all");
  }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  epoch_files files_;
  bool checkpointing_;
  bool start_over_;
  std::string buffer_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
commit_files<T>::make_instance(const operators::instance_context& ctx) const {
  return std::make_unique<commit_files_instance<T>>(
    directory, ctx.stage + "-" + std::to_string(ctx.instance),
    ctx.checkpointing, ctx.start_over);
}

} // namespace sluice::connectors
