#pragma once

#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::state {

/// "SLSN": the first bytes of every stored snapshot payload.
inline constexpr uint32_t snapshot_magic = 0x534c534e;

/// Version of the framing and of the snapshot body's layout. Readers refuse
/// a newer version instead of misreading it.
inline constexpr uint16_t snapshot_format = 1;

/// CRC-32C (Castagnoli) of `bytes`; in hardware where the CPU has it.
uint32_t crc32c(std::string_view bytes) noexcept;

/// The same, always by table: for tests that compare the two.
uint32_t crc32c_portable(std::string_view bytes) noexcept;

/// The checksum a framed payload's header holds (0 if it has no header),
/// without checking it: for a payload this process just framed.
uint32_t framed_checksum(std::string_view framed) noexcept;

/// `body` framed for storage: magic (4 bytes), format version (2), body
/// length (8), CRC-32C of the body (4), the body. Integers little endian.
std::string frame(std::string_view body);

/// The header's place, zeroed: append the body, then `close_frame`. Spares
/// a megabyte snapshot the copy `frame` makes.
std::string open_frame();

/// Writes the header of `framed`, an `open_frame()` with the body appended.
void close_frame(std::string& framed);

/// The body of a framed payload, after checking magic, version, length and
/// checksum. Errors are `errc::corrupt_snapshot` saying what failed.
[[nodiscard]] caf::expected<std::string_view> unframe(std::string_view framed);

} // namespace sluice::state
