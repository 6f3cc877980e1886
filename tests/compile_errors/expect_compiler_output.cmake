# Run by CTest: compiles SOURCE (syntax only). A source with a line
# "// Expected compiler output: TEXT" must fail with TEXT in the compiler's
# output; any other must compile.
file(STRINGS ${SOURCE} expected REGEX "^// Expected compiler output: ")
string(REPLACE "|" ";" include_dirs "${INCLUDE_DIRS}")
list(TRANSFORM include_dirs PREPEND -I)
execute_process(COMMAND ${CXX} -std=c++17 -fsyntax-only ${include_dirs}
    ${SOURCE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT expected)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} does not compile:\n${out}")
  endif()
  return()
endif()
string(REGEX REPLACE "^// Expected compiler output: " "" expected
  "${expected}")
if(rc EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled; expected an error: ${expected}")
endif()
string(FIND "${out}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR
    "the compiler's output lacks '${expected}':\n${out}")
endif()
message(STATUS "the compiler said: ${expected}")
