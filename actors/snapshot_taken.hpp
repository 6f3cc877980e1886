#pragma once

#include "protocol/checkpoint_id.hpp"
#include "state/snapshot.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace sluice::actors {

/// Instance to store: the copy of its state for checkpoint `id`, to be
/// encoded and written off the data path (rule C3). The store tells
/// `coordinator` once it is durable. Never leaves the process: a node
/// encodes its images before sending them.
struct snapshot_taken {
  protocol::checkpoint_id id{};
  uint32_t stage = 0;
  std::string stage_name;
  uint32_t instance = 0;
  std::shared_ptr<const state::instance_image> image;
  caf::actor coordinator;
};

} // namespace sluice::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(sluice::actors::snapshot_taken)
