#pragma once

#include "sluice.hpp"

#include <caf/all.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

// Application actors for the ingress and egress tests: a producer that
// feeds an ingress stage with ingress_producer, and a consumer that takes an
// egress stage's output with egress_receiver. What they see is kept in logs
// the test reads from its own thread.

namespace sluice::testing {

/// Records of the ingress tests: (producer, sequence number).
using tagged_record = std::pair<uint64_t, uint64_t>;

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using pause_atom = caf::atom_constant<caf::atom("pause")>;
using resume_atom = caf::atom_constant<caf::atom("resume")>;

/// What one producer did. `acknowledged` is what an application would keep
/// in its own durable storage: a restarted producer continues from it.
struct producer_log {
  std::atomic<uint64_t> acknowledged{0};
  std::atomic<uint64_t> sent{0}; ///< Records sent, re-sent ones included.
  std::atomic<uint64_t> highest_sent{0}; ///< Next sequence number to send.
  std::atomic<uint64_t> rejections{0};
  std::atomic<uint64_t> starved{0}; ///< Times it had records but no credit.
};

struct feeder_state {
  static inline const char* name = "test.feeder";
  std::optional<ingress_producer<tagged_record>> producer;
  caf::actor gateway;
  std::shared_ptr<producer_log> log;
  uint64_t per_tick = 0;
  std::chrono::steady_clock::time_point opened;
};

/// Sends records (id, seq) for seq from what `log` says the job
/// acknowledged up to `count`, at most `per_tick` per millisecond (0: as
/// fast as credit allows).
inline caf::behavior feeder(caf::stateful_actor<feeder_state>* self,
                            caf::actor gateway, uint64_t id, uint64_t count,
                            uint64_t per_tick,
                            std::shared_ptr<producer_log> log) {
  auto& st = self->state;
  st.gateway = std::move(gateway);
  st.log = std::move(log);
  st.per_tick = per_tick;
  st.producer.emplace(id, st.log->acknowledged.load());
  for (auto seq = st.producer->end_seq(); seq < count; ++seq)
    st.producer->push({id, seq});
  auto open = [self] {
    auto& s = self->state;
    s.opened = std::chrono::steady_clock::now();
    self->send(s.gateway, s.producer->open(self));
  };
  auto send_some = [self](uint64_t limit) {
    auto& s = self->state;
    uint64_t n = 0;
    while (n < limit) {
      auto m = s.producer->next(std::min<uint64_t>(limit - n, 256));
      if (!m)
        break;
      n += m->second.size();
      s.log->sent += m->second.size();
      self->send(s.producer->instance(), m->first, std::move(m->second));
    }
    s.log->highest_sent
      = std::max(s.log->highest_sent.load(), s.producer->next_seq());
    if (s.producer->next_seq() < s.producer->end_seq()
        && s.producer->credit() == 0)
      ++s.log->starved;
  };
  open();
  self->set_down_handler([self, open](caf::down_msg& dm) {
    auto& s = self->state;
    if (dm.source != s.producer->instance())
      return; // an instance it no longer sends to
    s.producer->on_instance_lost();
    open();
  });
  self->send(self, tick_atom::value);
  return {
    [=](const ingress_credit& c) {
      auto& s = self->state;
      if (c.instance != s.producer->instance())
        self->monitor(c.instance);
      s.producer->on_credit(c);
      if (s.per_tick == 0)
        send_some(~uint64_t{0});
    },
    [=](const ingress_ack& a) {
      auto& s = self->state;
      s.producer->on_ack(a);
      s.log->acknowledged = s.producer->acknowledged();
    },
    [=](const ingress_rejected& r) {
      auto& s = self->state;
      ++s.log->rejections;
      s.producer->on_rejected(r);
      open();
    },
    [=](tick_atom) {
      auto& s = self->state;
      if (s.per_tick > 0)
        send_some(s.per_tick);
      // An open that met an instance going down gets no answer.
      if (!s.producer->is_open()
          && std::chrono::steady_clock::now() - s.opened
               > std::chrono::milliseconds(100))
        open();
      self->delayed_send(self, std::chrono::milliseconds(1), tick_atom::value);
    },
  };
}

/// What a consumer received, readable from the test's thread.
template <class T>
struct consumer_log {
  mutable std::mutex mtx;
  /// Each record once, as egress_receiver passed it on, in order.
  std::vector<T> records;
  /// Messages and records that arrived, redeliveries included.
  uint64_t raw_records = 0;
  /// Redelivered records that differ from the first delivery with their
  /// number: numbers would not identify records, dropping them would lose.
  uint64_t conflicts = 0;
  uint64_t hellos = 0;
  /// Hellos and records messages from an instance after its egress_end:
  /// none, by rule E4 (nothing more comes from it).
  uint64_t after_end = 0;
  /// Demand the consumer sent, hellos' included.
  uint64_t demand_sent = 0;
  /// The consumer handled `pause_atom` and no `resume_atom` since.
  bool paused = false;
  bool ended = false;

  std::vector<T> snapshot() const {
    std::lock_guard<std::mutex> guard{mtx};
    return records;
  }

  size_t size() const {
    std::lock_guard<std::mutex> guard{mtx};
    return records.size();
  }

  bool has_ended() const {
    std::lock_guard<std::mutex> guard{mtx};
    return ended;
  }

  /// Paused, and every record it asked for arrived: none can come until it
  /// resumes. (Counts demand across instances and does not account for
  /// restarts, which void the demand of the instance that went.)
  bool paused_with_nothing_owed() const {
    std::lock_guard<std::mutex> guard{mtx};
    return paused && raw_records >= demand_sent;
  }
};

template <class T>
struct egress_consumer_state {
  static inline const char* name = "test.egress_consumer";
  std::optional<egress_receiver<T>> receiver;
  std::shared_ptr<consumer_log<T>> log;
  /// Every record by (instance, sequence number), to check redeliveries.
  std::map<std::pair<uint32_t, uint64_t>, T> by_number;
  /// Instances that sent egress_end.
  std::set<uint32_t> ended;
  bool paused = false;
  /// While paused: the instances that used demand, and the demand of
  /// hellos, both granted once resumed.
  std::set<uint32_t> owed;
  std::vector<std::pair<caf::actor, egress_demand>> unanswered;
};

/// Takes an egress stage's records with a demand window of `window`;
/// `pause_atom` stops granting demand, `resume_atom` grants it again.
template <class T>
caf::behavior
egress_consumer(caf::stateful_actor<egress_consumer_state<T>>* self,
                uint64_t window, std::shared_ptr<consumer_log<T>> log) {
  self->state.receiver.emplace(window);
  self->state.log = std::move(log);
  // Runs while the log's mutex is held.
  auto grant = [self](uint32_t instance) {
    auto& s = self->state;
    if (s.paused) {
      s.owed.insert(instance);
      return;
    }
    if (auto d = s.receiver->demand(instance)) {
      s.log->demand_sent += d->credit;
      self->send(s.receiver->instance(instance), *d);
    }
  };
  return {
    [=](const egress_hello& h) {
      auto& s = self->state;
      std::lock_guard<std::mutex> guard{s.log->mtx};
      ++s.log->hellos;
      if (s.ended.count(h.instance) > 0)
        ++s.log->after_end;
      auto d = s.receiver->on_hello(h);
      if (s.paused) {
        s.unanswered.emplace_back(h.sender, d);
      } else {
        s.log->demand_sent += d.credit;
        self->send(h.sender, d);
      }
    },
    [=](const egress_header& h, std::vector<T>& xs) {
      auto& s = self->state;
      std::lock_guard<std::mutex> guard{s.log->mtx};
      s.log->raw_records += xs.size();
      if (s.ended.count(h.instance) > 0)
        ++s.log->after_end;
      for (uint64_t i = 0; i < xs.size(); ++i) {
        auto [at, fresh] = s.by_number.emplace(
          std::make_pair(h.instance, h.first_seq + i), xs[i]);
        if (!fresh && !(at->second == xs[i]))
          ++s.log->conflicts;
      }
      for (auto& x : s.receiver->on_records(h, xs))
        s.log->records.push_back(std::move(x));
      grant(h.instance);
    },
    [=](const egress_end& e) {
      auto& s = self->state;
      s.receiver->on_end(e);
      s.ended.insert(e.instance);
      std::lock_guard<std::mutex> guard{s.log->mtx};
      s.log->ended = s.receiver->ended();
    },
    [=](pause_atom) {
      auto& s = self->state;
      std::lock_guard<std::mutex> guard{s.log->mtx};
      s.paused = true;
      s.log->paused = true;
    },
    [=](resume_atom) {
      auto& s = self->state;
      std::lock_guard<std::mutex> guard{s.log->mtx};
      s.paused = false;
      s.log->paused = false;
      for (auto& [to, d] : s.unanswered) {
        s.log->demand_sent += d.credit;
        self->send(to, d);
      }
      s.unanswered.clear();
      auto owed = std::move(s.owed);
      s.owed.clear();
      for (auto i : owed)
        grant(i);
    },
  };
}

} // namespace sluice::testing
