#pragma once

#include "operators/operator_instance.hpp"
#include "protocol/output_router.hpp"

#include <memory>

namespace sluice::operators {

/// Base of the transforms: owns the router its records go to.
template <class Out>
class producing_instance : public operator_instance {
public:
  explicit producing_instance(std::unique_ptr<protocol::output_router<Out>> r)
      : router_(std::move(r)) {}

  protocol::output_port* output() noexcept final { return router_.get(); }

protected:
  std::unique_ptr<protocol::output_router<Out>> router_;
};

} // namespace sluice::operators
