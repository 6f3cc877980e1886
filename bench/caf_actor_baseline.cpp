#include "bench/caf_actor_baseline.hpp"

#include "bench/record_work.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace sluice::bench {

namespace {

using batch = std::vector<event>;
using stop_flag = std::shared_ptr<const std::atomic<bool>>;

/// Credit for more batches, consumer to producer, sent with high priority
/// as Sluice sends its demand.
using credit_atom = caf::atom_constant<caf::atom("credit")>;
/// The source produces what its credit allows (sent to itself).
using produce_atom = caf::atom_constant<caf::atom("produce")>;
/// The producer's last message, with the number of records the source
/// made: no batch follows.
using end_atom = caf::atom_constant<caf::atom("end")>;
/// A sink's totals and its source's count, to the waiting caller.
using done_atom = caf::atom_constant<caf::atom("done")>;

/// Batches a consumer takes before it returns credit.
uint32_t chunk_of(uint32_t window) {
  return std::max(window / 2, 1u);
}

// -- source -------------------------------------------------------------------

struct source_state {
  caf::actor next;
  baseline_options opts;
  uint64_t lane = 0;     ///< Produces indices lane, lane + lanes, ...
  stop_flag stop;        ///< Set by the caller when the run's time is up.
  uint64_t produced = 0; ///< Records sent.
  uint64_t credit = 0;   ///< Batches the map still accepts.
};

using source_ptr = caf::stateful_actor<source_state>*;

/// Sends batches while the map has room; ends once the time is up.
void produce(source_ptr self) {
  auto& st = self->state;
  if (st.stop->load(std::memory_order_relaxed)) {
    self->send(st.next, end_atom::value, st.produced);
    self->quit();
    return;
  }
  uint64_t stride = st.opts.lanes;
  while (st.credit > 0) {
    batch xs;
    xs.reserve(st.opts.batch_size);
    for (uint32_t n = 0; n < st.opts.batch_size; ++n) {
      auto index = st.lane + (st.produced + n) * stride;
      xs.push_back(make_event(index, random_of(input_seed, index)));
    }
    st.produced += st.opts.batch_size;
    --st.credit;
    self->send(st.next, std::move(xs));
  }
}

caf::behavior source(source_ptr self, caf::actor next, baseline_options opts,
                     uint64_t lane, stop_flag stop) {
  auto& st = self->state;
  st.next = std::move(next);
  st.opts = opts;
  st.lane = lane;
  st.stop = std::move(stop);
  st.credit = opts.window; // the map's initial window
  self->send(self, produce_atom::value);
  return {
    [=](produce_atom) { produce(self); },
    [=](credit_atom, uint32_t n) {
      self->state.credit += n;
      produce(self);
    },
  };
}

// -- map ----------------------------------------------------------------------

struct map_state {
  caf::actor next;
  caf::actor prev;           ///< The source, known from its first batch.
  std::deque<batch> waiting; ///< Mapped, waiting for the sink's credit.
  uint64_t credit = 0;       ///< Batches the sink still accepts.
  uint32_t chunk = 1;
  uint32_t released = 0; ///< Batches passed on and not yet credited back.
  std::optional<uint64_t> ended; ///< The source's count, once it ended.
};

using map_ptr = caf::stateful_actor<map_state>*;

/// Passes one batch on; credit goes back to the source once it left, so
/// that the map never holds more than its window.
void pass_on(map_ptr self, batch&& xs) {
  auto& st = self->state;
  --st.credit;
  self->send(st.next, std::move(xs));
  if (++st.released == st.chunk) {
    self->send<caf::message_priority::high>(st.prev, credit_atom::value,
                                            st.released);
    st.released = 0;
  }
}

void drain(map_ptr self) {
  auto& st = self->state;
  while (st.credit > 0 && !st.waiting.empty()) {
    pass_on(self, std::move(st.waiting.front()));
    st.waiting.pop_front();
  }
  if (st.ended && st.waiting.empty()) {
    self->send(st.next, end_atom::value, *st.ended);
    self->quit();
  }
}

caf::behavior map(map_ptr self, caf::actor next, uint32_t window) {
  auto& st = self->state;
  st.next = std::move(next);
  st.credit = window; // the sink's initial window
  st.chunk = chunk_of(window);
  return {
    [=](batch& xs) {
      auto& s = self->state;
      if (!s.prev)
        s.prev = caf::actor_cast<caf::actor>(self->current_sender());
      for (auto& x : xs)
        x = map_event(x);
      if (s.credit > 0 && s.waiting.empty())
        pass_on(self, std::move(xs));
      else
        s.waiting.push_back(std::move(xs));
    },
    [=](credit_atom, uint32_t n) {
      self->state.credit += n;
      drain(self);
    },
    [=](end_atom, uint64_t produced) {
      self->state.ended = produced;
      drain(self);
    },
  };
}

// -- sink ---------------------------------------------------------------------

struct sink_state {
  caf::actor prev; ///< The map, known from its first batch.
  sink_totals totals;
  uint32_t chunk = 1;
  uint32_t consumed = 0; ///< Batches consumed and not yet credited back.
};

using sink_ptr = caf::stateful_actor<sink_state>*;

caf::behavior sink(sink_ptr self, caf::actor caller, uint32_t window,
                   uint64_t lane) {
  self->state.chunk = chunk_of(window);
  return {
    [=](const batch& xs) {
      auto& st = self->state;
      if (!st.prev)
        st.prev = caf::actor_cast<caf::actor>(self->current_sender());
      uint64_t sum = 0;
      for (auto& x : xs)
        sum += digest(x);
      st.totals.records += xs.size();
      st.totals.sum += sum;
      if (++st.consumed == st.chunk) {
        self->send<caf::message_priority::high>(st.prev, credit_atom::value,
                                                st.consumed);
        st.consumed = 0;
      }
    },
    [=](end_atom, uint64_t produced) {
      auto& totals = self->state.totals;
      self->send(caller, done_atom::value, lane, produced, totals.records,
                 totals.sum);
      self->quit();
    },
  };
}

} // namespace

caf::expected<baseline_run>
run_caf_actor_baseline(caf::actor_system& sys, const baseline_options& opts) {
  if (opts.lanes == 0 || opts.batch_size == 0 || opts.window == 0)
    return caf::make_error(caf::sec::invalid_argument,
                           "caf-actors: lanes, batch size and window must be "
                           "positive");
  // Generous: a sink ends as soon as its lane drained after the stop.
  constexpr auto patience = std::chrono::minutes{2};
  auto stop = std::make_shared<std::atomic<bool>>(false);
  caf::scoped_actor caller{sys};
  auto start = std::chrono::steady_clock::now();
  for (uint64_t lane = 0; lane < opts.lanes; ++lane) {
    auto snk
      = sys.spawn(sink, caf::actor_cast<caf::actor>(caller), opts.window, lane);
    auto mapper = sys.spawn(map, snk, opts.window);
    sys.spawn(source, mapper, opts, lane, stop);
  }
  std::this_thread::sleep_for(opts.duration);
  stop->store(true, std::memory_order_relaxed);
  baseline_run result;
  result.produced.resize(opts.lanes);
  caf::error failure;
  for (uint32_t i = 0; i < opts.lanes && !failure; ++i) {
    caller->receive(
      [&](done_atom, uint64_t lane, uint64_t produced, uint64_t records,
          uint64_t sum) {
        result.produced[lane] = produced;
        result.received.records += records;
        result.received.sum += sum;
      },
      caf::after(patience) >>
        [&] {
          failure = caf::make_error(caf::sec::request_timeout,
                                    "caf-actors: a sink did not end within 2 "
                                    "minutes after the sources stopped");
        });
  }
  if (failure)
    return failure;
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

} // namespace sluice::bench
