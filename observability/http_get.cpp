#include "observability/http_get.hpp"

#include "observability/errc.hpp"

#include <charconv>

#include <httplib.h>

namespace sluice::observability {

caf::expected<http_url> parse_http_url(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return caf::make_error(
      errc::bad_url, "'" + text + "' is not a metrics server's URL: " + why);
  };
  const std::string scheme = "http://";
  if (text.compare(0, scheme.size(), scheme) != 0)
    return bad("it must start with http://");
  auto rest = text.substr(scheme.size());
  http_url url;
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  if (slash != std::string::npos)
    url.path = rest.substr(slash);
  if (authority.find('@') != std::string::npos)
    return bad("user names are not supported");
  auto colon = authority.rfind(':');
  if (colon != std::string::npos
      && authority.find(']', colon) == std::string::npos) {
    auto digits = authority.substr(colon + 1);
    unsigned port = 0;
    auto end = digits.data() + digits.size();
    auto res = std::from_chars(digits.data(), end, port);
    if (digits.empty() || res.ec != std::errc{} || res.ptr != end || port == 0
        || port > 65535)
      return bad("the port must be a number from 1 to 65535");
    url.port = static_cast<uint16_t>(port);
    authority.resize(colon);
  }
  if (authority.size() > 2 && authority.front() == '['
      && authority.back() == ']')
    authority = authority.substr(1, authority.size() - 2);
  if (authority.empty())
    return bad("the host is missing");
  url.host = std::move(authority);
  return url;
}

caf::expected<std::string> http_get(const http_url& url,
                                    std::chrono::milliseconds timeout) {
  httplib::Client client{url.host, url.port};
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  auto where = "http://" + url.host + ":" + std::to_string(url.port) + url.path;
  auto res = client.Get(url.path.c_str());
  if (!res)
    return caf::make_error(errc::fetch_failed,
                           "no answer from " + where + ": "
                             + httplib::to_string(res.error()));
  if (res->status != 200)
    return caf::make_error(errc::fetch_failed, where + " answered with status "
                                                 + std::to_string(res->status));
  return std::move(res->body);
}

} // namespace sluice::observability
