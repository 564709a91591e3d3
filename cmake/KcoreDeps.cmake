# SPDX-License-Identifier: LGPL-2.1-or-later
# Third-party dependencies, all through pkg-config.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# The liburcu flavour is chosen here and in src/core/rcu.h, nowhere else.
set(KCORE_URCU_FLAVOR memb)
pkg_check_modules(URCU REQUIRED IMPORTED_TARGET liburcu-${KCORE_URCU_FLAVOR})
set(KCORE_PC_REQUIRES "liburcu-${KCORE_URCU_FLAVOR}")

if(KCORE_WITH_LIBUNWIND)
  # The nongnu libunwind (libunwind-dev), not LLVM's libunwind-14.
  pkg_check_modules(UNWIND REQUIRED IMPORTED_TARGET libunwind)
  string(APPEND KCORE_PC_REQUIRES " libunwind")
endif()

if(KCORE_BUILD_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()
