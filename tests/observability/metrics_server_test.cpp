#include "observability/metrics_server.hpp"

#include "observability/errc.hpp"
#include "observability/http_get.hpp"
#include "sluice.hpp"
#include "tests/observability/scrape.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/caf_printing.hpp"
#include "tests/support/gate.hpp"
#include "tests/support/raw_connection.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::closed_by_peer;
using sluice::testing::connect_to;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::gate;
using sluice::testing::open_on_exit;
using sluice::testing::scrape_sum;
using sluice::testing::stop_on_exit;

namespace {

/// Samples often, so that tests wait little; rates over a window many
/// saturated spells long.
metrics_server_settings test_settings() {
  metrics_server_settings s;
  s.sample_every = 50ms;
  s.rate_window = 2s;
  return s;
}

/// The page at `path` of `server`; empty (and a failed check) if none.
std::string fetch(const metrics_server& server, const std::string& path) {
  observability::http_url url{"127.0.0.1", server.port(), path};
  auto body = observability::http_get(url, std::chrono::seconds{10});
  BOOST_TEST(static_cast<bool>(body), failure_text(body));
  return body ? *body : std::string{};
}

/// Waits until the server published a sample taken after this call.
void wait_for_fresh_sample(const metrics_server& server) {
  auto seen = server.samples();
  BOOST_TEST_REQUIRE(eventually([&] { return server.samples() >= seen + 2; }));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(metrics_server_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(records_in_at_the_first_stages_equal_records_generated) {
  constexpr uint64_t n = 200000;
  job_builder job{"counted"};
  job.settings().batch_size = 256;
  job.source("gen", generate(n, 7, [](uint64_t i, uint64_t) { return i; }))
    .parallelism(2)
    .map("twice", [](uint64_t x) { return 2 * x; })
    .parallelism(3)
    .for_each("sink", [](uint64_t) {});
  auto graph = graph_of(job);
  BOOST_TEST_REQUIRE(static_cast<bool>(graph), failure_text(graph));
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  metrics_server server{*handle, *graph, test_settings()};
  auto port = server.start();
  BOOST_TEST_REQUIRE(static_cast<bool>(port), failure_text(port));
  BOOST_TEST(*port == server.port());
  BOOST_TEST(server.url() == "http://127.0.0.1:" + std::to_string(*port) + "/");
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  wait_for_fresh_sample(server);
  auto text = fetch(server, "/metrics");
  BOOST_TEST(scrape_sum(text, "sluice_job_done") == 1);
  BOOST_TEST(scrape_sum(text, "sluice_records_in_total", {"stage=\"gen\""})
             == n);
  BOOST_TEST(scrape_sum(text, "sluice_records_out_total", {"stage=\"gen\""})
             == n);
  BOOST_TEST(scrape_sum(text, "sluice_records_in_total", {"stage=\"twice\""})
             == n);
  BOOST_TEST(scrape_sum(text, "sluice_records_in_total", {"stage=\"sink\""})
             == n);
  // Each instance is there, and agrees with the job's own report.
  for (auto& r : report->instances) {
    BOOST_TEST_CONTEXT(r.stage << "/" << r.instance) {
      auto labels = {"stage=\"" + r.stage + "\"",
                     "instance=\"" + std::to_string(r.instance) + "\""};
      BOOST_TEST(scrape_sum(text, "sluice_records_in_total", labels)
                 == r.records_in);
      BOOST_TEST(scrape_sum(text, "sluice_instance_finished", labels) == 1);
    }
  }
  BOOST_TEST(scrape_sum(text, "sluice_stage_info",
                        {"stage=\"twice\"", "parallelism=\"3\""})
             == 1);
  BOOST_TEST(
    scrape_sum(text, "sluice_edge_info",
               {"from=\"gen\"", "to=\"twice\"", "partitioning=\"rebalance\""})
    == 1);
}

BOOST_AUTO_TEST_CASE(a_sources_mailbox_size_is_published) {
  // A source held inside a pull (its generator waits at record 50000) has
  // its next pull queued: every pull schedules the next before the
  // instance publishes its figures. So the mailbox size it last published
  // counts at least that message, as an operator's counts its batches.
  auto stuck = std::make_shared<gate>();
  job_builder job{"stuck source"};
  job.settings().latency_interval = 0ns;
  job
    .source("gen", generate(unbounded, 7,
                            [stuck](uint64_t i, uint64_t) {
                              if (i == 50000)
                                stuck->pass();
                              return i;
                            }))
    .parallelism(1)
    .for_each("sink", [](uint64_t) {});
  auto graph = graph_of(job);
  BOOST_TEST_REQUIRE(static_cast<bool>(graph), failure_text(graph));
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  open_on_exit lets_it_go{*stuck};
  metrics_server server{*handle, *graph, test_settings()};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  BOOST_TEST_REQUIRE(stuck->wait_for_arrival(job_timeout));
  wait_for_fresh_sample(server);
  auto text = fetch(server, "/metrics");
  BOOST_TEST(scrape_sum(text, "sluice_mailbox_size", {"stage=\"gen\""}) >= 1,
             text);
  stuck->open();
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
}

BOOST_AUTO_TEST_CASE(the_stages_in_front_of_a_stuck_sink_are_backpressured) {
  // The sink stops at its 1000th record for the rest of the test. The relay
  // and then the source use up their credit and get no more: from then on
  // every sample finds them held back, and once the rate window holds only
  // such samples, they spent all of it backpressured. The sink has no
  // output to wait for.
  auto stuck = std::make_shared<gate>();
  job_builder job{"stuck sink"};
  job.settings().batch_size = 64;
  job.settings().max_buffered_records = 1024;
  job
    .source("gen",
            generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; }))
    .map("relay", [](uint64_t x) { return x; })
    .for_each("stuck", [stuck, seen = uint64_t{0}](uint64_t) mutable {
      if (++seen == 1000)
        stuck->pass();
    });
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  open_on_exit lets_it_go{*stuck};
  metrics_server server{*handle, *graph_of(job), test_settings()};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  BOOST_TEST_REQUIRE(stuck->wait_for_arrival(job_timeout));
  std::string text;
  auto share = [&](const std::string& stage) {
    return scrape_sum(text, "sluice_backpressured_ratio",
                      {"stage=\"" + stage + "\""});
  };
  BOOST_TEST_REQUIRE(
    eventually([&] {
      text = fetch(server, "/metrics");
      return scrape_sum(text, "sluice_metrics_window_seconds") >= 2.0
             && share("relay") == 1.0
             && share("gen") == 1.0; // the pressure reached the source
    }),
    text);
  BOOST_TEST(share("stuck") == 0.0, text);
  // It took records before it stopped.
  BOOST_TEST(
    scrape_sum(text, "sluice_records_in_total", {"stage=\"stuck\""}) > 0, text);
  stuck->open();
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
}

BOOST_AUTO_TEST_CASE(stages_that_always_have_credit_are_not_backpressured) {
  // The source makes a batch only once the sink took all but the last two
  // batches made: at most three are ever on their way, far below the half
  // of a share at which a stage gets its credit topped up (D2). So no stage
  // ever runs out of credit, however fast or slow each one runs, while the
  // records keep flowing.
  constexpr uint64_t batch = 64;
  auto taken = std::make_shared<std::atomic<uint64_t>>(0);
  job_builder job{"fast sink"};
  job.settings().batch_size = batch;
  job.settings().max_buffered_records = 1024;
  job
    .source("gen", generate(unbounded, 1,
                            [taken](uint64_t i, uint64_t) {
                              // Bounded, so that a failed test still ends.
                              if (i % batch == 0)
                                static_cast<void>(eventually(
                                  [&] { return *taken + 2 * batch >= i; },
                                  actor_system_fixture::job_timeout));
                              return i;
                            }))
    .map("relay", [](uint64_t x) { return x; })
    .for_each("fast", [taken](uint64_t) { ++*taken; });
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  // A stage may fill its first batch before its consumer's first credit
  // arrives: a saturated spell at the start, counted with its next
  // shipments. The server starts once every stage shipped ten batches, so
  // that its first sample, the base of the rates, has that spell already.
  BOOST_TEST_REQUIRE(eventually([&] {
    auto& m = handle->metrics();
    return m.sum("gen", &actors::instance_metrics::records_out) > 10 * batch
           && m.sum("relay", &actors::instance_metrics::records_out)
                > 10 * batch;
  }));
  metrics_server server{*handle, *graph_of(job), test_settings()};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  std::string text;
  BOOST_TEST_REQUIRE(
    eventually([&] {
      text = fetch(server, "/metrics");
      return scrape_sum(text, "sluice_metrics_window_seconds") >= 2.0
             && scrape_sum(text, "sluice_records_in_per_second",
                           {"stage=\"fast\""})
                  > 0;
    }),
    text);
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  for (auto stage : {"gen", "relay", "fast"}) {
    BOOST_TEST_CONTEXT(stage) {
      BOOST_TEST(scrape_sum(text, "sluice_backpressured_ratio",
                            {std::string{"stage=\""} + stage + "\""})
                   == 0.0,
                 text);
    }
  }
}

BOOST_AUTO_TEST_CASE(checkpoint_counters_grow_with_checkpoints) {
  sluice::testing::temp_dir dir;
  job_builder job{"checkpointed"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = 50ms;
  job
    .source("gen",
            generate(unbounded, 1, [](uint64_t i, uint64_t) { return i % 100; })
              .rate(50000))
    .key_by([](uint64_t x) { return x; })
    .count("count")
    .for_each("sink", [](const std::pair<uint64_t, uint64_t>&) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  metrics_server server{*handle, *graph_of(job), test_settings()};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  auto completed = [&] {
    return scrape_sum(fetch(server, "/metrics"), "sluice_checkpoints_total",
                      {"outcome=\"completed\""});
  };
  BOOST_TEST_REQUIRE(eventually([&] { return completed() >= 1; }));
  auto first = fetch(server, "/metrics");
  auto before
    = scrape_sum(first, "sluice_checkpoints_total", {"outcome=\"completed\""});
  // Two more on request, whatever the timer does meanwhile.
  for (int i = 0; i < 2; ++i) {
    auto id = handle->checkpoint();
    BOOST_TEST_REQUIRE(static_cast<bool>(id), failure_text(id));
  }
  wait_for_fresh_sample(server);
  auto second = fetch(server, "/metrics");
  handle->stop();
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  auto after
    = scrape_sum(second, "sluice_checkpoints_total", {"outcome=\"completed\""});
  BOOST_TEST(after >= before + 2);
  BOOST_TEST(scrape_sum(second, "sluice_checkpoint_duration_seconds_count")
             == after);
  BOOST_TEST(scrape_sum(second, "sluice_checkpoint_bytes_total")
             > scrape_sum(first, "sluice_checkpoint_bytes_total"));
  BOOST_TEST(scrape_sum(second, "sluice_last_checkpoint_id")
             >= scrape_sum(first, "sluice_last_checkpoint_id") + 2);
  BOOST_TEST(scrape_sum(second, "sluice_snapshots_total", {"stage=\"count\""})
             >= scrape_sum(first, "sluice_snapshots_total", {"stage=\"count\""})
                  + 2);
}

BOOST_AUTO_TEST_CASE(a_recovery_is_counted_and_listed) {
  sluice::testing::temp_dir dir;
  job_builder job{"recovering"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = 20ms;
  job.settings().faults.stage = "count";
  job.settings().faults.after_records = 30000;
  job.settings().faults.count = 1;
  job
    .source("gen",
            generate(100000, 1, [](uint64_t i, uint64_t) { return i % 100; }))
    .key_by([](uint64_t x) { return x; })
    .count("count")
    .for_each("sink", [](const std::pair<uint64_t, uint64_t>&) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  metrics_server server{*handle, *graph_of(job), test_settings()};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(report->recoveries.size() == 1u);
  wait_for_fresh_sample(server);
  auto text = fetch(server, "/metrics");
  BOOST_TEST(scrape_sum(text, "sluice_recoveries_total") == 1);
  BOOST_TEST(scrape_sum(text, "sluice_recovery_replayed_records_total")
             == report->recoveries[0].records_replayed);
  BOOST_TEST(scrape_sum(text, "sluice_last_recovery_resume_seconds") > 0);
  auto state = fetch(server, "/api/state");
  BOOST_TEST(state.find("\"failed_stage\":\"count\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pages_have_their_types_and_unknown_paths_are_404) {
  job_builder job{"pages"};
  job.source("gen", generate(10, 1, [](uint64_t i, uint64_t) { return i; }))
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  metrics_server server{*handle, *graph_of(job), test_settings()};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  BOOST_TEST(fetch(server, "/").find("<svg id=\"graph\"") != std::string::npos);
  BOOST_TEST(fetch(server, "/app.js").find("api/state") != std::string::npos);
  BOOST_TEST(fetch(server, "/api/state").find("\"job\":\"pages\"")
             != std::string::npos);
  observability::http_url missing{"127.0.0.1", server.port(), "/nothing"};
  auto body = observability::http_get(missing, std::chrono::seconds{10});
  BOOST_TEST_REQUIRE(!body);
  BOOST_TEST(body.error() == observability::errc::fetch_failed);
  BOOST_TEST(protocol::describe(body.error()).find("404") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_taken_port_is_an_error_not_a_shared_port) {
  job_builder job{"ports"};
  job.source("gen", generate(10, 1, [](uint64_t i, uint64_t) { return i; }))
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  metrics_server first{*handle, *graph_of(job), test_settings()};
  auto port = first.start();
  BOOST_TEST_REQUIRE(static_cast<bool>(port), failure_text(port));
  auto settings = test_settings();
  settings.port = *port;
  metrics_server second{*handle, *graph_of(job), settings};
  auto again = second.start();
  BOOST_TEST_REQUIRE(!again);
  BOOST_TEST(again.error() == observability::errc::listen_failed);
  BOOST_TEST(protocol::describe(again.error()).find(std::to_string(*port))
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_job_files_metrics_section_starts_a_server_or_none) {
  job_builder job{"from a job file"};
  job.source("gen", generate(10, 1, [](uint64_t i, uint64_t) { return i; }))
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  sluice::config::metrics_settings section; // port 0: no endpoint
  auto none = serve_metrics(*handle, *graph_of(job), section);
  BOOST_TEST_REQUIRE(static_cast<bool>(none), failure_text(none));
  BOOST_TEST(none->get() == nullptr);
  metrics_server taken{*handle, *graph_of(job), test_settings()};
  auto port = taken.start();
  BOOST_TEST_REQUIRE(static_cast<bool>(port), failure_text(port));
  section.port = *port;
  auto clash = serve_metrics(*handle, *graph_of(job), section);
  BOOST_TEST_REQUIRE(!clash);
  BOOST_TEST(clash.error() == observability::errc::listen_failed);
  taken.stop();
  auto served = serve_metrics(*handle, *graph_of(job), section);
  BOOST_TEST_REQUIRE(static_cast<bool>(served), failure_text(served));
  BOOST_TEST((*served)->port() == *port);
  BOOST_TEST(fetch(**served, "/metrics").find("job=\"from a job file\"")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(slow_clients_hold_up_no_one_and_are_cut_off) {
  job_builder job{"slow"};
  job.source("gen", generate(10, 1, [](uint64_t i, uint64_t) { return i; }))
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  auto settings = test_settings();
  settings.request_timeout = 1s;
  metrics_server server{*handle, *graph_of(job), settings};
  BOOST_TEST_REQUIRE(static_cast<bool>(server.start()));
  // Slow clients: the start of a request, then a byte now and then, more
  // of them than a pool of request threads would have.
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    auto fd = connect_to(server.port());
    BOOST_TEST_REQUIRE(fd >= 0);
    BOOST_TEST_REQUIRE(::send(fd, "GET /metrics HTTP/1.1\r\n", 23, 0) == 23);
    slow.push_back(fd);
  }
  auto dribble = [&] {
    for (auto fd : slow)
      ::send(fd, "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  };
  // Meanwhile another client gets its page.
  auto page
    = std::async(std::launch::async, [&] { return fetch(server, "/metrics"); });
  while (page.wait_for(100ms) != std::future_status::ready)
    dribble();
  BOOST_TEST(page.get().find("sluice_records_out_total") != std::string::npos);
  // However they keep sending, each slow client is cut off once its
  // request took longer than the timeout.
  for (auto fd : slow) {
    BOOST_TEST(eventually([&] {
      dribble();
      return closed_by_peer(fd);
    }));
    ::close(fd);
  }
}

BOOST_AUTO_TEST_CASE(a_server_stops_at_once_even_if_never_started) {
  job_builder job{"idle"};
  job.source("gen", generate(1, 1, [](uint64_t i, uint64_t) { return i; }))
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST_REQUIRE(static_cast<bool>(handle->wait()));
  { metrics_server never{*handle, graph_of(handle->metrics(), "idle")}; }
  metrics_server once{*handle, graph_of(handle->metrics(), "idle")};
  auto port = once.start();
  BOOST_TEST_REQUIRE(static_cast<bool>(port), failure_text(port));
  auto again = once.start();
  BOOST_TEST_REQUIRE(static_cast<bool>(again), failure_text(again));
  BOOST_TEST(*again == *port);
  once.stop();
  once.stop(); // twice is harmless
  BOOST_TEST(!once.start());
}

BOOST_AUTO_TEST_SUITE_END()
