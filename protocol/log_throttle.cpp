#include "protocol/log_throttle.hpp"

namespace sluice::protocol {

log_throttle::verdict log_throttle::on_line(time_point now) {
  if (wrote_ && now - last_written_ < interval_) {
    ++left_out_;
    return {false, 0};
  }
  wrote_ = true;
  last_written_ = now;
  verdict result{true, left_out_};
  left_out_ = 0;
  return result;
}

} // namespace sluice::protocol
