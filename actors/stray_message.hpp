#pragma once

#include "actors/event_log.hpp"

#include <caf/message.hpp>
#include <caf/message_view.hpp>
#include <caf/result.hpp>

#include <string>

namespace sluice::actors {

/// What an instance does with a message none of its handlers takes: logs
/// it, naming the instance, and drops it without an answer. CAF's
/// `print_and_drop` answers `unexpected_message` instead, and that answer
/// ends a sender without an error handler: one stray message could take
/// down a producer or a neighbour.
inline caf::result<caf::message>
drop_stray(event_log& log, const std::string& where, caf::message_view& x) {
  log.warning(where
              + ": dropped an unexpected message: " + x.content().stringify());
  return caf::message{};
}

} // namespace sluice::actors
