#include "config/field.hpp"

#include "config/value_parsers.hpp"

#include <charconv>

namespace sluice::config {

std::string to_string(field_type x) {
  switch (x) {
  case field_type::text:
    return "text";
  case field_type::integer:
    return "integer";
  case field_type::real:
    return "real";
  }
  return "field_type(" + std::to_string(static_cast<int>(x)) + ")";
}

std::optional<field_type> parse_field_type(std::string_view text) {
  for (auto x : {field_type::text, field_type::integer, field_type::real})
    if (text == to_string(x))
      return x;
  return std::nullopt;
}

std::string to_string(const std::vector<field_def>& xs) {
  std::string result;
  for (auto& x : xs) {
    if (!result.empty())
      result += ", ";
    result += x.name + ":" + to_string(x.type);
  }
  return result;
}

std::optional<field_value> parse_field_value(std::string_view text,
                                             field_type type) {
  switch (type) {
  case field_type::text:
    return field_value{std::string{text}};
  case field_type::integer:
    if (auto x = parse_integer(text))
      return field_value{*x};
    return std::nullopt;
  case field_type::real:
    if (auto x = parse_real(text))
      return field_value{*x};
    return std::nullopt;
  }
  return std::nullopt;
}

void append_text(std::string& out, const field_value& x) {
  if (auto str = std::get_if<std::string>(&x)) {
    out += *str;
  } else if (auto i = std::get_if<int64_t>(&x)) {
    out += std::to_string(*i);
  } else {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), std::get<double>(x));
    out.append(buf, ec == std::errc{} ? end : buf);
  }
}

std::string to_text(const field_value& x) {
  std::string result;
  append_text(result, x);
  return result;
}

std::optional<size_t> index_of(const std::vector<field_def>& fields,
                               std::string_view name) {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name)
      return i;
  return std::nullopt;
}

} // namespace sluice::config
