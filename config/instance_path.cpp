#include "config/instance_path.hpp"

namespace sluice::config {

std::string instance_path(const std::string& path, uint32_t instance,
                          uint32_t parallelism) {
  if (parallelism == 1)
    return path;
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  auto suffix = "-" + std::to_string(instance);
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)
      || dot == (slash == std::string::npos ? 0 : slash + 1))
    return path + suffix;
  return path.substr(0, dot) + suffix + path.substr(dot);
}

} // namespace sluice::config
