#include "protocol/job_shape.hpp"

#include "protocol/type_name.hpp"

#include <map>

namespace sluice::protocol {

job_shape shape_of(const std::vector<stage_node>& stages, const topology& t,
                   uint32_t key_groups) {
  job_shape result;
  result.key_groups = key_groups;
  for (auto& node : stages) {
    stage_shape s;
    s.name = node.name;
    s.role = to_string(node.role);
    s.parallelism = node.parallelism;
    if (node.input_type != nullptr)
      s.input_type = type_name(*node.input_type);
    if (node.output_type != nullptr)
      s.output_type = type_name(*node.output_type);
    s.inputs.resize(node.inputs.size());
    result.stages.push_back(std::move(s));
  }
  for (auto& e : t.edges)
    result.stages.at(e.to).inputs.at(e.input)
      = input_shape{stages.at(e.from).name, to_string(e.by)};
  return result;
}

namespace {

std::string inputs_text(const std::vector<input_shape>& xs) {
  std::string text;
  for (auto& x : xs)
    text += (text.empty() ? "" : ", ") + x.from + " by " + x.by;
  return text.empty() ? "none" : text;
}

void compare(const stage_shape& before, const stage_shape& now,
             std::vector<std::string>& out) {
  auto stage = "stage '" + now.name + "': ";
  auto note = [&](const std::string& what, const std::string& was,
                  const std::string& is) {
    if (was != is)
      out.push_back(stage + what + " " + was + ", now " + is);
  };
  note("role", before.role, now.role);
  note("parallelism", std::to_string(before.parallelism),
       std::to_string(now.parallelism));
  note("input records", before.input_type, now.input_type);
  note("output records", before.output_type, now.output_type);
  if (!(before.inputs == now.inputs))
    note("inputs", inputs_text(before.inputs), inputs_text(now.inputs));
}

} // namespace

std::vector<std::string> changes(const job_shape& before,
                                 const job_shape& now) {
  std::vector<std::string> result;
  if (before.key_groups != now.key_groups)
    result.push_back("key groups " + std::to_string(before.key_groups)
                     + ", now " + std::to_string(now.key_groups));
  std::map<std::string, const stage_shape*> old;
  for (auto& s : before.stages)
    old[s.name] = &s;
  for (auto& s : now.stages) {
    auto i = old.find(s.name);
    if (i == old.end()) {
      result.push_back("stage '" + s.name + "' is new");
      continue;
    }
    compare(*i->second, s, result);
    old.erase(i);
  }
  for (auto& [name, s] : old)
    result.push_back("stage '" + name + "' is gone");
  return result;
}

} // namespace sluice::protocol
