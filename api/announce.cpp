#include "api/announce.hpp"

#include "actors/errc.hpp"
#include "protocol/type_ids.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>

namespace sluice {

void announce(caf::actor_system_config& cfg) {
  protocol::add_message_types(cfg);
  cfg.add_error_category(
    caf::atom("sl_actors"),
    [](uint8_t code, caf::atom_value, const caf::message& context) {
      auto text = actors::to_string(static_cast<actors::errc>(code));
      if (context.size() == 1 && context.match_element<std::string>(0))
        text += ": " + context.get_as<std::string>(0);
      return text;
    });
}

} // namespace sluice
