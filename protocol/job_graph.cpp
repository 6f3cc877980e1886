#include "protocol/job_graph.hpp"

#include "protocol/errc.hpp"
#include "protocol/type_name.hpp"

#include <caf/error.hpp>

#include <algorithm>
#include <unordered_map>

namespace sluice::protocol {

std::string to_string(stage_role x) {
  switch (x) {
  case stage_role::source:
    return "source";
  case stage_role::transform:
    return "transform";
  case stage_role::sink:
    return "sink";
  }
  return "stage_role(" + std::to_string(static_cast<int>(x)) + ")";
}

namespace {

caf::error fail(errc code, const std::string& what) {
  return caf::make_error(code, what);
}

std::string quoted(const std::string& name) {
  return "'" + name + "'";
}

/// Checks what each stage declares on its own.
caf::error check_stage(const stage_node& s) {
  auto name = "stage " + quoted(s.name);
  if (s.name.empty())
    return fail(errc::missing_input, "a stage has an empty name");
  if (s.parallelism == 0)
    return fail(errc::zero_parallelism,
                name + ": parallelism must be at least 1");
  if (s.max_parallelism > 0 && s.parallelism > s.max_parallelism)
    return fail(errc::unsupported,
                name + ": parallelism " + std::to_string(s.parallelism)
                  + " exceeds the " + std::to_string(s.max_parallelism)
                  + " this " + to_string(s.role) + " supports");
  if (s.batch_size == 0)
    return fail(errc::zero_batch_size,
                name + ": batch size must be at least 1 record");
  if (s.role == stage_role::source && !s.inputs.empty())
    return fail(errc::unexpected_input, name
                                          + " is a source and cannot read from "
                                          + quoted(s.inputs.front().from));
  if (s.role != stage_role::source && s.inputs.empty())
    return fail(errc::missing_input, name + " has no input");
  return caf::none;
}

/// Depth-first search for a cycle; returns it as "a -> b -> a".
struct cycle_finder {
  const std::vector<stage_node>& stages;
  const std::vector<std::vector<uint32_t>>& readers; // stage -> consumers
  std::vector<uint8_t> mark;                         // 0 new, 1 on path, 2 done
  std::vector<uint32_t> path;
  std::vector<uint32_t> order; // reverse post-order

  std::optional<std::string> visit(uint32_t s) {
    mark[s] = 1;
    path.push_back(s);
    for (auto next : readers[s]) {
      if (mark[next] == 1) {
        std::string text;
        auto pos = path.begin();
        while (*pos != next)
          ++pos;
        for (; pos != path.end(); ++pos)
          text += quoted(stages[*pos].name) + " -> ";
        return text + quoted(stages[next].name);
      }
      if (mark[next] == 0)
        if (auto found = visit(next))
          return found;
    }
    path.pop_back();
    mark[s] = 2;
    order.push_back(s);
    return std::nullopt;
  }
};

} // namespace

caf::expected<topology> plan_topology(const std::vector<stage_node>& stages,
                                      uint32_t key_groups) {
  std::unordered_map<std::string, uint32_t> index;
  for (uint32_t i = 0; i < stages.size(); ++i) {
    if (auto err = check_stage(stages[i]))
      return err;
    if (!index.emplace(stages[i].name, i).second)
      return fail(errc::duplicate_stage,
                  "stage " + quoted(stages[i].name) + " is declared twice");
  }
  topology result;
  std::vector<std::vector<uint32_t>> readers(stages.size());
  result.out_edges.resize(stages.size());
  for (uint32_t to = 0; to < stages.size(); ++to) {
    auto& s = stages[to];
    auto name = "stage " + quoted(s.name);
    for (uint32_t k = 0; k < s.inputs.size(); ++k) {
      auto& in = s.inputs[k];
      auto i = index.find(in.from);
      if (i == index.end())
        return fail(errc::unknown_stage, name + " reads from " + quoted(in.from)
                                           + ", which does not exist");
      auto from = i->second;
      auto& up = stages[from];
      if (up.role == stage_role::sink)
        return fail(errc::type_mismatch, name + " reads from " + quoted(up.name)
                                           + ", a sink without output");
      if (up.output_type && s.input_type && *up.output_type != *s.input_type)
        return fail(errc::type_mismatch, name + " reads records of type "
                                           + type_name(*s.input_type) + " but "
                                           + quoted(up.name) + " produces "
                                           + type_name(*up.output_type));
      auto by = in.by.value_or(up.parallelism == s.parallelism
                                 ? partitioning::forward
                                 : partitioning::rebalance);
      if (by == partitioning::forward && up.parallelism != s.parallelism)
        return fail(errc::parallelism_mismatch,
                    name + " (parallelism " + std::to_string(s.parallelism)
                      + ") cannot read forward from " + quoted(up.name)
                      + " (parallelism " + std::to_string(up.parallelism)
                      + "): use rebalance, hash or broadcast");
      if (by == partitioning::hash && s.parallelism > key_groups)
        return fail(errc::unsupported,
                    name + ": parallelism " + std::to_string(s.parallelism)
                      + " exceeds the " + std::to_string(key_groups)
                      + " key groups of the job");
      result.out_edges[from].push_back(
        static_cast<uint32_t>(result.edges.size()));
      result.edges.push_back(edge{from, to, k, by});
      readers[from].push_back(to);
    }
  }
  cycle_finder finder{
    stages, readers, std::vector<uint8_t>(stages.size(), 0), {}, {}};
  for (uint32_t s = 0; s < stages.size(); ++s)
    if (finder.mark[s] == 0)
      if (auto cycle = finder.visit(s))
        return fail(errc::cycle, "stages form a cycle: " + *cycle);
  result.order.assign(finder.order.rbegin(), finder.order.rend());
  // Lay out the channels. A consumer's input slots follow its declared
  // inputs, each edge taking one slot per producer instance it hears from
  // (one for forward); a producer's output slots follow its out-edges, each
  // taking one slot per consumer instance it feeds (one for forward).
  result.instances.resize(stages.size());
  std::vector<std::vector<uint32_t>> first_input(stages.size());
  for (uint32_t t = 0; t < stages.size(); ++t)
    first_input[t].resize(stages[t].inputs.size());
  for (uint32_t t = 0; t < stages.size(); ++t) {
    uint32_t offset = 0;
    for (auto& e : result.edges) {
      if (e.to != t)
        continue;
      first_input[t][e.input] = offset;
      offset += e.by == partitioning::forward ? 1 : stages[e.from].parallelism;
    }
    result.instances[t].resize(
      stages[t].parallelism,
      instance_channels{std::vector<channel_end>(offset), {}});
  }
  for (uint32_t s = 0; s < stages.size(); ++s) {
    for (uint32_t u = 0; u < stages[s].parallelism; ++u) {
      auto& outputs = result.instances[s][u].outputs;
      for (auto e_index : result.out_edges[s]) {
        auto& e = result.edges[e_index];
        auto connect = [&](uint32_t d, uint32_t in_slot) {
          auto out_slot = static_cast<uint32_t>(outputs.size());
          outputs.push_back(channel_end{e.to, d, in_slot});
          result.instances[e.to][d].inputs[in_slot]
            = channel_end{s, u, out_slot};
        };
        auto first = first_input[e.to][e.input];
        if (e.by == partitioning::forward)
          connect(u, first);
        else
          for (uint32_t d = 0; d < stages[e.to].parallelism; ++d)
            connect(d, first + u);
      }
    }
  }
  // Rule D4: each input channel's exclusive share of the budget (an equal
  // part, credit_ledger) holds at least one full batch of its producer.
  // With less, batches are cut to the share: a budget spread over many
  // channels shrinks every batch, at worst to one record.
  for (uint32_t s = 0; s < stages.size(); ++s) {
    for (auto& inst : result.instances[s]) {
      uint64_t batch = 0;
      for (auto& in : inst.inputs)
        batch = std::max(batch, uint64_t{stages[in.stage].batch_size});
      auto needed = inst.inputs.size() * batch;
      if (stages[s].budget >= needed)
        continue;
      auto n = std::to_string(inst.inputs.size());
      return fail(
        errc::budget_too_small,
        "stage " + quoted(stages[s].name) + ": budget of "
          + std::to_string(stages[s].budget) + " records cannot give "
          + (inst.inputs.size() == 1 ? "its input channel"
                                     : "each of its " + n + " input channels")
          + " a full batch; it needs at least " + std::to_string(needed) + " ("
          + n + " x " + std::to_string(batch)
          + "); raise the budget or lower the batch size");
    }
  }
  return result;
}

} // namespace sluice::protocol
