#pragma once

#include "actors/job_plan.hpp"
#include "api/job_handle.hpp"
#include "api/stage_decl.hpp"
#include "config/engine_settings.hpp"

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice {

template <class T>
class stream;

/// Declares a job: sources, transforms and sinks, with the parallelism of
/// each stage and the partitioning of each edge; then runs it on an actor
/// system. Nothing is checked or spawned before `start`, which rejects a
/// bad graph with an error naming the stage at fault.
class job_builder {
public:
  explicit job_builder(std::string name, config::engine_settings settings = {})
    : name_(std::move(name)), settings_(settings) {}

  /// Adds a source stage. `Source` describes the records (`record_type`)
  /// and makes one instance per parallel reader (`make_instance`), e.g.
  /// `generate(...)` or `file_lines{path}`.
  template <class Source>
  stream<typename Source::record_type> source(std::string name, Source src);

  /// The output of stage `name`, declared before or after this call. Lets
  /// graphs be wired by name (as job files do); `start` checks that the
  /// stage exists and produces `T`.
  template <class T>
  stream<T> stream_of(std::string name);

  /// Validates the graph and compiles it into a plan, spawning nothing.
  [[nodiscard]] caf::expected<std::shared_ptr<const actors::job_plan>>
  plan() const;

  /// Validates the graph and starts the job on `sys`.
  [[nodiscard]] caf::expected<job_handle> start(caf::actor_system& sys) const;

  /// `start` followed by `wait`.
  [[nodiscard]] caf::expected<job_report> run(caf::actor_system& sys) const;

  const std::string& name() const noexcept { return name_; }

  config::engine_settings& settings() noexcept { return settings_; }

  // -- for stage declarations -------------------------------------------------

  /// Appends a stage; returns its name.
  const std::string& add_stage(stage_decl decl);

  /// The declaration of stage `name`, or null.
  stage_decl* find_stage(const std::string& name);

  /// Remembers a declaration error; `plan` reports the first one.
  void reject(caf::error err);

private:
  std::string name_;
  config::engine_settings settings_;
  std::vector<stage_decl> stages_;
  caf::error rejected_;
};

} // namespace sluice
