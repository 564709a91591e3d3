// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_selftest_mremap_dontunmap.c - tools/testing/selftests/mm/
 * mremap_dontunmap.c (plan 5) replayed on a kcore mm: after
 * MREMAP_DONTUNMAP the source stays mapped but empty (anonymous: reads
 * zero; shared memory: still shows the data), the destination has the data.
 */
#include "vmconf.h"

static void fill(struct kcore_mm_struct *mm, unsigned long addr, unsigned long n, unsigned char c)
{
	static unsigned char buf[4096];
	unsigned long i;

	memset(buf, c, sizeof(buf));
	for (i = 0; i < n; i++)
		assert_int_equal(kcore_copy_to_user(mm, addr + i * PG, buf, PG), 0);
}

static int all(struct kcore_mm_struct *mm, unsigned long addr, unsigned long n, unsigned char c)
{
	static unsigned char buf[4096];
	unsigned long i, j;

	for (i = 0; i < n; i++) {
		if (kcore_copy_from_user(mm, buf, addr + i * PG, PG))
			return 0;
		for (j = 0; j < PG; j++)
			if (buf[j] != c)
				return 0;
	}
	return 1;
}

/* mremap_dontunmap_simple */
static void test_selftest_mremap_dontunmap__simple(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	long r;

	vmconf_map(mm, at(0), pgs(5), RW, ANON);
	fill(mm, at(0), 5, 'a');
	r = kcore_mremap(mm, at(0), pgs(5), pgs(5), MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	assert_true(r > 0 && (unsigned long)r != at(0));
	assert_true(all(mm, (unsigned long)r, 5, 'a'));
	assert_true(all(mm, at(0), 5, 0));
	assert_string_equal(vmconf_layout(mm, 8), "[0,5)rw-p");
	assert_int_equal(vmconf_stats(mm).total_vm, 10);
	assert_int_equal(vmconf_stats(mm).rss_anon, 5);
	kcore_mmput(mm);
}

/* mremap_dontunmap_simple_shmem: shared anonymous memory keeps showing the
   data at the source (modern kernels accept it; 5.7-5.12 said EINVAL). */
static void test_selftest_mremap_dontunmap__simple_shmem(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	long r;

	vmconf_map(mm, at(0), pgs(5), RW, MAP_SHARED | MAP_ANONYMOUS);
	fill(mm, at(0), 5, 'a');
	r = kcore_mremap(mm, at(0), pgs(5), pgs(5), MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	assert_true(r > 0 && (unsigned long)r != at(0));
	assert_true(all(mm, (unsigned long)r, 5, 'a'));
	assert_true(all(mm, at(0), 5, 'a'));
	kcore_mmput(mm);
}

/* mremap_dontunmap_simple_fixed: onto an existing mapping of 'b'. */
static void test_selftest_mremap_dontunmap__simple_fixed(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(5), RW, ANON);
	vmconf_map(mm, at(10), pgs(5), RW, ANON);
	fill(mm, at(0), 5, 'a');
	fill(mm, at(10), 5, 'b');
	assert_int_equal(kcore_mremap(mm, at(0), pgs(5), pgs(5),
				      MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, at(10)),
			 (long)at(10));
	assert_true(all(mm, at(10), 5, 'a'));
	assert_true(all(mm, at(0), 5, 0));
	assert_int_equal(vmconf_stats(mm).total_vm, 10);
	kcore_mmput(mm);
}

/* mremap_dontunmap_partial_mapping: half of a 10-page source moves; the
   moved half reads zero, the other half keeps 'a'. */
static void test_selftest_mremap_dontunmap__partial_mapping(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	long r;

	vmconf_map(mm, at(0), pgs(10), RW, ANON);
	fill(mm, at(0), 10, 'a');
	r = kcore_mremap(mm, at(0), pgs(5), pgs(5), MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	assert_true(r > 0);
	assert_true(all(mm, (unsigned long)r, 5, 'a'));
	assert_true(all(mm, at(0), 5, 0));
	assert_true(all(mm, at(5), 5, 'a'));
	kcore_mmput(mm);
}

/* mremap_dontunmap_partial_mapping_overwrite: 5 pages of 'a' onto the
   first half of a 10-page destination of 'b'. */
static void test_selftest_mremap_dontunmap__partial_mapping_overwrite(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(5), RW, ANON);
	vmconf_map(mm, at(10), pgs(10), RW, ANON);
	fill(mm, at(0), 5, 'a');
	fill(mm, at(10), 10, 'b');
	assert_int_equal(kcore_mremap(mm, at(0), pgs(5), pgs(5),
				      MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, at(10)),
			 (long)at(10));
	assert_true(all(mm, at(10), 5, 'a'));
	assert_true(all(mm, at(15), 5, 'b'));
	assert_true(all(mm, at(0), 5, 0));
	kcore_mmput(mm);
}

/* Argument rules: DONTUNMAP needs MAYMOVE and old_len == new_len. */
static void test_selftest_mremap_dontunmap__einval_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(4), pgs(4), MREMAP_DONTUNMAP, 0), -EINVAL);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(2), pgs(4), MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
				      0), -EINVAL);
	assert_string_equal(vmconf_layout(mm, 4), "[0,4)rw-p");
	kcore_mmput(mm);
}

/* A locked source: VM_LOCKED moves to the destination, the source loses it. */
static void test_selftest_mremap_dontunmap__locked_source(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON | MAP_LOCKED);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(4), pgs(4),
				      MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, at(8)),
			 (long)at(8));
	assert_false(vmconf_flags(mm, at(0)) & KCORE_VM_LOCKED);
	assert_true(vmconf_flags(mm, at(8)) & KCORE_VM_LOCKED);
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_selftest_mremap_dontunmap__simple),
		T(test_selftest_mremap_dontunmap__simple_shmem),
		T(test_selftest_mremap_dontunmap__simple_fixed),
		T(test_selftest_mremap_dontunmap__partial_mapping),
		T(test_selftest_mremap_dontunmap__partial_mapping_overwrite),
		T(test_selftest_mremap_dontunmap__einval_rows),
		T(test_selftest_mremap_dontunmap__locked_source),
	};
	return cmocka_run_group_tests_name("vm.selftest_mremap_dontunmap", tests, NULL, NULL);
}
