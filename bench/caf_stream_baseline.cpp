#include "bench/caf_stream_baseline.hpp"

#include "bench/record_work.hpp"

#include <caf/all.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace sluice::bench {

namespace {

/// Starts a source's stream towards the stage composition it carries.
using start_atom = caf::atom_constant<caf::atom("start")>;
/// A sink's lane and totals, to the waiting caller.
using done_atom = caf::atom_constant<caf::atom("done")>;

/// What the sources count, one slot per lane. A source writes its slot in
/// `pull`; the caller reads it after the lane's sink ended, which the
/// stream's messages order after the last pull.
struct lane_counts {
  explicit lane_counts(size_t lanes) : produced(lanes) {}
  std::vector<std::atomic<uint64_t>> produced;
};

struct source_state {
  uint64_t produced = 0;
};

caf::behavior source(caf::event_based_actor* self, uint64_t lane,
                     uint64_t lanes,
                     std::shared_ptr<const std::atomic<bool>> stop,
                     std::shared_ptr<lane_counts> counts) {
  return {
    [=](start_atom, const caf::actor& next) {
      caf::attach_stream_source(
        self, next, [](source_state&) {},
        [=](source_state& st, caf::downstream<event>& out, size_t hint) {
          // CAF must not see an exception here (it would terminate the
          // process); the calls below do not throw short of bad_alloc.
          for (size_t n = 0; n < hint; ++n) {
            auto index = lane + (st.produced + n) * lanes;
            out.push(make_event(index, random_of(input_seed, index)));
          }
          st.produced += hint;
          counts->produced[lane].store(st.produced, std::memory_order_relaxed);
        },
        [stop](const source_state&) {
          return stop->load(std::memory_order_relaxed);
        });
    },
  };
}

caf::behavior mapper(caf::event_based_actor* self) {
  return {
    [=](caf::stream<event> in) {
      return caf::attach_stream_stage(
        self, in, [](caf::unit_t&) {},
        [](caf::unit_t&, caf::downstream<event>& out, event x) {
          out.push(map_event(x));
        });
    },
  };
}

caf::behavior sink(caf::event_based_actor* self, caf::actor caller,
                   uint64_t lane) {
  return {
    [=](caf::stream<event> in) {
      return caf::attach_stream_sink(
        self, in, [](sink_totals&) {},
        [](sink_totals& st, std::vector<event>& xs) {
          uint64_t sum = 0;
          for (auto& x : xs)
            sum += digest(x);
          st.records += xs.size();
          st.sum += sum;
        },
        [=](sink_totals& st, const caf::error& err) {
          self->send(caller, done_atom::value, lane, st.records, st.sum,
                     err ? self->system().render(err) : std::string{});
          self->quit();
        });
    },
  };
}

} // namespace

caf::expected<baseline_run>
run_caf_stream_baseline(caf::actor_system& sys, const baseline_options& opts) {
  if (opts.lanes == 0)
    return caf::make_error(caf::sec::invalid_argument,
                           "caf-streams: lanes must be positive");
  constexpr auto patience = std::chrono::minutes{2};
  auto stop = std::make_shared<std::atomic<bool>>(false);
  auto counts = std::make_shared<lane_counts>(opts.lanes);
  caf::scoped_actor caller{sys};
  auto start = std::chrono::steady_clock::now();
  for (uint64_t lane = 0; lane < opts.lanes; ++lane) {
    auto snk = sys.spawn(sink, caf::actor_cast<caf::actor>(caller), lane);
    auto src = sys.spawn(source, lane, uint64_t{opts.lanes}, stop, counts);
    // `snk * stage`: the stage's output stream goes to the sink.
    caller->send(src, start_atom::value, snk * sys.spawn(mapper));
  }
  std::this_thread::sleep_for(opts.duration);
  stop->store(true, std::memory_order_relaxed);
  baseline_run result;
  caf::error failure;
  for (uint32_t i = 0; i < opts.lanes && !failure; ++i) {
    caller->receive(
      [&](done_atom, uint64_t, uint64_t records, uint64_t sum,
          const std::string& err) {
        if (!err.empty())
          failure = caf::make_error(caf::sec::runtime_error,
                                    "caf-streams: a sink failed: " + err);
        result.received.records += records;
        result.received.sum += sum;
      },
      caf::after(patience) >>
        [&] {
          failure = caf::make_error(caf::sec::request_timeout,
                                    "caf-streams: a sink did not end within "
                                    "2 minutes after the sources stopped");
        });
  }
  if (failure)
    return failure;
  result.elapsed = std::chrono::steady_clock::now() - start;
  for (auto& n : counts->produced)
    result.produced.push_back(n.load(std::memory_order_relaxed));
  return result;
}

} // namespace sluice::bench
