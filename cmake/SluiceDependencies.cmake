# The libraries Sluice builds on, all from Debian's packages. Shared by the
# build and by the installed package file, so a consumer finds the same ones.
include(CMakeFindDependencyMacro)
find_dependency(Threads)

# libcaf-dev 0.17 ships headers and shared objects only, no CMake package file.
if(NOT TARGET CAF::core)
  find_path(CAF_INCLUDE_DIR caf/all.hpp)
  find_library(CAF_CORE_LIBRARY caf_core)
  find_library(CAF_IO_LIBRARY caf_io)
  if(NOT CAF_INCLUDE_DIR OR NOT CAF_CORE_LIBRARY OR NOT CAF_IO_LIBRARY)
    message(FATAL_ERROR "CAF 0.17 not found: install Debian's libcaf-dev")
  endif()
  add_library(CAF::core SHARED IMPORTED)
  set_target_properties(CAF::core PROPERTIES
    IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  add_library(CAF::io SHARED IMPORTED)
  set_target_properties(CAF::io PROPERTIES
    IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
    INTERFACE_LINK_LIBRARIES CAF::core)
endif()

find_dependency(cereal)   # header-only, target cereal::cereal
find_dependency(SQLite3)  # CMake's own module, target SQLite::SQLite3

# cpp-httplib ships a pkg-config file only; the metrics server needs it. Its
# flags (OpenSSL, zlib and brotli support) change what httplib.h declares,
# and the imported target carries them. Looked up where the package is
# used, never named by path, so the package works wherever httplib lives.
if(NOT TARGET PkgConfig::HTTPLIB)
  find_dependency(PkgConfig)
  pkg_check_modules(HTTPLIB QUIET IMPORTED_TARGET cpp-httplib>=0.11)
  if(NOT HTTPLIB_FOUND)
    message(FATAL_ERROR
      "cpp-httplib 0.11 not found: install Debian's libcpp-httplib-dev")
  endif()
endif()
