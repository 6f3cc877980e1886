#pragma once

#include "protocol/bounded_input_archive.hpp"
#include "protocol/errc.hpp"
#include "protocol/string_output_archive.hpp"
#include "protocol/type_name.hpp"

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/save_callback.hpp>
#include <caf/meta/type_name.hpp>

#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

namespace sluice::protocol {

/// How records are laid out in a payload's wire form (rule D7).
enum class wire_layout : char {
  flat = 'F',   ///< Trivially copyable records, copied as bytes.
  cereal = 'C', ///< Records written by cereal's binary archive.
};

/// The records of one batch, in a single message type for every record type.
///
/// Inside a process the records stay a typed `std::vector` shared by pointer:
/// sending moves a pointer, and the receiver moves the vector out (rule D6).
/// Crossing a process boundary, `inspect` encodes them (rule D7) and the
/// receiver, which knows the record type of its input, decodes them.
class record_payload {
public:
  record_payload() = default;

  template <class T>
  static record_payload of(std::vector<T> records) {
    record_payload result;
    result.size_ = static_cast<uint32_t>(records.size());
    result.local_ = std::make_shared<holder<T>>(std::move(records));
    return result;
  }

  /// Number of records.
  size_t size() const noexcept { return size_; }

  bool empty() const noexcept { return size_ == 0; }

  /// True while the records are typed objects in this process.
  bool is_local() const noexcept { return local_ != nullptr; }

  /// The records. Moved out when this payload is their only owner, copied
  /// when others share them (after a broadcast), decoded after the network.
  /// Leaves the payload empty.
  template <class T>
  [[nodiscard]] caf::expected<std::vector<T>> take();

  /// Turns local records into their wire form; `inspect` calls it before
  /// serializing. Fails for record types that cereal cannot write.
  [[nodiscard]] caf::error encode();

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f,
                                                 record_payload& x) {
    return f(caf::meta::type_name("sluice::protocol::record_payload"),
             caf::meta::save_callback([&x] { return x.encode(); }), x.size_,
             x.wire_);
  }

private:
  struct holder_base {
    virtual ~holder_base() = default;
    virtual const std::type_info& type() const noexcept = 0;
    virtual caf::error encode(std::vector<char>& out) const = 0;
  };

  template <class T>
  struct holder final : holder_base {
    explicit holder(std::vector<T> xs) : records(std::move(xs)) {}
    const std::type_info& type() const noexcept override { return typeid(T); }
    caf::error encode(std::vector<char>& out) const override;
    std::vector<T> records;
  };

  template <class T>
  caf::expected<std::vector<T>> decode() const;

  std::shared_ptr<holder_base> local_;
  std::vector<char> wire_;
  uint32_t size_ = 0;
};

// -- template implementation --------------------------------------------------

template <class T>
inline constexpr bool cereal_writes_v
  = cereal::traits::is_output_serializable<T, string_output_archive>::value;

template <class T>
inline constexpr bool cereal_reads_v
  = cereal::traits::is_input_serializable<T, bounded_input_archive>::value;

template <class T>
caf::error record_payload::holder<T>::encode(std::vector<char>& out) const {
  if constexpr (std::is_trivially_copyable_v<T>) {
    out.resize(1 + records.size() * sizeof(T));
    out[0] = static_cast<char>(wire_layout::flat);
    if (!records.empty())
      std::memcpy(out.data() + 1, records.data(), records.size() * sizeof(T));
    return caf::none;
  } else if constexpr (cereal_writes_v<T>) {
    std::string bytes(1, static_cast<char>(wire_layout::cereal));
    {
      string_output_archive ar{bytes};
      ar(records);
    }
    out.assign(bytes.begin(), bytes.end());
    return caf::none;
  } else {
    return caf::make_error(errc::wire_format,
                           "records of type " + type_name<T>()
                             + " cannot leave the process: give them a "
                               "cereal serialize function");
  }
}

template <class T>
caf::expected<std::vector<T>> record_payload::decode() const {
  auto fail = [](const std::string& why) {
    return caf::make_error(errc::wire_format,
                           "batch of " + type_name<T>() + ": " + why);
  };
  if (wire_.empty())
    return size_ == 0 ? std::vector<T>{}
                      : caf::expected<std::vector<T>>{fail("no records")};
  auto layout = static_cast<wire_layout>(wire_[0]);
  if constexpr (std::is_trivially_copyable_v<T>) {
    if (layout != wire_layout::flat)
      return fail("unexpected layout");
    if (wire_.size() != 1 + size_t{size_} * sizeof(T))
      return fail("truncated: " + std::to_string(wire_.size() - 1)
                  + " bytes for " + std::to_string(size_) + " records");
    std::vector<T> result(size_);
    if (size_ > 0)
      std::memcpy(static_cast<void*>(result.data()), wire_.data() + 1,
                  size_t{size_} * sizeof(T));
    return result;
  } else if constexpr (cereal_reads_v<T>) {
    if (layout != wire_layout::cereal)
      return fail("unexpected layout");
    std::vector<T> result;
    try {
      bounded_input_archive ar{{wire_.data() + 1, wire_.size() - 1}};
      ar(result);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
    if (result.size() != size_)
      return fail("expected " + std::to_string(size_) + " records, decoded "
                  + std::to_string(result.size()));
    return result;
  } else {
    static_cast<void>(layout);
    return fail("the record type has no cereal serialize function");
  }
}

template <class T>
caf::expected<std::vector<T>> record_payload::take() {
  if (!local_) {
    auto result = decode<T>();
    wire_.clear();
    size_ = 0;
    return result;
  }
  if (local_->type() != typeid(T))
    return caf::make_error(errc::type_mismatch,
                           "batch holds " + type_name(local_->type())
                             + ", expected " + type_name<T>());
  auto& records = static_cast<holder<T>&>(*local_).records;
  // Sole owner: nobody else can reach the vector, so it may be moved.
  std::vector<T> result
    = local_.use_count() == 1 ? std::move(records) : records;
  local_.reset();
  size_ = 0;
  return result;
}

} // namespace sluice::protocol
