#include "protocol/describe.hpp"

#include <caf/message.hpp>

namespace sluice::protocol {

std::string describe(const caf::error& err) {
  if (!err)
    return "no error";
  auto& context = err.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return caf::to_string(err);
}

} // namespace sluice::protocol
