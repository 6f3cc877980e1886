#pragma once

#include "connectors/line_format.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"

#include <fstream>
#include <memory>
#include <string>

namespace sluice::connectors {

/// Appends each batch's lines to a file and checks that the write
/// succeeded; throws naming the file when it does not (a full disk, say).
class line_file_writer {
public:
  explicit line_file_writer(std::string path);

  void write(const std::string& lines);

  void close();

  const std::string& path() const noexcept { return path_; }

private:
  void check(const char* what);

  std::string path_;
  std::ofstream out_;
};

/// A sink writing one line per record to a file per instance (see
/// `instance_path`), replacing what the file held.
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
  explicit write_lines_instance(std::string path) : file_(std::move(path)) {}

  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    buffer_.clear();
    for (auto& x : records) {
      append_line(buffer_, x);
      buffer_ += '\n';
    }
    file_.write(buffer_);
  }

  void finish() override { file_.close(); }

  protocol::output_port* output() noexcept override { return nullptr; }

private:
  line_file_writer file_;
  std::string buffer_;
};

template <class T>
std::unique_ptr<operators::operator_instance>
write_lines<T>::make_instance(const operators::instance_context& ctx) const {
  return std::make_unique<write_lines_instance<T>>(
    instance_path(path, ctx.instance, ctx.parallelism));
}

} // namespace sluice::connectors
