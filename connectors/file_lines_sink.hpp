#pragma once

#include "connectors/line_format.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "operators/record_failure.hpp"
#include "state/operator_value_state.hpp"

#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace sluice::connectors {

/// Appends each batch's lines to a file and checks that the write
/// succeeded; throws naming the file when it does not (a full disk, say).
class line_file_writer {
public:
  /// Creates `path` empty, or, when resuming, cuts it back to `resume_at`
  /// bytes (what a checkpoint covered) and appends from there.
  explicit line_file_writer(std::string path,
                            std::optional<uint64_t> resume_at = std::nullopt);

  void write(const std::string& lines);

  /// Pushes buffered lines to the operating system.
  void flush();

  void close();

  const std::string& path() const noexcept { return path_; }

  /// Bytes in the file after the last write.
  uint64_t size() const noexcept { return size_; }

private:
  void check(const char* what);

  std::string path_;
  std::ofstream out_;
  uint64_t size_ = 0;
};

/// A sink writing one line per record to a file per instance (see
/// `instance_path`), replacing what the file held. With checkpoints, each
/// snapshot records the file's length; a job resumed from it cuts the file
/// back to that length, so replayed records are not written twice.
template <class T>
struct write_lines {
  using record_type = T;

  std::string path;

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context& ctx) const;
};

template <class T>
class write_lines_instance final : public operators::operator_instance {
public:
  explicit write_lines_instance(std::string path) : path_(std::move(path)) {
    states_.add("file-length", length_);
  }

  void open(const std::optional<operators::restored_from>& restored) override {
    std::optional<uint64_t> resume_at;
    if (restored)
      resume_at = length_.value();
    file_ = std::make_unique<line_file_writer>(path_, resume_at);
  }

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    buffer_.clear();
    for (auto& x : records) {
      append_line(buffer_, x);
      buffer_ += '\n';
    }
    file_->write(buffer_);
    length_.value() = file_->size();
  }

  std::optional<std::string> pre_commit(protocol::checkpoint_id) override {
    file_->flush();
    return std::nullopt;
  }

  void close() override { file_->close(); }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  std::string path_;
  std::unique_ptr<line_file_writer> file_;
  state::operator_value_state<uint64_t> length_;
  std::string buffer_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
write_lines<T>::make_instance(const operators::instance_context& ctx) const {
  return std::make_unique<write_lines_instance<T>>(
    instance_path(path, ctx.instance, ctx.parallelism));
}

} // namespace sluice::connectors
