#include "actors/node_gate.hpp"

#include "actors/errc.hpp"
#include "actors/node_actor.hpp"
#include "protocol/node_messages.hpp"
#include "protocol/peer_text.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace sluice::actors {

namespace {

/// Compares in time that does not depend on where the texts differ, so
/// that timing does not leak the secret a byte at a time (only its length).
bool same_secret(const std::string& x, const std::string& y) {
  size_t diff = x.size() ^ y.size();
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    auto a = i < x.size() ? static_cast<unsigned char>(x[i]) : 0u;
    auto b = i < y.size() ? static_cast<unsigned char>(y[i]) : 0u;
    diff |= a ^ b;
  }
  return diff == 0;
}

/// N5: a flood of refusals or stray messages writes a line a second.
constexpr std::chrono::seconds log_interval{1};

} // namespace

node_gate::node_gate(caf::actor_config& cfg, std::string name,
                     std::string secret, std::shared_ptr<event_log> log,
                     caf::actor node)
    : caf::event_based_actor(cfg), name_(std::move(name)),
      secret_(std::move(secret)), log_(std::move(log)), node_(std::move(node)),
      refusals_(log_interval), strays_(log_interval) {}

void node_gate::enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) {
  auto& content = ptr->content();
  if (content.match_elements<protocol::node_hello>()
      || content.match_elements<close_gate>()) {
    caf::event_based_actor::enqueue(std::move(ptr), eu);
    return;
  }
  // N5: anything else, system messages and responses included, reaches
  // the behavior as a plain notice; no answer goes back.
  auto dropped = peer_message_dropped{ptr->move_content_to_message()};
  caf::event_based_actor::enqueue(
    caf::make_mailbox_element(nullptr, caf::make_message_id(), {},
                              std::move(dropped)),
    eu);
}

void node_gate::log_throttled(protocol::log_throttle& throttle,
                              const std::string& line) {
  auto verdict = throttle.on_line(std::chrono::steady_clock::now());
  if (!verdict.write)
    return;
  if (verdict.left_out > 0)
    log_->warning(line + " (and " + std::to_string(verdict.left_out)
                  + " more like it left out of the log)");
  else
    log_->warning(line);
}

caf::behavior node_gate::make_behavior() {
  // Errors, exits and downs never get here (see enqueue); these guard
  // against what CAF itself might deliver.
  set_default_handler(caf::drop);
  set_error_handler([](caf::error&) {});
  return {
    [this](protocol::node_hello& hello) -> caf::result<protocol::node_welcome> {
      auto refuse = [&](const std::string& why) {
        log_throttled(refusals_, "refused job '"
                                   + protocol::peer_text(hello.job)
                                   + "': " + why);
        return caf::make_error(errc::node_refused, why);
      };
      // N2: versions must match; N1: so must secrets.
      if (hello.version != protocol::node_protocol_version)
        return refuse("it speaks node protocol version "
                      + std::to_string(hello.version) + ", the node "
                      + std::to_string(protocol::node_protocol_version));
      if (!same_secret(hello.secret, secret_))
        return refuse("the [cluster] secret does not match");
      auto watcher = caf::actor_cast<caf::actor>(current_sender());
      if (watcher)
        send(node_, job_accepted{watcher, std::move(hello.job)});
      return protocol::node_welcome{name_, protocol::node_protocol_version};
    },
    [this](peer_message_dropped& x) {
      log_throttled(strays_,
                    "node '" + name_ + "': dropped an unexpected message: "
                      + protocol::peer_text(caf::to_string(x.content)));
    },
    [this](close_gate) { quit(); },
  };
}

} // namespace sluice::actors
