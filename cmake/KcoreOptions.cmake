# SPDX-License-Identifier: LGPL-2.1-or-later
# Every user-settable option of the build, in one place.
include(CMakeDependentOption)

if(CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
  set(KCORE_TOP_LEVEL ON)
else()
  set(KCORE_TOP_LEVEL OFF)
endif()

option(BUILD_TESTING "Build the tests" ON)
cmake_dependent_option(KCORE_BUILD_TESTS "Build the ctest suite" ON
                       "KCORE_TOP_LEVEL;BUILD_TESTING" OFF)
option(KCORE_BUILD_BENCH "Build the benchmarks in bench/" OFF)
set(KCORE_SANITIZE "" CACHE STRING "\"\", \"address;undefined\" or \"thread\"")
option(KCORE_WERROR "Treat warnings as errors" OFF)
option(KCORE_WITH_LIBUNWIND "Use libunwind for watchdog backtraces" ON)
set(KCORE_PMU_BACKEND "auto" CACHE STRING "auto, tsc, rdcycle or clock")
set_property(CACHE KCORE_PMU_BACKEND PROPERTY STRINGS auto tsc rdcycle clock)
option(KCORE_INSTALL "Generate install rules" ${KCORE_TOP_LEVEL})

string(REPLACE ";" "," _kcore_san_str "${KCORE_SANITIZE}")
if(NOT _kcore_san_str MATCHES "^(|address,undefined|address|undefined|thread)$")
  message(FATAL_ERROR "KCORE_SANITIZE must be empty, address;undefined or thread "
                      "(ASan and TSan cannot be combined), not '${KCORE_SANITIZE}'")
endif()
