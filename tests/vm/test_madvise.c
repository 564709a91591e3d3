// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_madvise.c - kcore_madvise(): errno (host-checked), DONTNEED, FREE, WILLNEED, behaviour flags. */
#include "vmtest_util.h"

static void test_vm_madvise__errors(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(kcore_mmap(mm, B0, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
			 (long)B0);
	assert_int_equal(kcore_madvise(mm, B0, PG, 99), -EINVAL);
	assert_int_equal(kcore_madvise(mm, B0, 8 * PG, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(kcore_madvise(mm, B0, 8 * PG, MADV_WILLNEED), -ENOMEM);
	assert_int_equal(kcore_madvise(mm, B0, 8 * PG, MADV_RANDOM), -ENOMEM);
	assert_int_equal(kcore_madvise(mm, B0 + 1, PG, MADV_DONTNEED), -EINVAL);
	assert_int_equal(kcore_madvise(mm, B0, 0, MADV_DONTNEED), 0);
	assert_int_equal(kcore_madvise(mm, B0, -1UL, MADV_DONTNEED), -EINVAL);
	assert_int_equal(kcore_madvise(mm, B0, PG, MADV_FREE), -EINVAL);
	assert_int_equal(kcore_madvise(mm, B0 + 16 * PG, PG, MADV_NORMAL), -ENOMEM);
	assert_int_equal(kcore_madvise(NULL, B0, PG, MADV_NORMAL), -EINVAL);
	/* locked memory refuses DONTNEED */
	assert_int_equal(vt_map(mm, 4, 2, RW), (long)(B0 + 4 * PG));
	assert_int_equal(kcore_mlock(mm, B0 + 4 * PG, 2 * PG), 0);
	assert_int_equal(kcore_madvise(mm, B0 + 4 * PG, PG, MADV_DONTNEED), -EINVAL);
	kcore_mmput(mm);
}

static void test_vm_madvise__dontneed_free(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);
	char buf[4];

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 6, 2, RW), (long)(B0 + 6 * PG));
	for (unsigned long i = 0; i < 8; i++)
		(void)kcore_copy_to_user(mm, B0 + i * PG, "dat", 4);
	assert_int_equal(STAT(mm, rss_anon), 6);
	/* the hole makes it ENOMEM, the mapped parts are dropped anyway */
	assert_int_equal(kcore_madvise(mm, B0 + 2 * PG, 6 * PG, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(STAT(mm, rss_anon), 2);
	assert_int_equal(STAT(mm, hiwater_rss), 6);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 7 * PG, 4), 0);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 4), 0);
	assert_string_equal(buf, "dat");
	/* MADV_FREE keeps the data until reclaim */
	assert_int_equal(kcore_madvise(mm, B0, 2 * PG, MADV_FREE), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0, 4), 0);
	assert_string_equal(buf, "dat");
	assert_int_equal(kcore_madvise(mm, B0, 2 * PG, MADV_WILLNEED), 0);
	kcore_mmput(mm);
}

static void test_vm_madvise__behaviour(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(kcore_madvise(mm, B0 + PG, PG, MADV_RANDOM), 0);
	assert_int_equal(vt_layout(mm, (char[256]){ 0 }, 256), 3);
	assert_true(kcore_vma_flags(kcore_find_vma(mm, B0 + PG)) & KCORE_VM_RAND_READ);
	assert_int_equal(kcore_madvise(mm, B0 + PG, PG, MADV_SEQUENTIAL), 0);
	assert_true(kcore_vma_flags(kcore_find_vma(mm, B0 + PG)) & KCORE_VM_SEQ_READ);
	assert_false(kcore_vma_flags(kcore_find_vma(mm, B0 + PG)) & KCORE_VM_RAND_READ);
	assert_int_equal(kcore_madvise(mm, B0, 4 * PG, MADV_NORMAL), 0);
	assert_int_equal(vt_layout(mm, (char[256]){ 0 }, 256), 1);
	kcore_mmput(mm);
}

/* The host table (6.18): results on private, shared, PROT_NONE, read-only VMAs and a hole. */
static void test_vm_madvise__host_table(void **state)
{
	static const struct { int adv; int priv, shared, none, ro, hole; } t[] = {
		{ 9, -EINVAL, 0, -EINVAL, -EINVAL, -ENOMEM },   { 10, 0, 0, 0, 0, -ENOMEM },
		{ 11, 0, 0, 0, 0, -ENOMEM },                     { 12, 0, 0, 0, 0, -ENOMEM },
		{ 13, 0, 0, 0, 0, -ENOMEM },                     { 14, 0, 0, 0, 0, -ENOMEM },
		{ 15, 0, 0, 0, 0, -ENOMEM },                     { 16, 0, 0, 0, 0, -ENOMEM },
		{ 17, 0, 0, 0, 0, -ENOMEM },                     { 18, 0, -EINVAL, 0, 0, -ENOMEM },
		{ 19, 0, 0, 0, 0, -ENOMEM },                     { 20, 0, 0, 0, 0, -ENOMEM },
		{ 21, 0, 0, 0, 0, -ENOMEM },                     { 22, 0, 0, -EINVAL, 0, -ENOMEM },
		{ 23, 0, 0, -EINVAL, -EINVAL, -ENOMEM },         { 24, 0, 0, 0, 0, -ENOMEM },
		{ 25, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -ENOMEM }, { 26, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL },
		{ 102, 0, 0, 0, 0, -ENOMEM },                    { 103, 0, 0, 0, 0, -ENOMEM },
	};
	struct kcore_mm_struct *mm = vt_mm(state);

	assert_int_equal(vt_map(mm, 0, 8, RW), (long)B0);
	assert_int_equal(kcore_mmap(mm, B0 + 16 * PG, 8 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
			 (long)(B0 + 16 * PG));
	assert_int_equal(vt_map(mm, 32, 8, PROT_NONE), (long)(B0 + 32 * PG));
	assert_int_equal(vt_map(mm, 48, 8, PROT_READ), (long)(B0 + 48 * PG));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(kcore_madvise(mm, B0, PG, t[i].adv), t[i].priv);
		assert_int_equal(kcore_madvise(mm, B0 + 16 * PG, PG, t[i].adv), t[i].shared);
		assert_int_equal(kcore_madvise(mm, B0 + 32 * PG, PG, t[i].adv), t[i].none);
		assert_int_equal(kcore_madvise(mm, B0 + 48 * PG, PG, t[i].adv), t[i].ro);
		assert_int_equal(kcore_madvise(mm, B0 + 8 * PG, PG, t[i].adv), t[i].hole);
	}
	/* locked memory: DONTNEED_LOCKED works, COLD and PAGEOUT refuse */
	assert_int_equal(kcore_mlock(mm, B0, PG), 0);
	assert_int_equal(kcore_madvise(mm, B0, PG, 24), 0);
	assert_int_equal(kcore_madvise(mm, B0, PG, 20), -EINVAL);
	assert_int_equal(kcore_madvise(mm, B0, PG, 21), -EINVAL);
	kcore_mmput(mm);
}

static void test_vm_madvise__fork_and_remove(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state), *child;
	char buf[4];

	assert_int_equal(vt_map(mm, 0, 4, RW), (long)B0);
	assert_int_equal(vt_map(mm, 8, 4, RW), (long)(B0 + 8 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0, "abc", 4), 0);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 8 * PG, "xyz", 4), 0);
	assert_int_equal(kcore_madvise(mm, B0, 4 * PG, MADV_DONTFORK), 0);
	assert_int_equal(kcore_madvise(mm, B0 + 8 * PG, 4 * PG, MADV_WIPEONFORK), 0);
	assert_true(kcore_vma_flags(kcore_find_vma(mm, B0)) & KCORE_VM_DONTCOPY);
	child = kcore_dup_mm(mm);
	assert_false(KCORE_IS_ERR(child));
	assert_int_equal(kcore_copy_from_user(child, buf, B0, 4), 4);      /* not there */
	assert_int_equal(kcore_copy_from_user(child, buf, B0 + 8 * PG, 4), 0);
	assert_memory_equal(buf, "\0\0\0\0", 4);                          /* wiped */
	assert_int_equal(STAT(child, total_vm), 4);
	kcore_mmput(child);
	/* MADV_REMOVE punches a hole in shared memory */
	assert_int_equal(kcore_mmap(mm, B0 + 16 * PG, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
			 (long)(B0 + 16 * PG));
	assert_int_equal(kcore_copy_to_user(mm, B0 + 16 * PG, "shm", 4), 0);
	assert_int_equal(kcore_madvise(mm, B0 + 16 * PG, PG, MADV_REMOVE), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 16 * PG, 4), 0);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	/* POPULATE_WRITE faults pages in */
	assert_int_equal(kcore_madvise(mm, B0 + 8 * PG, 4 * PG, 23), 0);
	assert_int_equal(STAT(mm, rss_anon), 5);
	assert_int_equal(kcore_madvise(mm, B0 + 8 * PG, 8 * PG, 23), -ENOMEM);
	kcore_mmput(mm);
}

static void test_vm_madvise__guard_regions(void **state)
{
	struct kcore_mm_struct *mm = vt_mm(state), *child;
	char buf[4];

	assert_int_equal(vt_map(mm, 0, 8, RW), (long)B0);
	for (unsigned long i = 0; i < 8; i++)
		assert_int_equal(kcore_copy_to_user(mm, B0 + i * PG, "dat", 4), 0);
	assert_int_equal(kcore_madvise(mm, B0 + 2 * PG, 2 * PG, 102), 0);
	assert_int_equal(STAT(mm, rss_anon), 6);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 2 * PG, 4), 4);
	assert_int_equal(kcore_copy_to_user(mm, B0 + 3 * PG, "x", 1), 1);
	assert_int_equal(kcore_get_user_pages_remote(mm, B0 + 2 * PG, 1, 0, NULL), -EFAULT);
	/* survives DONTNEED, mprotect and fork; the VMA stays one piece */
	assert_int_equal(kcore_madvise(mm, B0, 8 * PG, MADV_DONTNEED), 0);
	assert_int_equal(kcore_mprotect(mm, B0, 8 * PG, PROT_READ), 0);
	assert_int_equal(kcore_mprotect(mm, B0, 8 * PG, RW), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 2 * PG, 4), 4);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + PG, 4), 0);
	assert_layout(mm, "[0,8)rw-p");
	child = kcore_dup_mm(mm);
	assert_false(KCORE_IS_ERR(child));
	assert_int_equal(kcore_copy_from_user(child, buf, B0 + 2 * PG, 4), 4);
	kcore_mmput(child);
	/* mlock refuses to install on locked memory; populate stops at a guard */
	assert_int_equal(kcore_madvise(mm, B0 + 2 * PG, PG, 103), 0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 2 * PG, 4), 0);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	assert_int_equal(kcore_mlock(mm, B0, 8 * PG), -ENOMEM);
	assert_int_equal(kcore_madvise(mm, B0, PG, 102), -EINVAL);
	assert_int_equal(kcore_munlock(mm, B0, 8 * PG), 0);
	/* munmap drops the markers */
	assert_int_equal(kcore_munmap(mm, B0, 8 * PG), 0);
	assert_int_equal(vt_map(mm, 0, 8, RW), (long)B0);
	assert_int_equal(kcore_copy_from_user(mm, buf, B0 + 3 * PG, 4), 0);
	kcore_mmput(mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_madvise__errors, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_madvise__dontneed_free, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_madvise__behaviour, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_madvise__host_table, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_madvise__fork_and_remove, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_madvise__guard_regions, kctest_sys_setup, kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
