#pragma once

#include "protocol/checkpoint_id.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::connectors {

/// Rule S7: a transactional sink that committed checkpoint `fence` must not
/// start from an older point (`restored`; none: from the beginning), since
/// the output it committed after that point would be written again. Throws
/// `std::runtime_error` naming the sink (`sink`: "SQLite sink 'job/out'
/// instance 0 on 'out.db'"), the committed checkpoint, the restore point
/// and the ways out; returns when nothing would be written twice.
/// `start_over`: the user asked to start from the beginning (`--fresh`),
/// accepting what the sink holds.
void check_fence(const std::string& sink, uint64_t fence,
                 std::optional<protocol::checkpoint_id> restored,
                 bool start_over);

} // namespace sluice::connectors
