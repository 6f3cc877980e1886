#include "protocol/connection_admission.hpp"

#include <algorithm>

namespace sluice::protocol {

std::vector<connection_admission::connection_id>
connection_admission::on_accepted(connection_id id, std::string peer,
                                  time_point now) {
  // The same id again means the old connection closed unnoticed and its
  // socket was reused.
  on_closed(id);
  pending_.push_back({id, std::move(peer), now});
  std::vector<connection_id> result;
  while (pending_.size() > std::max<size_t>(limits_.max_pending, 1)) {
    result.push_back(pending_.front().id);
    pending_.pop_front();
  }
  return result;
}

bool connection_admission::on_authenticated(std::string_view peer) {
  auto i = std::find_if(pending_.begin(), pending_.end(),
                        [&](const waiting& x) { return x.peer == peer; });
  if (i == pending_.end())
    return false;
  pending_.erase(i);
  return true;
}

void connection_admission::on_closed(connection_id id) {
  auto i = std::find_if(pending_.begin(), pending_.end(),
                        [&](const waiting& x) { return x.id == id; });
  if (i != pending_.end())
    pending_.erase(i);
}

std::vector<connection_admission::connection_id>
connection_admission::expired(time_point now) {
  std::vector<connection_id> result;
  while (!pending_.empty()
         && now - pending_.front().since >= limits_.hello_timeout) {
    result.push_back(pending_.front().id);
    pending_.pop_front();
  }
  return result;
}

} // namespace sluice::protocol
