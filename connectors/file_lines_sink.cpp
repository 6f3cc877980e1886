#include "connectors/file_lines_sink.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace sluice::connectors {

line_file_writer::line_file_writer(std::string path,
                                   std::optional<uint64_t> resume_at)
    : path_(std::move(path)) {
  if (resume_at) {
    std::error_code ec;
    auto existing = std::filesystem::file_size(path_, ec);
    if (ec)
      throw std::runtime_error("cannot resume '" + path_
                               + "': " + ec.message());
    if (existing < *resume_at)
      throw std::runtime_error(
        "cannot resume '" + path_ + "': it holds " + std::to_string(existing)
        + " bytes, the checkpoint covers " + std::to_string(*resume_at));
    std::filesystem::resize_file(path_, *resume_at, ec);
    if (ec)
      throw std::runtime_error("cannot cut '" + path_ + "' back to "
                               + std::to_string(*resume_at)
                               + " bytes: " + ec.message());
    out_.open(path_, std::ios::binary | std::ios::app);
    size_ = *resume_at;
  } else {
    out_.open(path_, std::ios::binary | std::ios::trunc);
  }
  check("open");
}

void line_file_writer::write(const std::string& lines) {
  out_.write(lines.data(), static_cast<std::streamsize>(lines.size()));
  check("write");
  size_ += lines.size();
}

void line_file_writer::flush() {
  out_.flush();
  check("flush");
}

void line_file_writer::close() {
  if (!out_.is_open())
    return;
  out_.flush();
  check("flush");
  out_.close();
  check("close");
}

void line_file_writer::check(const char* what) {
  if (!out_)
    throw std::runtime_error(std::string{"cannot "} + what + " '" + path_
                             + "': " + std::strerror(errno));
}

} // namespace sluice::connectors
