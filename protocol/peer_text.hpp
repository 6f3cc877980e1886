#pragma once

#include <string>
#include <string_view>

namespace sluice::protocol {

/// Text a peer chose (a job's name, a node's name, an error it sent), made
/// safe for a log line (rule N5): a backslash becomes `\\`, newline,
/// carriage return and tab `\n`, `\r`, `\t`, any other control character
/// (escape sequences included) `\xHH`. So one event stays one line, and a
/// peer cannot forge lines or recolour a terminal; other bytes stay as they
/// are (UTF-8 names read as written).
std::string peer_text(std::string_view x);

} // namespace sluice::protocol
