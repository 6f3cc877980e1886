#include "actors/ingress_endpoint.hpp"

#include <algorithm>

namespace sluice::actors {

ingress_endpoint::ingress_endpoint(uint64_t budget) : budget_(budget) {}

uint64_t ingress_endpoint::share() const {
  auto n = std::max<uint64_t>(1, producers_.size());
  return std::max<uint64_t>(1, budget_ / n);
}

void ingress_endpoint::open(uint64_t producer, caf::actor reply_to) {
  // A producer opening again keeps what was accepted from it (some of it
  // may still be queued); a new one starts where the checkpoint says.
  auto accepted = next_seq(producer);
  auto& p = producers_[producer];
  p.reply_to = std::move(reply_to);
  p.credit = 0;
  p.accepted = accepted;
}

ingress_decision ingress_endpoint::on_records(const protocol::ingress_header& h,
                                              uint64_t count) {
  ingress_decision d;
  auto i = producers_.find(h.producer);
  if (i == producers_.end()) {
    d.rejected = "producer " + std::to_string(h.producer)
                 + " is not open at this instance: send ingress_open";
    return d;
  }
  auto& p = i->second;
  if (closed_) {
    d.rejected = "the job is stopping: records of producer "
                 + std::to_string(h.producer) + " from "
                 + std::to_string(p.accepted) + " on were not taken";
    return d;
  }
  if (count > p.credit) {
    d.rejected = "producer " + std::to_string(h.producer) + " sent "
                 + std::to_string(count) + " records with credit for "
                 + std::to_string(p.credit);
    p.credit = 0; // it must open again
    return d;
  }
  if (h.first_seq > p.accepted) {
    d.rejected = "producer " + std::to_string(h.producer) + " skipped records "
                 + std::to_string(p.accepted) + " to "
                 + std::to_string(h.first_seq - 1);
    p.credit = 0;
    return d;
  }
  p.credit -= count;
  d.duplicates = std::min(count, p.accepted - h.first_seq);
  d.fresh = count - d.duplicates;
  p.accepted += d.fresh;
  queued_ += d.fresh;
  return d;
}

void ingress_endpoint::emitted(uint64_t producer, uint64_t next_seq,
                               uint64_t count) {
  positions_.value()[producer] = next_seq;
  queued_ -= std::min(queued_, count);
}

std::vector<std::pair<caf::actor, protocol::ingress_credit>>
ingress_endpoint::grants(const caf::actor& instance) {
  std::vector<std::pair<caf::actor, protocol::ingress_credit>> result;
  if (closed_)
    return result;
  auto outstanding = this->outstanding();
  auto s = share();
  for (auto& [id, p] : producers_) {
    // Top up at half the share, within what the budget has left.
    if (p.credit > s / 2 || queued_ + outstanding >= budget_)
      continue;
    auto more = std::min(s - p.credit, budget_ - queued_ - outstanding);
    if (more == 0)
      continue;
    p.credit += more;
    outstanding += more;
    result.emplace_back(p.reply_to,
                        protocol::ingress_credit{id, more, instance});
  }
  return result;
}

void ingress_endpoint::checkpoint_taken(protocol::checkpoint_id id) {
  pending_[id] = positions_.value();
}

std::vector<std::pair<caf::actor, protocol::ingress_ack>>
ingress_endpoint::checkpoint_committed(protocol::checkpoint_id id) {
  std::vector<std::pair<caf::actor, protocol::ingress_ack>> result;
  auto i = pending_.find(id);
  if (i == pending_.end())
    return result;
  for (auto& [producer, next] : i->second)
    if (auto p = producers_.find(producer); p != producers_.end())
      result.emplace_back(p->second.reply_to,
                          protocol::ingress_ack{producer, next});
  pending_.erase(pending_.begin(), std::next(i));
  return result;
}

uint64_t ingress_endpoint::outstanding() const {
  uint64_t sum = 0;
  for (auto& [id, p] : producers_)
    sum += p.credit;
  return sum;
}

caf::actor ingress_endpoint::reply_to(uint64_t producer) const {
  auto i = producers_.find(producer);
  return i == producers_.end() ? caf::actor{} : i->second.reply_to;
}

uint64_t ingress_endpoint::next_seq(uint64_t producer) const {
  if (auto i = producers_.find(producer); i != producers_.end())
    return i->second.accepted;
  auto& at = positions_.value();
  auto j = at.find(producer);
  return j == at.end() ? 0 : j->second;
}

} // namespace sluice::actors
