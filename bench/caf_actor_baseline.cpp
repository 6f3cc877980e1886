#include "bench/caf_actor_baseline.hpp"

#include "bench/record_work.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

namespace sluice::bench {

namespace {

using batch = std::vector<uint64_t>;

/// Credit for more batches, consumer to producer, sent with high priority
/// as Sluice sends its demand.
using credit_atom = caf::atom_constant<caf::atom("credit")>;
/// The source produces what its credit allows (sent to itself).
using produce_atom = caf::atom_constant<caf::atom("produce")>;
/// The producer's last message: no batch follows.
using end_atom = caf::atom_constant<caf::atom("end")>;
/// The sink's totals, to the waiting caller.
using done_atom = caf::atom_constant<caf::atom("done")>;

/// Batches a consumer takes before it returns credit.
uint32_t chunk_of(uint32_t window) {
  return std::max(window / 2, 1u);
}

// -- source -------------------------------------------------------------------

struct source_state {
  caf::actor next;
  baseline_options opts;
  uint64_t produced = 0; ///< Records sent, and the next record's index.
  uint64_t credit = 0;   ///< Batches the map still accepts.
};

using source_ptr = caf::stateful_actor<source_state>*;

/// Sends batches while the map has room; ends after the last record.
void produce(source_ptr self) {
  auto& st = self->state;
  while (st.credit > 0 && st.produced < st.opts.records) {
    auto n
      = std::min<uint64_t>(st.opts.batch_size, st.opts.records - st.produced);
    batch xs;
    xs.reserve(n);
    for (auto i = st.produced; i < st.produced + n; ++i)
      xs.push_back(stateless_record(i, random_of(input_seed, i)));
    st.produced += n;
    --st.credit;
    self->send(st.next, std::move(xs));
  }
  if (st.produced == st.opts.records) {
    self->send(st.next, end_atom::value);
    self->quit();
  }
}

caf::behavior source(source_ptr self, caf::actor next, baseline_options opts) {
  auto& st = self->state;
  st.next = std::move(next);
  st.opts = opts;
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
  bool ended = false;
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
    self->send(st.next, end_atom::value);
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
        x = stateless_map(x);
      if (s.credit > 0 && s.waiting.empty())
        pass_on(self, std::move(xs));
      else
        s.waiting.push_back(std::move(xs));
    },
    [=](credit_atom, uint32_t n) {
      self->state.credit += n;
      drain(self);
    },
    [=](end_atom) {
      self->state.ended = true;
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

caf::behavior sink(sink_ptr self, caf::actor caller, uint32_t window) {
  self->state.chunk = chunk_of(window);
  return {
    [=](const batch& xs) {
      auto& st = self->state;
      if (!st.prev)
        st.prev = caf::actor_cast<caf::actor>(self->current_sender());
      uint64_t sum = 0;
      for (auto x : xs)
        sum += digest(x);
      st.totals.records += xs.size();
      st.totals.sum += sum;
      if (++st.consumed == st.chunk) {
        self->send<caf::message_priority::high>(st.prev, credit_atom::value,
                                                st.consumed);
        st.consumed = 0;
      }
    },
    [=](end_atom) {
      auto& totals = self->state.totals;
      self->send(caller, done_atom::value, totals.records, totals.sum);
      self->quit();
    },
  };
}

} // namespace

caf::expected<baseline_run>
run_caf_actor_baseline(caf::actor_system& sys, const baseline_options& opts) {
  if (opts.batch_size == 0 || opts.window == 0)
    return caf::make_error(caf::sec::invalid_argument,
                           "baseline: batch size and window must be positive");
  // Generous: even batches of one record move more than 10^5 records/s.
  constexpr auto timeout = std::chrono::minutes{10};
  caf::scoped_actor caller{sys};
  auto start = std::chrono::steady_clock::now();
  auto snk = sys.spawn(sink, caf::actor_cast<caf::actor>(caller), opts.window);
  auto mapper = sys.spawn(map, snk, opts.window);
  sys.spawn(source, mapper, opts);
  caf::expected<baseline_run> result{caf::sec::request_timeout};
  caller->receive(
    [&](done_atom, uint64_t records, uint64_t sum) {
      auto elapsed = std::chrono::steady_clock::now() - start;
      result = baseline_run{sink_totals{records, sum}, elapsed};
    },
    caf::after(timeout) >>
      [&] {
        result = caf::make_error(caf::sec::request_timeout,
                                 "baseline: the sink did not end in time");
      });
  return result;
}

} // namespace sluice::bench
