#include "jobs/line_source.hpp"

namespace sluice::jobs {

std::unique_ptr<operators::source_instance> line_source::make_instance(
  const operators::instance_context&,
  std::unique_ptr<protocol::output_router<record>> r) const {
  return std::make_unique<line_source_instance>(path, std::move(r));
}

line_source_instance::line_source_instance(
  std::string path, std::unique_ptr<protocol::output_router<record>> r)
    : reader_(std::move(path)), router_(std::move(r)) {
  states_.add("file", position_);
}

operators::pull_result line_source_instance::pull(uint64_t max_records) {
  auto& out = router_->staging();
  uint64_t n = 0;
  std::string line;
  while (n < max_records && reader_.next(line)) {
    out.push_back(record{{std::move(line)}, reader_.lines()});
    line.clear();
    ++n;
  }
  router_->route();
  return {n,
          reader_.at_end() ? operators::pull_status::exhausted
                           : operators::pull_status::more,
          {}};
}

} // namespace sluice::jobs
