#include "actors/output_link.hpp"

#include "actors/atoms.hpp"
#include "protocol/checkpoint_messages.hpp"
#include "protocol/messages.hpp"

namespace sluice::actors {

void output_link::bind(caf::event_based_actor* self,
                       protocol::output_port* port,
                       const std::vector<protocol::channel_end>& outputs,
                       const std::vector<std::vector<caf::actor>>& instances,
                       std::chrono::nanoseconds linger,
                       worker_affinity& affinity) {
  self_ = self;
  port_ = port;
  linger_ = linger;
  affinity_ = &affinity;
  consumers_.clear();
  consumer_inputs_.clear();
  for (auto& out : outputs) {
    consumers_.push_back(instances.at(out.stage).at(out.instance));
    consumer_inputs_.push_back(out.slot);
  }
  homes_ = peer_homes{self->node(), consumers_};
}

void output_link::ship(uint32_t output, protocol::record_payload&& records) {
  affinity_->send(self_, consumers_[output], homes_[output],
                  protocol::batch{consumer_inputs_[output], std::move(records),
                                  affinity_->current()});
}

void output_link::ship_barrier(uint32_t output,
                               const protocol::barrier_mark& mark) {
  // Normal priority: a barrier must stay behind the batches before it.
  affinity_->send(self_, consumers_[output], homes_[output],
                  protocol::barrier{consumer_inputs_[output], mark.id,
                                    mark.kind, mark.final});
}

void output_link::ship_latency_marker(uint32_t output, int64_t origin_ns) {
  affinity_->send(
    self_, consumers_[output], homes_[output],
    protocol::latency_marker{consumer_inputs_[output], origin_ns});
}

void output_link::end_all() {
  for (size_t k = 0; k < consumers_.size(); ++k)
    affinity_->send(self_, consumers_[k], homes_[k],
                    protocol::end_of_stream{consumer_inputs_[k]});
}

void output_link::arm_linger() {
  if (linger_armed_ || port_ == nullptr || port_->buffered() == 0
      || port_->credit() == 0)
    return;
  linger_armed_ = true;
  self_->delayed_send(self_, linger_, flush_atom::value);
}

void output_link::on_linger() {
  linger_armed_ = false;
  if (port_ != nullptr)
    port_->flush(protocol::flush_mode::everything, *this);
}

} // namespace sluice::actors
