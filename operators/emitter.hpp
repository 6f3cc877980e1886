#pragma once

#include <utility>
#include <vector>

namespace sluice::operators {

/// What a `flat_map` function emits its records into.
template <class T>
class emitter {
public:
  explicit emitter(std::vector<T>& out) : out_(out) {}

  void operator()(T x) { out_.push_back(std::move(x)); }

  template <class... Ts>
  void emplace(Ts&&... xs) {
    out_.emplace_back(std::forward<Ts>(xs)...);
  }

private:
  std::vector<T>& out_;
};

} // namespace sluice::operators
