#pragma once

// A stateful operator: each customer's total so far, kept in checkpointed
// keyed state.

#include "order.hpp"

#include <sluice.hpp>

// snippet-begin: process
/// The setup of `.process`: runs once per instance, declares its states by
/// name (a restore finds them by that name) and returns the function that
/// handles each record. After `key_by`, a keyed state holds the keys of the
/// instance's key groups.
inline auto running_totals(sluice::state_context& ctx) {
  auto& totals = ctx.value_state<customer_key, int64_t>("totals");
  return [&totals](const order& x, sluice::emitter<customer_total>& out) {
    customer_key key{x.shop, x.customer};
    auto& total = totals.get_or_init(key, [] { return int64_t{0}; });
    total += x.cents;
    out(customer_total{key, total});
  };
}
// snippet-end
