#pragma once

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_erased_tuple.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::protocol {

// Messages between application actors that feed a job ("producers") and the
// job's ingress stage (rules I1-I6). Records travel as two elements,
// `(ingress_header, std::vector<T>)`, so that the stage's gateway can route
// them without knowing T.

/// Producer to the stage's gateway: register, or register again after a
/// rejection or a lost instance (I1). The job answers with
/// `ingress_credit`.
struct ingress_open {
  uint64_t producer = 0; ///< Chosen by the application, unique per job.
  caf::actor reply_to;   ///< Where credit, acks and rejections go.
};

/// Header of a records message: records `first_seq`, `first_seq + 1`, ...
/// of `producer` (I2). Each producer numbers its records from 0, without
/// gaps, and never sends more than its credit.
struct ingress_header {
  uint64_t producer = 0;
  uint64_t first_seq = 0;
};

/// Job to producer: it may send `credit` more records, to `instance` (I3).
/// Monitor `instance`: if it goes down, open again.
struct ingress_credit {
  uint64_t producer = 0;
  uint64_t credit = 0;
  caf::actor instance;
};

/// Job to producer: every record below `next_seq` is in a completed
/// checkpoint; the producer may forget it (I4).
struct ingress_ack {
  uint64_t producer = 0;
  uint64_t next_seq = 0;
};

/// Job to producer: a records message was refused (unknown producer, no
/// credit, a gap). Nothing from it was kept; the producer opens again and
/// sends from `next_seq` (I5).
struct ingress_rejected {
  uint64_t producer = 0;
  uint64_t next_seq = 0;
  std::string reason;
};

/// The interface of a producer, for a `typed_actor`: what the job sends
/// it. Its `ingress_open` names it as `caf::actor_cast<caf::actor>(self)`.
using ingress_producer_actor
  = caf::typed_actor<caf::reacts_to<ingress_credit>,
                     caf::reacts_to<ingress_ack>,
                     caf::reacts_to<ingress_rejected>>;

/// The producer of an ingress message (`ingress_open`, or records as
/// `(ingress_header, std::vector<T>)`), if `content` is one.
inline std::optional<uint64_t>
ingress_producer_of(const caf::type_erased_tuple& content) {
  if (content.size() == 1 && content.match_element<ingress_open>(0))
    return content.get_as<ingress_open>(0).producer;
  if (content.size() == 2 && content.match_element<ingress_header>(0))
    return content.get_as<ingress_header>(0).producer;
  return std::nullopt;
}

/// Whether `content` is records from a producer.
inline bool is_ingress_records(const caf::type_erased_tuple& content) {
  return content.size() == 2 && content.match_element<ingress_header>(0);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingress_open& x) {
  return f(caf::meta::type_name("sluice::protocol::ingress_open"), x.producer,
           x.reply_to);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingress_header& x) {
  return f(caf::meta::type_name("sluice::protocol::ingress_header"), x.producer,
           x.first_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingress_credit& x) {
  return f(caf::meta::type_name("sluice::protocol::ingress_credit"), x.producer,
           x.credit, x.instance);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingress_ack& x) {
  return f(caf::meta::type_name("sluice::protocol::ingress_ack"), x.producer,
           x.next_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ingress_rejected& x) {
  return f(caf::meta::type_name("sluice::protocol::ingress_rejected"),
           x.producer, x.next_seq, x.reason);
}

} // namespace sluice::protocol
