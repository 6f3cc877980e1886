#pragma once

/// Everything an application needs to declare and run Sluice jobs.

#include "api/announce.hpp"
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
using protocol::describe;

} // namespace sluice
