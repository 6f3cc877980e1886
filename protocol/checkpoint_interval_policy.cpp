#include "protocol/checkpoint_interval_policy.hpp"

#include <algorithm>
#include <cmath>

namespace sluice::protocol {

namespace {

using std::chrono::nanoseconds;

/// CI3: the share of the records bound the interval aims at; the rest
/// absorbs a rate that rises before the next measurement.
constexpr double records_headroom = 0.75;

/// CI9: a change of the interval by more than this share is reported.
constexpr double meaningful_change = 0.25;

/// CI2: a higher sample counts at once, a lower one halfway, so the
/// estimate follows a rising rate or cost at once and a falling one slowly.
double follow(double estimate, double sample) {
  return sample >= estimate ? sample : (estimate + sample) / 2;
}

nanoseconds from_seconds(double s) {
  return nanoseconds{static_cast<int64_t>(std::max(0.0, s) * 1e9)};
}

} // namespace

std::string to_string(interval_reason x) {
  switch (x) {
  case interval_reason::fixed:
    return "fixed";
  case interval_reason::no_rate_yet:
    return "no_rate_yet";
  case interval_reason::replay_records:
    return "replay_records";
  case interval_reason::replay_time:
    return "replay_time";
  case interval_reason::overhead:
    return "overhead";
  case interval_reason::max_interval:
    return "max_interval";
  case interval_reason::min_interval:
    return "min_interval";
  case interval_reason::lag:
    return "lag";
  }
  return "?";
}

checkpoint_interval_policy::checkpoint_interval_policy(interval_targets targets,
                                                       duration fixed,
                                                       uint32_t sources,
                                                       time_point now)
    : targets_(targets), fixed_(fixed),
      sources_(std::max<uint32_t>(sources, 1)), last_start_(now) {
  current_ = choose();
  reported_ = current_;
}

void checkpoint_interval_policy::on_started(time_point now) {
  last_start_ = now;
  due_now_ = false;
}

void checkpoint_interval_policy::on_aborted() {
  // CI7: the held sources wait for a checkpoint that will not come.
  due_now_ = held_;
}

void checkpoint_interval_policy::on_skipped(time_point now) {
  last_start_ = now;
}

bool checkpoint_interval_policy::on_completed(time_point started,
                                              time_point now,
                                              uint64_t records) {
  held_ = false;
  cost_ns_ = follow(cost_ns_, static_cast<double>((now - started).count()));
  // CI2: the snapshots were taken as the triggers arrived, so the records
  // between two checkpoints were read between their starts.
  if (base_ && started > base_->first && records >= base_->second) {
    auto seconds
      = std::chrono::duration<double>(started - base_->first).count();
    rate_
      = follow(rate_, static_cast<double>(records - base_->second) / seconds);
  }
  if (!base_ || started > base_->first)
    base_.emplace(started, records);
  return update();
}

bool checkpoint_interval_policy::on_source_held() {
  if (!targets_.adaptive())
    return false;
  held_ = true;
  due_now_ = true;
  return update();
}

void checkpoint_interval_policy::on_failure() {
  base_.reset();
  // CI7: sources of regions that did not fail may still hold; the first
  // checkpoint after the restart releases them.
  due_now_ = held_;
}

std::optional<checkpoint_interval_policy::time_point>
checkpoint_interval_policy::due() const {
  if (due_now_) // CI7: at once
    return last_start_;
  if (current_.interval.count() <= 0)
    return std::nullopt;
  return last_start_ + current_.interval;
}

uint64_t
checkpoint_interval_policy::record_allowance(const interval_targets& targets,
                                             uint32_t sources) noexcept {
  if (targets.max_replay_records == 0)
    return 0;
  return std::max<uint64_t>(1, targets.max_replay_records
                                 / std::max<uint32_t>(sources, 1));
}

interval_choice checkpoint_interval_policy::choose() const {
  if (!targets_.adaptive())
    return {fixed_, interval_reason::fixed};
  if (held_)
    return {current_.interval, interval_reason::lag};
  auto cost = nanoseconds{static_cast<int64_t>(cost_ns_)};
  // CI5: as often as the checkpoints' cost allows, which keeps the replay
  // short; without an overhead target, as seldom as allowed (CI6).
  interval_choice choice{targets_.max_interval, interval_reason::max_interval};
  if (targets_.max_overhead > 0)
    choice = cost_ns_ > 0
               ? interval_choice{from_seconds(cost_ns_ / 1e9
                                              / targets_.max_overhead),
                                 interval_reason::overhead}
               : interval_choice{targets_.min_interval,
                                 interval_reason::no_rate_yet};
  // CI3, CI4: a replay bound asking for more often wins over the overhead;
  // where even that is not enough, the sources hold (CI8).
  auto lower_to = [&](nanoseconds x, interval_reason why) {
    if (x < choice.interval)
      choice = {x, why};
  };
  if (targets_.max_replay_records > 0) {
    if (rate_ <= 0) // CI2
      lower_to(targets_.min_interval, interval_reason::no_rate_yet);
    else
      lower_to(from_seconds(records_headroom
                            * static_cast<double>(targets_.max_replay_records)
                            / rate_)
                 - cost,
               interval_reason::replay_records);
  }
  if (targets_.max_replay_time.count() > 0)
    lower_to(targets_.max_replay_time - cost, interval_reason::replay_time);
  // CI6: within the interval allowed.
  if (choice.interval < targets_.min_interval)
    choice = {targets_.min_interval, interval_reason::min_interval};
  if (choice.interval > targets_.max_interval)
    choice = {targets_.max_interval, interval_reason::max_interval};
  return choice;
}

bool checkpoint_interval_policy::update() {
  current_ = choose();
  auto before = static_cast<double>(reported_.interval.count());
  auto now = static_cast<double>(current_.interval.count());
  // CI9: a hold is counted, not logged: under lag it comes every cycle.
  bool changed = current_.reason != interval_reason::lag
                 && (current_.reason != reported_.reason
                     || std::abs(now - before) > meaningful_change * before);
  if (changed)
    reported_ = current_;
  return changed;
}

} // namespace sluice::protocol
