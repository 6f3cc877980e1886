#include "protocol/type_ids.hpp"

#include "protocol/errc.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>

namespace sluice::protocol {

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::sluice>();
  cfg.add_error_category(
    caf::atom("sl_proto"),
    [](uint8_t code, caf::atom_value, const caf::message& context) {
      auto text = to_string(static_cast<errc>(code));
      if (context.size() == 1 && context.match_element<std::string>(0))
        text += ": " + context.get_as<std::string>(0);
      return text;
    });
}

} // namespace sluice::protocol
