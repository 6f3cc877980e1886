// The walk-through of docs/embedding.md as one program: two feeds of
// orders (a source of its own), merged, keyed by customer, totalled in
// checkpointed state, published by a sink of its own once their checkpoint
// completed and written to files exactly once; a metrics page while it
// runs; a checkpoint on request and a stop; then a second run that resumes
// where the first one ended. Each run checks the published totals.
//
//   orders [STORE]   checkpoint store (default: orders.db), files next to it

#include "observability/metrics_server.hpp"
#include "order_feed.hpp"
#include "published_totals.hpp"
#include "running_totals.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <sluice.hpp>

namespace {

// snippet-begin: job
/// Two feeds of `count` orders each, merged, keyed by customer; each
/// customer's running total goes to the board and to files.
sluice::job_builder orders_job(const std::string& store, uint64_t count,
                               std::shared_ptr<totals_board> board) {
  sluice::job_builder job{"orders"};
  job.settings().checkpoints.store = store; // checkpoints on
  job.settings().checkpoints.interval = std::chrono::milliseconds{200};
  auto web = job.source("web", order_feed{"web", count});
  auto shop = job.source("shop", order_feed{"shop", count});
  auto totals = web.union_with("orders", shop)
                  .key_by([](const order& x) {
                    return customer_key{x.shop, x.customer};
                  })
                  .process<customer_total>("totals", running_totals)
                  .parallelism(2);
  // One instance: the totals of a customer must reach the board in order.
  totals.sink("board", publish_totals{board}).parallelism(1);
  totals.commit_files("files", store + "-files");
  return job;
}
// snippet-end

/// Each customer's total over the first `count[shop]` orders of each shop.
std::map<std::pair<std::string, std::string>, int64_t>
expected_totals(const std::map<std::string, uint64_t>& count) {
  std::map<std::pair<std::string, std::string>, int64_t> totals;
  for (auto& [shop, n] : count)
    for (uint64_t i = 0; i < n; ++i) {
      auto x = order_at(shop, i);
      totals[{x.shop, x.customer}] += x.cents;
    }
  return totals;
}

/// Prints whether the board shows the totals of those orders.
bool check_board(const char* run, totals_board& board,
                 const std::map<std::string, uint64_t>& count) {
  std::lock_guard<std::mutex> guard{board.mutex};
  bool same = board.cents == expected_totals(count);
  std::cout << run << ": totals of " << count.at("web") << " + "
            << count.at("shop") << " orders " << (same ? "match" : "DIFFER")
            << std::endl;
  return same;
}

int fail(const caf::error& err) {
  std::cerr << sluice::describe(err) << std::endl;
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  std::string store = argc > 1 ? argv[1] : "orders.db";
  caf::actor_system_config cfg;
  sluice::announce(cfg);
  caf::actor_system sys{cfg};
  auto board = std::make_shared<totals_board>();

  // A fresh start: the files of earlier runs go too.
  std::filesystem::remove_all(store + "-files");

  // snippet-begin: start
  // Run 1: endless feeds, started fresh (discarding older checkpoints).
  auto first = orders_job(store, sluice::unbounded, board);
  auto handle = first.start(sys, sluice::resume::fresh());
  if (!handle)
    return fail(handle.error());
  // snippet-end

  // snippet-begin: metrics
  sluice::metrics_server_settings settings; // 127.0.0.1, any free port
  sluice::metrics_server server{*handle, *sluice::graph_of(first), settings};
  if (auto port = server.start())
    std::cout << "dashboard: " << server.url()
              << ", Prometheus: " << server.url() << "metrics" << std::endl;
  // snippet-end

  // snippet-begin: checkpoint
  // Once some orders went through: a checkpoint now, then a stop. The
  // sources end their streams, every order read reaches the sinks, and a
  // final checkpoint commits them.
  using sluice::actors::instance_metrics;
  while (handle->metrics().sum("totals", &instance_metrics::records_in) < 20000)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  auto taken = handle->checkpoint(); // blocks until it completed
  if (!taken)
    return fail(taken.error());
  std::cout << "checkpoint " << *taken << " completed" << std::endl;
  handle->stop();
  auto report = handle->wait();
  if (!report)
    return fail(report.error());
  // snippet-end
  server.stop();
  std::map<std::string, uint64_t> read{{"web", report->records_in("web")},
                                       {"shop", report->records_in("shop")}};
  if (!check_board("run 1", *board, read))
    return 1;

  // snippet-begin: resume
  // Run 2: bounded feeds, resumed at run 1's last completed checkpoint
  // (the default, resume::latest_if_any(), would pick the same): the
  // sources seek to its offsets, the totals come back from its state.
  uint64_t last = 0;
  for (auto& c : report->checkpoints)
    if (c.completed)
      last = sluice::protocol::to_integer(c.id);
  auto count = std::max(read["web"], read["shop"]) + 10000;
  auto second = orders_job(store, count, board);
  auto resumed = second.run(sys, sluice::resume::at(last));
  if (!resumed)
    return fail(resumed.error());
  std::cout << "resumed from checkpoint " << resumed->restored_from
            << std::endl;
  // snippet-end
  if (!check_board("run 2", *board, {{"web", count}, {"shop", count}}))
    return 1;
}
