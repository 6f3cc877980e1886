#include "jobs/record.hpp"

#include "jobs/tab_separated.hpp"

namespace sluice::jobs {

std::string to_line(const record& x) {
  std::string result;
  for (size_t i = 0; i < x.fields.size(); ++i) {
    if (i > 0)
      result += '\t';
    if (auto text = std::get_if<std::string>(&x.fields[i]))
      append_escaped(result, *text);
    else
      config::append_text(result, x.fields[i]);
  }
  return result;
}

} // namespace sluice::jobs
