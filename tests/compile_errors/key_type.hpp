#pragma once

// A key type with what keys need, for the cases that take one piece away:
// each defines the SLUICE_TEST_WITHOUT_* macro of the piece it leaves out.

#include <cstdint>
#include <functional>
#include <string>

#include <sluice.hpp>

struct customer {
  std::string name;
  int64_t region = 0;

#ifndef SLUICE_TEST_WITHOUT_EQUALITY
  friend bool operator==(const customer& x, const customer& y) {
    return x.name == y.name && x.region == y.region;
  }
#endif

#ifndef SLUICE_TEST_WITHOUT_SERIALIZE
  template <class Archive>
  void serialize(Archive& ar) {
    ar(name, region);
  }
#endif
};

#ifndef SLUICE_TEST_WITHOUT_HASH
template <>
struct std::hash<customer> {
  size_t operator()(const customer& x) const {
    return std::hash<std::string>{}(x.name) ^ static_cast<size_t>(x.region);
  }
};
#endif

/// A job keyed by customer, with a keyed count and a keyed value state.
inline void declare_job_keyed_by_customer() {
  sluice::job_builder job{"keyed-by-customer"};
  auto orders
    = job.source("orders", sluice::generate(10, 1, [](uint64_t i, uint64_t) {
                   return customer{"c" + std::to_string(i % 3), 1};
                 }));
  auto by_customer = orders.key_by([](const customer& x) { return x; });
  by_customer.count("orders-per-customer").collect("counts");
  by_customer
    .process<int64_t>("regions",
                      [](sluice::state_context& ctx) {
                        auto& seen = ctx.value_state<customer, int64_t>("seen");
                        return [&seen](const customer& x,
                                       sluice::emitter<int64_t>& out) {
                          seen.put(x, x.region);
                          out(x.region);
                        };
                      })
    .collect("regions");
}
