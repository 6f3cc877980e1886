#pragma once

#include "api/job_handle.hpp"
#include "observability/job_graph.hpp"
#include "observability/metrics_server_settings.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace sluice::observability {

/// Serves one job's metrics over HTTP while it runs and after it ended:
/// `/metrics` (Prometheus text), `/api/state` (JSON) and the dashboard at
/// `/`. A thread of its own samples the job's counters every
/// `sample_every` and publishes the rendered pages; request threads only
/// hand out the latest, so scrapes never reach the job's actors.
///
/// Lives in the library `sluice::observability` (pkg-config:
/// `sluice-observability`): link it besides `sluice::sluice`.
///
/// ```
/// auto handle = job.start(sys);
/// sluice::metrics_server server{*handle, *sluice::graph_of(job)};
/// if (auto port = server.start())
///   std::cout << server.url() << std::endl;
/// ```
class metrics_server {
public:
  /// `graph` names the job and draws it: `graph_of(builder)`, or
  /// `graph_of(handle.metrics(), name)` for stages without edges.
  metrics_server(job_handle job, job_graph graph,
                 metrics_server_settings settings = {});

  /// Stops serving.
  ~metrics_server();

  metrics_server(const metrics_server&) = delete;
  metrics_server& operator=(const metrics_server&) = delete;

  /// Binds the address and starts sampling and serving; the bound port
  /// (the one chosen when `settings.port` is 0). Once started, the same
  /// port again; once stopped, an error.
  [[nodiscard]] caf::expected<uint16_t> start();

  /// Stops serving and sampling; the server may not start again.
  void stop();

  /// The bound port; 0 before `start`.
  uint16_t port() const noexcept;

  /// `http://host:port/`, the dashboard.
  std::string url() const;

  /// Samples taken so far: a caller that changed the job (a checkpoint,
  /// say) waits for this to grow by two to see the change served.
  uint64_t samples() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The server a job file's `[metrics]` section asks for, started; null
/// when it asks for none (port 0). For `sluice run`.
[[nodiscard]] caf::expected<std::unique_ptr<metrics_server>>
serve_metrics(job_handle job, job_graph graph,
              const config::metrics_settings& section);

} // namespace sluice::observability

namespace sluice {
using observability::graph_of;
using observability::metrics_server;
using observability::metrics_server_settings;
using observability::serve_metrics;
} // namespace sluice
