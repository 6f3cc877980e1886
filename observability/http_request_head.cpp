#include "observability/http_request_head.hpp"

namespace sluice::observability {

http_request_head::state http_request_head::on_bytes(std::string_view bytes) {
  if (state_ != state::reading)
    return state_;
  // Only the part that may still hold the end is searched again; what
  // lies beyond the limit is never kept.
  auto from = buffer_.size() < 3 ? size_t{0} : buffer_.size() - 3;
  auto room = max_bytes_ + 4 > buffer_.size() ? max_bytes_ + 4 - buffer_.size()
                                              : size_t{0};
  buffer_.append(bytes.substr(0, room));
  auto ended = buffer_.find("\r\n\r\n", from) != std::string::npos
               || buffer_.find("\n\n", from) != std::string::npos;
  if (ended)
    state_ = parse_request_line();
  else if (buffer_.size() > max_bytes_)
    state_ = state::too_large;
  return state_;
}

http_request_head::state http_request_head::parse_request_line() {
  auto line_end = buffer_.find_first_of("\r\n");
  std::string_view line{buffer_.data(), line_end};
  auto first = line.find(' ');
  auto last = line.rfind(' ');
  if (first == std::string_view::npos || first == last || first == 0)
    return state::bad_request;
  auto version = line.substr(last + 1);
  if (version.substr(0, 5) != "HTTP/")
    return state::bad_request;
  method_ = std::string{line.substr(0, first)};
  auto target = line.substr(first + 1, last - first - 1);
  if (target.empty() || target.front() != '/')
    return state::bad_request;
  target_ = std::string{target.substr(0, target.find('?'))};
  buffer_.clear();
  return state::complete;
}

} // namespace sluice::observability
