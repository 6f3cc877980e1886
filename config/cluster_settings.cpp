#include "config/cluster_settings.hpp"

#include "config/value_parsers.hpp"

namespace sluice::config {

std::string to_string(const node_address& x) {
  if (x.host.find(':') != std::string::npos)
    return "[" + x.host + "]:" + std::to_string(x.port);
  return x.host + ":" + std::to_string(x.port);
}

std::optional<std::pair<std::string, uint16_t>>
parse_host_port(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  auto host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string_view::npos)
    return std::nullopt; // IPv6 without brackets: the port is ambiguous
  if (host.empty())
    return std::nullopt;
  for (char c : host)
    if (c <= ' ' || c == '/' || c == '[' || c == ']')
      return std::nullopt;
  auto port = parse_unsigned(text.substr(colon + 1));
  if (!port || *port == 0 || *port > 65535)
    return std::nullopt;
  return std::make_pair(std::string{host}, static_cast<uint16_t>(*port));
}

caf::error read_nodes_section(const ini_section& section,
                              std::vector<node_address>& into) {
  for (auto& e : section.entries) {
    if (!is_identifier(e.key))
      return key_error(errc::wrong_type, section, e,
                       "a node's name has letters, digits and '_' only");
    auto address = parse_host_port(e.value);
    if (!address)
      return key_error(errc::wrong_type, section, e,
                       "expected HOST:PORT with a port from 1 to 65535, such "
                       "as 127.0.0.1:7001, got '"
                         + e.value + "'");
    for (auto& other : into)
      if (other.host == address->first && other.port == address->second)
        return key_error(errc::duplicate, section, e,
                         "node '" + other.name + "' (" + to_string(other.where)
                           + ") has the same address");
    into.push_back({e.key, address->first, address->second, e.where});
  }
  return caf::none;
}

} // namespace sluice::config
