#include "actors/instance_report.hpp"

namespace sluice::actors {

namespace {

uint64_t sum_of(const std::vector<instance_report>& xs,
                const std::string& stage, uint64_t instance_report::*field) {
  uint64_t n = 0;
  for (auto& x : xs)
    if (x.stage == stage)
      n += x.*field;
  return n;
}

} // namespace

uint64_t job_report::records_in(const std::string& stage) const {
  return sum_of(instances, stage, &instance_report::records_in);
}

uint64_t job_report::records_out(const std::string& stage) const {
  return sum_of(instances, stage, &instance_report::records_out);
}

uint64_t job_report::records_skipped(const std::string& stage) const {
  return sum_of(instances, stage, &instance_report::records_skipped);
}

} // namespace sluice::actors

namespace sluice::actors {

size_t job_report::completed_checkpoints() const {
  size_t n = 0;
  for (auto& c : checkpoints)
    if (c.completed)
      ++n;
  return n;
}

} // namespace sluice::actors
