# SPDX-License-Identifier: LGPL-2.1-or-later
# kcore_build_flags: warnings, sanitisers and visibility, linked PRIVATE by
# every target of the project.  Global flags are never edited.
add_library(kcore_build_flags INTERFACE)
target_compile_options(kcore_build_flags INTERFACE
  -Wall -Wextra -Wshadow -Wpointer-arith -Wmissing-prototypes -Wstrict-prototypes
  -Wno-unused-parameter -Wno-missing-field-initializers
  -fvisibility=hidden -fno-strict-aliasing -fno-omit-frame-pointer)
target_compile_definitions(kcore_build_flags INTERFACE _GNU_SOURCE)
if(KCORE_WERROR)
  target_compile_options(kcore_build_flags INTERFACE -Werror)
endif()
if(KCORE_SANITIZE)
  string(REPLACE ";" "," _kcore_san "${KCORE_SANITIZE}")
  target_compile_options(kcore_build_flags INTERFACE
    -fsanitize=${_kcore_san} -fno-sanitize-recover=all)
  target_link_options(kcore_build_flags INTERFACE -fsanitize=${_kcore_san})
endif()
