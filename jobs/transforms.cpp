#include "jobs/transforms.hpp"

#include "config/value_parsers.hpp"
#include "jobs/tab_separated.hpp"
#include "operators/record_failure.hpp"

#include <cctype>
#include <stdexcept>

namespace sluice::jobs {

namespace {

const std::string& text_of(const record& x, size_t field) {
  return std::get<std::string>(x.fields.at(field));
}

std::string_view trim(std::string_view x) {
  while (!x.empty() && std::isspace(static_cast<unsigned char>(x.front())))
    x.remove_prefix(1);
  while (!x.empty() && std::isspace(static_cast<unsigned char>(x.back())))
    x.remove_suffix(1);
  return x;
}

/// `text` as a value of field `f`; throws naming the field.
field_value typed(const config::field_def& f, std::string_view text) {
  if (f.type == config::field_type::text)
    return std::string{text};
  if (auto x = config::parse_field_value(trim(text), f.type))
    return std::move(*x);
  throw std::runtime_error("field '" + f.name + "' is not "
                           + (f.type == config::field_type::integer
                                ? std::string{"an integer"}
                                : std::string{"a number"})
                           + ": '" + std::string{text} + "'");
}

/// Why a record was skipped, with where it came from: "orders.csv:17:
/// why", or the record itself when it came from no file.
std::string skip_reason(const std::string& origin, const record& x,
                        const std::string& why) {
  if (x.line > 0)
    return (origin.empty() ? "line " : origin + ":") + std::to_string(x.line)
           + ": " + why;
  return why + ", in record '" + operators::describe_record(x) + "'";
}

} // namespace

// -- split_words --------------------------------------------------------------

void split_words::operator()(const record& x,
                             operators::emitter<record>& out) const {
  auto& text = text_of(x, field_);
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    auto j = i;
    while (j < text.size()
           && !std::isspace(static_cast<unsigned char>(text[j])))
      ++j;
    if (j > i)
      out(record{{text.substr(i, j - i)}, x.line});
    i = j;
  }
}

// -- CSV ----------------------------------------------------------------------

std::vector<std::string> split_csv(std::string_view line, char separator) {
  std::vector<std::string> result;
  size_t i = 0;
  for (;;) {
    std::string field;
    // Spaces before an opening quote do not count.
    auto start = i;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')
           && line[start] != separator)
      ++start;
    if (start < line.size() && line[start] == '"') {
      i = start + 1;
      for (;;) {
        if (i >= line.size())
          throw std::runtime_error("a quoted CSV field is not closed");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      while (i < line.size() && line[i] != separator)
        ++i; // text after the closing quote is dropped
    } else {
      auto end = line.find(separator, i);
      if (end == std::string_view::npos)
        end = line.size();
      field = std::string{trim(line.substr(i, end - i))};
      i = end;
    }
    result.push_back(std::move(field));
    if (i >= line.size())
      break;
    ++i; // the separator
  }
  return result;
}

void extract_csv::operator()(const record& x,
                             operators::emitter<record>& out) const {
  record result;
  result.line = x.line;
  try {
    auto& line = text_of(x, opts_.field);
    // A tab separator reads what file and stdout sinks write.
    auto columns = opts_.separator == '\t' ? split_tab_separated(line)
                                           : split_csv(line, opts_.separator);
    result.fields.reserve(fields_.size());
    for (size_t i = 0; i < fields_.size(); ++i) {
      auto column = opts_.columns[i];
      if (column >= columns.size())
        throw std::runtime_error(
          "the line has " + std::to_string(columns.size()) + " columns; field '"
          + fields_[i].name + "' is column " + std::to_string(column + 1));
      result.fields.push_back(typed(fields_[i], columns[column]));
    }
  } catch (const std::runtime_error& e) {
    if (opts_.errors == config::on_error::skip)
      return out.skip(skip_reason(origin_, x, e.what()));
    throw;
  }
  out(std::move(result));
}

// -- JSON ---------------------------------------------------------------------

namespace {

/// Just enough JSON to walk one object: values are skipped or copied as
/// text, never built into a tree. Nesting is walked by recursion, so its
/// depth is bounded (`max_json_depth`): a deeper line is a bad record, not
/// a stack overflow.
class json_cursor {
public:
  explicit json_cursor(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("not a JSON object: " + what + " at offset "
                             + std::to_string(pos_));
  }

  void skip_space() {
    while (pos_ < text_.size()
           && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }

  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }

  char peek() {
    skip_space();
    if (pos_ == text_.size())
      fail("unexpected end");
    return text_[pos_];
  }

  void expect(char c) {
    if (peek() != c)
      fail(std::string{"expected '"} + c + "'");
    ++pos_;
  }

  bool consume(char c) {
    if (peek() != c)
      return false;
    ++pos_;
    return true;
  }

  std::string string() {
    expect('"');
    std::string result;
    for (;;) {
      if (pos_ >= text_.size())
        fail("unterminated string");
      auto c = text_[pos_++];
      if (c == '"')
        return result;
      if (c != '\\') {
        result += c;
        continue;
      }
      if (pos_ >= text_.size())
        fail("unterminated escape");
      auto e = text_[pos_++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        result += e;
        break;
      case 'b':
        result += '\b';
        break;
      case 'f':
        result += '\f';
        break;
      case 'n':
        result += '\n';
        break;
      case 'r':
        result += '\r';
        break;
      case 't':
        result += '\t';
        break;
      case 'u':
        append_code_point(result);
        break;
      default:
        fail("bad escape");
      }
    }
  }

  /// Skips one value; returns its text (strings unquoted), or nothing for
  /// null.
  std::optional<std::string> value() {
    auto c = peek();
    if (c == '"')
      return string();
    auto start = pos_;
    if (c == '{' || c == '[') {
      skip_nested();
      return std::string{text_.substr(start, pos_ - start)};
    }
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}'
           && text_[pos_] != ']'
           && !std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    auto word = text_.substr(start, pos_ - start);
    if (word == "null")
      return std::nullopt;
    if (word == "true" || word == "false" || config::parse_real(word))
      return std::string{word};
    fail("unexpected '" + std::string{word} + "'");
  }

private:
  void skip_nested() {
    if (++depth_ > max_json_depth)
      fail("nesting deeper than " + std::to_string(max_json_depth) + " levels");
    auto open = text_[pos_++];
    auto close = open == '{' ? '}' : ']';
    if (!consume(close)) {
      for (;;) {
        if (open == '{') {
          static_cast<void>(string()); // member names are not needed
          expect(':');
        }
        static_cast<void>(value());
        if (consume(close))
          break;
        expect(',');
      }
    }
    --depth_;
  }

  void append_code_point(std::string& out) {
    auto hex4 = [this] {
      if (pos_ + 4 > text_.size())
        fail("short \\u escape");
      uint32_t x = 0;
      for (int i = 0; i < 4; ++i) {
        auto c = text_[pos_++];
        x <<= 4;
        if (c >= '0' && c <= '9')
          x |= static_cast<uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
          x |= static_cast<uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
          x |= static_cast<uint32_t>(c - 'A' + 10);
        else
          fail("bad \\u escape");
      }
      return x;
    };
    auto cp = hex4();
    if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < text_.size()
        && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
      pos_ += 2;
      auto low = hex4();
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    // UTF-8
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t depth_ = 0;
};

} // namespace

std::vector<std::optional<std::string>>
json_members(std::string_view text,
             const std::vector<config::field_def>& names) {
  std::vector<std::optional<std::string>> result(names.size());
  json_cursor in{text};
  in.expect('{');
  if (!in.consume('}')) {
    for (;;) {
      auto name = in.string();
      in.expect(':');
      auto value = in.value();
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i].name == name)
          result[i] = value;
      if (in.consume('}'))
        break;
      in.expect(',');
    }
  }
  if (!in.at_end())
    in.fail("text after the object");
  return result;
}

void extract_json::operator()(const record& x,
                              operators::emitter<record>& out) const {
  record result;
  result.line = x.line;
  try {
    auto members = json_members(text_of(x, opts_.field), fields_);
    result.fields.reserve(fields_.size());
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (!members[i])
        throw std::runtime_error("the object has no field '" + fields_[i].name
                                 + "' (or it is null)");
      result.fields.push_back(typed(fields_[i], *members[i]));
    }
  } catch (const std::runtime_error& e) {
    if (opts_.errors == config::on_error::skip)
      return out.skip(skip_reason(origin_, x, e.what()));
    throw;
  }
  out(std::move(result));
}

// -- filter -------------------------------------------------------------------

bool filter::passes(const record& x) const {
  auto& value = x.fields.at(opts_.field);
  using config::compare_op;
  if (opts_.op == compare_op::contains)
    return std::get<std::string>(value).find(
             std::get<std::string>(opts_.operand))
           != std::string::npos;
  // Validation gave operand and field one type; variants of one
  // alternative compare as their values do.
  switch (opts_.op) {
  case compare_op::eq:
    return value == opts_.operand;
  case compare_op::ne:
    return value != opts_.operand;
  case compare_op::lt:
    return value < opts_.operand;
  case compare_op::le:
    return value <= opts_.operand;
  case compare_op::gt:
    return value > opts_.operand;
  case compare_op::ge:
    return value >= opts_.operand;
  default:
    return false;
  }
}

} // namespace sluice::jobs
