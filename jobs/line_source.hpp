#pragma once

#include "connectors/file_position_state.hpp"
#include "connectors/line_reader.hpp"
#include "jobs/record.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <memory>
#include <string>

namespace sluice::jobs {

/// A text file as job-file records: one record (line) per line, without
/// its line break, carrying its line number. Read by one instance; its
/// offset is the byte position after the last line read, so a resumed job
/// reads on from there, once it checked that the file is the one it read
/// (`connectors::line_reader`).
struct line_source {
  using record_type = record;

  /// One reader per file.
  static constexpr uint32_t max_parallelism = 1;

  std::string path;

  std::unique_ptr<operators::source_instance>
  make_instance(const operators::instance_context& ctx,
                std::unique_ptr<protocol::output_router<record>> r) const;
};

/// Reads `path` line by line; throws naming the file when it cannot, or
/// when it cannot resume it.
class line_source_instance final : public operators::source_instance {
public:
  line_source_instance(std::string path,
                       std::unique_ptr<protocol::output_router<record>> r);

  operators::pull_result pull(uint64_t max_records) override;

  uint64_t offset() const override { return reader_.offset(); }

  void seek(uint64_t offset) override {
    reader_.seek(offset, position_.restored());
  }

  protocol::output_port& output() noexcept override { return *router_; }

  state::state_registry* states() noexcept override { return &states_; }

private:
  connectors::line_reader reader_;
  connectors::file_position_state position_{reader_};
  std::unique_ptr<protocol::output_router<record>> router_;
  state::state_registry states_;
};

} // namespace sluice::jobs
