#include "protocol/credit_ledger.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace sluice::protocol {

credit_ledger::credit_ledger(uint64_t budget, size_t num_inputs)
    : channels_(num_inputs), budget_(budget), open_(num_inputs) {
  assert(budget >= num_inputs && "every channel needs a share of the budget");
  assign_shares();
}

bool credit_ledger::on_arrival(uint32_t input, uint64_t records) {
  assert(input < channels_.size() && "batch on unknown input");
  auto& ch = channels_[input];
  bool within_credit = records <= ch.outstanding;
  auto granted = std::min(records, ch.outstanding);
  ch.outstanding -= granted;
  outstanding_ -= granted;
  ch.held += records;
  held_ += records;
  return within_credit;
}

void credit_ledger::on_consumed(uint32_t input, uint64_t records) {
  assert(input < channels_.size() && "consumed on unknown input");
  auto& ch = channels_[input];
  assert(records <= ch.held && "consumed more records than arrived");
  ch.held -= records;
  held_ -= records;
}

void credit_ledger::close(uint32_t input) {
  assert(input < channels_.size() && "end of stream on unknown input");
  auto& ch = channels_[input];
  if (!ch.open)
    return;
  ch.open = false;
  outstanding_ -= ch.outstanding;
  ch.outstanding = 0;
  --open_;
  assign_shares();
}

void credit_ledger::collect_grants(std::vector<credit_grant>& out) {
  constexpr uint64_t max_grant = std::numeric_limits<uint32_t>::max();
  for (uint32_t i = 0; i < channels_.size(); ++i) {
    auto& ch = channels_[i];
    if (!ch.open || ch.blocked)
      continue;
    auto used = ch.outstanding + ch.held;
    // Low mark: top up once half the share is free, so that the producer
    // can send the next batch while the consumer works on this one.
    if (used > ch.share / 2 || used >= ch.share)
      continue;
    auto credit = std::min(ch.share - used, max_grant);
    ch.outstanding += credit;
    outstanding_ += credit;
    out.push_back(credit_grant{i, static_cast<uint32_t>(credit)});
  }
}

void credit_ledger::assign_shares() {
  if (open_ == 0)
    return;
  auto base = budget_ / open_;
  auto extra = budget_ % open_;
  for (auto& ch : channels_) {
    if (!ch.open)
      continue;
    ch.share = base + (extra > 0 ? 1 : 0);
    if (extra > 0)
      --extra;
  }
}

} // namespace sluice::protocol
