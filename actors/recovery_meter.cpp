#include "actors/recovery_meter.hpp"

namespace sluice::actors {

void recovery_meter::begin(time_point now, std::string stage, uint32_t instance,
                           std::string reason) {
  stats_ = recovery_stats{};
  stats_.failed_stage = std::move(stage);
  stats_.failed_instance = instance;
  stats_.reason = std::move(reason);
  failure_seen_ = now;
  awaiting_resume_ = false;
}

void recovery_meter::restarting(uint64_t restored_checkpoint,
                                uint64_t bytes_read, uint32_t instances,
                                uint64_t read_before,
                                uint64_t restored_records) {
  stats_.restored_checkpoint = restored_checkpoint;
  stats_.bytes_read = bytes_read;
  stats_.instances_restarted = instances;
  stats_.records_replayed
    = read_before > restored_records ? read_before - restored_records : 0;
  awaiting_resume_ = true;
}

std::optional<recovery_stats> recovery_meter::resumed(time_point now) {
  if (!awaiting_resume_)
    return std::nullopt;
  awaiting_resume_ = false;
  stats_.time_to_resume = now - failure_seen_;
  return stats_;
}

} // namespace sluice::actors
