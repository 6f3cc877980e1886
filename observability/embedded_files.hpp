#pragma once

#include <cstddef>
#include <string_view>

namespace sluice::observability {

/// A file of the dashboard, compiled into the library (see
/// `sluice_embed_files` in CMakeLists.txt), so the page needs no files on
/// disk and nothing from the internet.
struct embedded_file {
  std::string_view path; ///< As requested: "/index.html".
  std::string_view mime;
  const unsigned char* data;
  std::size_t size;
};

/// The file served at `path`, or null.
const embedded_file* find_embedded(std::string_view path);

} // namespace sluice::observability
