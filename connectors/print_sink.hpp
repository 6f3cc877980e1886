#pragma once

#include "connectors/line_format.hpp"
#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"

#include <memory>
#include <string>

namespace sluice::connectors {

/// Writes `text` to standard output in one piece, so that lines of
/// concurrent instances never interleave.
void print_lines(const std::string& text);

/// A sink printing one line per record to standard output.
template <class T>
struct print {
  using record_type = T;

  std::unique_ptr<operators::operator_instance>
  make_instance(const operators::instance_context&) const;
};

template <class T>
class print_instance final : public operators::operator_instance {
public:
  void process(uint32_t, protocol::record_payload&& payload) override {
    auto records = operators::take_records<T>(payload);
    std::string text;
    for (auto& x : records) {
      append_line(text, x);
      text += '\n';
    }
    print_lines(text);
  }

  protocol::output_port* output() noexcept override { return nullptr; }
};

template <class T>
std::unique_ptr<operators::operator_instance>
print<T>::make_instance(const operators::instance_context&) const {
  return std::make_unique<print_instance<T>>();
}

} // namespace sluice::connectors
