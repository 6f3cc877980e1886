#include "config/errc.hpp"

namespace sluice::config {

std::string to_string(errc x) {
  switch (x) {
  case errc::unreadable_file:
    return "unreadable_file";
  case errc::syntax:
    return "syntax";
  case errc::unknown_section:
    return "unknown_section";
  case errc::unknown_key:
    return "unknown_key";
  case errc::duplicate:
    return "duplicate";
  case errc::wrong_type:
    return "wrong_type";
  case errc::missing_key:
    return "missing_key";
  case errc::unknown_operator:
    return "unknown_operator";
  case errc::missing_input:
    return "missing_input";
  case errc::cycle:
    return "cycle";
  case errc::invalid_graph:
    return "invalid_graph";
  case errc::bad_option:
    return "bad_option";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

} // namespace sluice::config
