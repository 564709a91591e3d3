// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_mlock2.c - LTP testcases/kernel/syscalls/mlock2/mlock201-203 on
 * a kcore mm (smaps VmLck/Rss become locked_vm/rss_anon; "nobody" is an mm
 * without CAP_IPC_LOCK).
 */
#include "vmconf.h"

/* mlock201: flags 0 locks and populates; MLOCK_ONFAULT locks without
   populating, and pages become resident as they are touched. */
static void test_ltp_mlock201__populate_vs_onfault(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_mm_stats st;

	vmconf_map(mm, at(0), pgs(8), RW, ANON);
	vmconf_map(mm, at(16), pgs(8), RW, ANON);
	assert_int_equal(kcore_mlock2(mm, at(0), pgs(8), 0), 0);
	assert_int_equal(kcore_mlock2(mm, at(16), pgs(8), MLOCK_ONFAULT), 0);
	st = vmconf_stats(mm);
	assert_int_equal(st.locked_vm, 16);
	assert_int_equal(st.rss_anon, 8);
	assert_int_equal(vmconf_flags(mm, at(0)) & (KCORE_VM_LOCKED | KCORE_VM_LOCKONFAULT),
			 KCORE_VM_LOCKED);
	assert_int_equal(vmconf_flags(mm, at(16)) & (KCORE_VM_LOCKED | KCORE_VM_LOCKONFAULT),
			 KCORE_VM_LOCKED | KCORE_VM_LOCKONFAULT);
	vmconf_poke(mm, at(16), 3, 1);
	assert_int_equal(vmconf_stats(mm).rss_anon, 11);
	kcore_mmput(mm);
}

/* mlock202: EINVAL unknown flags; EPERM with RLIMIT_MEMLOCK 0 and no
   CAP_IPC_LOCK; ENOMEM unmapped; ENOMEM over the limit. */
static void test_ltp_mlock202__errno_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(16), RW, ANON);
	assert_int_equal(kcore_mlock2(mm, at(0), PG, 2), -EINVAL);
	assert_int_equal(kcore_mlock2(mm, at(0), PG, ~0u), -EINVAL);
	assert_int_equal(kcore_mlock2(mm, at(20), PG, MLOCK_ONFAULT), -ENOMEM);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, pgs(4)), 0);
	assert_int_equal(kcore_mlock2(mm, at(0), pgs(5), MLOCK_ONFAULT), -ENOMEM);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_mlock2(mm, at(0), PG, 0), -EPERM);
	assert_int_equal(kcore_mlock2(mm, at(0), PG, 2), -EINVAL);     /* flags are checked first */
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	kcore_mmput(mm);
}

/* mlock203: mlock2(ONFAULT) then mlock of the same range does not count
   the pages twice (b155b4fde5bd); munlock returns VmLck to 0 and the
   pieces merge back into one VMA. */
static void test_ltp_mlock203__relock_not_double_counted(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	assert_int_equal(kcore_mlock2(mm, at(1), pgs(2), MLOCK_ONFAULT), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);
	assert_string_equal(vmconf_layout(mm, 4), "[0,1)rw-p [1,3)rw-p [3,4)rw-p");
	assert_int_equal(kcore_mlock(mm, at(1), pgs(2)), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);
	assert_int_equal(kcore_mlock(mm, at(0), pgs(4)), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 4);
	assert_string_equal(vmconf_layout(mm, 4), "[0,4)rw-p");
	assert_int_equal(kcore_munlock(mm, at(0), pgs(4)), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	assert_string_equal(vmconf_layout(mm, 4), "[0,4)rw-p");
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_mlock201__populate_vs_onfault),
		T(test_ltp_mlock202__errno_rows),
		T(test_ltp_mlock203__relock_not_double_counted),
	};
	return cmocka_run_group_tests_name("vm.ltp_mlock2", tests, NULL, NULL);
}
