#pragma once

#include "connectors/file_position_state.hpp"
#include "connectors/line_reader.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <memory>
#include <string>

namespace sluice::connectors {

/// A text file, one record per line (without its line break). Read by one
/// instance; its offset is the byte position after the last line read, and
/// a resumed source checks that the file is the one it read
/// (`line_reader`).
struct file_lines {
  using record_type = std::string;

  /// One reader per file.
  static constexpr uint32_t max_parallelism = 1;

  std::unique_ptr<operators::source_instance>
  make_instance(const operators::instance_context& ctx,
                std::unique_ptr<protocol::output_router<std::string>> r) const;

  std::string path;
};

/// Reads `path` line by line. Throws `std::runtime_error` naming the file
/// when it cannot be opened, read or resumed.
class file_lines_instance final : public operators::source_instance {
public:
  file_lines_instance(std::string path,
                      std::unique_ptr<protocol::output_router<std::string>> r);

  operators::pull_result pull(uint64_t max_records) override;

  uint64_t offset() const override { return reader_.offset(); }

  void seek(uint64_t offset) override {
    reader_.seek(offset, position_.restored());
  }

  protocol::output_port& output() noexcept override { return *router_; }

  state::state_registry* states() noexcept override { return &states_; }

private:
  line_reader reader_;
  file_position_state position_{reader_};
  std::unique_ptr<protocol::output_router<std::string>> router_;
  state::state_registry states_;
};

} // namespace sluice::connectors
