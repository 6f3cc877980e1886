#include "actors/fault_injector.hpp"

#include "protocol/key_hash.hpp"

namespace sluice::actors {

fault_injector::fault_injector(const config::fault_settings& settings,
                               std::shared_ptr<std::atomic<uint32_t>> budget,
                               const std::string& stage, uint32_t instance,
                               uint32_t attempt) {
  if (!settings.enabled() || !budget
      || (!settings.stage.empty() && settings.stage != stage))
    return;
  settings_ = &settings;
  budget_ = std::move(budget);
  state_
    = protocol::mix64(settings.seed ^ protocol::hash_bytes(stage)
                      ^ (uint64_t{instance} << 32) ^ (uint64_t{attempt} << 48));
}

std::optional<std::string> fault_injector::after_batch(uint64_t records) {
  if (settings_ == nullptr)
    return std::nullopt;
  records_ += records;
  if (settings_->after_records > 0 && records_ >= settings_->after_records
      && take()) {
    records_ = 0;
    return "injected fault after " + std::to_string(settings_->after_records)
           + " records (seed " + std::to_string(settings_->seed) + ")";
  }
  if (settings_->probability > 0 && next_unit() < settings_->probability
      && take())
    return "injected fault with probability "
           + std::to_string(settings_->probability) + " per batch (seed "
           + std::to_string(settings_->seed) + ")";
  return std::nullopt;
}

std::optional<std::string> fault_injector::at(config::checkpoint_phase phase) {
  if (settings_ == nullptr || settings_->phase != phase || !take())
    return std::nullopt;
  return "injected fault " + config::to_string(phase) + " (seed "
         + std::to_string(settings_->seed) + ")";
}

bool fault_injector::take() {
  auto left = budget_->load();
  while (left > 0)
    if (budget_->compare_exchange_weak(left, left - 1))
      return true;
  return false;
}

double fault_injector::next_unit() {
  state_ += 0x9e3779b97f4a7c15ULL;
  return static_cast<double>(protocol::mix64(state_) >> 11) * 0x1.0p-53;
}

} // namespace sluice::actors
