#include "cli/job_arguments.hpp"

#include "config/engine_options.hpp"
#include "config/errc.hpp"
#include "jobs/make_job.hpp"
#include "protocol/describe.hpp"
#include "state/checkpoint_store.hpp"
#include "state/shape_check.hpp"

#include <filesystem>
#include <iostream>

namespace sluice::cli {

std::optional<std::string> job_arguments::flag(const std::string& name) const {
  for (auto& [n, v] : flags)
    if (n == name)
      return v;
  return std::nullopt;
}

caf::expected<job_arguments>
parse_job_arguments(const std::vector<std::string>& args,
                    const std::vector<std::string>& flags) {
  auto fail = [](const std::string& text) {
    return caf::make_error(config::errc::bad_option, text);
  };
  job_arguments result;
  for (size_t i = 0; i < args.size(); ++i) {
    auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      result.help = true;
      continue;
    }
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      auto body = arg.substr(2);
      auto eq = body.find('=');
      auto name = body.substr(0, eq);
      if (name.find('.') != std::string::npos) {
        // An engine setting; its value may be the next argument.
        if (eq == std::string::npos) {
          if (i + 1 == args.size())
            return fail("option '" + arg + "' needs a value");
          result.overrides.push_back(arg + "=" + args[++i]);
        } else {
          result.overrides.push_back(arg);
        }
        continue;
      }
      bool known = false;
      for (auto& f : flags) {
        auto takes_value = !f.empty() && f.back() == '=';
        auto flag_name = takes_value ? f.substr(0, f.size() - 1) : f;
        if (flag_name != name)
          continue;
        known = true;
        if (takes_value && eq == std::string::npos) {
          if (i + 1 == args.size())
            return fail("option '--" + name + "' needs a value");
          result.flags.emplace_back(name, args[++i]);
        } else if (!takes_value && eq != std::string::npos) {
          return fail("option '--" + name + "' takes no value");
        } else {
          result.flags.emplace_back(name, eq == std::string::npos
                                            ? std::string{}
                                            : body.substr(eq + 1));
        }
      }
      if (!known)
        return fail("unknown option '" + arg + "' (see --help)");
      continue;
    }
    if (!arg.empty() && arg[0] == '-')
      return fail("unknown option '" + arg + "' (see --help)");
    if (!result.file.empty())
      return fail("one job file at a time; got '" + result.file + "' and '"
                  + arg + "'");
    result.file = arg;
  }
  if (!result.help && result.file.empty())
    return fail("no job file given (see --help)");
  return result;
}

namespace {

/// The engine's plan of the job without a store and a log: planning with
/// them would open the store, load the state to resume from, create the
/// log file and log (to standard error) what the job will log again.
caf::expected<std::shared_ptr<const actors::job_plan>>
plan_quietly(const config::job_spec& spec) {
  auto probe = spec;
  probe.settings.checkpoints.store.clear();
  probe.settings.log.file.clear();
  probe.settings.log.level = config::log_level::off;
  return jobs::make_job(probe).plan();
}

} // namespace

caf::expected<config::job_spec> load_job(const job_arguments& args) {
  auto spec = config::read_job_file(args.file, args.overrides);
  if (!spec)
    return std::move(spec.error());
  // The engine checks what the file cannot say alone (budgets against
  // channels, key groups).
  auto plan = plan_quietly(*spec);
  if (!plan) {
    // Errors of the engine name the stage; point at its section, and at
    // the command line when options there took part.
    auto text = protocol::describe(plan.error());
    std::string options;
    for (auto& x : args.overrides)
      options += (options.empty() ? "" : " ") + x;
    if (!options.empty())
      text += " (with command-line options " + options + ")";
    for (auto& s : spec->stages)
      if (text.find("'" + s.name + "'") != std::string::npos)
        return caf::make_error(config::errc::invalid_graph,
                               config::to_string(s.where) + ": [stage." + s.name
                                 + "]: " + text);
    return caf::make_error(config::errc::invalid_graph,
                           args.file + ": " + text);
  }
  return spec;
}

caf::error check_resumable(const config::job_spec& spec) {
  auto& path = spec.settings.checkpoints.store;
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec))
    return caf::none;
  auto plan = plan_quietly(spec);
  if (!plan)
    return std::move(plan.error());
  auto store = state::checkpoint_store::open(path);
  if (!store)
    return std::move(store.error());
  return state::check_shape(*store, spec.name, (*plan)->shape());
}

std::string engine_settings_help() {
  return "Engine settings go in the job file as `[section] key = value`; "
         "--section.key=value\non the command line overrides the file. "
         "Settings and their defaults:\n\n"
         + config::describe_engine_options(config::engine_settings{});
}

void print_error(const std::string& command, const std::string& text) {
  std::cerr << "sluice " << command << ": " << text << std::endl;
}

void log_line(const std::string& text) {
  std::cerr << "sluice: " << text << std::endl;
}

} // namespace sluice::cli
