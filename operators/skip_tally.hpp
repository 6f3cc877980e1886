#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sluice::operators {

/// The records an instance dropped on purpose (a stage with `on-error =
/// skip`): how many, and why for the first `logged` of them, kept until the
/// hosting actor logged them. Runs inside one actor.
class skip_tally {
public:
  /// Skips per instance whose reason reaches the log; later ones are only
  /// counted, so that a file of bad lines does not flood the log.
  static constexpr uint64_t logged = 5;

  void note(std::string reason) {
    if (count_++ < logged)
      unreported_.push_back(std::move(reason));
  }

  /// Records skipped so far.
  uint64_t count() const noexcept { return count_; }

  /// Reasons not yet handed out, oldest first.
  std::vector<std::string> take_unreported() {
    return std::exchange(unreported_, {});
  }

private:
  uint64_t count_ = 0;
  std::vector<std::string> unreported_;
};

} // namespace sluice::operators
