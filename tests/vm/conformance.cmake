# SPDX-License-Identifier: LGPL-2.1-or-later
# Conformance, differential and model-based tests of the vm module (owned
# by the vm test engineer; included at the end of tests/vm/CMakeLists.txt).
# Tests in tests/vm/KNOWN_DIVERGENCES.md skip their known-divergent cases
# unless KCORE_TEST_KNOWN_DIVERGENCES=1.
kcore_add_test(vm oracle)
kcore_add_test(vm model)
