#pragma once

#include "protocol/ingress_messages.hpp"

#include <caf/actor.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace sluice {

/// The producer's side of an ingress stage (rules I1-I6), for an
/// application actor that feeds a job. It numbers the records, keeps each
/// one until the job acknowledged it, sends only within credit, and after a
/// rejection or a lost instance sends again from where the job stands.
/// The job drops what it already has, so the job sees each record once.
///
///   on start:            send(gateway, p.open(self))
///   on ingress_credit:   p.on_credit(x); monitor(x.instance); send_all()
///   on ingress_ack:      p.on_ack(x)
///   on ingress_rejected: p.on_rejected(x); send(gateway, p.open(self))
///   on down of instance: p.on_instance_lost(); send(gateway, p.open(self))
///   now and then:        if (!p.is_open()) send(gateway, p.open(self))
///   send_all():          while (auto m = p.next(n)) send(p.instance(),
///   m->first, m->second)
///
/// Opening again now and then (every 100 ms, say) while no credit came
/// covers an open that reached an instance just as it went down: sends to
/// an actor that is gone vanish without an answer.
///
/// A producer that restarts itself (its process or actor failed) continues
/// from what the job acknowledged, which it keeps in its own durable
/// storage: `ingress_producer{id, acknowledged}`, then pushes the records
/// from that sequence number on. The job drops what it already has.
///
/// Not thread-safe: owned by one actor.
template <class T>
class ingress_producer {
public:
  /// `first_seq`: the sequence number of the first record pushed.
  explicit ingress_producer(uint64_t id, uint64_t first_seq = 0)
      : id_(id), acked_(first_seq), sent_(first_seq) {}

  uint64_t id() const noexcept { return id_; }

  /// The message that (re)registers the producer at the stage's gateway.
  protocol::ingress_open open(caf::actor self) {
    open_ = false;
    credit_ = 0;
    return {id_, std::move(self)};
  }

  /// Adds a record to send; it gets the next sequence number.
  void push(T x) { records_.push_back(std::move(x)); }

  void on_credit(const protocol::ingress_credit& x) {
    if (x.instance != instance_) {
      instance_ = x.instance;
      credit_ = 0;
    }
    open_ = true;
    credit_ += x.credit;
  }

  /// The job holds every record below `x.next_seq` in a checkpoint.
  void on_ack(const protocol::ingress_ack& x) { forget_below(x.next_seq); }

  /// Nothing of the refused message was kept: send again from where the
  /// job stands (after opening again).
  void on_rejected(const protocol::ingress_rejected& x) {
    forget_below(x.next_seq);
    sent_ = std::max(acked_, x.next_seq);
    lose_instance();
  }

  /// The instance went down: what it had not checkpointed is gone; send
  /// everything not acknowledged again (after opening again).
  void on_instance_lost() {
    sent_ = acked_;
    lose_instance();
  }

  /// The next records message the credit allows, at most `max_records`:
  /// (header, records), to send to `instance()`.
  std::optional<std::pair<protocol::ingress_header, std::vector<T>>>
  next(uint64_t max_records) {
    auto unsent = acked_ + records_.size() - sent_;
    auto n = std::min({credit_, max_records, unsent});
    if (!open_ || n == 0)
      return std::nullopt;
    auto first = records_.begin() + static_cast<std::ptrdiff_t>(sent_ - acked_);
    std::vector<T> xs(first, first + static_cast<std::ptrdiff_t>(n));
    protocol::ingress_header h{id_, sent_};
    sent_ += n;
    credit_ -= n;
    return std::make_pair(h, std::move(xs));
  }

  const caf::actor& instance() const noexcept { return instance_; }

  /// True from the first credit after an open until the instance is lost
  /// or a message was refused.
  bool is_open() const noexcept { return open_; }

  /// Sequence number of the next record `next` sends.
  uint64_t next_seq() const noexcept { return sent_; }

  /// Sequence number the next `push` gets.
  uint64_t end_seq() const noexcept { return acked_ + records_.size(); }

  /// Records pushed and not yet acknowledged.
  size_t unacknowledged() const noexcept { return records_.size(); }

  /// Sequence number below which the job acknowledged everything.
  uint64_t acknowledged() const noexcept { return acked_; }

  uint64_t credit() const noexcept { return credit_; }

private:
  void forget_below(uint64_t seq) {
    while (acked_ < seq && !records_.empty()) {
      records_.pop_front();
      ++acked_;
    }
    sent_ = std::max(sent_, acked_);
  }

  void lose_instance() {
    open_ = false;
    credit_ = 0;
    instance_ = nullptr;
  }

  uint64_t id_;
  std::deque<T> records_; ///< From sequence number `acked_` on.
  uint64_t acked_ = 0;
  uint64_t sent_ = 0; ///< Next sequence number to send.
  uint64_t credit_ = 0;
  bool open_ = false;
  caf::actor instance_;
};

} // namespace sluice
