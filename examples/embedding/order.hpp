#pragma once

// The records and the key of the orders example.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

// snippet-begin: types
/// A record: copyable, with a cereal `serialize` so that batches and
/// snapshots can hold it.
struct order {
  uint64_t id = 0;
  std::string shop;
  std::string customer;
  int64_t cents = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(id, shop, customer, cents);
  }
};

/// A key: besides `serialize`, `==` to find its state and a hash
/// (`std::hash`) to place it in a key group.
struct customer_key {
  std::string shop;
  std::string customer;

  friend bool operator==(const customer_key& x, const customer_key& y) {
    return x.shop == y.shop && x.customer == y.customer;
  }

  template <class Archive>
  void serialize(Archive& ar) {
    ar(shop, customer);
  }
};

template <>
struct std::hash<customer_key> {
  size_t operator()(const customer_key& x) const {
    return std::hash<std::string>{}(x.shop + '\n' + x.customer);
  }
};
// snippet-end

/// What the running totals emit: a customer's total so far. `<<` lets
/// sinks that write lines write it, and errors print it.
struct customer_total {
  customer_key key;
  int64_t cents = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(key, cents);
  }

  friend std::ostream& operator<<(std::ostream& os, const customer_total& x) {
    return os << x.key.shop << '\t' << x.key.customer << '\t' << x.cents;
  }
};
