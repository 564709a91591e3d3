// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_mlock.c - LTP testcases/kernel/syscalls/mlock/mlock01-05 on a
 * kcore mm.  The unprivileged rows (LTP drops to "nobody") are a kcore mm
 * without CAP_IPC_LOCK (the default) and kcore_mm_setrlimit(RLIMIT_MEMLOCK);
 * smaps VmLck/Rss become locked_vm/rss_anon.  Expectations re-checked on the
 * host kernel (6.18) as an unprivileged process with RLIMIT_MEMLOCK = 8 pages.
 */
#include "vmconf.h"

#ifndef CAP_IPC_LOCK
#define CAP_IPC_LOCK 14
#endif

/* mlock01: locking 1, 2, 8 and 16 pages succeeds and counts VmLck. */
static void test_ltp_mlock01__lock_sizes(void **state)
{
	static const unsigned long sizes[] = { 1, 2, 8, 16 };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct kcore_mm_struct *mm = vmconf_mm(state);

		vmconf_map(mm, at(0), pgs(sizes[i]), RW, ANON);
		assert_int_equal(kcore_mlock(mm, at(0), pgs(sizes[i])), 0);
		assert_int_equal(vmconf_stats(mm).locked_vm, sizes[i]);
		assert_true(vmconf_flags(mm, at(0)) & KCORE_VM_LOCKED);
		kcore_mmput(mm);
	}
}

/* mlock02: ENOMEM for an unmapped range; EPERM with RLIMIT_MEMLOCK 0 and
   no CAP_IPC_LOCK; ENOMEM over the limit. */
static void test_ltp_mlock02__errno_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(16), RW, ANON);
	assert_int_equal(kcore_mlock(mm, at(32), PG), -ENOMEM);
	assert_int_equal(kcore_mlock(mm, at(14), pgs(4)), -ENOMEM);         /* runs into a hole */
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, pgs(8)), 0);
	assert_int_equal(kcore_mlock(mm, at(0), pgs(9)), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);   /* [14,16) from the hole row */
	assert_int_equal(kcore_munlock(mm, at(0), pgs(16)), 0);
	assert_int_equal(kcore_mlock(mm, at(0), pgs(8)), 0);
	/* pages already locked in the range are not counted twice */
	assert_int_equal(kcore_mlock(mm, at(0), pgs(8)), 0);
	assert_int_equal(kcore_mlock(mm, at(4), pgs(8)), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 8);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_mlock(mm, at(0), PG), -EPERM);
	assert_int_equal(kcore_mlock(mm, at(0), 0), -EPERM);    /* the capability check is first */
	/* CAP_IPC_LOCK lifts both */
	assert_int_equal(kcore_mm_set_capable(mm, CAP_IPC_LOCK, true), 0);
	assert_int_equal(kcore_mlock(mm, at(0), pgs(16)), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 16);
	kcore_mmput(mm);
}

/* mlock03: mlock then munlock of a whole mapping leaves the layout as it was. */
static void test_ltp_mlock03__layout_unchanged(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	vmconf_map(mm, at(4), pgs(4), PROT_READ, ANON);
	assert_int_equal(kcore_mlock(mm, at(0), pgs(8)), 0);
	assert_string_equal(vmconf_layout(mm, 8), "[0,4)rw-p [4,8)r--p");
	assert_int_equal(kcore_munlock(mm, at(0), pgs(8)), 0);
	assert_string_equal(vmconf_layout(mm, 8), "[0,4)rw-p [4,8)r--p");
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	kcore_mmput(mm);
}

/* mlock04: mlock of a shared file mapping reaching past EOF: the VMA is
   locked, populating the pages past EOF fails -> ENOMEM. */
static void test_ltp_mlock04__file_mapping_past_eof(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mlock04");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(4), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	assert_int_equal(kcore_mlock(mm, at(0), pgs(4)), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 4);
	assert_true(vmconf_flags(mm, at(0)) & KCORE_VM_LOCKED);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mlock05: mlock populates: Rss equals Locked. */
static void test_ltp_mlock05__populates(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(32), RW, ANON);
	assert_int_equal(vmconf_stats(mm).rss_anon, 0);
	assert_int_equal(kcore_mlock(mm, at(0), pgs(32)), 0);
	assert_int_equal(vmconf_stats(mm).rss_anon, 32);
	assert_int_equal(vmconf_stats(mm).locked_vm, 32);
	kcore_mmput(mm);
}

/* mlock of PROT_NONE: flags applied, populate fails -> ENOMEM (host 6.18). */
static void test_ltp_mlock__prot_none_locks_but_enomem(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), PROT_NONE, ANON);
	assert_int_equal(kcore_mlock(mm, at(0), PG), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 1);
	assert_string_equal(vmconf_layout(mm, 2), "[0,1)---p [1,2)---p");
	/* a misaligned start with len 0 still covers one page */
	assert_int_equal(kcore_mlock(mm, at(1) + 0x300, 0), -ENOMEM);
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);
	kcore_mmput(mm);
}

/* MAP_LOCKED and mremap growth under RLIMIT_MEMLOCK: EAGAIN; EPERM at 0. */
static void test_ltp_mlock__map_locked_limits(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, pgs(8)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(9), RW, ANON | MAP_LOCKED | MAP_FIXED, NULL, 0),
			 -EAGAIN);
	vmconf_map(mm, at(0), pgs(4), RW, ANON | MAP_LOCKED);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(4), pgs(12), MREMAP_MAYMOVE, 0), -EAGAIN);
	assert_int_equal(vmconf_stats(mm).locked_vm, 4);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0), 0);
	assert_int_equal(kcore_mmap(mm, at(20), PG, RW, ANON | MAP_LOCKED | MAP_FIXED, NULL, 0),
			 -EPERM);
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_mlock01__lock_sizes),
		T(test_ltp_mlock02__errno_rows),
		T(test_ltp_mlock03__layout_unchanged),
		T(test_ltp_mlock04__file_mapping_past_eof),
		T(test_ltp_mlock05__populates),
		T(test_ltp_mlock__prot_none_locks_but_enomem),
		T(test_ltp_mlock__map_locked_limits),
	};
	return cmocka_run_group_tests_name("vm.ltp_mlock", tests, NULL, NULL);
}
