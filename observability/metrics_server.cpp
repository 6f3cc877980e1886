#include "observability/metrics_server.hpp"

#include "observability/embedded_files.hpp"
#include "observability/errc.hpp"
#include "observability/http_listener.hpp"
#include "observability/metrics_sampler.hpp"
#include "observability/prometheus_text.hpp"
#include "observability/state_json.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace sluice::observability {

namespace {

/// What request threads serve: rendered once per sample.
struct pages {
  std::string prometheus;
  std::string json;
};

} // namespace

struct metrics_server::impl {
  impl(job_handle j, job_graph g, metrics_server_settings s)
      : job(std::move(j)), settings(std::move(s)),
        sampler(job.metrics(), std::move(g), settings.rate_window),
        http(http_limits{settings.request_timeout, settings.max_connections,
                         http_limits{}.max_request_bytes},
             [this](const std::string& path) { return page(path); }) {}

  job_handle job;
  metrics_server_settings settings;
  metrics_sampler sampler;
  http_listener http;
  std::thread sample_thread;
  uint16_t port = 0;
  std::atomic<uint64_t> samples{0};
  /// The ended job's report, or the error that failed it.
  std::optional<caf::expected<actors::job_report>> ended;

  std::mutex mtx; ///< Guards `current` and `stopping`.
  std::condition_variable wake;
  bool stopping = false;
  std::shared_ptr<const pages> current = std::make_shared<pages>();

  std::shared_ptr<const pages> latest() {
    std::lock_guard<std::mutex> guard{mtx};
    return current;
  }

  void publish() {
    // Once the job ended, its report has the final counts: an instance's
    // last shipment may not have reached the live figures.
    bool done = job.done();
    if (done && !ended)
      ended = job.wait(); // returns at once
    auto s = sampler.sample(std::chrono::steady_clock::now(), done,
                            ended && *ended ? &**ended : nullptr);
    auto p
      = std::make_shared<const pages>(pages{prometheus_text(s), state_json(s)});
    {
      std::lock_guard<std::mutex> guard{mtx};
      current = std::move(p);
    }
    samples.fetch_add(1, std::memory_order_release);
  }

  void sample_loop() {
    std::unique_lock<std::mutex> guard{mtx};
    while (!stopping) {
      guard.unlock();
      publish();
      guard.lock();
      wake.wait_for(guard, settings.sample_every, [this] { return stopping; });
    }
  }

  /// The page at `path`; runs on the listener's thread.
  http_response page(const std::string& path) {
    if (path == "/metrics")
      return {200, "text/plain; version=0.0.4; charset=utf-8",
              latest()->prometheus, false};
    if (path == "/api/state")
      return {200, "application/json", latest()->json, true};
    auto f = find_embedded(path == "/" ? "/index.html" : path);
    if (f == nullptr)
      return {404, "text/plain; charset=utf-8", "not found\n", false};
    return {200, std::string{f->mime},
            std::string{reinterpret_cast<const char*>(f->data), f->size},
            false};
  }
};

metrics_server::metrics_server(job_handle job, job_graph graph,
                               metrics_server_settings settings)
    : impl_(std::make_unique<impl>(std::move(job), std::move(graph),
                                   std::move(settings))) {}

metrics_server::~metrics_server() {
  stop();
}

caf::expected<uint16_t> metrics_server::start() {
  auto& d = *impl_;
  if (d.stopping) // httplib's server does not listen again once stopped
    return caf::make_error(errc::listen_failed,
                           "metrics server: stopped, cannot start again");
  if (d.port != 0)
    return d.port;
  auto bound = d.http.bind(d.settings.host, d.settings.port);
  if (!bound)
    return std::move(bound.error());
  d.port = *bound;
  d.publish(); // the first request already finds a page
  d.sample_thread = std::thread{[&d] { d.sample_loop(); }};
  d.http.start();
  return d.port;
}

void metrics_server::stop() {
  auto& d = *impl_;
  {
    std::lock_guard<std::mutex> guard{d.mtx};
    d.stopping = true;
  }
  d.wake.notify_all();
  if (d.sample_thread.joinable())
    d.sample_thread.join();
  // Returns at once: no client, however slow, holds the job's end.
  d.http.stop();
}

uint16_t metrics_server::port() const noexcept {
  return impl_->port;
}

std::string metrics_server::url() const {
  auto& host = impl_->settings.host;
  auto bracketed
    = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return "http://" + bracketed + ":" + std::to_string(impl_->port) + "/";
}

uint64_t metrics_server::samples() const noexcept {
  return impl_->samples.load(std::memory_order_acquire);
}

caf::expected<std::unique_ptr<metrics_server>>
serve_metrics(job_handle job, job_graph graph,
              const config::metrics_settings& section) {
  if (!section.enabled())
    return std::unique_ptr<metrics_server>{};
  auto server = std::make_unique<metrics_server>(
    std::move(job), std::move(graph), server_settings(section));
  if (auto port = server->start(); !port)
    return std::move(port.error());
  return server;
}

} // namespace sluice::observability
