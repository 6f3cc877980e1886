#pragma once

/// Everything an application needs to declare and run Sluice jobs.

#include "api/announce.hpp"
#include "api/egress_receiver.hpp"
#include "api/ingress_producer.hpp"
#include "api/job_builder.hpp"
#include "api/job_handle.hpp"
#include "api/stream.hpp"
#include "config/engine_settings.hpp"
#include "connectors/collect_sink.hpp"
#include "connectors/file_lines_source.hpp"
#include "connectors/generator.hpp"
#include "operators/emitter.hpp"
#include "protocol/describe.hpp"

namespace sluice {

using config::engine_settings;
using connectors::collected;
using connectors::file_lines;
using connectors::generate;
using connectors::generator;
using connectors::unbounded;
using operators::emitter;
using operators::state_context;
using protocol::describe;
using protocol::egress_consumer_actor;
using protocol::egress_demand;
using protocol::egress_end;
using protocol::egress_header;
using protocol::egress_hello;
using protocol::ingress_ack;
using protocol::ingress_credit;
using protocol::ingress_header;
using protocol::ingress_open;
using protocol::ingress_producer_actor;
using protocol::ingress_rejected;

// For sources and sinks of your own (docs/embedding.md).
using operators::instance_context;
using operators::operator_instance;
using operators::pull_result;
using operators::pull_status;
using operators::source_instance;
using operators::take_records;
using protocol::checkpoint_id;
using protocol::output_port;
using protocol::output_router;
using protocol::record_payload;

} // namespace sluice
