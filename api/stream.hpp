#pragma once

#include "actors/egress_instance.hpp"
#include "actors/ingress_instance.hpp"
#include "api/job_builder.hpp"
#include "connectors/collect_sink.hpp"
#include "connectors/file_lines_sink.hpp"
#include "connectors/for_each_sink.hpp"
#include "connectors/print_sink.hpp"
#include "connectors/transactional_file_sink.hpp"
#include "operators/filter_instance.hpp"
#include "operators/flat_map_instance.hpp"
#include "operators/keyed_aggregate_instance.hpp"
#include "operators/map_instance.hpp"
#include "operators/process_instance.hpp"
#include "operators/stage_factory.hpp"
#include "operators/type_requirements.hpp"
#include "operators/union_instance.hpp"
#include "protocol/errc.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace sluice {

using protocol::partitioning;

/// Options of the stage that `Derived` refers to. Setters apply to the
/// stage's declaration in the builder and return the handle for chaining.
template <class Derived>
class stage_options {
public:
  /// Number of instances (default: the job's `parallelism`).
  Derived& parallelism(uint32_t n) { return set(&stage_decl::parallelism, n); }

  /// Records per batch the stage sends (default: the job's `batch_size`).
  Derived& batch_size(uint32_t n) { return set(&stage_decl::batch_size, n); }

  /// Records each instance may hold waiting, over all its inputs (default:
  /// the job's `max_buffered_records`).
  Derived& budget(uint64_t records) {
    return set(&stage_decl::budget, records);
  }

  /// How long a partial batch may wait (default: the job's `batch_linger`).
  Derived& linger(std::chrono::nanoseconds t) {
    return set(&stage_decl::linger, t);
  }

  /// The stage's name.
  const std::string& name() const noexcept { return stage_; }

protected:
  stage_options(job_builder* job, std::string stage)
      : job_(job), stage_(std::move(stage)) {}

  template <class Field, class Value>
  Derived& set(std::optional<Field> stage_decl::*field, Value value) {
    if (auto decl = job_->find_stage(stage_))
      decl->*field = static_cast<Field>(value);
    else
      job_->reject(caf::make_error(protocol::errc::unknown_stage,
                                   "stage '" + stage_
                                     + "' is not declared: cannot set its "
                                       "options"));
    return static_cast<Derived&>(*this);
  }

  job_builder* job_;
  std::string stage_;
};

/// A declared sink.
class sink_ref : public stage_options<sink_ref> {
public:
  sink_ref(job_builder* job, std::string stage)
      : stage_options(job, std::move(stage)) {}
};

/// A `collect` sink; `->` reaches the records it collected.
template <class T>
class collector : public stage_options<collector<T>> {
public:
  collector(job_builder* job, std::string stage,
            std::shared_ptr<connectors::collected<T>> into)
      : stage_options<collector<T>>(job, std::move(stage)),
        into_(std::move(into)) {}

  connectors::collected<T>* operator->() const noexcept { return into_.get(); }

  const std::shared_ptr<connectors::collected<T>>& results() const noexcept {
    return into_;
  }

private:
  std::shared_ptr<connectors::collected<T>> into_;
};

template <class T, class KeyFn>
class keyed_stream;

/// The records of type `T` that one stage produces. Each operation adds a
/// stage reading this stream; `rebalance()`, `broadcast()` and `forward()`
/// choose how the next edge spreads records over the reader's instances
/// (default: forward between equal parallelisms, rebalance otherwise).
template <class T>
class stream : public stage_options<stream<T>> {
public:
  using record_type = T;

  stream(job_builder* job, std::string stage)
      : stage_options<stream<T>>(job, std::move(stage)) {
    operators::check_record_type<T>();
  }

  // -- partitioning of the next edge ------------------------------------------

  stream rebalance() const { return with(partitioning::rebalance); }
  stream broadcast() const { return with(partitioning::broadcast); }
  stream forward() const { return with(partitioning::forward); }

  /// Partitions by `key(record)`: equal keys reach the same instance. The
  /// key type needs a hash, `==` and a cereal `serialize` function
  /// (`operators/type_requirements.hpp`; integers, strings, pairs and
  /// tuples of them have all three).
  template <class KeyFn>
  keyed_stream<T, KeyFn> key_by(KeyFn key) const {
    // Checked here, so that the compiler points at this call.
    static_cast<void>(keyed_stream<T, KeyFn>::valid_key);
    return keyed_stream<T, KeyFn>{*this, std::move(key)};
  }

  // -- transforms -------------------------------------------------------------

  /// One record `fn(const T&)` per record.
  template <class Fn>
  auto map(std::string name, Fn fn) const {
    using out = std::decay_t<std::invoke_result_t<Fn&, const T&>>;
    return add<out>(
      std::move(name), [fn](const operators::instance_context&, auto router) {
        return std::make_unique<operators::map_instance<T, out, Fn>>(
          std::move(router), fn);
      });
  }

  /// The records for which `pred(const T&)` holds.
  template <class Pred>
  stream<T> filter(std::string name, Pred pred) const {
    return add<T>(
      std::move(name), [pred](const operators::instance_context&, auto router) {
        return std::make_unique<operators::filter_instance<T, Pred>>(
          std::move(router), pred);
      });
  }

  /// A stateful operator: `setup(state_context&)` runs once per instance,
  /// declares the instance's checkpointed states (`value_state`,
  /// `map_state`, `operator_state`) and returns the function
  /// `fn(const T&, emitter<Out>&)` that handles each record. After
  /// `key_by`, keyed states hold the keys of the instance's key groups.
  template <class Out, class Setup>
  stream<Out> process(std::string name, Setup setup) const {
    return add<Out>(
      std::move(name),
      [setup](const operators::instance_context& ctx, auto router) {
        return std::make_unique<operators::process_instance<T, Out, Setup>>(
          std::move(router), ctx, setup);
      });
  }

  /// Any number of records per record: `fn(const T&, emitter<Out>&)`.
  template <class Out, class Fn>
  stream<Out> flat_map(std::string name, Fn fn) const {
    return add<Out>(
      std::move(name), [fn](const operators::instance_context&, auto router) {
        return std::make_unique<operators::flat_map_instance<T, Out, Fn>>(
          std::move(router), fn);
      });
  }

  /// One stream of the records of this and `other`, as they come. The
  /// union stage has an input per stream; with checkpoints it aligns their
  /// barriers.
  stream<T> union_with(std::string name, const stream<T>& other) const {
    auto decl = declare(std::move(name), protocol::stage_role::transform);
    decl.node.output_type = &typeid(T);
    decl.node.inputs.push_back(protocol::input_edge{other.stage_, other.by_});
    decl.routes.push_back(other.route_);
    auto make = [](const operators::instance_context&, auto router) {
      return std::make_unique<operators::union_instance<T>>(std::move(router));
    };
    decl.factory
      = std::make_shared<operators::operator_factory<T, decltype(make)>>(make);
    return {this->job_, this->job_->add_stage(std::move(decl))};
  }

  // -- sinks ------------------------------------------------------------------

  /// Keeps every record in memory.
  collector<T> collect(std::string name) const {
    connectors::collect<T> spec;
    auto into = spec.into;
    return {this->job_, sink(std::move(name), std::move(spec)).name(),
            std::move(into)};
  }

  /// Writes one line per record to `path` (one file per instance).
  sink_ref write_lines(std::string name, std::string path) const {
    return sink(std::move(name), connectors::write_lines<T>{std::move(path)});
  }

  /// Exactly once: one line per record, each checkpoint's epoch published
  /// as a file under `directory` by atomic rename when it completed.
  sink_ref commit_files(std::string name, std::string directory) const {
    return sink(std::move(name),
                connectors::commit_files<T>{std::move(directory)});
  }

  /// Hands the records to an application actor (rules E1-E4), as fast as
  /// it grants demand; with checkpoints, each record once its checkpoint
  /// completed. `egress_receiver<T>` does the consumer's part. An instance
  /// holds at most its budget of records: a consumer that stops asking
  /// stalls the job instead of filling memory.
  sink_ref egress(std::string name, caf::actor consumer) const {
    auto decl = declare(std::move(name), protocol::stage_role::sink);
    auto make = [consumer](const operators::instance_context& ctx)
      -> std::unique_ptr<operators::operator_instance> {
      return std::make_unique<actors::egress_instance<T>>(consumer, ctx,
                                                          ctx.budget);
    };
    decl.factory
      = std::make_shared<operators::sink_factory<decltype(make)>>(make);
    return {this->job_, this->job_->add_stage(std::move(decl))};
  }

  /// The same, to a typed consumer.
  sink_ref egress(std::string name,
                  const protocol::egress_consumer_actor<T>& consumer) const {
    return egress(std::move(name), caf::actor_cast<caf::actor>(consumer));
  }

  /// Prints one line per record to standard output.
  sink_ref print(std::string name) const {
    return sink(std::move(name), connectors::print<T>{});
  }

  /// Calls `fn(const T&)` for each record, in each instance's actor.
  template <class Fn>
  sink_ref for_each(std::string name, Fn fn) const {
    return sink(std::move(name), connectors::for_each<T, Fn>{std::move(fn)});
  }

  /// A sink of your own: `Sink::make_instance(const instance_context&)`
  /// returns the `operators::operator_instance` of each instance.
  template <class Sink>
  sink_ref sink(std::string name, Sink spec) const {
    auto decl = declare(std::move(name), protocol::stage_role::sink);
    auto make = [spec](const operators::instance_context& ctx) {
      return spec.make_instance(ctx);
    };
    decl.factory
      = std::make_shared<operators::sink_factory<decltype(make)>>(make);
    return {this->job_, this->job_->add_stage(std::move(decl))};
  }

  // -- for extensions ---------------------------------------------------------

  /// Adds a transform producing `Out`, whose instances come from
  /// `make(const instance_context&, std::unique_ptr<output_router<Out>>)`.
  template <class Out, class Make>
  stream<Out> add(std::string name, Make make) const {
    auto decl = declare(std::move(name), protocol::stage_role::transform);
    decl.node.output_type = &typeid(Out);
    decl.factory = std::make_shared<operators::operator_factory<Out, Make>>(
      std::move(make));
    return {this->job_, this->job_->add_stage(std::move(decl))};
  }

protected:
  stream with(partitioning by) const {
    auto copy = *this;
    copy.by_ = by;
    copy.route_ = nullptr;
    return copy;
  }

  /// A stage reading this stream.
  stage_decl declare(std::string name, protocol::stage_role role) const {
    stage_decl decl;
    decl.node.name = std::move(name);
    decl.node.role = role;
    decl.node.input_type = &typeid(T);
    decl.node.inputs.push_back(protocol::input_edge{this->stage_, by_});
    decl.routes.push_back(route_);
    return decl;
  }

  std::optional<partitioning> by_;
  std::shared_ptr<const operators::edge_route_base> route_;
};

/// A stream partitioned by key: keyed aggregations keep one state per key
/// in the instance that owns the key's group; any other operation reads the
/// stream hash-partitioned.
template <class T, class KeyFn>
class keyed_stream : public stream<T> {
public:
  using key_type = std::decay_t<std::invoke_result_t<KeyFn&, const T&>>;

  /// False if the key type lacks a hash, `==` or `serialize`: the check
  /// says which in one line, and nothing that needs them is compiled after
  /// it, so that no pages of errors from inside the engine bury the line.
  static constexpr bool valid_key = operators::check_key_type<key_type>();

  keyed_stream(const stream<T>& from, KeyFn key)
      : stream<T>(from), key_(std::move(key)) {
    this->by_ = partitioning::hash;
    if constexpr (valid_key)
      this->route_ = std::make_shared<operators::hash_route<T, KeyFn>>(key_);
  }

  /// Per key, the running reduction `fn(const T& acc, const T& x) -> T`,
  /// starting from the key's first record.
  template <class Fn>
  stream<T> reduce(std::string name, Fn fn) const {
    return fold<T>(
      std::move(name), [](const T& x) { return x; },
      [fn](T& acc, const T& x) { acc = fn(static_cast<const T&>(acc), x); },
      [](const key_type&, const T& acc) { return acc; });
  }

  /// Per key, the number of records: (key, count).
  stream<std::pair<key_type, uint64_t>> count(std::string name) const {
    return fold<uint64_t>(
      std::move(name), [](const T&) { return uint64_t{1}; },
      [](uint64_t& n, const T&) { ++n; },
      [](const key_type& k, uint64_t n) { return std::make_pair(k, n); });
  }

  /// Per key, `add(Acc&, const T&)` folds each record into an accumulator
  /// that starts as `init`: (key, accumulator).
  template <class Acc, class Add>
  stream<std::pair<key_type, Acc>> aggregate(std::string name, Acc init,
                                             Add add) const {
    return fold<Acc>(
      std::move(name),
      [init, add](const T& x) {
        Acc acc = init;
        add(acc, x);
        return acc;
      },
      add,
      [](const key_type& k, const Acc& acc) { return std::make_pair(k, acc); });
  }

private:
  /// A keyed aggregation stage: `init` makes a key's accumulator from its
  /// first record, `update` folds the rest, `emit` makes the output record.
  template <class Acc, class Init, class Update, class Emit>
  auto fold(std::string name, Init init, Update update, Emit emit) const {
    using out
      = std::decay_t<std::invoke_result_t<Emit&, const key_type&, const Acc&>>;
    if constexpr (!valid_key || !operators::check_state_type<Acc>()) {
      // The check failed and said why: nothing more to compile.
      return stream<out>{this->job_, std::move(name)};
    } else {
      auto key = key_;
      return this->template add<out>(
        std::move(name), [key, init, update, emit](
                           const operators::instance_context&, auto router) {
          return std::make_unique<operators::keyed_aggregate_instance<
            T, out, KeyFn, Acc, Init, Update, Emit>>(std::move(router), key,
                                                     init, update, emit);
        });
    }
  }

  KeyFn key_;
};

// -- job_builder templates ----------------------------------------------------

template <class Source>
stream<typename Source::record_type> job_builder::source(std::string name,
                                                         Source src) {
  using out = typename Source::record_type;
  stage_decl decl;
  decl.node.name = std::move(name);
  decl.node.role = protocol::stage_role::source;
  decl.node.output_type = &typeid(out);
  decl.node.max_parallelism = Source::max_parallelism;
  auto make = [src](const operators::instance_context& ctx, auto router) {
    return src.make_instance(ctx, std::move(router));
  };
  decl.factory
    = std::make_shared<operators::source_factory<out, decltype(make)>>(make);
  return {this, add_stage(std::move(decl))};
}

template <class T>
stream<T> job_builder::ingress(std::string name) {
  stage_decl decl;
  decl.node.name = std::move(name);
  decl.node.role = protocol::stage_role::source;
  decl.node.output_type = &typeid(T);
  decl.ingress = true;
  auto make = [](const operators::instance_context& ctx,
                 auto router) -> std::unique_ptr<operators::source_instance> {
    return std::make_unique<actors::ingress_instance<T>>(std::move(router),
                                                         ctx.budget);
  };
  decl.factory
    = std::make_shared<operators::source_factory<T, decltype(make)>>(make);
  return {this, add_stage(std::move(decl))};
}

template <class T>
stream<T> job_builder::stream_of(std::string name) {
  return {this, std::move(name)};
}

} // namespace sluice
