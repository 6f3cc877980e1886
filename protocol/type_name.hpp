#pragma once

#include <string>
#include <typeinfo>

namespace sluice::protocol {

/// The readable name of a type, for error messages ("std::string", not
/// "NSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE").
std::string type_name(const std::type_info& type);

template <class T>
std::string type_name() {
  return type_name(typeid(T));
}

} // namespace sluice::protocol
