#include "connectors/file_lines_source.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sluice::connectors {

std::unique_ptr<operators::source_instance> file_lines::make_instance(
  const operators::instance_context&,
  std::unique_ptr<protocol::output_router<std::string>> r) const {
  return std::make_unique<file_lines_instance>(path, std::move(r));
}

file_lines_instance::file_lines_instance(
  std::string path, std::unique_ptr<protocol::output_router<std::string>> r)
    : path_(std::move(path)), in_(path_, std::ios::binary),
      router_(std::move(r)) {
  if (!in_)
    throw std::runtime_error("cannot open '" + path_
                             + "' for reading: " + std::strerror(errno));
}

operators::pull_result file_lines_instance::pull(uint64_t max_records) {
  auto& out = router_->staging();
  uint64_t n = 0;
  std::string line;
  while (n < max_records && std::getline(in_, line)) {
    offset_ += line.size();
    if (!in_.eof())
      ++offset_; // the '\n'
    ++line_;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    out.push_back(std::move(line));
    line.clear();
    ++n;
  }
  if (in_.bad())
    throw std::runtime_error("reading '" + path_ + "' failed after line "
                             + std::to_string(line_) + ": "
                             + std::strerror(errno));
  router_->route();
  return {n,
          in_.eof() ? operators::pull_status::exhausted
                    : operators::pull_status::more,
          {}};
}

void file_lines_instance::seek(uint64_t offset) {
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(offset));
  if (!in_)
    throw std::runtime_error("cannot seek '" + path_ + "' to byte "
                             + std::to_string(offset));
  offset_ = offset;
}

} // namespace sluice::connectors
