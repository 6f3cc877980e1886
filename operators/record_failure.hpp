#pragma once

#include "protocol/describe.hpp"
#include "protocol/record_payload.hpp"
#include "protocol/type_name.hpp"

#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sluice::operators {

/// User code threw while handling one record. The hosting actor turns it
/// into the instance's failure, naming the stage and the record.
class record_failure : public std::runtime_error {
public:
  record_failure(std::string record, const std::string& what)
      : std::runtime_error(what), record_(std::move(record)) {}

  /// The record, printed (or its type, when it cannot be printed).
  const std::string& record() const noexcept { return record_; }

private:
  std::string record_;
};

template <class T>
struct is_pair : std::false_type {};

template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};

template <class T, class = void>
struct is_printable : std::false_type {};

template <class T>
struct is_printable<T, std::void_t<decltype(std::declval<std::ostream&>()
                                            << std::declval<const T&>())>>
    : std::true_type {};

/// A record as it appears in error messages: printed with `operator<<` when
/// it has one, cut to a readable length.
template <class T>
std::string describe_record(const T& x) {
  constexpr size_t max_length = 160;
  std::string text;
  if constexpr (is_printable<T>::value) {
    std::ostringstream os;
    os << x;
    text = os.str();
  } else if constexpr (is_pair<T>::value) {
    text
      = "(" + describe_record(x.first) + ", " + describe_record(x.second) + ")";
  } else {
    return "a record of type " + protocol::type_name<T>();
  }
  if (text.size() > max_length)
    text = text.substr(0, max_length) + "...";
  return text;
}

/// Calls `f` on each record; an exception becomes a `record_failure` that
/// names the record.
template <class T, class F>
void for_each_record(std::vector<T>& records, F&& f) {
  size_t i = 0;
  try {
    for (; i < records.size(); ++i)
      f(records[i]);
  } catch (const std::exception& e) {
    throw record_failure(describe_record(records[i]), e.what());
  } catch (...) {
    throw record_failure(describe_record(records[i]), "unknown exception");
  }
}

/// The records of a payload of `T`; a payload that does not hold `T` or
/// does not decode is a failure of the batch.
template <class T>
std::vector<T> take_records(protocol::record_payload& payload) {
  auto records = payload.template take<T>();
  if (!records)
    throw std::runtime_error(protocol::describe(records.error()));
  return std::move(*records);
}

} // namespace sluice::operators
