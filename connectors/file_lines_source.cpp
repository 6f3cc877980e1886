#include "connectors/file_lines_source.hpp"

namespace sluice::connectors {

std::unique_ptr<operators::source_instance> file_lines::make_instance(
  const operators::instance_context&,
  std::unique_ptr<protocol::output_router<std::string>> r) const {
  return std::make_unique<file_lines_instance>(path, std::move(r));
}

file_lines_instance::file_lines_instance(
  std::string path, std::unique_ptr<protocol::output_router<std::string>> r)
    : reader_(std::move(path)), router_(std::move(r)) {
  states_.add("file", position_);
}

operators::pull_result file_lines_instance::pull(uint64_t max_records) {
  auto& out = router_->staging();
  uint64_t n = 0;
  std::string line;
  while (n < max_records && reader_.next(line)) {
    out.push_back(std::move(line));
    line.clear();
    ++n;
  }
  router_->route();
  return {n,
          reader_.at_end() ? operators::pull_status::exhausted
                           : operators::pull_status::more,
          {}};
}

} // namespace sluice::connectors
