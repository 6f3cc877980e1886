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

/// Where a started job's state comes from, when it has a checkpoint store.
struct resume {
  enum class from : uint8_t {
    latest_if_any, ///< The newest restorable checkpoint; fresh if none.
    latest,        ///< The newest restorable checkpoint; an error if none.
    checkpoint,    ///< `checkpoint` exactly (newer ones are discarded).
    nothing,       ///< Start fresh: the store's checkpoints are discarded.
  };
  from what = from::latest_if_any;
  uint64_t checkpoint = 0;

  static resume latest() { return {from::latest, 0}; }
  static resume latest_if_any() { return {from::latest_if_any, 0}; }
  static resume at(uint64_t id) { return {from::checkpoint, id}; }
  static resume fresh() { return {from::nothing, 0}; }
};

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

  /// A source fed by application actors (rules I1-I5): they open at the
  /// stage's gateway (`job_handle::ingress`), get credit, send numbered
  /// records and get them acknowledged once a checkpoint holds them.
  /// `ingress_producer<T>` does the producer's part.
  template <class T>
  stream<T> ingress(std::string name);

  /// The output of stage `name`, declared before or after this call. Lets
  /// graphs be wired by name (as job files do); `start` checks that the
  /// stage exists and produces `T`.
  template <class T>
  stream<T> stream_of(std::string name);

  /// Validates the graph and compiles it into a plan, spawning nothing.
  /// With a checkpoint store, also loads the state to resume from.
  [[nodiscard]] caf::expected<std::shared_ptr<const actors::job_plan>>
  plan(resume from = {}) const;

  /// Validates the graph and starts the job on `sys`. With a checkpoint
  /// store (`settings().checkpoints.store`), the job resumes as `from`
  /// says: by default from the newest restorable checkpoint, if any.
  [[nodiscard]] caf::expected<job_handle> start(caf::actor_system& sys,
                                                resume from = {}) const;

  /// `start` followed by `wait`.
  [[nodiscard]] caf::expected<job_report> run(caf::actor_system& sys,
                                              resume from = {}) const;

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
