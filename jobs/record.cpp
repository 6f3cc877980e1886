#include "jobs/record.hpp"

namespace sluice::jobs {

std::string to_line(const record& x) {
  std::string result;
  for (size_t i = 0; i < x.fields.size(); ++i) {
    if (i > 0)
      result += '\t';
    config::append_text(result, x.fields[i]);
  }
  return result;
}

} // namespace sluice::jobs
