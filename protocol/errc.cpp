#include "protocol/errc.hpp"

namespace sluice::protocol {

std::string to_string(errc x) {
  switch (x) {
  case errc::cycle:
    return "cycle";
  case errc::missing_input:
    return "missing_input";
  case errc::unknown_stage:
    return "unknown_stage";
  case errc::duplicate_stage:
    return "duplicate_stage";
  case errc::zero_parallelism:
    return "zero_parallelism";
  case errc::zero_batch_size:
    return "zero_batch_size";
  case errc::budget_too_small:
    return "budget_too_small";
  case errc::type_mismatch:
    return "type_mismatch";
  case errc::parallelism_mismatch:
    return "parallelism_mismatch";
  case errc::unexpected_input:
    return "unexpected_input";
  case errc::unsupported:
    return "unsupported";
  case errc::credit_exceeded:
    return "credit_exceeded";
  case errc::wire_format:
    return "wire_format";
  }
  return "errc(" + std::to_string(static_cast<int>(x)) + ")";
}

} // namespace sluice::protocol
