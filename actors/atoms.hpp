#pragma once

#include <caf/atom.hpp>

namespace sluice::actors {

/// A source produces its next records (sent to itself).
using pull_atom = caf::atom_constant<caf::atom("pull")>;
/// The batch linger expired: ship partial batches (sent to itself).
using flush_atom = caf::atom_constant<caf::atom("flush")>;
/// Stop a job: sources end their streams, the rest drains.
using stop_atom = caf::atom_constant<caf::atom("stop")>;
/// Ask a job runner for the job's outcome once it finished.
using wait_atom = caf::atom_constant<caf::atom("wait")>;
/// Ask a job runner for the reports of its instances so far.
using report_atom = caf::atom_constant<caf::atom("report")>;
/// Ask for a checkpoint now (job runner, coordinator).
using checkpoint_atom = caf::atom_constant<caf::atom("checkpoint")>;
/// Store: a checkpoint started / completed / was given up.
using begin_atom = caf::atom_constant<caf::atom("begin")>;
using complete_atom = caf::atom_constant<caf::atom("complete")>;
using abort_atom = caf::atom_constant<caf::atom("abort")>;
/// Coordinator to itself: time for the next checkpoint.
using tick_atom = caf::atom_constant<caf::atom("tick")>;
/// Store: load the newest restorable checkpoint.
using load_atom = caf::atom_constant<caf::atom("load")>;
/// Restarted instance to runner: it processed its first record again.
using resumed_atom = caf::atom_constant<caf::atom("resumed")>;
/// Runner to itself: the backoff before a restart is over.
using restart_atom = caf::atom_constant<caf::atom("restart")>;
/// Runner to coordinator: instances are being restarted.
using failover_atom = caf::atom_constant<caf::atom("failover")>;
/// Runner to an ingress gateway: the stage's current instances.
using instances_atom = caf::atom_constant<caf::atom("instances")>;
/// Source to itself: time to send a latency marker.
using marker_atom = caf::atom_constant<caf::atom("marker")>;
/// Operator to itself: its logic's timer is due.
using timer_atom = caf::atom_constant<caf::atom("timer")>;
/// Runner to itself: a stopped job had its checkpoint timeout to end.
using stop_deadline_atom = caf::atom_constant<caf::atom("stopdue")>;
/// Coordinator to itself: a checkpoint's time is up.
using timeout_atom = caf::atom_constant<caf::atom("timeout")>;

} // namespace sluice::actors
