#pragma once

#include "operators/skip_tally.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sluice::operators {

/// What a `flat_map` function emits its records into.
template <class T>
class emitter {
public:
  explicit emitter(std::vector<T>& out, skip_tally* skips = nullptr)
      : out_(out), skips_(skips) {}

  void operator()(T x) { out_.push_back(std::move(x)); }

  /// The function drops the record it was given on purpose, for `reason`
  /// (which names the record and where it came from): the stage counts it
  /// and logs the first few.
  void skip(std::string reason) {
    if (skips_ != nullptr)
      skips_->note(std::move(reason));
  }

  template <class... Ts>
  void emplace(Ts&&... xs) {
    out_.emplace_back(std::forward<Ts>(xs)...);
  }

private:
  std::vector<T>& out_;
  skip_tally* skips_;
};

} // namespace sluice::operators
