#include "protocol/failover_regions.hpp"

#include <map>
#include <numeric>

namespace sluice::protocol {

failover_regions::failover_regions(const topology& t) {
  // Union-find over instances, numbered stage by stage.
  std::vector<uint32_t> first(t.instances.size());
  uint32_t n = 0;
  for (uint32_t s = 0; s < t.instances.size(); ++s) {
    first[s] = n;
    n += static_cast<uint32_t>(t.instances[s].size());
  }
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](uint32_t x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  };
  for (uint32_t s = 0; s < t.instances.size(); ++s)
    for (uint32_t i = 0; i < t.instances[s].size(); ++i)
      for (auto& out : t.instances[s][i].outputs)
        parent[find(first[s] + i)] = find(first[out.stage] + out.instance);
  std::map<uint32_t, uint32_t> ids;
  region_.resize(t.instances.size());
  for (uint32_t s = 0; s < t.instances.size(); ++s)
    for (uint32_t i = 0; i < t.instances[s].size(); ++i) {
      auto root = find(first[s] + i);
      auto [pos, added] = ids.emplace(root, static_cast<uint32_t>(ids.size()));
      region_[s].push_back(pos->second);
    }
  count_ = ids.size();
}

} // namespace sluice::protocol
