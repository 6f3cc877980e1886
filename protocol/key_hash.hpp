#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace sluice::protocol {

/// Spreads the bits of a 64-bit value (the splitmix64 finalizer).
constexpr uint64_t mix64(uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// 64-bit FNV-1a over bytes, finalized with `mix64`.
constexpr uint64_t hash_bytes(std::string_view bytes) noexcept {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

/// The hash that places a key in its key group. It must be the same in every
/// process and every run: keyed state is stored by key group and found again
/// after a restart or on another node. Specialize it for your key types;
/// the fallback, `std::hash`, is only stable within one build.
template <class K, class = void>
struct key_hash {
  uint64_t operator()(const K& key) const {
    return mix64(static_cast<uint64_t>(std::hash<K>{}(key)));
  }
};

template <class K>
struct key_hash<K,
                std::enable_if_t<std::is_integral_v<K> || std::is_enum_v<K>>> {
  constexpr uint64_t operator()(K key) const noexcept {
    return mix64(static_cast<uint64_t>(key));
  }
};

template <>
struct key_hash<std::string_view> {
  constexpr uint64_t operator()(std::string_view key) const noexcept {
    return hash_bytes(key);
  }
};

template <>
struct key_hash<std::string> {
  uint64_t operator()(const std::string& key) const noexcept {
    return hash_bytes(key);
  }
};

template <class A, class B>
struct key_hash<std::pair<A, B>> {
  uint64_t operator()(const std::pair<A, B>& key) const {
    return mix64(key_hash<A>{}(key.first) * 31 + key_hash<B>{}(key.second));
  }
};

template <class... Ts>
struct key_hash<std::tuple<Ts...>> {
  uint64_t operator()(const std::tuple<Ts...>& key) const {
    uint64_t h = 0;
    std::apply(
      [&h](const auto&... xs) {
        ((h = mix64(h * 31 + key_hash<std::decay_t<decltype(xs)>>{}(xs))), ...);
      },
      key);
    return h;
  }
};

} // namespace sluice::protocol
