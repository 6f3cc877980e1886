# Run by CTest: installs the project, copies the installed tree to another
# prefix and removes the original, then builds the orders example against
# the copy twice, with CMake's find_package and with pkg-config. Both
# programs run and check their own results; the copied `sluice` runs too.
if(SANITIZERS)
  # A sanitizer build installs instrumented libraries: the consumers link
  # the sanitizers' runtimes too.
  set(sanitize_flags "-fsanitize=${SANITIZERS}")
else()
  set(sanitize_flags "")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# run(WHAT COMMAND...): runs the command in WORK_DIR; fails the test with
# its output unless it succeeds. Leaves the output in `output`.
function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

set(installed ${WORK_DIR}/installed)
run("installing" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${installed})

# Every installed folder holds something.
file(GLOB_RECURSE folders LIST_DIRECTORIES true ${installed}/*)
foreach(folder IN LISTS folders)
  if(IS_DIRECTORY ${folder})
    file(GLOB entries ${folder}/*)
    if(NOT entries)
      message(FATAL_ERROR "an empty folder was installed: ${folder}")
    endif()
  endif()
endforeach()
foreach(file ${MANDIR}/man1/sluice.1 ${LIBDIR}/pkgconfig/sluice.pc
    ${LIBDIR}/pkgconfig/sluice-observability.pc)
  if(NOT EXISTS ${installed}/${file})
    message(FATAL_ERROR "${file} was not installed")
  endif()
endforeach()

# The package files name no path of this machine: dependencies are looked
# up where the package is used.
file(GLOB package_files ${installed}/${LIBDIR}/cmake/sluice/*.cmake)
foreach(file IN LISTS package_files)
  file(READ ${file} text)
  if(text MATCHES "(${installed}|${BUILD_DIR}|/[^ \";]*\\.so)")
    message(FATAL_ERROR "${file} names the path ${CMAKE_MATCH_1}")
  endif()
endforeach()

# Another prefix, and nothing left where the tree was installed.
set(prefix ${WORK_DIR}/elsewhere)
file(COPY ${installed}/ DESTINATION ${prefix})
file(REMOVE_RECURSE ${installed})

run("the moved sluice" ${prefix}/bin/sluice help stages)
if(NOT output MATCHES "\nfile-source \\(source\\)")
  message(FATAL_ERROR "sluice help stages printed:\n${output}")
endif()

# With CMake: examples/embedding as its own project.
run("configuring the CMake consumer" ${CMAKE_COMMAND}
  -S ${SOURCE_DIR}/examples/embedding -B ${WORK_DIR}/cmake-build
  -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix}
  "-DCMAKE_EXE_LINKER_FLAGS=${sanitize_flags}")
run("building the CMake consumer" ${CMAKE_COMMAND} --build
  ${WORK_DIR}/cmake-build)
run("the CMake consumer" ${WORK_DIR}/cmake-build/orders
  ${WORK_DIR}/cmake-orders.db)
if(NOT output MATCHES "run 2: totals of [0-9]+ [+] [0-9]+ orders match")
  message(FATAL_ERROR "the CMake consumer printed:\n${output}")
endif()
message(STATUS "the CMake consumer printed:\n${output}")

# With pkg-config: the example's own script, in a copy of the example.
file(COPY ${SOURCE_DIR}/examples/embedding/ DESTINATION ${WORK_DIR}/pc-build)
run("building the pkg-config consumer" ${CMAKE_COMMAND} -E env
  PKG_CONFIG_PATH=${prefix}/${LIBDIR}/pkgconfig
  "CXXFLAGS=${sanitize_flags}"
  ${WORK_DIR}/pc-build/build-with-pkg-config.sh)
run("the pkg-config consumer" ${WORK_DIR}/pc-build/orders
  ${WORK_DIR}/pc-orders.db)
if(NOT output MATCHES "run 2: totals of [0-9]+ [+] [0-9]+ orders match")
  message(FATAL_ERROR "the pkg-config consumer printed:\n${output}")
endif()
message(STATUS "the pkg-config consumer printed:\n${output}")
