#pragma once

#include "operators/instance_context.hpp"
#include "operators/operator_instance.hpp"
#include "protocol/edge_writer.hpp"
#include "protocol/key_groups.hpp"
#include "protocol/output_router.hpp"
#include "protocol/partitioning.hpp"

#include <cassert>
#include <memory>
#include <vector>

namespace sluice::operators {

/// Builds the writer of a keyed (hash) edge: the key function belongs to the
/// consumer's declaration, the record type to the producer.
class edge_route_base {
public:
  virtual ~edge_route_base() = default;
};

template <class T>
class edge_route : public edge_route_base {
public:
  virtual std::unique_ptr<protocol::edge_writer<T>>
  make_writer(uint32_t channels, protocol::key_groups groups) const = 0;
};

/// Routes records by the key that `KeyFn` extracts.
template <class T, class KeyFn>
class hash_route final : public edge_route<T> {
public:
  explicit hash_route(KeyFn key) : key_(std::move(key)) {}

  std::unique_ptr<protocol::edge_writer<T>>
  make_writer(uint32_t channels, protocol::key_groups groups) const override {
    return std::make_unique<protocol::hash_writer<T, KeyFn>>(channels, groups,
                                                             key_);
  }

private:
  KeyFn key_;
};

/// One outgoing edge of an instance, as its factory sees it.
struct out_edge {
  protocol::partitioning by = protocol::partitioning::forward;
  uint32_t channels = 1;
  /// Set for hash edges.
  std::shared_ptr<const edge_route_base> route;
};

/// Makes the logic of each instance of one stage. Shared, immutable: a
/// restarted instance gets its logic from the same factory.
class stage_factory {
public:
  virtual ~stage_factory() = default;

  virtual std::unique_ptr<operator_instance>
  make_operator(const instance_context&, const std::vector<out_edge>&) const {
    return nullptr;
  }

  virtual std::unique_ptr<source_instance>
  make_source(const instance_context&, const std::vector<out_edge>&) const {
    return nullptr;
  }
};

/// The output router of an instance producing `T`, one writer per edge.
template <class T>
std::unique_ptr<protocol::output_router<T>>
make_router(const instance_context& ctx, const std::vector<out_edge>& edges) {
  using namespace protocol;
  auto router = std::make_unique<output_router<T>>(ctx.batch_size);
  for (auto& e : edges) {
    switch (e.by) {
    case partitioning::forward:
      router->add_edge(std::make_unique<forward_writer<T>>());
      break;
    case partitioning::rebalance:
      router->add_edge(
        std::make_unique<rebalance_writer<T>>(e.channels, ctx.instance));
      break;
    case partitioning::broadcast:
      router->add_edge(std::make_unique<broadcast_writer<T>>(e.channels));
      break;
    case partitioning::hash: {
      auto route = dynamic_cast<const edge_route<T>*>(e.route.get());
      assert(route && "hash edge without a key function for this type");
      router->add_edge(route->make_writer(e.channels, ctx.groups));
      break;
    }
    }
  }
  return router;
}

/// A factory from a function `(context, router) -> unique_ptr<Instance>`.
template <class Out, class Make>
class operator_factory final : public stage_factory {
public:
  explicit operator_factory(Make make) : make_(std::move(make)) {}

  std::unique_ptr<operator_instance>
  make_operator(const instance_context& ctx,
                const std::vector<out_edge>& edges) const override {
    return make_(ctx, make_router<Out>(ctx, edges));
  }

private:
  Make make_;
};

/// A factory for sinks: `(context) -> unique_ptr<Instance>`.
template <class Make>
class sink_factory final : public stage_factory {
public:
  explicit sink_factory(Make make) : make_(std::move(make)) {}

  std::unique_ptr<operator_instance>
  make_operator(const instance_context& ctx,
                const std::vector<out_edge>&) const override {
    return make_(ctx);
  }

private:
  Make make_;
};

/// A factory for sources: `(context, router) -> unique_ptr<Instance>`.
template <class Out, class Make>
class source_factory final : public stage_factory {
public:
  explicit source_factory(Make make) : make_(std::move(make)) {}

  std::unique_ptr<source_instance>
  make_source(const instance_context& ctx,
              const std::vector<out_edge>& edges) const override {
    return make_(ctx, make_router<Out>(ctx, edges));
  }

private:
  Make make_;
};

} // namespace sluice::operators
