#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

namespace sluice::protocol {

/// Credit to send to the producer of one input channel.
struct credit_grant {
  uint32_t input = 0;  ///< The consumer's input slot.
  uint32_t credit = 0; ///< Records, on top of what the producer holds.

  friend bool operator==(const credit_grant& x, const credit_grant& y) {
    return x.input == y.input && x.credit == y.credit;
  }

  friend std::ostream& operator<<(std::ostream& os, const credit_grant& x) {
    return os << "grant(" << x.input << ", " << x.credit << ")";
  }
};

/// Consumer-side credit of one actor across all its input channels
/// (rules D2-D4). Runs inside the consumer actor; not thread-safe.
///
/// The actor's budget `B` (records) is split into one exclusive share per
/// open channel (rule D4). Per channel the ledger counts records granted but
/// not yet arrived (`outstanding`: in flight or still credit at the
/// producer) and records arrived but not yet consumed (`held`: set aside in
/// the actor's own buffer). A channel whose `outstanding + held` fell to half
/// its share or less is topped up to its share. So at any time
/// `outstanding + held <= B`, and since every record in the mailbox was
/// granted and has not arrived at a handler yet, the records waiting at the
/// actor (mailbox and own buffers) never exceed `B`.
class credit_ledger {
public:
  credit_ledger() = default;

  /// `budget` must be at least `num_inputs` (each channel needs a share).
  credit_ledger(uint64_t budget, size_t num_inputs);

  /// Records of a batch arrived on `input`. Returns false if they exceed the
  /// credit granted for it, a broken producer (rule D3); the records are
  /// counted anyway.
  [[nodiscard]] bool on_arrival(uint32_t input, uint64_t records);

  /// Records that arrived on `input` left the actor (processed).
  void on_consumed(uint32_t input, uint64_t records);

  /// The channel ended (rule D5): it needs no more credit, and its share
  /// goes to the channels still open.
  void close(uint32_t input);

  /// Stops (or resumes) granting credit to `input`: exactly-once alignment
  /// holds an input back once it delivered the barrier (rule A1). Its
  /// share stays reserved, so the other channels keep theirs (rule D4).
  void block(uint32_t input, bool blocked) {
    channels_.at(input).blocked = blocked;
  }

  /// Appends the grants due now (rule D2) and counts them as outstanding.
  void collect_grants(std::vector<credit_grant>& out);

  uint64_t budget() const noexcept { return budget_; }

  /// Records arrived but not consumed, over all channels.
  uint64_t held() const noexcept { return held_; }

  /// Records granted but not arrived, over all channels: an upper bound for
  /// the records in the mailbox.
  uint64_t outstanding() const noexcept { return outstanding_; }

  uint64_t share(uint32_t input) const { return channels_.at(input).share; }

  uint64_t outstanding(uint32_t input) const {
    return channels_.at(input).outstanding;
  }

  size_t open_inputs() const noexcept { return open_; }

private:
  struct channel {
    uint64_t share = 0;
    uint64_t outstanding = 0;
    uint64_t held = 0;
    bool open = true;
    bool blocked = false;
  };

  void assign_shares();

  std::vector<channel> channels_;
  uint64_t budget_ = 0;
  uint64_t held_ = 0;
  uint64_t outstanding_ = 0;
  size_t open_ = 0;
};

} // namespace sluice::protocol
