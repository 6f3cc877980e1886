#include "cli/progress_meter.hpp"

#include <cstdio>

namespace sluice::cli {

namespace {

/// How far back the rate looks.
constexpr auto rate_window = std::chrono::seconds{3};

} // namespace

progress_meter::progress_meter(const actors::job_metrics& metrics,
                               std::vector<std::string> sources,
                               std::vector<std::string> sinks,
                               bool checkpointing)
    : metrics_(metrics), sources_(std::move(sources)), sinks_(std::move(sinks)),
      checkpointing_(checkpointing) {}

uint64_t progress_meter::sum(const std::vector<std::string>& stages) const {
  uint64_t n = 0;
  for (auto& s : stages)
    n += metrics_.sum(s, &actors::instance_metrics::records_in);
  return n;
}

void progress_meter::sample() {
  auto now = clock::now();
  window_.push_back(reading{now, sum(sources_), sum(sinks_)});
  while (window_.size() > 2 && now - window_[1].time >= rate_window)
    window_.pop_front();
  for (auto& c : metrics_.checkpoints())
    if (c.completed
        && (!checkpoint_ || protocol::to_integer(c.id) > *checkpoint_)) {
      checkpoint_ = protocol::to_integer(c.id);
      checkpoint_seen_ = now;
    }
}

std::string progress_meter::line() const {
  if (window_.empty())
    return "starting";
  auto& last = window_.back();
  auto& first = window_.front();
  char buf[160];
  std::snprintf(buf, sizeof(buf), "%llu in, %llu out",
                static_cast<unsigned long long>(last.in),
                static_cast<unsigned long long>(last.out));
  std::string result = buf;
  std::chrono::duration<double> dt = last.time - first.time;
  if (dt.count() > 0) {
    std::snprintf(buf, sizeof(buf), ", %.0f records/s",
                  static_cast<double>(last.in - first.in) / dt.count());
    result += buf;
  }
  if (checkpoint_) {
    auto age = std::chrono::duration_cast<std::chrono::seconds>(
      last.time - checkpoint_seen_);
    result += ", checkpoint " + std::to_string(*checkpoint_) + " ("
              + std::to_string(age.count()) + "s ago)";
  } else if (checkpointing_) {
    result += ", no checkpoint yet";
  }
  return result;
}

} // namespace sluice::cli
