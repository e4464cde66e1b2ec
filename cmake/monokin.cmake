# SPDX-License-Identifier: Apache-2.0
# Shared build helpers: warnings, the test helper and build-wide definitions.
include(GoogleTest)

add_library(monokin_warnings INTERFACE)
add_library(monokin::warnings ALIAS monokin_warnings)
target_compile_options(monokin_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
if(DEFINED ENV{CI})
  target_compile_options(monokin_warnings INTERFACE -Werror)
endif()

# Where the source tree is, so tests find testdata/, models/ and ../shared/ without guessing.
set(MONOKIN_SOURCE_DIR ${PROJECT_SOURCE_DIR})

# monokin_add_test(name SOURCES a.cpp b.cpp LIBS x y [LABELS unit])
function(monokin_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        monokin::warnings)
  target_compile_definitions(${name} PRIVATE MONOKIN_SOURCE_DIR="${MONOKIN_SOURCE_DIR}"
                                             MONOKIN_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES LABELS "${ARG_LABELS}"
                       WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endfunction()
