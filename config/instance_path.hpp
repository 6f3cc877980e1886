#pragma once

#include <cstdint>
#include <string>

namespace sluice::config {

/// The file instance `instance` of a stage writes: `path` itself for a
/// single instance, else "out-1.txt" for instance 1 of "out.txt". Job
/// validation needs it to see which files a job writes; file sinks name
/// their files with it.
std::string instance_path(const std::string& path, uint32_t instance,
                          uint32_t parallelism);

} // namespace sluice::config
