// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_selftest_mlock2.c - tools/testing/selftests/mm/mlock2-tests.c
 * replayed on a kcore mm: smaps "lo"/VmFlags become kcore_vma_flags, the
 * pagemap present/unevictable bits become rss (populated pages).
 */
#include "vmconf.h"

#define LOCKBITS (KCORE_VM_LOCKED | KCORE_VM_LOCKONFAULT)

/* test_mlock_lock: mlock2(0) locks and populates both pages; munlock undoes it. */
static void test_selftest_mlock2__lock(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mlock2(mm, at(0), pgs(2), 0), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, KCORE_VM_LOCKED);
	assert_int_equal(vmconf_stats(mm).rss_anon, 2);
	assert_int_equal(kcore_munlock(mm, at(0), pgs(2)), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	kcore_mmput(mm);
}

/* test_mlock_onfault: nothing resident until touched; the touched page
   only becomes resident. */
static void test_selftest_mlock2__onfault(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mlock2(mm, at(0), pgs(2), MLOCK_ONFAULT), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, LOCKBITS);
	assert_int_equal(vmconf_stats(mm).rss_anon, 0);
	vmconf_poke(mm, at(0), 1, 1);
	assert_int_equal(vmconf_stats(mm).rss_anon, 1);
	assert_int_equal(kcore_munlock(mm, at(0), pgs(2)), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, 0);
	kcore_mmput(mm);
}

/* test_lock_onfault_of_present: pages already present stay present and are locked. */
static void test_selftest_mlock2__onfault_of_present(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	vmconf_poke(mm, at(0), 2, 1);
	assert_int_equal(kcore_mlock2(mm, at(0), pgs(2), MLOCK_ONFAULT), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, LOCKBITS);
	assert_int_equal(vmconf_stats(mm).rss_anon, 2);
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);
	kcore_mmput(mm);
}

/* test_munlockall0/1: mlockall(CURRENT|FUTURE) then munlockall, and the
   ONFAULT variant. */
static void test_selftest_mlock2__mlockall_munlockall(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT | MCL_FUTURE), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, KCORE_VM_LOCKED);
	assert_int_equal(vmconf_stats(mm).rss_anon, 2);
	assert_int_equal(kcore_munlockall(mm), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, 0);
	assert_int_equal(kcore_mlockall(mm, MCL_CURRENT | MCL_ONFAULT | MCL_FUTURE), 0);
	assert_int_equal(vmconf_flags(mm, at(0)) & LOCKBITS, LOCKBITS);
	vmconf_map(mm, at(4), pgs(2), RW, ANON);
	assert_int_equal(vmconf_flags(mm, at(4)) & LOCKBITS, LOCKBITS);
	assert_int_equal(vmconf_stats(mm).rss_anon, 2);
	assert_int_equal(vmconf_stats(mm).locked_vm, 4);
	assert_int_equal(kcore_munlockall(mm), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	kcore_mmput(mm);
}

/* test_vma_management: locking the middle page splits 1 -> 3 VMAs, locking
   all merges back to 1, unlocking the middle splits again, unlocking all
   merges again. */
static void test_selftest_mlock2__vma_management(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(3), RW, ANON);
	assert_int_equal(kcore_mlock2(mm, at(1), PG, MLOCK_ONFAULT), 0);
	assert_int_equal(vmconf_map_count(mm), 3);
	assert_int_equal(kcore_mlock2(mm, at(0), pgs(3), MLOCK_ONFAULT), 0);
	assert_int_equal(vmconf_map_count(mm), 1);
	assert_int_equal(kcore_munlock(mm, at(1), PG), 0);
	assert_int_equal(vmconf_map_count(mm), 3);
	assert_int_equal(kcore_munlock(mm, at(0), pgs(3)), 0);
	assert_int_equal(vmconf_map_count(mm), 1);
	kcore_mmput(mm);
}

/* test_vma_management on a private file mapping whose pieces got
   different anon_vmas: the locked last page is COWed (populated) by
   mlock before a write faults the rest; the rest cannot reuse the locked
   neighbour's anon_vma (flags differ beyond access bits), so after munlock
   the two pieces stay apart (host 6.18: [13,28) [28,29)). */
static void test_selftest_mlock2__vma_management_private_file_anon_vma(void **state)
{
	struct kcore_mm_struct *mm;
	struct kcore_file *f;
	unsigned char buf[4096];

	mm = vmconf_mm(state);
	f = kcore_memfd_create(kctest_sys(state), "mlock2-vma");
	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(16)), 0);
	vmconf_map(mm, at(0), pgs(32), PROT_NONE, ANON);
	assert_int_equal(kcore_mmap(mm, at(13), pgs(16), RW, MAP_PRIVATE | MAP_FIXED, f, 4),
			 (long)at(13));
	assert_int_equal(kcore_mlock(mm, at(28), pgs(2)), -ENOMEM);    /* [29,30) is PROT_NONE */
	memset(buf, 7, sizeof(buf));
	assert_int_equal(kcore_copy_to_user(mm, at(17), buf, sizeof(buf)), 0);
	assert_int_equal(kcore_munlock(mm, at(26), pgs(3)), 0);
	assert_string_equal(vmconf_layout(mm, 32),
			    "[0,13)---p [13,28)rw-p [28,29)rw-p [29,30)---p [30,32)---p");
	kcore_mmput(mm);
	kcore_fput(f);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_selftest_mlock2__lock),
		T(test_selftest_mlock2__onfault),
		T(test_selftest_mlock2__onfault_of_present),
		T(test_selftest_mlock2__mlockall_munlockall),
		T(test_selftest_mlock2__vma_management),
		T(test_selftest_mlock2__vma_management_private_file_anon_vma),
	};
	return cmocka_run_group_tests_name("vm.selftest_mlock2", tests, NULL, NULL);
}
