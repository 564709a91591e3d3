// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_selftest_mremap_test.c - tools/testing/selftests/mm/mremap_test.c
 * replayed on a kcore mm: expand-and-merge, overlapping moves, moves of
 * regions at PTE/PMD alignments with byte patterns (and an untouched
 * destination preamble), and the multi-VMA moves and shrinks of recent
 * kernels.  The uffd-armed case and the timing cases are left out.
 */
#include "vmconf.h"

#define MB (1UL << 20)

static uint64_t patseed;

static void pattern_fill(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
			 uint64_t seed)
{
	static unsigned char buf[64 * 1024];
	uint64_t s = seed;
	unsigned long off, i;

	for (off = 0; off < len; off += sizeof(buf)) {
		unsigned long n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)kctest_rand(&s);
		assert_int_equal(kcore_copy_to_user(mm, addr + off, buf, n), 0);
	}
}

static int pattern_ok(struct kcore_mm_struct *mm, unsigned long addr, unsigned long len,
		      uint64_t seed)
{
	static unsigned char buf[64 * 1024];
	uint64_t s = seed;
	unsigned long off, i;

	for (off = 0; off < len; off += sizeof(buf)) {
		unsigned long n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		if (kcore_copy_from_user(mm, buf, addr + off, n))
			return 0;
		for (i = 0; i < n; i++)
			if (buf[i] != (unsigned char)kctest_rand(&s))
				return 0;
	}
	return 1;
}

/* mremap_expand_merge: growing the first page into the hole merges with the third. */
static void test_selftest_mremap__expand_merge(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(3), RW, ANON);
	assert_int_equal(kcore_munmap(mm, at(1), PG), 0);
	assert_int_equal(kcore_mremap(mm, at(0), PG, pgs(2), 0, 0), (long)at(0));
	assert_string_equal(vmconf_layout(mm, 4), "[0,3)rw-p");
	kcore_mmput(mm);
}

/* mremap_expand_merge_offset: the same from a VMA that does not start the range. */
static void test_selftest_mremap__expand_merge_offset(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	assert_int_equal(kcore_munmap(mm, at(2), PG), 0);
	assert_int_equal(kcore_mremap(mm, at(1), PG, pgs(2), 0, 0), (long)at(1));
	assert_string_equal(vmconf_layout(mm, 4), "[0,4)rw-p");
	kcore_mmput(mm);
}

/* mremap_move_within_range: a FIXED move whose target overlaps the source
   is EINVAL; a move of a sub-range to inside the same VMA (not
   overlapping) works and keeps the data. */
static void test_selftest_mremap__move_within_range(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(16), RW, ANON);
	pattern_fill(mm, at(0), pgs(16), patseed);
	assert_int_equal(kcore_mremap(mm, at(0), pgs(4), pgs(4), MREMAP_MAYMOVE | MREMAP_FIXED,
				      at(2)), -EINVAL);
	assert_int_equal(kcore_mremap(mm, at(4), pgs(4), pgs(4), MREMAP_MAYMOVE | MREMAP_FIXED,
				      at(10)), (long)at(10));
	{
		uint64_t s = patseed;
		unsigned long i;
		unsigned char want[4 * 4096], got[4 * 4096];

		for (i = 0; i < pgs(8); i++) {
			unsigned char c = (unsigned char)kctest_rand(&s);

			if (i >= pgs(4))
				want[i - pgs(4)] = c;
		}
		assert_int_equal(kcore_copy_from_user(mm, got, at(10), pgs(4)), 0);
		assert_memory_equal(got, want, pgs(4));
	}
	/* the moved VMA keeps its pgoff: no merge with either neighbour (host 6.18) */
	assert_string_equal(vmconf_layout(mm, 16), "[0,4)rw-p [8,10)rw-p [10,14)rw-p [14,16)rw-p");
	kcore_mmput(mm);
}

/* remap_region: a region moved with MREMAP_FIXED to every combination of
   PTE (4 KiB) and PMD (2 MiB) alignment keeps its bytes; a shared preamble
   mapped right before the destination is not touched. */
static void region_case(void **state, unsigned long size, unsigned long src_align,
			unsigned long dst_align, int preamble)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	unsigned long src = 0x200000000UL + src_align, dst = 0x300000000UL + dst_align;
	long r;

	assert_int_equal(kcore_mmap(mm, src, size, RW, ANON | MAP_FIXED, NULL, 0), (long)src);
	pattern_fill(mm, src, size, patseed);
	if (preamble) {
		assert_int_equal(kcore_mmap(mm, dst - PG, PG, RW,
					    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, NULL, 0),
				 (long)(dst - PG));
		pattern_fill(mm, dst - PG, PG, patseed + 1);
	}
	r = kcore_mremap(mm, src, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	assert_int_equal(r, (long)dst);
	assert_true(pattern_ok(mm, dst, size, patseed));
	assert_int_equal(vmconf_peek(mm, src), -1);
	if (preamble)
		assert_true(pattern_ok(mm, dst - PG, PG, patseed + 1));
	assert_int_equal(vmconf_stats(mm).rss_anon, size / PG);
	kcore_mmput(mm);
}

static void test_selftest_mremap__move_region_alignments(void **state)
{
	static const struct {
		unsigned long size, src, dst;
		int preamble;
	} rows[] = {
		{ 2 * MB, 0, 0, 0 },            /* PMD -> PMD */
		{ 2 * MB, 0, PG, 0 },           /* PMD -> PTE */
		{ 2 * MB, PG, 0, 0 },           /* PTE -> PMD */
		{ 1 * MB, 0, 0, 0 },
		{ 1 * MB, 0, 64 * 1024, 1 },
		{ 4 * MB, 0, 0, 1 },            /* two PMDs, preamble before the target */
		{ 4 * MB + 12 * 1024, 12 * 1024, 2 * MB - 4 * 1024, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		region_case(state, rows[i].size, rows[i].src, rows[i].dst, rows[i].preamble);
}

/*
 * mremap_move_multiple_vmas: 0 2 4-6 8 10 mapped (11 pages with gaps),
 * moved as one range with MREMAP_FIXED (old_len == new_len), then next to
 * itself, then over a PROT_NONE mapping; the gaps move too.  With
 * MREMAP_DONTUNMAP as well.
 */
static void multi_vma_case(void **state, int dont_unmap)
{
	const unsigned long flags = MREMAP_MAYMOVE | MREMAP_FIXED | (dont_unmap ? MREMAP_DONTUNMAP : 0);
	const char *want = "[0,1)rw-p [2,3)rw-p [4,7)rw-p [8,9)rw-p [10,11)rw-p";
	struct kcore_mm_struct *mm;
	unsigned long i, tgt = at(100);

	mm = vmconf_mm(state);
	vmconf_map(mm, at(0), pgs(11), RW, ANON);
	for (i = 1; i < 10; i += 2)
		if (i != 5)
			assert_int_equal(kcore_munmap(mm, at(i), PG), 0);
	for (i = 0; i <= 10; i++)
		if (vmconf_peek(mm, at(i)) == 0)
			vmconf_poke(mm, at(i), 1, (unsigned char)(0x60 + i));
	assert_int_equal(kcore_mremap(mm, at(0), pgs(11), pgs(11), flags, tgt), (long)tgt);
	for (i = 0; i <= 10; i++)
		assert_int_equal(vmconf_peek(mm, tgt + pgs(i)),
				 (i & 1) && i != 5 ? -1 : (int)(0x60 + i));
	assert_int_equal(kcore_mremap(mm, tgt, pgs(11), pgs(11), flags, tgt + pgs(11)),
			 (long)(tgt + pgs(11)));
	assert_int_equal(vmconf_peek(mm, tgt + pgs(11 + 4)), 0x64);
	assert_int_equal(kcore_mmap(mm, tgt, pgs(11), PROT_NONE, ANON | MAP_FIXED, NULL, 0),
			 (long)tgt);
	assert_int_equal(kcore_mremap(mm, tgt + pgs(11), pgs(11), pgs(11), flags, tgt), (long)tgt);
	for (i = 0; i <= 10; i++)
		assert_int_equal(vmconf_peek(mm, tgt + pgs(i)),
				 (i & 1) && i != 5 ? -1 : (int)(0x60 + i));
	if (!dont_unmap)
		assert_string_equal(vmconf_layout(mm, 11), "");
	else
		assert_string_equal(vmconf_layout(mm, 11), want);
	kcore_mmput(mm);
}

static void test_selftest_mremap__move_multiple_vmas(void **state)
{
	multi_vma_case(state, 0);
}

static void test_selftest_mremap__move_multiple_vmas_dontunmap(void **state)
{
	multi_vma_case(state, 1);
}

/* mremap_shrink_multiple_vmas: shrinking a range of 5 VMAs with gaps down
   to its first page is an unmap of the rest: allowed in place and moved. */
static void shrink_multi_case(void **state, int inplace)
{
	struct kcore_mm_struct *mm;
	unsigned long i;
	long r;

	mm = vmconf_mm(state);
	vmconf_map(mm, at(0), pgs(10), RW, ANON);
	for (i = 1; i < 10; i += 2)
		assert_int_equal(kcore_munmap(mm, at(i), PG), 0);
	if (inplace)
		r = kcore_mremap(mm, at(0), pgs(10), PG, 0, 0);
	else
		r = kcore_mremap(mm, at(0), pgs(10), PG, MREMAP_MAYMOVE | MREMAP_FIXED, at(20));
	assert_int_equal(r, (long)(inplace ? at(0) : at(20)));
	assert_string_equal(vmconf_layout(mm, 30), inplace ? "[0,1)rw-p" : "[20,21)rw-p");
	assert_int_equal(vmconf_stats(mm).total_vm, 1);
	kcore_mmput(mm);
}

static void test_selftest_mremap__shrink_multiple_vmas_inplace(void **state)
{
	shrink_multi_case(state, 1);
}

static void test_selftest_mremap__shrink_multiple_vmas_moved(void **state)
{
	shrink_multi_case(state, 0);
}

/* mremap_move_multiple_vmas_split: [0,5) [6,10); moving [2,9) splits both
   ends: the target holds pages 2-4, a gap, 6-8. */
static void split_case(void **state, int dont_unmap)
{
	const unsigned long flags = MREMAP_MAYMOVE | MREMAP_FIXED | (dont_unmap ? MREMAP_DONTUNMAP : 0);
	struct kcore_mm_struct *mm;
	unsigned long i;

	mm = vmconf_mm(state);
	vmconf_map(mm, at(0), pgs(10), RW, ANON);
	assert_int_equal(kcore_munmap(mm, at(5), PG), 0);
	for (i = 0; i < 10; i++)
		if (i != 5)
			vmconf_poke(mm, at(i), 1, (unsigned char)(0x70 + i));
	assert_int_equal(kcore_mremap(mm, at(2), pgs(7), pgs(7), flags, at(20)), (long)at(20));
	for (i = 0; i < 7; i++)
		assert_int_equal(vmconf_peek(mm, at(20 + i)), i == 3 ? -1 : (int)(0x72 + i));
	assert_string_equal(vmconf_layout(mm, 30), dont_unmap ?
			    "[0,5)rw-p [6,10)rw-p [20,23)rw-p [24,27)rw-p" :
			    "[0,2)rw-p [9,10)rw-p [20,23)rw-p [24,27)rw-p");
	kcore_mmput(mm);
}

static void test_selftest_mremap__move_multiple_vmas_split(void **state)
{
	split_case(state, 0);
}

static void test_selftest_mremap__move_multiple_vmas_split_dontunmap(void **state)
{
	split_case(state, 1);
}

static int group_setup(void **state)
{
	(void)state;
	patseed = kctest_seed();
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_selftest_mremap__expand_merge),
		T(test_selftest_mremap__expand_merge_offset),
		T(test_selftest_mremap__move_within_range),
		T(test_selftest_mremap__move_region_alignments),
		T(test_selftest_mremap__move_multiple_vmas),
		T(test_selftest_mremap__move_multiple_vmas_dontunmap),
		T(test_selftest_mremap__shrink_multiple_vmas_inplace),
		T(test_selftest_mremap__shrink_multiple_vmas_moved),
		T(test_selftest_mremap__move_multiple_vmas_split),
		T(test_selftest_mremap__move_multiple_vmas_split_dontunmap),
	};
	return cmocka_run_group_tests_name("vm.selftest_mremap_test", tests, group_setup, NULL);
}
