// The end of a job under failures (rules C6, C7, R1, R2, S4, E4): faults
// at each phase of the final checkpoint in a job of three regions with
// SQLite and egress sinks, a failover after an egress instance's final
// snapshot, a region failing during another one's backoff, an in-run
// restore past a damaged checkpoint, and a checkpoint timeout next to a
// delta final checkpoint.
//
// Jobs that may never end run in a child process of their own
// (`run_in_child`): there a job that hangs is killed and the test fails with
// what the child reported, while inside the test process it would keep
// `~actor_system` waiting for ever.

#include "connectors/sqlite_sink.hpp"
#include "protocol/failover_regions.hpp"
#include "sluice.hpp"
#include "state/checkpoint_store.hpp"
#include "state/keyed_value_state.hpp"
#include "state/restore_point.hpp"
#include "state/state_registry.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/application_actors.hpp"
#include "tests/support/child_runs.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/gate.hpp"
#include "tests/support/sqlite_rows.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/text.hpp"

#include <caf/all.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace sluice;
using namespace std::chrono_literals;
using sluice::testing::actor_system_fixture;
using sluice::testing::child_body;
using sluice::testing::child_run;
using sluice::testing::consumer_log;
using sluice::testing::egress_consumer;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::gate;
using sluice::testing::open_on_exit;
using sluice::testing::read_file;
using sluice::testing::run_in_child;
using sluice::testing::run_in_children;
using sluice::testing::sqlite_rows;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

namespace {

/// Far beyond what the jobs here take (a second or two): a job that has
/// not ended by then will not. Only guards the suite against a hang.
constexpr std::chrono::seconds job_limit{20};

/// The same for each step a scenario waits for.
constexpr std::chrono::seconds step_limit{20};

/// The child process as a whole: its job, and what it waits for before.
constexpr std::chrono::seconds child_limit{45};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

uint64_t index_of(uint64_t i, uint64_t) {
  return i;
}

/// Fails the stage it sits in once, when the test says so: the first record
/// after `armed` is set waits at `held` until the test opens it, then the
/// stage throws. Shared by the restarts of the stage; fails only once.
struct tripwire {
  std::atomic<bool> armed{false};
  gate held;
};

/// A map function that passes records on and trips `t`.
auto passing_through(std::shared_ptr<tripwire> t) {
  return [t](uint64_t x) {
    if (t->armed.exchange(false)) {
      t->held.pass();
      throw std::runtime_error("tripwire");
    }
    return x;
  };
}

// -- child processes ----------------------------------------------------------

/// A step of a scenario did not happen: the child reports it and leaves at
/// once, since its job may still run.
[[noreturn]] void give_up(std::ostream& out, const std::string& step) {
  out << "gave up: " << step << std::endl;
  std::_Exit(3);
}

/// What the consumer of an egress stage saw, as report lines.
void report_consumer(std::ostream& out, const consumer_log<uint64_t>& log,
                     uint64_t expected) {
  // The instances sent their last messages before the job ended; the
  // consumer may still be handling them.
  static_cast<void>(eventually([&] { return log.has_ended(); }, step_limit));
  auto xs = log.snapshot();
  bool in_order = xs.size() == expected;
  for (uint64_t i = 0; in_order && i < xs.size(); ++i)
    in_order = xs[i] == i;
  std::lock_guard<std::mutex> guard{log.mtx};
  out << "egress records: " << xs.size() << "\n"
      << "egress records 0 to n-1 in order: " << (in_order ? "yes" : "no")
      << "\n"
      << "egress conflicts: " << log.conflicts << "\n"
      << "egress hellos: " << log.hellos << "\n"
      << "egress messages after egress_end: " << log.after_end << "\n"
      << "egress ended: " << (log.ended ? "yes" : "no") << std::endl;
}

/// Waits for the job; reports how it ended, or leaves the child if it did
/// not end (with what the consumer saw until then).
void report_end(std::ostream& out, job_handle& handle,
                const consumer_log<uint64_t>& log, uint64_t expected) {
  if (!handle.wait_for(job_limit)) {
    out << "job: still running " << job_limit.count()
        << " s after the scenario's last step\n"
        << "checkpoints completed: " << handle.metrics().checkpoints_completed()
        << "\n"
        << "failures: " << handle.metrics().failures() << std::endl;
    report_consumer(out, log, expected);
    std::_Exit(0);
  }
  auto report = handle.wait();
  if (!report) {
    out << "job: failed: " << describe(report.error()) << std::endl;
    return;
  }
  // Failures, not recoveries: a recovery counts once a restarted instance
  // processed a record, and after the final checkpoint none may come.
  out << "job: finished\n"
      << "failures: " << handle.metrics().failures() << "\n";
  size_t not_final = 0;
  for (auto& c : report->checkpoints)
    not_final += c.final ? 0 : 1;
  out << "checkpoints not final: " << not_final << std::endl;
}

/// What a child reported, for a failed check.
std::string shown(const child_run& run) {
  return "\nthe child reported:\n" + run.output;
}

/// A child that ran its scenario through: it ended in time and did not give
/// up on a step.
void require_ran_through(const child_run& run) {
  BOOST_TEST_REQUIRE(run.code.has_value(), "the child still ran after "
                                             << child_limit.count()
                                             << " s and was killed"
                                             << shown(run));
  BOOST_TEST_REQUIRE(*run.code == 0,
                     "the child exited with " << *run.code << shown(run));
}

// -- SQLite tables ------------------------------------------------------------

struct value_row {
  connectors::sqlite_row operator()(uint64_t x) const {
    return {static_cast<int64_t>(x)};
  }
};

struct count_row {
  connectors::sqlite_row
  operator()(const std::pair<uint64_t, uint64_t>& x) const {
    return {static_cast<int64_t>(x.first), static_cast<int64_t>(x.second)};
  }
};

/// An unkeyed table `numbers` (value) in `path`.
connectors::write_sqlite<uint64_t, value_row> values_table(std::string path) {
  return {{std::move(path),
           "numbers",
           {{"value", connectors::sqlite_type::integer}},
           {}},
          value_row{}};
}

/// A table `counts` (key, count) keyed by `key` in `path`.
connectors::write_sqlite<std::pair<uint64_t, uint64_t>, count_row>
counts_table(std::string path) {
  return {{std::move(path),
           "counts",
           {{"key", connectors::sqlite_type::integer},
            {"count", connectors::sqlite_type::integer}},
           {"key"}},
          count_row{}};
}

/// "COUNT|DISTINCT|MIN|MAX" of the values in an unkeyed table.
std::string values_summary(const std::string& path) {
  return sqlite_rows(path, "SELECT COUNT(*), COUNT(DISTINCT value), "
                           "MIN(value), MAX(value) FROM numbers")
    .at(0);
}

// -- the final checkpoint under faults ----------------------------------------

constexpr uint64_t rows_records = 2000;
constexpr uint64_t egress_records = 3000;
constexpr uint64_t counted_records = 3000;
constexpr uint64_t keys = 10;

/// Three independent pipelines, each its own failover region: 2000 records
/// into an unkeyed SQLite table (sink "rows"), 3000 to an egress stage
/// ("egress"), and 3000 at 3000 records/s counted per key into a keyed
/// SQLite table ("counts"). No periodic checkpoints: the final checkpoint
/// is the only one, so the fault at `phase` in `stage` lands on it.
int three_regions(std::ostream& out, const std::string& dir,
                  const std::string& phase, const std::string& stage) {
  actor_system_fixture::config cfg;
  caf::actor_system sys{cfg};
  auto log = std::make_shared<consumer_log<uint64_t>>();
  auto consumer = sys.spawn(egress_consumer<uint64_t>, uint64_t{1000}, log);
  job_builder job{"three regions"};
  auto& settings = job.settings();
  settings.checkpoints.store = dir + "/job.db";
  settings.checkpoints.interval = 0s;
  settings.faults.phase = config::parse_checkpoint_phase(phase);
  settings.faults.stage = stage;
  settings.faults.count = 1;
  settings.log.level = config::log_level::info;
  settings.log.file = dir + "/job.log";
  job.source("rows_src", generate(rows_records, 1, index_of))
    .sink("rows", values_table(dir + "/rows.db"));
  job.source("egress_src", generate(egress_records, 1, index_of))
    .egress("egress", consumer);
  auto slow = generate(counted_records, 1, index_of);
  slow.rate(3000);
  job.source("count_src", slow)
    .key_by([](uint64_t x) { return x % keys; })
    .count("count")
    .sink("counts", counts_table(dir + "/counts.db"));
  auto handle = job.start(sys);
  if (!handle)
    give_up(out, "start: " + describe(handle.error()));
  out << "regions: "
      << protocol::failover_regions{handle->plan().topology}.count()
      << std::endl;
  report_end(out, *handle, *log, egress_records);
  report_consumer(out, *log, egress_records);
  caf::anon_send_exit(consumer, caf::exit_reason::user_shutdown);
  return 0;
}

/// The checks of one `three_regions` run. Not `BOOST_TEST_REQUIRE`: the
/// runs of the other sinks are checked as well.
void check_faultless_output(const child_run& run, const std::string& dir,
                            const std::string& phase, const std::string& sink) {
  BOOST_TEST_MESSAGE(run.output);
  if (!run.code || *run.code != 0) {
    BOOST_ERROR("the child "
                << (run.code
                      ? "exited with " + std::to_string(*run.code)
                      : "still ran after " + std::to_string(child_limit.count())
                          + " s and was killed")
                << shown(run));
    return;
  }
  auto facts = run.facts();
  BOOST_TEST(facts["regions"] == "3");
  if (facts["job"] != "finished") {
    BOOST_ERROR("job: " << facts["job"] << shown(run));
    return;
  }
  // The fault fired, and in a final checkpoint: the run took no other.
  auto log = read_file(dir + "/job.log");
  BOOST_TEST(facts["failures"] == "1", shown(run));
  BOOST_TEST(contains(log, "failure of stage '" + sink + "' instance 0/1: "),
             log);
  BOOST_TEST(contains(log, "injected fault " + phase), log);
  BOOST_TEST(facts["checkpoints not final"] == "0", shown(run));
  // Exactly the faultless output.
  BOOST_TEST(values_summary(dir + "/rows.db") == "2000|2000|0|1999");
  std::vector<std::string> counts;
  for (uint64_t k = 0; k < keys; ++k)
    counts.push_back(std::to_string(k) + "|"
                     + std::to_string(counted_records / keys));
  BOOST_TEST(sqlite_rows(dir + "/counts.db",
                         "SELECT key, count FROM counts ORDER BY key")
               == counts,
             boost::test_tools::per_element());
  BOOST_TEST(facts["egress records"] == std::to_string(egress_records));
  BOOST_TEST(facts["egress records 0 to n-1 in order"] == "yes");
  BOOST_TEST(facts["egress conflicts"] == "0");
  BOOST_TEST(facts["egress ended"] == "yes");
  BOOST_TEST(facts["egress messages after egress_end"] == "0");
}

const std::vector<std::string> phases{"before-snapshot", "after-snapshot",
                                      "before-commit", "after-commit"};

/// The three sinks, one per region.
const std::vector<std::string> failing_sinks{"rows", "egress", "counts"};

} // namespace

BOOST_AUTO_TEST_SUITE(end_of_job_tests)

BOOST_DATA_TEST_CASE(
  a_fault_at_any_phase_of_the_final_checkpoint_leaves_the_faultless_output,
  boost::unit_test::data::make(phases), phase) {
  // One run per sink, each in a child process, all at once: the fault
  // fails that sink at `phase` of the final checkpoint. Every run must end
  // on its own with exactly what a run without faults writes.
  std::vector<std::unique_ptr<temp_dir>> dirs;
  std::vector<child_body> bodies;
  for (auto& sink : failing_sinks) {
    dirs.push_back(std::make_unique<temp_dir>());
    auto dir = dirs.back()->path().string();
    bodies.push_back([dir, phase, sink](std::ostream& out) {
      return three_regions(out, dir, phase, sink);
    });
  }
  auto runs = run_in_children(bodies, child_limit);
  for (size_t i = 0; i < runs.size(); ++i)
    BOOST_TEST_CONTEXT("fault " << phase << " in sink '" << failing_sinks[i]
                                << "'") {
      check_faultless_output(runs[i], dirs[i]->path().string(), phase,
                             failing_sinks[i]);
    }
}

BOOST_AUTO_TEST_CASE(
  a_region_failing_during_another_regions_backoff_gets_all_its_records) {
  // Two pipelines, two regions, no checkpoint before the final one. Region
  // b (3000 records at 3000 records/s) reads all its records and reports
  // its source finished, while a tripwire holds its first record. Region
  // a (20000 records) is held the same way, so its source cannot finish;
  // then it fails, and b fails during a's backoff (R2). Both regions start
  // over from the beginning; b's source, which had finished before, must
  // read all of its records again before the final checkpoint ends it.
  // Two held records block two scheduler threads: the job needs two more.
  actor_system_fixture::config cfg;
  cfg.set("scheduler.max-threads", 4);
  caf::actor_system sys{cfg};
  temp_dir dir;
  auto a_trip = std::make_shared<tripwire>();
  auto b_trip = std::make_shared<tripwire>();
  a_trip->armed = true;
  b_trip->armed = true;
  job_builder job{"failure in backoff"};
  auto& settings = job.settings();
  settings.checkpoints.store = dir.file("job.db");
  settings.checkpoints.interval = 0s;
  settings.max_buffered_records = 4096; // a's source stalls behind the hold
  settings.restarts.initial_backoff = 2s;
  settings.restarts.jitter = 0;
  job.source("a", generate(20000, 1, index_of))
    .map("trip_a", passing_through(a_trip))
    .sink("out_a", values_table(dir.file("a.db")));
  auto slow = generate(3000, 1, index_of);
  slow.rate(3000);
  job.source("b", slow)
    .map("trip_b", passing_through(b_trip))
    .sink("out_b", values_table(dir.file("b.db")));
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  open_on_exit opens_a{a_trip->held};
  open_on_exit opens_b{b_trip->held};
  auto& metrics = handle->metrics();
  BOOST_TEST_REQUIRE(a_trip->held.wait_for_arrival(step_limit));
  BOOST_TEST_REQUIRE(b_trip->held.wait_for_arrival(step_limit));
  BOOST_TEST_REQUIRE(eventually(
    [&] {
      return metrics.sum("b", &actors::instance_metrics::records_in) == 3000;
    },
    step_limit));
  a_trip->held.open();
  BOOST_TEST_REQUIRE(eventually([&] { return metrics.failures() >= 1; }));
  b_trip->held.open();
  BOOST_TEST_REQUIRE(handle->wait_for(job_limit), "the job did not end");
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(metrics.failures() == 2u);
  for (auto& r : report->recoveries)
    BOOST_TEST_MESSAGE("recovery from the failure of '"
                       << r.failed_stage << "': " << r.instances_restarted
                       << " instances restarted");
  BOOST_TEST(values_summary(dir.file("a.db")) == "20000|20000|0|19999");
  BOOST_TEST(values_summary(dir.file("b.db")) == "3000|3000|0|2999");
}

BOOST_AUTO_TEST_CASE(
  an_egress_consumer_hears_the_end_only_after_the_final_checkpoint) {
  // Pipeline a: 5000 records to an egress stage, all committed by a
  // checkpoint and delivered before the final one, whose epoch is empty
  // for the egress instance. Pipeline b: endless, until the job is
  // stopped; a tripwire holds b's final barrier and then fails b. So the
  // failure comes after the egress instance took its final snapshot and
  // before the final checkpoint completed: every region goes back to the
  // checkpoint, and the egress instance delivers that checkpoint's records
  // again. E4: it says egress_end only once its final checkpoint
  // committed, and nothing after it; the consumer gets every record once
  // and the job ends.
  constexpr uint64_t n = 5000;
  temp_dir dir;
  auto store = dir.file("job.db");
  auto run = run_in_child(
    [&](std::ostream& out) {
      actor_system_fixture::config cfg;
      caf::actor_system sys{cfg};
      auto log = std::make_shared<consumer_log<uint64_t>>();
      auto consumer = sys.spawn(egress_consumer<uint64_t>, uint64_t{1000}, log);
      auto trip = std::make_shared<tripwire>();
      job_builder job{"egress end"};
      job.settings().checkpoints.store = store;
      job.settings().checkpoints.interval = 0s;
      job.source("a", generate(n, 1, index_of)).egress("out", consumer);
      auto endless = generate(unbounded, 1, index_of);
      endless.rate(2000);
      job.source("b", endless)
        .map("tripwire", passing_through(trip))
        .for_each("b_sink", [](uint64_t) {});
      auto handle = job.start(sys);
      if (!handle)
        give_up(out, "start: " + describe(handle.error()));
      auto& metrics = handle->metrics();
      if (!eventually(
            [&] {
              return metrics.sum("a", &actors::instance_metrics::records_in)
                     == n;
            },
            step_limit))
        give_up(out, "source a did not read its records");
      auto c = handle->checkpoint();
      if (!c)
        give_up(out, "checkpoint: " + describe(c.error()));
      if (!eventually([&] { return log->size() == n; }, step_limit))
        give_up(out, "the consumer did not get the checkpoint's records");
      trip->armed = true;
      if (!trip->held.wait_for_arrival(step_limit))
        give_up(out, "no record reached the tripwire");
      handle->stop();
      if (!eventually(
            [&] {
              return metrics.sum("out", &actors::instance_metrics::snapshots)
                     >= 2;
            },
            step_limit))
        give_up(out, "the egress instance took no final snapshot");
      // The final checkpoint cannot have completed: b's barrier waits at
      // the tripwire.
      out << "egress ended before the final checkpoint completed: "
          << (log->has_ended() ? "yes" : "no") << std::endl;
      trip->held.open();
      report_end(out, *handle, *log, n);
      report_consumer(out, *log, n);
      caf::anon_send_exit(consumer, caf::exit_reason::user_shutdown);
      return 0;
    },
    child_limit);
  BOOST_TEST_MESSAGE(run.output);
  require_ran_through(run);
  auto facts = run.facts();
  BOOST_TEST(facts["egress ended before the final checkpoint completed"]
               == "no",
             shown(run));
  BOOST_TEST(facts["egress messages after egress_end"] == "0", shown(run));
  BOOST_TEST_REQUIRE(facts["job"] == "finished", shown(run));
  BOOST_TEST(facts["failures"] == "1", shown(run));
  BOOST_TEST(facts["egress records"] == std::to_string(n));
  BOOST_TEST(facts["egress records 0 to n-1 in order"] == "yes");
  BOOST_TEST(facts["egress conflicts"] == "0");
  BOOST_TEST(facts["egress ended"] == "yes");
}

BOOST_FIXTURE_TEST_CASE(
  an_in_run_restore_past_a_damaged_checkpoint_leaves_every_checkpoint_restorable,
  actor_system_fixture) {
  // Checkpoints 1 (full), 2 and 3 (deltas) complete; then 3's snapshot of
  // the counter is damaged in the store, and the job fails. The restore
  // passes over 3 and takes the job back to 2 (S4, R1). What follows must
  // not build on 3: it is discarded as a resume discards what comes after
  // the checkpoint restored, and the next checkpoints start from 2's
  // state. Afterwards every completed checkpoint restores, the newest one
  // with the counts of exactly the records below its offset.
  temp_dir dir;
  auto store_path = dir.file("job.db");
  auto trip = std::make_shared<tripwire>();
  trip->held.open(); // fails at once when armed
  job_builder job{"damaged in run"};
  auto& cp = job.settings().checkpoints;
  cp.store = store_path;
  cp.interval = 0s;
  cp.full_every = 100;
  cp.retain = 100;
  auto spec = generate(unbounded, 1, index_of);
  spec.rate(20000);
  job.source("src", spec)
    .map("tripwire", passing_through(trip))
    .key_by([](uint64_t x) { return x % keys; })
    .process<uint64_t>(
      "count",
      [](operators::state_context& ctx) {
        auto& counts = ctx.value_state<uint64_t, uint64_t>("counts");
        return [&counts](uint64_t x, emitter<uint64_t>&) {
          ++counts.get_or_init(x % keys, [] { return uint64_t{0}; });
        };
      })
    .for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  std::vector<uint64_t> before;
  for (int i = 0; i < 3; ++i) {
    auto id = handle->checkpoint();
    BOOST_TEST_REQUIRE(static_cast<bool>(id), failure_text(id));
    before.push_back(*id);
  }
  auto damaged = protocol::checkpoint_id{before.back()};
  {
    auto store = state::checkpoint_store::open(store_path);
    BOOST_TEST_REQUIRE(static_cast<bool>(store), failure_text(store));
    auto chain = store->chain(damaged, "count", 0);
    BOOST_TEST_REQUIRE(static_cast<bool>(chain), failure_text(chain));
    BOOST_TEST_REQUIRE(chain->size() == 3u); // full, delta, delta
    auto payload = chain->back();
    payload[payload.size() - 3] ^= 0x40;
    BOOST_TEST_REQUIRE(!store->replace_payload(damaged, "count", 0, payload));
  }
  trip->armed = true;
  BOOST_TEST_REQUIRE(
    eventually([&] { return !handle->metrics().recoveries().empty(); }));
  auto recovery = handle->metrics().recoveries().front();
  BOOST_TEST_REQUIRE(recovery.restored_checkpoint == before[1],
                     "the restore did not pass over " << to_string(damaged));
  for (int i = 0; i < 2; ++i) {
    auto id = handle->checkpoint();
    BOOST_TEST_REQUIRE(static_cast<bool>(id), failure_text(id));
  }
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  auto store = state::checkpoint_store::open(store_path);
  BOOST_TEST_REQUIRE(static_cast<bool>(store), failure_text(store));
  auto completed = store->completed();
  BOOST_TEST_REQUIRE(static_cast<bool>(completed), failure_text(completed));
  std::vector<uint64_t> listed;
  for (auto& c : *completed)
    listed.push_back(to_integer(c.id));
  BOOST_TEST_MESSAGE(
    "completed checkpoints, newest first: " << caf::deep_to_string(listed));
  BOOST_TEST_REQUIRE(listed.size() >= 3u); // 1, 2 and the final one at least
  for (auto& c : *completed) {
    BOOST_TEST_CONTEXT("checkpoint " << to_integer(c.id)) {
      auto point = state::load_restore_point(*store, "damaged in run", c.id);
      BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
      BOOST_TEST(to_integer(point->checkpoint.id) == to_integer(c.id),
                 "restores as " << to_string(point->checkpoint.id) << ": "
                                << caf::deep_to_string(point->skipped));
      BOOST_TEST(to_integer(c.id) != to_integer(damaged),
                 "the damaged checkpoint is still listed as completed");
    }
  }
  // The newest checkpoint holds the counts of the records below its offset.
  auto point = state::load_restore_point(*store, "damaged in run");
  BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
  BOOST_TEST(point->skipped.empty(), caf::deep_to_string(point->skipped));
  auto offset = point->chain("src", 0).back().source_offset.value_or(0);
  std::vector<uint64_t> expected(keys, 0);
  for (uint64_t x = 0; x < offset; ++x)
    ++expected[x % keys];
  state::state_registry registry;
  auto& counts
    = registry.make<state::keyed_value_state<uint64_t, uint64_t>>("counts");
  BOOST_TEST_REQUIRE(!registry.restore(point->chain("count", 0), "count"));
  std::vector<uint64_t> stored(keys, 0);
  counts.for_each([&](uint64_t k, uint64_t v) { stored[k] = v; });
  BOOST_TEST(stored == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(
  a_checkpoint_timing_out_under_a_delta_final_does_not_fail_the_job,
  actor_system_fixture) {
  // Two checkpoints may be in flight. A gate holds the first record at the
  // map, and with it the barriers behind it: checkpoint k (full) waits
  // there, the job is stopped, and its final checkpoint starts as a delta
  // on k while k is still in flight. k times out (C6); the final, whose
  // chain ran through k, cannot complete either. A new final checkpoint
  // must follow, and the job end with every record read in the table once.
  temp_dir dir;
  auto store_path = dir.file("job.db");
  auto table = dir.file("out.db");
  auto held = std::make_shared<gate>();
  auto first = std::make_shared<std::atomic<bool>>(true);
  job_builder job{"timeout before final"};
  auto& cp = job.settings().checkpoints;
  cp.store = store_path;
  cp.interval = 0s;
  cp.max_concurrent = 2;
  cp.full_every = 100;
  cp.timeout = 2s;
  job.source("src", generate(1'000'000, 1, index_of))
    .map("hold",
         [held, first](uint64_t x) {
           if (first->exchange(false))
             held->pass();
           return x;
         })
    .sink("table", values_table(table));
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  open_on_exit opens_gate{*held};
  BOOST_TEST_REQUIRE(held->wait_for_arrival(step_limit));
  // Checkpoints the coordinator started and the store recorded.
  auto pending = [&]() -> std::string {
    try {
      return sqlite_rows(store_path, "SELECT COUNT(*) FROM checkpoints WHERE "
                                     "status = 'pending'")
        .at(0);
    } catch (const std::exception&) {
      return ""; // the store is busy: the next look
    }
  };
  auto k = std::async(std::launch::async, [&] { return handle->checkpoint(); });
  BOOST_TEST_REQUIRE(eventually([&] { return pending() == "1"; }, step_limit));
  handle->stop();
  // Today the final checkpoint starts at once, a delta on k while k is in
  // flight; an engine may as well hold it back until k is resolved.
  BOOST_TEST_REQUIRE(eventually(
    [&] {
      return pending() == "2" || k.wait_for(0s) == std::future_status::ready;
    },
    step_limit));
  BOOST_TEST_MESSAGE("the final checkpoint "
                     << (pending() == "2" ? "started" : "did not start")
                     << " while checkpoint k was in flight");
  auto aborted = k.get();
  BOOST_TEST_REQUIRE(!aborted, "checkpoint k completed behind the gate");
  BOOST_TEST_MESSAGE("checkpoint k: " << describe(aborted.error()));
  held->open();
  BOOST_TEST_REQUIRE(handle->wait_for(job_limit), "the job did not end");
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST_REQUIRE(!report->checkpoints.empty());
  BOOST_TEST(report->checkpoints.back().final);
  BOOST_TEST(report->checkpoints.back().completed);
  auto read = report->records_in("src");
  BOOST_TEST(values_summary(table)
             == std::to_string(read) + "|" + std::to_string(read) + "|0|"
                  + std::to_string(read - 1));
}

BOOST_AUTO_TEST_SUITE_END()
