#pragma once

#include <cereal/archives/binary.hpp>
#include <cereal/cereal.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace sluice::protocol {

/// Reads what cereal's BinaryOutputArchive wrote, from bytes in memory, and
/// refuses a container size that the bytes left cannot hold. cereal's own
/// input archive sizes a string or vector from the stored count before it
/// reads a byte of it: one damaged count in a payload from a peer, or in a
/// snapshot, made it allocate whatever the count said, up to exabytes.
/// Here an allocation stays within a small multiple of the input's size.
class bounded_input_archive
    : public cereal::InputArchive<bounded_input_archive,
                                  cereal::AllowEmptyClassElision> {
public:
  /// Containers of empty types take no bytes per element: counts up to
  /// this are let through whatever is left.
  static constexpr uint64_t small_count = 4096;

  explicit bounded_input_archive(std::string_view bytes)
      : cereal::InputArchive<bounded_input_archive,
                             cereal::AllowEmptyClassElision>(this),
        bytes_(bytes) {}

  void loadBinary(void* data, std::streamsize size) {
    auto n = static_cast<size_t>(size);
    if (n == 0)
      return; // an empty container's data may be null, even for memcpy
    if (n > bytes_.size() - at_)
      throw cereal::Exception("Failed to read " + std::to_string(n)
                              + " bytes: only "
                              + std::to_string(bytes_.size() - at_) + " left");
    std::memcpy(data, bytes_.data() + at_, n);
    at_ += n;
  }

  /// A container's element count, refused when the rest cannot hold it.
  void check_count(uint64_t count) const {
    auto left = static_cast<uint64_t>(bytes_.size() - at_);
    if (count > left && count > small_count)
      throw cereal::Exception("a count of " + std::to_string(count)
                              + " elements with only " + std::to_string(left)
                              + " bytes left");
  }

  size_t remaining() const noexcept { return bytes_.size() - at_; }

private:
  std::string_view bytes_;
  size_t at_ = 0;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>>
CEREAL_LOAD_FUNCTION_NAME(bounded_input_archive& ar, T& t) {
  ar.loadBinary(std::addressof(t), sizeof(t));
}

template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(bounded_input_archive& ar,
                                    cereal::NameValuePair<T>& t) {
  ar(t.value);
}

template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(bounded_input_archive& ar,
                                    cereal::SizeTag<T>& t) {
  ar(t.size);
  ar.check_count(static_cast<uint64_t>(t.size));
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(bounded_input_archive& ar,
                               cereal::BinaryData<T>& bd) {
  ar.loadBinary(bd.data, static_cast<std::streamsize>(bd.size));
}

} // namespace sluice::protocol

CEREAL_REGISTER_ARCHIVE(sluice::protocol::bounded_input_archive)

// What it reads is what BinaryOutputArchive writes. (Only this direction:
// BinaryOutputArchive's input archive stays cereal's own.)
namespace cereal::traits::detail {
template <>
struct get_output_from_input<sluice::protocol::bounded_input_archive> {
  using type = cereal::BinaryOutputArchive;
};
} // namespace cereal::traits::detail
