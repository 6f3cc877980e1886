#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace sluice::protocol {

// The handshake between a job and a worker node (rules N1-N4 in
// protocol/README.md).

/// The version of the node protocol; a node refuses any other (N2).
constexpr uint32_t node_protocol_version = 1;

/// Job to node: the job asks to join (N1). `secret` is the `[cluster]`
/// secret the job was given.
struct node_hello {
  std::string job;
  std::string secret;
  uint32_t version = node_protocol_version;
};

/// Node to job: the node accepted the job; `node` is the name from the
/// node's own file, for the job to check against its `[nodes]` (N3).
struct node_welcome {
  std::string node;
  uint32_t version = node_protocol_version;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_hello& x) {
  return f(caf::meta::type_name("sluice::protocol::node_hello"), x.job,
           x.secret, x.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_welcome& x) {
  return f(caf::meta::type_name("sluice::protocol::node_welcome"), x.node,
           x.version);
}

} // namespace sluice::protocol
