#include "actors/instance_report.hpp"

namespace sluice::actors {

uint64_t job_report::records_in(const std::string& stage) const {
  uint64_t n = 0;
  for (auto& x : instances)
    if (x.stage == stage)
      n += x.records_in;
  return n;
}

uint64_t job_report::records_out(const std::string& stage) const {
  uint64_t n = 0;
  for (auto& x : instances)
    if (x.stage == stage)
      n += x.records_out;
  return n;
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
