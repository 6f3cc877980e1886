#include "protocol/peer_text.hpp"

namespace sluice::protocol {

std::string peer_text(std::string_view x) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string result;
  result.reserve(x.size());
  for (char c : x) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
    case '\\':
      result += "\\\\";
      break;
    case '\n':
      result += "\\n";
      break;
    case '\r':
      result += "\\r";
      break;
    case '\t':
      result += "\\t";
      break;
    default:
      if (u < 0x20 || u == 0x7f) {
        result += "\\x";
        result += hex[u >> 4];
        result += hex[u & 0xf];
      } else {
        result += c;
      }
    }
  }
  return result;
}

} // namespace sluice::protocol
