#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/execution_unit.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/message_id.hpp>
#include <caf/message_priority.hpp>
#include <caf/policy/work_stealing.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/scheduler/worker.hpp>

#include <atomic>
#include <utility>
#include <vector>

namespace sluice::actors {

/// Wakes an idle instance on the scheduler worker it last ran on.
///
/// CAF queues an actor that a message wakes behind its sender, on the
/// sender's worker. Between instances of one pipeline that drags each
/// stage onto the worker of the stage before it: a source that produces
/// while it has credit keeps its worker, and its consumer then waits there
/// until another worker steals it; a consumer's credit in turn pulls the
/// source onto the consumer's worker. Measured on two workers, a source,
/// map and sink ran at 55-65 M records/s with the source alone on one
/// worker, and at 17-27 M with source and map sharing one, the placement
/// these wake-ups kept restoring.
///
/// Sent through here, a message that wakes its receiver queues it on the
/// worker it last ran on (`home`, as its own messages said: `peer_homes`),
/// so that instances stay where stealing spread them. Lives in one actor's
/// state. Without CAF's work-stealing scheduler, or for a receiver with no home
/// yet, it sends as CAF does.
class worker_affinity {
public:
  using worker = caf::scheduler::worker<caf::policy::work_stealing>;

  /// No worker is known: every send is a plain one.
  worker_affinity() = default;

  explicit worker_affinity(caf::actor_system& sys);

  /// The index of the worker running code with context `ctx`, or -1.
  int worker_of(caf::execution_unit* ctx) const noexcept;

  /// Notes the worker that runs `self` now (`current`).
  void note(caf::scheduled_actor* self) {
    if (self->context() == last_context_)
      return;
    last_context_ = self->context();
    current_ = worker_of(last_context_);
  }

  /// The worker this actor ran on when it last called `note`; -1 if none.
  /// Its messages to peers carry it, so that their answers wake it there.
  int current() const noexcept { return current_; }

  /// Sends `xs` from `self` to `dest`, which last ran on worker `home`
  /// (-1: unknown). The order of messages to `dest` is CAF's either way:
  /// only where a woken receiver queues differs.
  template <caf::message_priority P = caf::message_priority::normal,
            class... Ts>
  void send(caf::event_based_actor* self, const caf::actor& dest, int home,
            Ts&&... xs);

private:
  /// Queues what a message woke on `target`, from any thread.
  struct remote_queue final : caf::execution_unit {
    void exec_later(caf::resumable* job) override {
      target->external_enqueue(job);
    }
    worker* target = nullptr;
  };

  std::vector<worker*> workers_;
  remote_queue wake_on_;
  caf::execution_unit* last_context_ = nullptr;
  int current_ = -1;
};

/// Where each peer of one instance last ran, as the peer's own messages
/// say: a batch carries its producer's worker, a demand its consumer's.
/// Nothing is read from another actor's memory. A peer in another process
/// has no worker here: what its messages say is ignored.
class peer_homes {
public:
  peer_homes() = default;

  peer_homes(const caf::node_id& here, const std::vector<caf::actor>& peers);

  /// Peer `k`'s message said it ran on `worker`.
  void learn(size_t k, int worker) {
    if (local_[k])
      home_[k] = worker;
  }

  /// The worker peer `k` last ran on; -1 if unknown or remote.
  int operator[](size_t k) const { return home_[k]; }

private:
  std::vector<int> home_;
  std::vector<bool> local_;
};

// -- template implementation --------------------------------------------------

template <caf::message_priority P, class... Ts>
void worker_affinity::send(caf::event_based_actor* self, const caf::actor& dest,
                           int home, Ts&&... xs) {
  auto at = home;
  if (!dest || at < 0 || static_cast<size_t>(at) >= workers_.size()
      || workers_[static_cast<size_t>(at)] == self->context()) {
    self->template send<P>(dest, std::forward<Ts>(xs)...);
    return;
  }
  wake_on_.target = workers_[static_cast<size_t>(at)];
  dest->enqueue(caf::make_mailbox_element(self->ctrl(), caf::make_message_id(P),
                                          {}, std::forward<Ts>(xs)...),
                &wake_on_);
}

} // namespace sluice::actors
