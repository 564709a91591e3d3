// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_mremap.c - LTP testcases/kernel/syscalls/mremap/mremap01-06,
 * 08, 09 replayed on a kcore mm (files are kcore memfds; mremap04's shm
 * segment is a second mapping right after the first).
 */
#include "vmconf.h"

/* mremap01: growing a mapping with MREMAP_MAYMOVE keeps its contents. */
static void test_ltp_mremap01__grow_keeps_data(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mremap01");
	long r;
	unsigned long i;

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(8)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(4), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	vmconf_map(mm, at(4), PG, RW, ANON);   /* blocks growing in place */
	for (i = 0; i < 4; i++)
		vmconf_poke(mm, at(i), 1, (unsigned char)(0x40 + i));
	r = kcore_mremap(mm, at(0), pgs(4), pgs(8), MREMAP_MAYMOVE, 0);
	assert_true(r > 0 && (unsigned long)r != at(0));
	for (i = 0; i < 4; i++)
		assert_int_equal(vmconf_peek(mm, (unsigned long)r + i * PG), 0x40 + i);
	assert_int_equal(vmconf_peek(mm, (unsigned long)r + pgs(7)), 0);
	assert_int_equal(vmconf_peek(mm, at(0)), -1);
	assert_int_equal(vmconf_stats(mm).total_vm, 9);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mremap02: a misaligned old address -> EINVAL. */
static void test_ltp_mremap02__misaligned_old_address(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mremap(mm, at(0) + 1, PG, pgs(2), MREMAP_MAYMOVE, 0), -EINVAL);
	assert_int_equal(kcore_mremap(mm, at(0), PG, 0, MREMAP_MAYMOVE, 0), -EINVAL);  /* new_len 0 */
	assert_int_equal(kcore_mremap(mm, at(0), PG, PG, 0x80, 0), -EINVAL);      /* unknown flag */
	assert_string_equal(vmconf_layout(mm, 4), "[0,2)rw-p");
	kcore_mmput(mm);
}

/* mremap03: an old address with no mapping -> EFAULT. */
static void test_ltp_mremap03__unmapped_old_address(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	assert_int_equal(kcore_mremap(mm, at(8), PG, pgs(2), MREMAP_MAYMOVE, 0), -EFAULT);
	/* the old range runs past the VMA end */
	assert_int_equal(kcore_mremap(mm, at(0), pgs(3), pgs(4), MREMAP_MAYMOVE, 0), -EFAULT);
	kcore_mmput(mm);
}

/* mremap04: growing in place over a mapping without MREMAP_MAYMOVE -> ENOMEM. */
static void test_ltp_mremap04__grow_blocked_without_maymove(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	vmconf_map(mm, at(2), pgs(2), PROT_READ, ANON);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(2), pgs(3), 0, 0), -ENOMEM);
	assert_string_equal(vmconf_layout(mm, 8), "[0,2)rw-p [2,4)r--p");
	kcore_mmput(mm);
}

/* mremap05 rows: FIXED needs MAYMOVE; new_addr must be aligned; ranges
   must not overlap; a move to a free or to a mapped place works. */
static void test_ltp_mremap05__fixed_rows(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(2), RW, ANON);
	vmconf_poke(mm, at(0), 1, 1);
	assert_int_equal(kcore_mremap(mm, at(0), PG, PG, MREMAP_FIXED, at(8)), -EINVAL);
	assert_int_equal(kcore_mremap(mm, at(0), PG, PG, MREMAP_FIXED | MREMAP_MAYMOVE, at(8) + 1),
			 -EINVAL);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(2), PG, MREMAP_FIXED | MREMAP_MAYMOVE, at(0)),
			 -EINVAL);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(2), PG, MREMAP_FIXED | MREMAP_MAYMOVE, at(1)),
			 -EINVAL);
	/* mremap #1: to a free place */
	assert_int_equal(kcore_mremap(mm, at(0), PG, PG, MREMAP_FIXED | MREMAP_MAYMOVE, at(8)),
			 (long)at(8));
	assert_int_equal(vmconf_peek(mm, at(8)), 1);
	assert_string_equal(vmconf_layout(mm, 16), "[1,2)rw-p [8,9)rw-p");
	/* mremap #2: over an existing mapping, which is unmapped first */
	vmconf_map(mm, at(12), PG, RW, ANON);
	vmconf_poke(mm, at(12), 1, 2);
	assert_int_equal(kcore_mremap(mm, at(8), PG, PG, MREMAP_FIXED | MREMAP_MAYMOVE, at(12)),
			 (long)at(12));
	assert_int_equal(vmconf_peek(mm, at(12)), 1);
	assert_string_equal(vmconf_layout(mm, 16), "[1,2)rw-p [12,13)rw-p");
	assert_int_equal(vmconf_stats(mm).total_vm, 2);
	kcore_mmput(mm);
}

/* mremap06: moving a page of a shared file mapping away and back restores
   the right file offsets (7e7757876f25), with a compatible neighbour
   (merges into one VMA) or an incompatible first/third page. */
static void mremap06_case(void **state, unsigned long incompatible, const char *layout)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mremap06");
	unsigned long i;

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(4)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(4), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	for (i = 0; i < 4; i++)
		vmconf_poke(mm, at(i), 1, (unsigned char)(0x30 + i));
	assert_int_equal(kcore_munmap(mm, at(0), pgs(4)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(4), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	assert_int_equal(kcore_mremap(mm, at(1), PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, at(3)),
			 (long)at(3));
	if (incompatible)
		assert_int_equal(kcore_mprotect(mm, at(incompatible - 1), PG, PROT_READ), 0);
	assert_int_equal(kcore_mremap(mm, at(3), PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, at(1)),
			 (long)at(1));
	for (i = 0; i < 3; i++)
		assert_int_equal(vmconf_peek(mm, at(i)), 0x30 + i);
	assert_string_equal(vmconf_layout(mm, 8), layout);
	kcore_mmput(mm);
	kcore_fput(f);
}

static void test_ltp_mremap06__all_pages_compatible(void **state)
{
	mremap06_case(state, 0, "[0,3)rw-s");
}

static void test_ltp_mremap06__third_page_incompatible(void **state)
{
	mremap06_case(state, 3, "[0,2)rw-s [2,3)r--s");
}

static void test_ltp_mremap06__first_page_incompatible(void **state)
{
	mremap06_case(state, 1, "[0,1)r--s [1,3)rw-s");
}

/* mremap09: growing into a range whose far end is mapped, flags 0 -> ENOMEM. */
static void test_ltp_mremap09__grow_over_gap_then_mapping(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(3), RW, ANON);
	assert_int_equal(kcore_munmap(mm, at(1), PG), 0);
	assert_int_equal(kcore_mremap(mm, at(0), PG, pgs(3), 0, 0), -ENOMEM);
	assert_string_equal(vmconf_layout(mm, 4), "[0,1)rw-p [2,3)rw-p");
	/* growing into the gap alone works in place */
	assert_int_equal(kcore_mremap(mm, at(0), PG, pgs(2), 0, 0), (long)at(0));
	assert_int_equal(vmconf_stats(mm).total_vm, 3);
	kcore_mmput(mm);
}

/* Shrinking always works in place and unmaps the tail. */
static void test_ltp_mremap__shrink_in_place(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON | MAP_LOCKED);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(4), pgs(1), 0, 0), (long)at(0));
	assert_string_equal(vmconf_layout(mm, 8), "[0,1)rw-p");
	assert_int_equal(vmconf_stats(mm).locked_vm, 1);
	assert_int_equal(vmconf_stats(mm).total_vm, 1);
	kcore_mmput(mm);
}

/* A FIXED move that shrinks a VM_LOCKED VMA needs no new locked pages:
   it succeeds with locked_vm at RLIMIT_MEMLOCK (host 6.18, unprivileged). */
static void test_ltp_mremap__fixed_shrink_locked_at_memlock_limit(void **state)
{
	struct kcore_mm_struct *mm;

	mm = vmconf_mm(state);
	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, pgs(6)), 0);
	vmconf_map(mm, at(0), pgs(6), RW, ANON | MAP_LOCKED);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(5), pgs(2), MREMAP_MAYMOVE | MREMAP_FIXED,
				      at(32)), (long)at(32));
	assert_int_equal(vmconf_stats(mm).locked_vm, 3);
	assert_string_equal(vmconf_layout(mm, 40), "[5,6)rw-p [32,34)rw-p");
	kcore_mmput(mm);
}

/* The same-size FIXED move and the in-place shrink at the limit work. */
static void test_ltp_mremap__locked_moves_at_memlock_limit(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	assert_int_equal(kcore_mm_setrlimit(mm, RLIMIT_MEMLOCK, pgs(6)), 0);
	vmconf_map(mm, at(0), pgs(6), RW, ANON | MAP_LOCKED);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(6), pgs(6), MREMAP_MAYMOVE | MREMAP_FIXED,
				      at(32)), (long)at(32));
	assert_int_equal(kcore_mremap(mm, at(32), pgs(6), pgs(2), 0, 0), (long)at(32));
	assert_int_equal(vmconf_stats(mm).locked_vm, 2);
	kcore_mmput(mm);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_mremap01__grow_keeps_data),
		T(test_ltp_mremap02__misaligned_old_address),
		T(test_ltp_mremap03__unmapped_old_address),
		T(test_ltp_mremap04__grow_blocked_without_maymove),
		T(test_ltp_mremap05__fixed_rows),
		T(test_ltp_mremap06__all_pages_compatible),
		T(test_ltp_mremap06__third_page_incompatible),
		T(test_ltp_mremap06__first_page_incompatible),
		T(test_ltp_mremap09__grow_over_gap_then_mapping),
		T(test_ltp_mremap__shrink_in_place),
		T(test_ltp_mremap__fixed_shrink_locked_at_memlock_limit),
		T(test_ltp_mremap__locked_moves_at_memlock_limit),
	};
	return cmocka_run_group_tests_name("vm.ltp_mremap", tests, NULL, NULL);
}
