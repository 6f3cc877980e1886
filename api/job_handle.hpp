#pragma once

#include "actors/instance_report.hpp"
#include "actors/job_metrics.hpp"
#include "actors/job_outcome.hpp"
#include "actors/job_plan.hpp"

#include <caf/actor.hpp>
#include <caf/expected.hpp>

#include <chrono>
#include <memory>

namespace sluice {

using actors::instance_report;
using actors::job_report;

/// A started job. Copies refer to the same job.
class job_handle {
public:
  job_handle(caf::actor runner, std::shared_ptr<actors::job_outcome> outcome,
             std::shared_ptr<const actors::job_plan> plan)
      : runner_(std::move(runner)), outcome_(std::move(outcome)),
        plan_(std::move(plan)) {}

  /// Blocks until the job ended: its report, or the error that failed it.
  /// Call it from a thread of your own, not from inside an actor.
  caf::expected<job_report> wait() { return outcome_->wait(); }

  /// Blocks until the job ended or `timeout` passed; true if it ended.
  bool wait_for(std::chrono::nanoseconds timeout) {
    return outcome_->wait_for(timeout);
  }

  bool done() const { return outcome_->done(); }

  /// Stops the job: sources end their streams and every record already
  /// read flows to the sinks before the job ends. Returns at once.
  void stop();

  /// Takes a checkpoint now and blocks until it completed: its id, or why
  /// it did not complete. Needs a checkpoint store.
  caf::expected<uint64_t> checkpoint();

  /// Live figures of every instance and every checkpoint so far; readable
  /// from any thread while the job runs and after.
  const actors::job_metrics& metrics() const noexcept {
    return *plan_->metrics;
  }

  const std::string& name() const noexcept { return plan_->name; }

  /// The job as it started: stages, their settings and the channels
  /// between instances (the graph a dashboard draws).
  const actors::job_plan& plan() const noexcept { return *plan_; }

  /// The gateway application actors feed ingress stage `stage` through;
  /// null if there is no such stage.
  caf::actor ingress(const std::string& stage) const {
    for (auto& s : plan_->stages)
      if (s.node.name == stage && s.ingress)
        return s.gateway;
    return {};
  }

  /// The actor that runs the job. Actors may `request(runner, infinite,
  /// actors::wait_atom::value)` for the outcome, or monitor it.
  const caf::actor& runner() const noexcept { return runner_; }

private:
  caf::actor runner_;
  std::shared_ptr<actors::job_outcome> outcome_;
  std::shared_ptr<const actors::job_plan> plan_;
};

} // namespace sluice
