#include "sluice.hpp"
#include "state/checkpoint_store.hpp"
#include "state/keyed_value_state.hpp"
#include "state/restore_point.hpp"
#include "tests/support/actor_system_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/file_size_limit.hpp"
#include "tests/support/stop_on_exit.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <thread>

using namespace sluice;
using sluice::testing::actor_system_fixture;
using sluice::testing::eventually;
using sluice::testing::failure_text;
using sluice::testing::file_size_limit;
using sluice::testing::stop_on_exit;
using sluice::testing::temp_dir;

namespace {

/// (which source, index within it)
using tagged = std::pair<uint64_t, uint64_t>;

uint64_t key_of(const tagged& x) {
  return x.first * 1000 + x.second % 37;
}

/// Per-key counts in a checkpointed keyed value state named "counts".
auto counting = [](operators::state_context& ctx) {
  auto& counts = ctx.value_state<uint64_t, uint64_t>("counts");
  return [&counts](const tagged& x, emitter<tagged>&) {
    ++counts.get_or_init(key_of(x), [] { return uint64_t{0}; });
  };
};

state::checkpoint_store open_store(const std::string& path) {
  auto store = state::checkpoint_store::open(path);
  BOOST_TEST_REQUIRE(static_cast<bool>(store), failure_text(store));
  return std::move(*store);
}

std::vector<std::string> sorted_lines(const std::string& path) {
  std::ifstream in{path};
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

/// Lets a test hold an instance until it opens the gate.
struct gate {
  std::mutex mtx;
  std::condition_variable cv;
  bool open = false;
};

/// A sink that stalls in its first pre-commit until the gate opens.
struct stalling_sink {
  std::shared_ptr<gate> g;

  struct instance : operators::operator_instance {
    std::shared_ptr<gate> g;
    bool first = true;

    void process(uint32_t, protocol::record_payload&& xs) override {
      static_cast<void>(operators::take_records<uint64_t>(xs));
    }

    std::optional<std::string> pre_commit(protocol::checkpoint_id) override {
      if (first) {
        first = false;
        std::unique_lock<std::mutex> guard{g->mtx};
        g->cv.wait(guard, [this] { return g->open; });
      }
      return std::nullopt;
    }

    protocol::output_port* output() noexcept override { return nullptr; }
  };

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context&) const {
    auto x = std::make_unique<instance>();
    x->g = g;
    return x;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(checkpoint_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(
  aligned_snapshots_hold_exactly_the_records_before_the_barriers) {
  // A fast and a slow source meet in a union; a keyed counter behind it.
  // Each checkpoint's stored counts must equal the counts of exactly the
  // records before the barrier on both channels: those below each source's
  // stored offset.
  temp_dir dir;
  job_builder job{"alignment"};
  auto& cp = job.settings().checkpoints;
  cp.store = dir.file("job.db");
  cp.interval = std::chrono::milliseconds(20);
  cp.retain = 1000;
  cp.full_every = 3;
  job.settings().batch_size = 64;
  job.settings().max_buffered_records = 1024;
  auto fast = job.source("fast", generate(60000, 1, [](uint64_t i, uint64_t) {
                           return tagged{0, i};
                         }));
  // Reads until the test stops the job: every checkpoint before the final
  // one cuts through it while it reads, however long checkpoints take.
  auto slow_spec = generate(unbounded, 2, [](uint64_t i, uint64_t) {
    return tagged{1, i};
  });
  slow_spec.rate(10000);
  auto slow = job.source("slow", slow_spec);
  fast.union_with("merge", slow)
    .key_by([](const tagged& x) { return key_of(x); })
    .process<tagged>("count", counting)
    .parallelism(2)
    .for_each("sink", [](const tagged&) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto& metrics = handle->metrics();
  // Once the slow source read something, every checkpoint started after
  // holds a part of its input. With one checkpoint in flight at most, the
  // second and third to complete from then on started after.
  BOOST_TEST_REQUIRE(cp.max_concurrent == 1u);
  BOOST_TEST_REQUIRE(eventually([&] {
    return metrics.sum("slow", &actors::instance_metrics::records_in) > 0;
  }));
  auto done = metrics.checkpoints_completed();
  BOOST_TEST_REQUIRE(
    eventually([&] { return metrics.checkpoints_completed() >= done + 3; }));
  // Their offsets are at most what it had read by now; it reads on before
  // the job stops, so they fall short of its last record.
  auto slow_read = metrics.sum("slow", &actors::instance_metrics::records_in);
  BOOST_TEST_REQUIRE(eventually([&] {
    return metrics.sum("slow", &actors::instance_metrics::records_in)
           > slow_read;
  }));
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  uint64_t slow_records = 0;
  for (auto& r : report->instances)
    if (r.stage == "slow")
      slow_records += r.offset;
  auto store = open_store(cp.store);
  auto completed = store.completed();
  BOOST_TEST_REQUIRE(static_cast<bool>(completed));
  size_t checked = 0;
  // Checkpoints taken while the slow source was still reading: each cuts
  // through a running input.
  size_t mid_stream = 0;
  for (auto& c : *completed) {
    BOOST_TEST_CONTEXT(c.id) {
      auto point = state::load_restore_point(store, "alignment", c.id);
      BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
      auto offset_of = [&](const std::string& stage) {
        return point->chain(stage, 0).back().source_offset.value();
      };
      auto slow_offset = offset_of("slow");
      if (slow_offset > 0 && slow_offset < slow_records)
        ++mid_stream;
      std::map<uint64_t, uint64_t> expected;
      for (uint64_t i = 0; i < offset_of("fast"); ++i)
        ++expected[key_of({0, i})];
      for (uint64_t i = 0; i < slow_offset; ++i)
        ++expected[key_of({1, i})];
      std::map<uint64_t, uint64_t> stored;
      for (uint32_t instance = 0; instance < 2; ++instance) {
        state::state_registry registry;
        auto& counts
          = registry.make<state::keyed_value_state<uint64_t, uint64_t>>(
            "counts");
        BOOST_TEST_REQUIRE(
          !registry.restore(point->chain("count", instance), "count"));
        counts.for_each([&](uint64_t k, uint64_t n) { stored[k] = n; });
      }
      BOOST_TEST((stored == expected));
      ++checked;
    }
  }
  BOOST_TEST(checked == completed->size());
  BOOST_TEST(mid_stream >= 2u);
  // The union aligned: it snapshotted every checkpoint and spent time
  // waiting for the slow input's barriers.
  BOOST_TEST(metrics.sum("merge", &actors::instance_metrics::snapshots)
             >= completed->size());
  BOOST_TEST(metrics.sum("merge", &actors::instance_metrics::alignment_ns)
             > 0u);
}

BOOST_AUTO_TEST_CASE(
  a_missing_ack_times_out_and_the_next_checkpoint_completes) {
  // The sink stalls in its first pre-commit until the test saw the
  // coordinator abort that checkpoint; later ones complete. The timeout
  // is what the test waits for the first abort, and what every later
  // checkpoint, the final one included, has to complete: generous, for a
  // loaded machine.
  temp_dir dir;
  auto g = std::make_shared<gate>();
  job_builder job{"timeout"};
  auto& cp = job.settings().checkpoints;
  cp.store = dir.file("job.db");
  cp.interval = std::chrono::milliseconds(50);
  cp.timeout = std::chrono::seconds(3);
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(20000);
  job.source("src", spec).sink("sink", stalling_sink{g});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto& metrics = handle->metrics();
  auto aborted = [&] {
    auto cs = metrics.checkpoints();
    return !cs.empty() && !cs.front().completed;
  };
  BOOST_TEST_REQUIRE(eventually(aborted));
  {
    std::lock_guard<std::mutex> guard{g->mtx};
    g->open = true;
  }
  g->cv.notify_all();
  auto completed = [&] {
    auto cs = metrics.checkpoints();
    return std::any_of(cs.begin(), cs.end(),
                       [](auto& c) { return c.completed; });
  };
  BOOST_TEST_REQUIRE(eventually(completed));
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  auto& first = report->checkpoints.front();
  BOOST_TEST(to_integer(first.id) == 1u);
  BOOST_TEST(!first.completed);
  BOOST_TEST(first.reason == "not completed within 3000 ms");
  BOOST_TEST(report->checkpoints.back().completed);
  BOOST_TEST(report->checkpoints.back().final);
  // Checkpoint 1 left nothing in the store.
  auto store = open_store(cp.store);
  auto ids = store.completed();
  BOOST_TEST_REQUIRE(static_cast<bool>(ids));
  for (auto& c : *ids)
    BOOST_TEST(to_integer(c.id) != 1u);
}

BOOST_AUTO_TEST_CASE(
  a_stopped_bounded_job_resumes_to_the_uninterrupted_output) {
  temp_dir dir;
  constexpr uint64_t n = 40000;
  auto build = [&](job_builder& job, const std::string& out) {
    auto& cp = job.settings().checkpoints;
    cp.store = dir.file("job.db");
    cp.interval = std::chrono::milliseconds(30);
    cp.full_every = 4;
    auto spec = generate(
      n, 7, [](uint64_t i, uint64_t r) { return std::make_pair(i, r % 100); });
    spec.rate(40000);
    auto src = job.source("src", spec).parallelism(2);
    src
      .map("format",
           [](const std::pair<uint64_t, uint64_t>& x) {
             return std::to_string(x.first) + " " + std::to_string(x.second);
           })
      .write_lines("lines", out);
    return src
      .key_by([](const std::pair<uint64_t, uint64_t>& x) { return x.second; })
      .count("count")
      .parallelism(2)
      .collect("counts");
  };
  // The reference: one uninterrupted run.
  job_builder whole{"whole"};
  auto whole_counts = build(whole, dir.file("whole.txt"));
  whole.settings().checkpoints.store = dir.file("whole.db");
  auto ref = whole.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(ref), failure_text(ref));
  // Run 1, stopped partway; run 2 resumes from its final checkpoint.
  job_builder first{"resumable"};
  build(first, dir.file("out.txt"));
  auto handle = first.start(sys, resume::fresh());
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  BOOST_TEST_REQUIRE(eventually([&] {
    return handle->metrics().sum("src", &actors::instance_metrics::records_in)
           > n / 4;
  }));
  handle->stop();
  auto r1 = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(r1), failure_text(r1));
  auto read_first = r1->records_out("src") / 2; // two readers of src
  BOOST_TEST(read_first < n);
  job_builder second{"resumable"};
  auto counts = build(second, dir.file("out.txt"));
  auto r2 = second.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(r2), failure_text(r2));
  BOOST_TEST(r2->restored_from == to_integer(r1->checkpoints.back().id));
  // The file: written by both runs, equal to the uninterrupted one.
  auto got = sorted_lines(dir.file("out.txt"));
  auto want = sorted_lines(dir.file("whole.txt"));
  BOOST_TEST(got.size() == n);
  BOOST_TEST((got == want));
  // The counts: the resumed run went on from the restored state.
  std::map<uint64_t, uint64_t> got_counts;
  for (auto& [k, c] : counts->records())
    got_counts[k] = std::max(got_counts[k], c);
  std::map<uint64_t, uint64_t> want_counts;
  for (auto& [k, c] : whole_counts->records())
    want_counts[k] = std::max(want_counts[k], c);
  BOOST_TEST((got_counts == want_counts));
}

BOOST_AUTO_TEST_CASE(a_stopped_unbounded_job_resumes_without_gaps_or_repeats) {
  temp_dir dir;
  std::vector<uint64_t> all;
  uint64_t last_restored = 0;
  for (int run = 0; run < 3; ++run) {
    job_builder job{"endless"};
    job.settings().checkpoints.store = dir.file("job.db");
    job.settings().checkpoints.interval = std::chrono::milliseconds(25);
    auto spec = generate(unbounded, 3, [](uint64_t i, uint64_t) { return i; });
    spec.rate(50000);
    auto out = job.source("src", spec).parallelism(2).collect("sink");
    auto handle = job.start(sys);
    BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
    stop_on_exit stops_handle{*handle};
    // A resumed source counts from its restored offset: each run reads
    // about 3000 records of its own.
    BOOST_TEST_REQUIRE(eventually([&] {
      return handle->metrics().sum("src", &actors::instance_metrics::records_in)
             > 3000u * (run + 1);
    }));
    handle->stop();
    auto report = handle->wait();
    BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
    if (run > 0)
      BOOST_TEST(report->restored_from > last_restored);
    last_restored = report->restored_from;
    auto xs = out->records();
    all.insert(all.end(), xs.begin(), xs.end());
  }
  // Every index from 0 to the last one read, exactly once.
  std::sort(all.begin(), all.end());
  BOOST_TEST_REQUIRE(!all.empty());
  BOOST_TEST((std::adjacent_find(all.begin(), all.end()) == all.end()));
  // Instance k of the two reads indices k, k + 2, k + 4, ... and stops at
  // its own offset: each one's indices run from k without a gap. (Their
  // union has a gap at the end wherever one instance got further.)
  for (uint64_t k : {0, 1}) {
    std::vector<uint64_t> mine;
    std::copy_if(all.begin(), all.end(), std::back_inserter(mine),
                 [k](uint64_t x) { return x % 2 == k; });
    BOOST_TEST_REQUIRE(!mine.empty());
    for (uint64_t i = 0; i < mine.size(); ++i)
      BOOST_TEST_REQUIRE(mine[i] == k + 2 * i);
  }
}

BOOST_AUTO_TEST_CASE(a_full_disk_aborts_checkpoints_and_the_job_goes_on) {
  // The store's disk fills while the job runs: checkpoints abort, naming
  // the file, and the job keeps going; with space back they complete
  // again, and the output is exact.
  temp_dir dir;
  job_builder job{"full disk"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = std::chrono::milliseconds(20);
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(50000);
  auto out = job.source("src", spec).collect("sink");
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto completed = [&] {
    auto cs = handle->metrics().checkpoints();
    return std::count_if(cs.begin(), cs.end(),
                         [](auto& c) { return c.completed; });
  };
  BOOST_TEST_REQUIRE(eventually([&] { return completed() >= 2; }));
  std::string reason;
  {
    file_size_limit full_disk{4096};
    auto before = handle->metrics().checkpoints().size();
    BOOST_TEST_REQUIRE(eventually([&] {
      auto cs = handle->metrics().checkpoints();
      for (auto i = before; i < cs.size(); ++i)
        if (!cs[i].completed) {
          reason = cs[i].reason;
          return true;
        }
      return false;
    }));
  }
  BOOST_TEST(reason.find(dir.file("job.db")) != std::string::npos, reason);
  auto done = completed();
  BOOST_TEST_REQUIRE(eventually([&] { return completed() > done; }));
  BOOST_TEST(!handle->done());
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  auto xs = out->records();
  std::sort(xs.begin(), xs.end());
  BOOST_TEST_REQUIRE(!xs.empty());
  for (uint64_t i = 0; i < xs.size(); ++i)
    BOOST_TEST_REQUIRE(xs[i] == i);
  // Every record read reached the sink, once.
  BOOST_TEST(
    xs.size()
    == handle->metrics().sum("src", &actors::instance_metrics::records_in));
}

BOOST_AUTO_TEST_CASE(a_job_resumes_from_a_chosen_checkpoint) {
  // Two checkpoints taken on request, then the job stops (a third, final
  // one). Resumed at the first, the job reads on from that checkpoint's
  // offset; the later two are gone, and their ids are not used again.
  temp_dir dir;
  auto build = [&](job_builder& job) {
    job.settings().checkpoints.store = dir.file("job.db");
    auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
    spec.rate(50000);
    return job.source("src", spec).collect("sink");
  };
  job_builder first{"chosen"};
  auto out1 = build(first);
  auto h1 = first.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(h1), failure_text(h1));
  stop_on_exit stops_h1{*h1};
  auto read = [](job_handle& h) {
    return h.metrics().sum("src", &actors::instance_metrics::records_in);
  };
  BOOST_TEST_REQUIRE(eventually([&] { return read(*h1) > 2000; }));
  auto a = h1->checkpoint();
  BOOST_TEST_REQUIRE(static_cast<bool>(a), failure_text(a));
  auto at_a = read(*h1);
  BOOST_TEST_REQUIRE(eventually([&] { return read(*h1) > at_a + 2000; }));
  auto b = h1->checkpoint();
  BOOST_TEST_REQUIRE(static_cast<bool>(b), failure_text(b));
  h1->stop();
  auto r1 = h1->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(r1), failure_text(r1));
  auto last = to_integer(r1->checkpoints.back().id);
  BOOST_TEST_REQUIRE(last > *b);
  uint64_t offset_a = 0;
  {
    auto store = open_store(dir.file("job.db"));
    auto point
      = state::load_restore_point(store, "chosen", protocol::checkpoint_id{*a});
    BOOST_TEST_REQUIRE(static_cast<bool>(point), failure_text(point));
    offset_a = point->chain("src", 0).back().source_offset.value_or(0);
  }
  BOOST_TEST_REQUIRE(offset_a > 0u);
  job_builder second{"chosen"};
  auto out2 = build(second);
  auto h2 = second.start(sys, resume::at(*a));
  BOOST_TEST_REQUIRE(static_cast<bool>(h2), failure_text(h2));
  stop_on_exit stops_h2{*h2};
  BOOST_TEST_REQUIRE(eventually([&] { return read(*h2) > offset_a + 1000; }));
  h2->stop();
  auto r2 = h2->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(r2), failure_text(r2));
  BOOST_TEST(r2->restored_from == *a);
  BOOST_TEST_REQUIRE(!r2->checkpoints.empty());
  BOOST_TEST(to_integer(r2->checkpoints.front().id) > last);
  // The second run's output starts exactly at the chosen checkpoint.
  auto xs = out2->records();
  BOOST_TEST_REQUIRE(!xs.empty());
  for (uint64_t i = 0; i < xs.size(); ++i)
    BOOST_TEST_REQUIRE(xs[i] == offset_a + i);
  // Only checkpoints after the chosen one are listed: b and the first
  // run's final one are gone.
  auto store = open_store(dir.file("job.db"));
  auto listed = store.completed();
  BOOST_TEST_REQUIRE(static_cast<bool>(listed));
  for (auto& c : *listed)
    BOOST_TEST((to_integer(c.id) == *a || to_integer(c.id) > last));
}

BOOST_AUTO_TEST_CASE(
  a_store_that_is_not_a_database_stops_the_job_from_starting) {
  temp_dir dir;
  {
    std::ofstream garbage{dir.file("job.db")};
    garbage << "this is not an SQLite database, but it is long enough to "
               "have a header of sorts........................................"
               "..............................................................";
  }
  job_builder job{"garbage store"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.source("src", generate(100, 1, [](uint64_t i, uint64_t) { return i; }))
    .collect("sink");
  auto before = sys.registry().running();
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(!handle);
  auto text = describe(handle.error());
  BOOST_TEST(text.find(dir.file("job.db")) != std::string::npos, text);
  BOOST_TEST(text.find("not a database") != std::string::npos, text);
  BOOST_TEST(sys.registry().running() == before);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_on_request_completes_and_is_listed) {
  temp_dir dir;
  job_builder job{"on request"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.settings().checkpoints.interval = std::chrono::nanoseconds{0};
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(10000);
  job.source("src", spec)
    .key_by([](uint64_t x) { return x % 10; })
    .count("count")
    .for_each("sink", [](const std::pair<uint64_t, uint64_t>&) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto a = handle->checkpoint();
  BOOST_TEST_REQUIRE(static_cast<bool>(a), failure_text(a));
  auto b = handle->checkpoint();
  BOOST_TEST_REQUIRE(static_cast<bool>(b), failure_text(b));
  BOOST_TEST(*b == *a + 1);
  handle->stop();
  auto report = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  BOOST_TEST(report->completed_checkpoints() == 3u); // a, b and the final one
  auto store = open_store(dir.file("job.db"));
  auto listed = store.completed();
  BOOST_TEST_REQUIRE(static_cast<bool>(listed));
  BOOST_TEST(listed->front().kind == protocol::snapshot_kind::delta);
  BOOST_TEST(to_integer(listed->back().id) == *a);
}

BOOST_AUTO_TEST_CASE(a_job_without_store_refuses_a_checkpoint_request) {
  job_builder job{"no store"};
  auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
  spec.rate(1000);
  job.source("src", spec).for_each("sink", [](uint64_t) {});
  auto handle = job.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  auto id = handle->checkpoint();
  BOOST_TEST_REQUIRE(!id);
  BOOST_TEST(describe(id.error()) == "job 'no store' has no checkpoint store");
  handle->stop();
  BOOST_TEST(static_cast<bool>(handle->wait()));
}

BOOST_AUTO_TEST_CASE(a_damaged_checkpoint_is_passed_over_on_resume) {
  temp_dir dir;
  auto build = [&](job_builder& job) {
    job.settings().checkpoints.store = dir.file("job.db");
    job.settings().checkpoints.interval = std::chrono::milliseconds(20);
    auto spec = generate(unbounded, 1, [](uint64_t i, uint64_t) { return i; });
    spec.rate(20000);
    job.source("src", spec)
      .key_by([](uint64_t x) { return x % 10; })
      .count("count")
      .for_each("sink", [](const std::pair<uint64_t, uint64_t>&) {});
  };
  job_builder first{"damaged"};
  build(first);
  auto handle = first.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(handle), failure_text(handle));
  stop_on_exit stops_handle{*handle};
  BOOST_TEST_REQUIRE(
    eventually([&] { return handle->metrics().checkpoints().size() >= 3; }));
  handle->stop();
  auto r1 = handle->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(r1), failure_text(r1));
  auto last = r1->checkpoints.back().id;
  {
    auto store = open_store(dir.file("job.db"));
    auto chain = store.chain(last, "count", 0);
    BOOST_TEST_REQUIRE(static_cast<bool>(chain));
    auto payload = chain->back();
    payload[payload.size() - 3] ^= 0x40;
    BOOST_TEST_REQUIRE(!store.replace_payload(last, "count", 0, payload));
  }
  job_builder second{"damaged"};
  build(second);
  auto h2 = second.start(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(h2), failure_text(h2));
  stop_on_exit stops_h2{*h2};
  h2->stop();
  auto r2 = h2->wait();
  BOOST_TEST_REQUIRE(static_cast<bool>(r2), failure_text(r2));
  BOOST_TEST(r2->restored_from < to_integer(last));
  BOOST_TEST(r2->restored_from > 0u);
  BOOST_TEST_REQUIRE(r2->restore_notes.size() == 1u);
  auto expected = to_string(last) + " skipped: " + to_string(last)
                  + ", stage 'count' instance 0: checksum mismatch";
  BOOST_TEST(r2->restore_notes[0].find(expected) == 0u, r2->restore_notes[0]);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// Emits the sum of its input when the input ends.
class summing_instance final : public operators::producing_instance<uint64_t> {
public:
  using producing_instance::producing_instance;

  void process(uint32_t, protocol::record_payload&& payload) override {
    for (auto x : operators::take_records<uint64_t>(payload))
      sum_ += x;
  }

  void finish() override {
    router_->staging().push_back(sum_);
    router_->route();
  }

private:
  uint64_t sum_ = 0;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(final_checkpoint_tests, actor_system_fixture)

BOOST_AUTO_TEST_CASE(records_emitted_at_end_of_input_are_committed) {
  // C7: the final barrier is the last thing before the end of the stream;
  // what an operator emits when its input ends belongs to the final epoch.
  temp_dir dir;
  job_builder job{"summing"};
  job.settings().checkpoints.store = dir.file("job.db");
  job.source("src", generate(1000, 1, [](uint64_t i, uint64_t) { return i; }))
    .add<uint64_t>("sum",
                   [](const operators::instance_context&, auto router) {
                     return std::make_unique<summing_instance>(
                       std::move(router));
                   })
    .commit_files("out", dir.file("out"));
  auto report = job.run(sys);
  BOOST_TEST_REQUIRE(static_cast<bool>(report), failure_text(report));
  std::vector<uint64_t> published;
  for (auto& entry : std::filesystem::directory_iterator(dir.file("out"))) {
    if (entry.is_directory())
      continue;
    std::ifstream in{entry.path()};
    for (uint64_t x; in >> x;)
      published.push_back(x);
  }
  BOOST_TEST(published == (std::vector<uint64_t>{999 * 1000 / 2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
