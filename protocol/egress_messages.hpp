#pragma once

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <vector>

namespace sluice::protocol {

// Messages between a job's egress stage and the application actor that
// consumes it (rules E1-E4). Records travel as two elements,
// `(egress_header, std::vector<T>)`.

/// Egress instance to consumer: it is (again) ready; grant it demand (E1).
/// After a restart a new instance says hello, and credit starts over.
struct egress_hello {
  uint32_t instance = 0;
  caf::actor sender;
};

/// Consumer to egress instance: it may deliver `credit` more records (E2).
struct egress_demand {
  uint32_t instance = 0;
  uint64_t credit = 0;
};

/// Header of a records message: records `first_seq`, ... of `instance`
/// (E3). With checkpoints, records come only once their checkpoint
/// completed, and numbers are stable: after a restart, records may come
/// again with the numbers they had; a consumer drops those it has.
struct egress_header {
  uint32_t instance = 0;
  uint64_t first_seq = 0;
};

/// Egress instance to consumer: the job ended; nothing more comes (E4).
struct egress_end {
  uint32_t instance = 0;
};

/// The interface of a consumer of `T` records, for a `typed_actor`:
/// `stream::egress` takes it as is.
template <class T>
using egress_consumer_actor
  = caf::typed_actor<caf::reacts_to<egress_hello>,
                     caf::reacts_to<egress_header, std::vector<T>>,
                     caf::reacts_to<egress_end>>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, egress_hello& x) {
  return f(caf::meta::type_name("sluice::protocol::egress_hello"), x.instance,
           x.sender);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, egress_demand& x) {
  return f(caf::meta::type_name("sluice::protocol::egress_demand"), x.instance,
           x.credit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, egress_header& x) {
  return f(caf::meta::type_name("sluice::protocol::egress_header"), x.instance,
           x.first_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, egress_end& x) {
  return f(caf::meta::type_name("sluice::protocol::egress_end"), x.instance);
}

} // namespace sluice::protocol
