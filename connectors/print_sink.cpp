#include "connectors/print_sink.hpp"

#include <iostream>
#include <mutex>

namespace sluice::connectors {

void print_lines(const std::string& text) {
  static std::mutex mtx;
  std::lock_guard<std::mutex> guard{mtx};
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cout.flush();
}

} // namespace sluice::connectors
