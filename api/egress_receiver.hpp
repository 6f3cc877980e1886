#pragma once

#include "protocol/egress_messages.hpp"

#include <caf/actor.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace sluice {

/// The consumer's side of an egress stage (rules E1-E4), for an
/// application actor that receives a job's output. It keeps `window`
/// records of demand open per instance while the application wants more,
/// and drops records a restarted instance delivers again.
///
///   on egress_hello:          send(hello.sender, r.on_hello(hello))
///   on (egress_header, xs):   for (auto& x : r.on_records(h, xs)) use(x);
///                             if (auto d = r.demand(h.instance))
///                             send(r.instance(h.instance), *d)
///   on egress_end:            r.on_end(end)
///
/// Withholding demand (not sending what `demand` returns) slows the job
/// down to the application's pace. Not thread-safe: owned by one actor.
template <class T>
class egress_receiver {
public:
  explicit egress_receiver(uint64_t window = 4096) : window_(window) {}

  /// A (re)started instance: the demand to grant it. An instance that ended
  /// and says hello again was restarted after a failure: it delivers again
  /// (duplicates are dropped) and ends again (E1, E4).
  protocol::egress_demand on_hello(const protocol::egress_hello& x) {
    auto& s = instances_[x.instance];
    s.sender = x.sender;
    s.granted = window_;
    s.ended = false;
    return {x.instance, window_};
  }

  /// The records of a message not seen before, in order.
  std::vector<T> on_records(const protocol::egress_header& h,
                            std::vector<T>& records) {
    auto& s = instances_[h.instance];
    auto n = static_cast<uint64_t>(records.size());
    s.granted -= std::min(s.granted, n);
    std::vector<T> fresh;
    if (h.first_seq + n <= s.next_seq)
      return fresh; // all delivered before a restart
    auto skip = s.next_seq > h.first_seq ? s.next_seq - h.first_seq : 0;
    fresh.assign(std::make_move_iterator(records.begin()
                                         + static_cast<std::ptrdiff_t>(skip)),
                 std::make_move_iterator(records.end()));
    s.next_seq = h.first_seq + n;
    return fresh;
  }

  /// Demand to grant now: tops the instance up to `window` once half of it
  /// is used.
  std::optional<protocol::egress_demand> demand(uint32_t instance) {
    auto& s = instances_[instance];
    if (s.ended || s.granted > window_ / 2)
      return std::nullopt;
    auto more = window_ - s.granted;
    s.granted = window_;
    return protocol::egress_demand{instance, more};
  }

  void on_end(const protocol::egress_end& x) {
    instances_[x.instance].ended = true;
  }

  /// The current actor of `instance`: where demand goes.
  const caf::actor& instance(uint32_t i) { return instances_[i].sender; }

  /// True once every instance seen so far ended.
  bool ended() const {
    if (instances_.empty())
      return false;
    for (auto& [i, s] : instances_)
      if (!s.ended)
        return false;
    return true;
  }

  /// Records received from `instance` so far, duplicates excluded.
  uint64_t received(uint32_t instance) const {
    auto i = instances_.find(instance);
    return i == instances_.end() ? 0 : i->second.next_seq;
  }

private:
  struct instance_state {
    caf::actor sender;
    uint64_t granted = 0; ///< Demand granted and not yet used.
    uint64_t next_seq = 0;
    bool ended = false;
  };

  uint64_t window_;
  std::map<uint32_t, instance_state> instances_;
};

} // namespace sluice
