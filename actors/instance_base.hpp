#pragma once

#include "actors/errc.hpp"
#include "actors/fault_injector.hpp"
#include "actors/instance_report.hpp"
#include "actors/job_plan.hpp"
#include "actors/output_link.hpp"
#include "actors/roster.hpp"
#include "actors/worker_affinity.hpp"
#include "operators/record_failure.hpp"
#include "protocol/messages.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::actors {

/// What the runner hands a restarted instance of its predecessor: the
/// counters go on across restarts, so they count work done, replays
/// included.
struct instance_counters {
  uint64_t records_in = 0;
  uint64_t batches_in = 0;
};

/// What every source, transform and sink instance keeps: who it is, its
/// peers from the roster, its outputs, its live figures and report, and
/// its injected faults. The state of each instance actor derives from it.
struct instance_base {
  std::shared_ptr<const job_plan> plan;
  uint32_t stage = 0;
  uint32_t instance = 0;
  std::string where; ///< "stage 'x' instance i/p", for errors and logs.
  caf::actor runner;
  caf::actor coordinator; ///< Null without checkpoints.
  caf::actor store;       ///< Null without checkpoints.
  output_link link;
  worker_affinity affinity;
  instance_report report;
  instance_metrics* metrics = nullptr;
  fault_injector faults;
  /// Credit that overtook the roster (demand has high priority).
  std::vector<protocol::demand> early_demand;
  /// Since when the outputs are saturated, while they are.
  std::optional<std::chrono::steady_clock::time_point> saturated_since;
};

/// Sets up what every instance needs before its logic: identity, figures,
/// counters, wake-up affinity, faults, and the handlers that keep stray
/// messages from ending it and tell the runner what it did however it ends.
void init_instance(caf::event_based_actor* self, instance_base& st,
                   std::shared_ptr<const job_plan> plan, uint32_t stage,
                   uint32_t instance, const instance_counters& counters);

/// Takes the runner, coordinator and store from the roster.
void take_roster(instance_base& st, const roster& r);

/// Ends the instance with `code`, the context naming it. The runner gets
/// its report first, so that it knows what the instance read.
void fail_instance(caf::event_based_actor* self, instance_base& st, errc code,
                   const std::string& what);

/// Runs user code `f` (`doing` names it: "failed", "failed to finish", ...):
/// an exception fails the instance naming the record where one is known.
/// False when it did.
template <class F>
bool guarded(caf::event_based_actor* self, instance_base& st,
             const std::string& doing, F&& f) {
  try {
    f();
    return true;
  } catch (const operators::record_failure& e) {
    fail_instance(self, st, errc::operator_failed,
                  doing + " on record " + e.record() + ": " + e.what());
  } catch (const std::exception& e) {
    fail_instance(self, st, errc::operator_failed, doing + ": " + e.what());
  }
  return false;
}

/// Raises the fault injected at `phase`, if any. False when it did.
bool survive(caf::event_based_actor* self, instance_base& st,
             config::checkpoint_phase phase);

/// Counts backpressured time: the outputs are `saturated` now.
void note_saturation(instance_base& st, bool saturated);

/// The instance ends normally: the runner gets its report, the actor quits.
void end_instance(caf::event_based_actor* self, instance_base& st);

} // namespace sluice::actors
