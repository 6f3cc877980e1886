#pragma once

#include <cereal/cereal.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>

namespace sluice::protocol {

class bounded_input_archive;

/// Writes the bytes cereal's BinaryOutputArchive writes, appended straight
/// to a string. BinaryOutputArchive goes through an `std::ostream`, and
/// `std::string::append` is a library call per field: both cost more than
/// the few bytes of a small field. This archive writes into the string's
/// spare capacity and trims what it did not use when it goes out of scope:
/// the string holds its bytes only then. What it writes,
/// `bounded_input_archive` reads.
class string_output_archive
    : public cereal::OutputArchive<string_output_archive,
                                   cereal::AllowEmptyClassElision> {
public:
  explicit string_output_archive(std::string& out)
      : cereal::OutputArchive<string_output_archive,
                              cereal::AllowEmptyClassElision>(this),
        out_(out), used_(out.size()) {
    out_.resize(std::max(out_.capacity(), min_capacity));
  }

  string_output_archive(const string_output_archive&) = delete;
  string_output_archive& operator=(const string_output_archive&) = delete;

  ~string_output_archive() { out_.resize(used_); }

  void saveBinary(const void* data, std::streamsize size) {
    write(data, static_cast<size_t>(size));
  }

  /// Inlined, so that a field of fixed size is a single store.
  void write(const void* data, size_t size) {
    if (size == 0) // an empty vector's data may be null, not for memcpy
      return;
    if (out_.size() - used_ < size)
      out_.resize(std::max(2 * out_.size(), used_ + size));
    std::memcpy(out_.data() + used_, data, size);
    used_ += size;
  }

private:
  static constexpr size_t min_capacity = 64;

  std::string& out_;
  size_t used_;
};

template <class T>
std::enable_if_t<std::is_arithmetic_v<T>>
CEREAL_SAVE_FUNCTION_NAME(string_output_archive& ar, const T& t) {
  ar.write(std::addressof(t), sizeof(t));
}

template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(string_output_archive& ar,
                                    cereal::NameValuePair<T>& t) {
  ar(t.value);
}

template <class T>
void CEREAL_SERIALIZE_FUNCTION_NAME(string_output_archive& ar,
                                    cereal::SizeTag<T>& t) {
  ar(t.size);
}

template <class T>
void CEREAL_SAVE_FUNCTION_NAME(string_output_archive& ar,
                               const cereal::BinaryData<T>& bd) {
  ar.saveBinary(bd.data, static_cast<std::streamsize>(bd.size));
}

} // namespace sluice::protocol

CEREAL_REGISTER_ARCHIVE(sluice::protocol::string_output_archive)

// Types with minimal save/load functions are checked against the archive
// that reads what this one writes.
namespace cereal::traits::detail {
template <>
struct get_input_from_output<sluice::protocol::string_output_archive> {
  using type = sluice::protocol::bounded_input_archive;
};
} // namespace cereal::traits::detail
