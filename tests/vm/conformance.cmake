# SPDX-License-Identifier: LGPL-2.1-or-later
# Conformance, differential and model-based tests of the vm module (owned
# by the vm test engineer; included at the end of tests/vm/CMakeLists.txt).
# Cases listed in tests/vm/KNOWN_DIVERGENCES.md are skipped unless
# KCORE_TEST_KNOWN_DIVERGENCES=1.
#
# Differential oracle against the host kernel (forks; skips without fork):
# KCORE_TEST_SEED, KCORE_ORACLE_SEQS (default 300 + 150) x KCORE_TEST_SCALE,
# KCORE_ORACLE_OPS (30); skips on host kernels < 6.17 (KCORE_ORACLE_ANY_KERNEL=1).
kcore_add_test(vm oracle TIMEOUT 300)
# Page-array model: KCORE_MODEL_OPS (default 250000, half of it again with
# RLIMIT_MEMLOCK limits) x KCORE_TEST_SCALE.
kcore_add_test(vm model TIMEOUT 300)
# LTP testcases/kernel/syscalls/<call> replayed on a kcore mm.
foreach(call mmap munmap mprotect mremap mlock mlock2 munlock mlockall madvise)
  kcore_add_test(vm ltp_${call})
endforeach()
# kselftest mm tests replayed on a kcore mm.
foreach(t mremap_test mremap_dontunmap mlock2 map_fixed_noreplace)
  kcore_add_test(vm selftest_${t})
endforeach()
