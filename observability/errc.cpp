#include "observability/errc.hpp"

namespace sluice::observability {

std::string to_string(errc x) {
  switch (x) {
  case errc::listen_failed:
    return "listen_failed";
  case errc::bad_url:
    return "bad_url";
  case errc::fetch_failed:
    return "fetch_failed";
  case errc::bad_response:
    return "bad_response";
  case errc::no_graph:
    return "no_graph";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

} // namespace sluice::observability
