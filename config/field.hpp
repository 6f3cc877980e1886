#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sluice::config {

/// The type of one field of a job file's records.
enum class field_type : uint8_t { text, integer, real };

std::string to_string(field_type x);

/// Parses "text", "integer" or "real".
std::optional<field_type> parse_field_type(std::string_view text);

inline std::ostream& operator<<(std::ostream& os, field_type x) {
  return os << to_string(x);
}

/// A named, typed field.
struct field_def {
  std::string name;
  field_type type = field_type::text;

  friend bool operator==(const field_def& x, const field_def& y) {
    return x.name == y.name && x.type == y.type;
  }
};

/// "region:text, amount:real", for messages and graphs.
std::string to_string(const std::vector<field_def>& xs);

/// The value of one field. The alternative matches the field's type:
/// text, integer, real (in that order).
using field_value = std::variant<std::string, int64_t, double>;

/// Reads `text` as a value of `type`; nothing when it is not one.
std::optional<field_value> parse_field_value(std::string_view text,
                                             field_type type);

/// The text of a value: integers in decimal, reals in the shortest form
/// that reads back exactly.
std::string to_text(const field_value& x);

/// Appends `to_text(x)` to `out`.
void append_text(std::string& out, const field_value& x);

/// The index of the field called `name`, or nothing.
std::optional<size_t> index_of(const std::vector<field_def>& fields,
                               std::string_view name);

} // namespace sluice::config
