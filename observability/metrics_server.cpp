#include "observability/metrics_server.hpp"

#include "observability/embedded_files.hpp"
#include "observability/errc.hpp"
#include "observability/metrics_sampler.hpp"
#include "observability/prometheus_text.hpp"
#include "observability/state_json.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <httplib.h>
#include <sys/socket.h>

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
        sampler(job.metrics(), std::move(g), settings.rate_window) {}

  job_handle job;
  metrics_server_settings settings;
  metrics_sampler sampler;
  httplib::Server http;
  std::thread http_thread;
  std::thread sample_thread;
  uint16_t port = 0;
  std::atomic<uint64_t> samples{0};
  std::atomic<bool> listen_returned{false};
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

  void routes() {
    // Without it every response waits for the client's delayed ACK.
    http.set_tcp_nodelay(true);
    // An idle keep-alive connection would hold `stop` for its timeout.
    http.set_keep_alive_max_count(1);
    // httplib's default adds SO_REUSEPORT: a second server on the same
    // port would then share it silently instead of failing.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    auto threads = std::max<uint32_t>(settings.http_threads, 1);
    http.new_task_queue
      = [threads] { return new httplib::ThreadPool(threads); };
    http.Get("/metrics",
             [this](const httplib::Request&, httplib::Response& res) {
               res.set_content(latest()->prometheus,
                               "text/plain; version=0.0.4; charset=utf-8");
             });
    http.Get("/api/state",
             [this](const httplib::Request&, httplib::Response& res) {
               res.set_header("Cache-Control", "no-store");
               res.set_content(latest()->json, "application/json");
             });
    http.Get("/.*", [](const httplib::Request& req, httplib::Response& res) {
      auto f = find_embedded(req.path == "/" ? "/index.html" : req.path);
      if (f == nullptr) {
        res.status = 404;
        res.set_content("not found\n", "text/plain; charset=utf-8");
        return;
      }
      res.set_content(reinterpret_cast<const char*>(f->data), f->size,
                      std::string{f->mime}.c_str());
    });
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
  d.routes();
  auto& host = d.settings.host;
  int bound = d.settings.port == 0 ? d.http.bind_to_any_port(host)
              : d.http.bind_to_port(host, d.settings.port)
                ? static_cast<int>(d.settings.port)
                : -1;
  if (bound <= 0)
    return caf::make_error(errc::listen_failed,
                           "metrics server: cannot listen on " + host + ":"
                             + std::to_string(d.settings.port));
  d.port = static_cast<uint16_t>(bound);
  d.publish(); // the first request already finds a page
  d.sample_thread = std::thread{[&d] { d.sample_loop(); }};
  d.http_thread = std::thread{[&d] {
    d.http.listen_after_bind();
    d.listen_returned = true;
  }};
  // `stop` does nothing until the listen loop runs: it would then listen
  // forever and the join in `stop` would hang.
  while (!d.http.is_running() && !d.listen_returned)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
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
  d.http.stop();
  if (d.http_thread.joinable())
    d.http_thread.join();
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
