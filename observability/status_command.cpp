#include "observability/status_command.hpp"

#include "observability/http_get.hpp"
#include "observability/state_json.hpp"
#include "observability/status_text.hpp"
#include "protocol/describe.hpp"

#include <charconv>
#include <chrono>
#include <iostream>
#include <thread>

namespace sluice::observability {

namespace {

constexpr const char* usage = "usage: sluice status URL [--watch SECONDS]\n"
                              "  URL: a job's metrics server, e.g. "
                              "http://127.0.0.1:9464/\n";

constexpr auto fetch_timeout = std::chrono::seconds{5};

/// What one look at the server found.
enum class seen { job_running, job_ended, nothing };

/// Prints one picture.
seen print_once(const http_url& base, std::ostream& out, std::ostream& err) {
  auto url = base;
  // The state lives next to the dashboard, whatever page the URL names.
  auto slash = url.path.rfind('/');
  url.path = url.path.substr(0, slash + 1) + "api/state";
  auto body = http_get(url, fetch_timeout);
  if (!body) {
    err << "sluice status: " << protocol::describe(body.error()) << '\n';
    return seen::nothing;
  }
  auto sample = parse_state_json(*body);
  if (!sample) {
    err << "sluice status: " << protocol::describe(sample.error()) << '\n';
    return seen::nothing;
  }
  out << status_text(*sample) << std::flush;
  return sample->done ? seen::job_ended : seen::job_running;
}

} // namespace

int status_command(const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  std::string url_text;
  double watch = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << usage;
      return 0;
    }
    if (args[i] == "--watch" && i + 1 < args.size()) {
      auto& w = args[++i];
      auto end = w.data() + w.size();
      auto res = std::from_chars(w.data(), end, watch);
      if (res.ec != std::errc{} || res.ptr != end || !(watch > 0)) {
        err << "sluice status: --watch wants a number of seconds above 0\n"
            << usage;
        return 2;
      }
    } else if (url_text.empty() && args[i].rfind("--", 0) != 0) {
      url_text = args[i];
    } else {
      err << "sluice status: unexpected argument '" << args[i] << "'\n"
          << usage;
      return 2;
    }
  }
  if (url_text.empty()) {
    err << usage;
    return 2;
  }
  auto url = parse_http_url(url_text);
  if (!url) {
    err << "sluice status: " << protocol::describe(url.error()) << '\n';
    return 2;
  }
  for (;;) {
    auto what = print_once(*url, out, err);
    if (what == seen::nothing)
      return 1;
    if (watch == 0 || what == seen::job_ended)
      return 0;
    out << '\n';
    std::this_thread::sleep_for(std::chrono::duration<double>(watch));
  }
}

int status_command(const std::vector<std::string>& args) {
  return status_command(args, std::cout, std::cerr);
}

} // namespace sluice::observability
