#pragma once

#include "actors/worker_affinity.hpp"
#include "protocol/job_graph.hpp"
#include "protocol/output_port.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>

#include <chrono>
#include <vector>

namespace sluice::actors {

/// The downstream side of one instance: sends the batches its output port
/// releases, ends its channels, and arms the batch linger. Lives in the
/// instance actor's state and is used only from that actor.
class output_link final : public protocol::batch_shipper {
public:
  /// Connects output slot k to `consumers[k]`, whose input slot for the
  /// channel is `outputs[k].slot`.
  void bind(caf::event_based_actor* self, protocol::output_port* port,
            const std::vector<protocol::channel_end>& outputs,
            const std::vector<std::vector<caf::actor>>& instances,
            std::chrono::nanoseconds linger, worker_affinity& affinity);

  /// The consumer of `output` granted credit from `worker`.
  void learn_home(uint32_t output, int worker) { homes_.learn(output, worker); }

  void ship(uint32_t output, protocol::record_payload&& records) override;

  void ship_barrier(uint32_t output,
                    const protocol::barrier_mark& mark) override;

  void ship_latency_marker(uint32_t output, int64_t origin_ns) override;

  /// Sends `end_of_stream` on every output channel (rule D5).
  void end_all();

  /// Ships partial batches after the linger, unless a timer is pending or
  /// there is nothing the credit would let leave.
  void arm_linger();

  /// The linger timer fired: ships partial batches as far as credit allows.
  void on_linger();

private:
  caf::event_based_actor* self_ = nullptr;
  protocol::output_port* port_ = nullptr;
  std::vector<caf::actor> consumers_;
  std::vector<uint32_t> consumer_inputs_;
  /// Per output slot: where the consumer last ran.
  peer_homes homes_;
  worker_affinity* affinity_ = nullptr;
  std::chrono::nanoseconds linger_{0};
  bool linger_armed_ = false;
};

} // namespace sluice::actors
