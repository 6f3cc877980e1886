#pragma once

#include "protocol/checkpoint_messages.hpp"
#include "protocol/checkpoint_tracker.hpp"
#include "protocol/egress_messages.hpp"
#include "protocol/ingress_messages.hpp"
#include "protocol/messages.hpp"
#include "protocol/node_messages.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/type_id.hpp>

/// Every message type of the dataflow protocol, with its wire identity. The
/// names must match on every node of a job.
CAF_BEGIN_TYPE_ID_BLOCK(sluice, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::record_payload))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::batch))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::demand))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::end_of_stream))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::latency_marker))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::checkpoint_trigger))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::barrier))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::snapshot_stored))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::snapshot_failed))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::checkpoint_committed))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::source_finished))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::failover_paused))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::checkpoint_plan))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::ingress_open))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::ingress_header))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::ingress_credit))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::ingress_ack))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::ingress_rejected))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::egress_hello))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::egress_demand))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::egress_header))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::egress_end))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::node_hello))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::node_welcome))
  CAF_ADD_TYPE_ID(sluice, (sluice::protocol::source_held))
CAF_END_TYPE_ID_BLOCK(sluice)

namespace sluice::protocol {

/// Announces the protocol's message types and error category to CAF. Needed
/// before batches can cross the network; harmless for local jobs.
void add_message_types(caf::actor_system_config& cfg);

} // namespace sluice::protocol
