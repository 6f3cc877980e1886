#pragma once

#include "protocol/record_payload.hpp"

#include <cereal/types/tuple.hpp>

#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace sluice::operators {

/// What the engine needs of the types user code hands it, checked where the
/// type enters (`key_by`, `value_state`, ...), so that a missing piece is
/// one line of compiler output instead of pages from inside the engine.

// -- hashing ------------------------------------------------------------------

template <class K, class = void>
struct has_std_hash : std::false_type {};

// A disabled std::hash cannot be constructed (C++17 [unord.hash]).
template <class K>
struct has_std_hash<
  K, std::void_t<decltype(std::hash<K>{}(std::declval<const K&>()))>>
    : std::true_type {};

/// True if `protocol::key_hash<K>` works: it hashes pairs and tuples of key
/// types itself, and every other type with `std::hash<K>` underneath
/// (integers, enums and strings have one).
template <class K>
struct has_key_hash : has_std_hash<K> {};

template <class A, class B>
struct has_key_hash<std::pair<A, B>>
    : std::bool_constant<has_key_hash<A>::value && has_key_hash<B>::value> {};

template <class... Ts>
struct has_key_hash<std::tuple<Ts...>>
    : std::bool_constant<(has_key_hash<Ts>::value && ...)> {};

// -- equality -----------------------------------------------------------------

template <class T, class = void>
struct has_equality : std::false_type {};

template <class T>
struct has_equality<T,
                    std::void_t<decltype(static_cast<bool>(
                      std::declval<const T&>() == std::declval<const T&>()))>>
    : std::true_type {};

// -- serialization
// --------------------------------------------------------------

/// True if cereal can write and read `T` with the archives of snapshots and
/// batches: a `serialize(Archive&)` member or free function (or
/// `save`/`load`), or a standard type whose cereal header is included.
template <class T>
inline constexpr bool is_serializable_v
  = protocol::cereal_writes_v<T>&& protocol::cereal_reads_v<T>;

// -- the checks ---------------------------------------------------------------

/// Checks a key type: of `key_by` and of keyed states. Keys place records
/// and state in key groups (hash), find their state (equality) and are
/// stored with it in snapshots (cereal).
template <class K>
constexpr bool check_key_type() {
  static_assert(has_key_hash<K>::value,
                "sluice: a key type needs a hash: std::hash<K> (integers, "
                "enums, std::string and pairs/tuples of them have one)");
  static_assert(has_equality<K>::value, "sluice: a key type needs operator==");
  static_assert(is_serializable_v<K>,
                "sluice: a key type needs a cereal serialize function "
                "(template <class Archive> void serialize(Archive&))");
  return has_key_hash<K>::value && has_equality<K>::value
         && is_serializable_v<K>;
}

/// Checks the type of a state's values or an aggregation's accumulator:
/// snapshots store it.
template <class V>
constexpr bool check_state_type() {
  static_assert(is_serializable_v<V>,
                "sluice: a state or accumulator type needs a cereal serialize "
                "function (template <class Archive> void serialize(Archive&))");
  return is_serializable_v<V>;
}

/// Checks a record type: batches copy records (a broadcast edge, `collect`)
/// and move them.
template <class T>
constexpr bool check_record_type() {
  static_assert(
    std::is_copy_constructible_v<T> && std::is_move_constructible_v<T>,
    "sluice: a record type must be copyable and movable");
  return std::is_copy_constructible_v<T> && std::is_move_constructible_v<T>;
}

} // namespace sluice::operators
