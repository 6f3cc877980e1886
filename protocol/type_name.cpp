#include "protocol/type_name.hpp"

#include <cstdlib>
#include <memory>

#include <cxxabi.h>

namespace sluice::protocol {

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> readable{
    abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free};
  if (status != 0 || !readable)
    return type.name();
  std::string result = readable.get();
  // The full spelling of std::string buries the record type in noise.
  const std::string long_string
    = "std::__cxx11::basic_string<char, std::char_traits<char>, "
      "std::allocator<char> >";
  for (auto pos = result.find(long_string); pos != std::string::npos;
       pos = result.find(long_string, pos))
    result.replace(pos, long_string.size(), "std::string");
  return result;
}

} // namespace sluice::protocol
