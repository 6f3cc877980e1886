#include "jobs/window_count_instance.hpp"

#include "operators/record_failure.hpp"

#include <algorithm>
#include <vector>

namespace sluice::jobs {

window_count_instance::window_count_instance(
  std::unique_ptr<protocol::output_router<record>> r, size_t key_field,
  std::chrono::nanoseconds size, clock_function now)
    : producing_instance<record>(std::move(r)), key_field_(key_field),
      size_ms_(std::max<int64_t>(
        1,
        std::chrono::duration_cast<std::chrono::milliseconds>(size).count())),
      now_(std::move(now)) {
  window_.value() = no_window;
  states_.add("counts", counts_);
  states_.add("window", window_);
}

int64_t window_count_instance::window_of(
  std::chrono::system_clock::time_point t) const {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              t.time_since_epoch())
              .count();
  // Floor division, also before 1970.
  auto w = ms / size_ms_;
  if (ms % size_ms_ < 0)
    --w;
  return w * size_ms_;
}

void window_count_instance::process(uint32_t,
                                    protocol::record_payload&& payload) {
  auto in = operators::take_records<record>(payload);
  // One clock reading per batch: a batch belongs to one window.
  auto current = window_of(now_());
  if (window_.value() != no_window && window_.value() != current)
    close_window();
  window_.value() = current;
  operators::for_each_record(in, [&](const record& x) {
    ++counts_.get_or_init(x.fields.at(key_field_), [] { return int64_t{0}; });
  });
  this->router_->route();
}

void window_count_instance::on_timer() {
  if (window_.value() != no_window && window_of(now_()) != window_.value()) {
    close_window();
    this->router_->route();
  }
}

void window_count_instance::finish() {
  if (window_.value() != no_window) {
    close_window();
    this->router_->route();
  }
}

std::chrono::nanoseconds window_count_instance::timer_period() const {
  using namespace std::chrono;
  auto tenth = duration_cast<nanoseconds>(milliseconds{size_ms_}) / 10;
  return std::clamp<nanoseconds>(tenth, milliseconds{10}, seconds{1});
}

void window_count_instance::close_window() {
  auto& out = this->router_->staging();
  std::vector<field_value> keys;
  keys.reserve(counts_.size());
  counts_.for_each([&](const field_value& key, int64_t n) {
    out.push_back(record{{window_.value(), key, n}});
    keys.push_back(key);
  });
  // Erased one by one: the next delta snapshot records the deletions.
  for (auto& key : keys)
    static_cast<void>(counts_.erase(key));
  window_.value() = no_window;
}

} // namespace sluice::jobs
