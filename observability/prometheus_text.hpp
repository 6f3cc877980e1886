#pragma once

#include "observability/job_sample.hpp"

#include <string>
#include <string_view>

namespace sluice::observability {

/// The sample in the Prometheus text exposition format 0.0.4: one family
/// per figure, base units (seconds, bytes, records), every series labelled
/// with the job and, per instance, the stage and the instance index.
std::string prometheus_text(const job_sample& s);

/// `x` as a Prometheus label value: backslash, quote and newline escaped.
std::string escape_label_value(std::string_view x);

/// `x` shortest and locale-free, `+Inf`, `-Inf` or `NaN`.
std::string format_number(double x);

} // namespace sluice::observability
