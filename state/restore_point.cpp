#include "state/restore_point.hpp"

#include "protocol/describe.hpp"
#include "state/errc.hpp"

namespace sluice::state {

namespace {

/// Every chain of checkpoint `c`, decoded; the first failure otherwise.
caf::expected<restore_point> load(checkpoint_store& store,
                                  const std::string& job,
                                  const checkpoint_info& c) {
  restore_point result;
  result.checkpoint = c;
  auto instances = store.instances(c.id);
  if (!instances)
    return std::move(instances.error());
  for (auto& inst : *instances) {
    auto payloads = store.chain(c.id, inst.stage, inst.instance);
    if (!payloads)
      return std::move(payloads.error());
    auto& chain = result.instances[{inst.stage, inst.instance}];
    auto link = to_integer(c.id) + 1 - payloads->size();
    for (auto& payload : *payloads) {
      result.bytes += payload.size();
      // Every link says where it belongs: this job, stage and instance,
      // this checkpoint of the chain that starts at the target's base.
      snapshot_identity expected{job,
                                 inst.stage,
                                 inst.instance,
                                 link,
                                 link == to_integer(c.base)
                                   ? protocol::snapshot_kind::full
                                   : protocol::snapshot_kind::delta,
                                 to_integer(c.base)};
      ++link;
      auto snapshot = decode_snapshot(payload, expected);
      if (!snapshot)
        return std::move(snapshot.error());
      chain.push_back(std::move(*snapshot));
    }
  }
  return result;
}

} // namespace

const std::vector<instance_snapshot>&
restore_point::chain(const std::string& stage, uint32_t instance) const {
  static const std::vector<instance_snapshot> none;
  auto i = instances.find({stage, instance});
  return i == instances.end() ? none : i->second;
}

caf::error verify_checkpoint(checkpoint_store& store, const std::string& job,
                             const checkpoint_info& c) {
  auto point = load(store, job, c);
  return point ? caf::error{} : std::move(point.error());
}

caf::expected<restore_point>
load_restore_point(checkpoint_store& store, const std::string& job,
                   std::optional<protocol::checkpoint_id> wanted) {
  auto completed = store.completed();
  if (!completed)
    return std::move(completed.error());
  std::vector<std::string> skipped;
  bool found_wanted = false;
  for (auto& c : *completed) {
    if (wanted && !found_wanted) {
      if (c.id != *wanted)
        continue;
      found_wanted = true;
    }
    auto point = load(store, job, c);
    if (point) {
      point->skipped = std::move(skipped);
      return point;
    }
    skipped.push_back(protocol::to_string(c.id)
                      + " skipped: " + protocol::describe(point.error()));
  }
  if (wanted && !found_wanted)
    return caf::make_error(errc::no_checkpoint,
                           "checkpoint store '" + store.path() + "' holds no "
                             + "completed " + protocol::to_string(*wanted));
  std::string text = "checkpoint store '" + store.path()
                     + "' holds no restorable completed checkpoint";
  for (auto& s : skipped)
    text += "; " + s;
  return caf::make_error(errc::no_checkpoint, text);
}

} // namespace sluice::state
