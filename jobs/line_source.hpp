#pragma once

#include "jobs/record.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <fstream>
#include <memory>
#include <string>

namespace sluice::jobs {

/// A text file as job-file records: one record (line) per line, without
/// its line break. Read by one instance; its offset is the byte position
/// after the last line read, so a resumed job reads on from there.
struct line_source {
  using record_type = record;

  /// One reader per file.
  static constexpr uint32_t max_parallelism = 1;

  std::string path;

  std::unique_ptr<operators::source_instance>
  make_instance(const operators::instance_context& ctx,
                std::unique_ptr<protocol::output_router<record>> r) const;
};

/// Reads `path` line by line; throws naming the file when it cannot.
class line_source_instance final : public operators::source_instance {
public:
  line_source_instance(std::string path,
                       std::unique_ptr<protocol::output_router<record>> r);

  operators::pull_result pull(uint64_t max_records) override;

  uint64_t offset() const override { return offset_; }

  void seek(uint64_t offset) override;

  protocol::output_port& output() noexcept override { return *router_; }

private:
  std::string path_;
  std::ifstream in_;
  std::unique_ptr<protocol::output_router<record>> router_;
  uint64_t offset_ = 0;
  uint64_t line_ = 0;
};

} // namespace sluice::jobs
