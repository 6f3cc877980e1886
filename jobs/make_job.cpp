#include "jobs/make_job.hpp"

#include "api/stream.hpp"
#include "connectors/generator.hpp"
#include "connectors/sqlite_sink.hpp"
#include "jobs/aggregate_instance.hpp"
#include "jobs/line_source.hpp"
#include "jobs/record.hpp"
#include "jobs/transforms.hpp"
#include "jobs/window_count_instance.hpp"

namespace sluice::jobs {

namespace {

using config::stage_spec;
using config::stage_type;

/// The key of a keyed input: one field of the record.
struct field_key {
  size_t field;

  field_value operator()(const record& x) const { return x.fields.at(field); }
};

/// Generator records: (index, value in [0, values)).
struct generator_record {
  uint64_t values;

  record operator()(uint64_t index, uint64_t random) const {
    return record{
      {static_cast<int64_t>(index), static_cast<int64_t>(random % values)}};
  }
};

/// A record as a SQLite row; the variants hold the same values.
struct to_row {
  connectors::sqlite_row operator()(const record& x) const {
    connectors::sqlite_row row;
    row.reserve(x.fields.size());
    for (auto& f : x.fields)
      std::visit([&row](const auto& v) { row.emplace_back(v); }, f);
    return row;
  }
};

connectors::sqlite_type sqlite_type_of(config::field_type x) {
  switch (x) {
  case config::field_type::integer:
    return connectors::sqlite_type::integer;
  case config::field_type::real:
    return connectors::sqlite_type::real;
  default:
    return connectors::sqlite_type::text;
  }
}

/// Stage options set in the file; the job's settings fill the rest.
template <class Handle>
void apply_options(Handle handle, const stage_spec& s) {
  if (s.parallelism)
    handle.parallelism(*s.parallelism);
  if (s.batch_size)
    handle.batch_size(*s.batch_size);
  if (s.budget)
    handle.budget(*s.budget);
  if (s.linger)
    handle.linger(*s.linger);
}

/// The stream a stage reads: keyed by a field after key-by stages, else
/// spread as its `partitioning` says.
stream<record> input_of(job_builder& job, const stage_spec& s) {
  auto in = job.stream_of<record>(s.reads);
  if (s.key)
    return in.key_by(field_key{*s.key}); // keeps the hash route
  if (!s.partitioning)
    return in;
  switch (*s.partitioning) {
  case protocol::partitioning::rebalance:
    return in.rebalance();
  case protocol::partitioning::broadcast:
    return in.broadcast();
  default:
    return in.forward();
  }
}

void declare_source(job_builder& job, const stage_spec& s) {
  if (auto* file = std::get_if<config::file_source_options>(&s.options)) {
    apply_options(job.source(s.name, line_source{file->path}), s);
    return;
  }
  auto& opts = std::get<config::generator_options>(s.options);
  auto spec = connectors::generate(opts.count.value_or(connectors::unbounded),
                                   opts.seed, generator_record{opts.values});
  if (opts.rate)
    spec.rate(*opts.rate);
  apply_options(job.source(s.name, spec), s);
}

/// The file the records of `s` come from: the path of the file source its
/// chain of inputs starts at (every stage reads one input), or nothing.
std::string origin_file(const config::job_spec& spec, const stage_spec& s) {
  auto* at = &s;
  while (at != nullptr && !at->input.empty())
    at = spec.find(at->input);
  if (at == nullptr)
    return {};
  auto* file = std::get_if<config::file_source_options>(&at->options);
  return file != nullptr ? file->path : std::string{};
}

void declare_transform(job_builder& job, const config::job_spec& spec,
                       const stage_spec& s) {
  auto in = input_of(job, s);
  switch (s.type) {
  case stage_type::split_words:
    apply_options(
      in.flat_map<record>(
        s.name, split_words{std::get<config::split_words_options>(s.options)}),
      s);
    break;
  case stage_type::extract_csv:
    apply_options(
      in.flat_map<record>(
        s.name, extract_csv{std::get<config::extract_options>(s.options),
                            s.output, origin_file(spec, s)}),
      s);
    break;
  case stage_type::extract_json:
    apply_options(
      in.flat_map<record>(
        s.name, extract_json{std::get<config::extract_options>(s.options),
                             s.output, origin_file(spec, s)}),
      s);
    break;
  case stage_type::filter:
    apply_options(
      in.flat_map<record>(s.name,
                          filter{std::get<config::filter_options>(s.options)}),
      s);
    break;
  case stage_type::count:
  case stage_type::sum:
  case stage_type::min:
  case stage_type::max: {
    auto type = s.type;
    auto key = *s.key;
    auto value = std::get<config::aggregate_options>(s.options).field;
    apply_options(
      in.add<record>(
        s.name,
        [type, key, value](const operators::instance_context&, auto router) {
          return std::make_unique<aggregate_instance>(std::move(router), type,
                                                      key, value);
        }),
      s);
    break;
  }
  case stage_type::window_count: {
    auto key = *s.key;
    auto size = std::get<config::window_count_options>(s.options).size;
    apply_options(
      in.add<record>(
        s.name,
        [key, size](const operators::instance_context&, auto router) {
          return std::make_unique<window_count_instance>(std::move(router), key,
                                                         size);
        }),
      s);
    break;
  }
  default:
    break;
  }
}

void declare_sink(job_builder& job, const stage_spec& s) {
  auto in = input_of(job, s);
  switch (s.type) {
  case stage_type::file_sink:
    apply_options(
      in.write_lines(s.name,
                     std::get<config::file_sink_options>(s.options).path),
      s);
    break;
  case stage_type::stdout_sink:
    apply_options(in.print(s.name), s);
    break;
  case stage_type::sqlite_sink: {
    auto& opts = std::get<config::sqlite_sink_options>(s.options);
    connectors::sqlite_table table;
    table.path = opts.path;
    table.name = opts.table;
    table.key = opts.key;
    for (auto& f : s.input_fields)
      table.columns.push_back({f.name, sqlite_type_of(f.type)});
    apply_options(
      in.sink(s.name, connectors::write_sqlite<record, to_row>{std::move(table),
                                                               to_row{}}),
      s);
    break;
  }
  default:
    break;
  }
}

} // namespace

job_builder make_job(const config::job_spec& spec) {
  job_builder job{spec.name, spec.settings};
  for (auto& s : spec.stages) {
    switch (s.kind()) {
    case config::stage_kind::source:
      declare_source(job, s);
      break;
    case config::stage_kind::transform:
      declare_transform(job, spec, s);
      break;
    case config::stage_kind::sink:
      declare_sink(job, s);
      break;
    case config::stage_kind::key_by:
      break; // its readers key their input edges
    }
  }
  return job;
}

} // namespace sluice::jobs
