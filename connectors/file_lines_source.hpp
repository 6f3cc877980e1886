#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <fstream>
#include <memory>
#include <string>

namespace sluice::connectors {

/// A text file, one record per line (without its line break). Read by one
/// instance; its offset is the byte position after the last line read.
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
/// when it cannot be opened or read.
class file_lines_instance final : public operators::source_instance {
public:
  file_lines_instance(std::string path,
                      std::unique_ptr<protocol::output_router<std::string>> r);

  operators::pull_result pull(uint64_t max_records) override;

  uint64_t offset() const override { return offset_; }

  void seek(uint64_t offset) override;

  protocol::output_port& output() noexcept override { return *router_; }

private:
  std::string path_;
  std::ifstream in_;
  std::unique_ptr<protocol::output_router<std::string>> router_;
  uint64_t offset_ = 0;
  uint64_t line_ = 0;
};

} // namespace sluice::connectors
