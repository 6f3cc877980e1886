#include "connectors/file_lines_sink.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sluice::connectors {

line_file_writer::line_file_writer(std::string path)
  : path_(std::move(path)), out_(path_, std::ios::binary | std::ios::trunc) {
  check("open");
}

void line_file_writer::write(const std::string& lines) {
  out_.write(lines.data(), static_cast<std::streamsize>(lines.size()));
  check("write");
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
