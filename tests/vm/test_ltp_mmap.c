// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ltp_mmap.c - LTP testcases/kernel/syscalls/mmap replayed on a kcore
 * mm (one row per LTP case; the process address space becomes a kcore mm,
 * files become memfd-like kcore files, a SIGSEGV/SIGBUS becomes a failed
 * kcore_copy_{to,from}_user).  Cases that need what libkcore cannot express
 * (file open modes, /dev/zero, KSM, filesystems, threads of glibc) are
 * listed in the report, not here.
 */
#include "vmconf.h"

#ifndef MAP_32BIT
#define MAP_32BIT 0x40
#endif

/* mmap01: the part of the last page past the end of a file whose size is
   not a multiple of the page size reads zero - also after a truncate of a
   file that had data there (the kernel zeroes the partial page; host 6.18:
   bytes [100, 4096) of the page read 0 after ftruncate(PG + 100)). */
static void test_ltp_mmap01__tail_past_eof_reads_zero(void **state)
{
	struct kcore_mm_struct *mm;
	struct kcore_file *f;
	unsigned char buf[2 * 4096];

	mm = vmconf_mm(state);
	f = kcore_memfd_create(kctest_sys(state), "ltp-mmap01");
	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(2)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(2), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	memset(buf, 0xab, sizeof(buf));
	assert_int_equal(kcore_copy_to_user(mm, at(0), buf, sizeof(buf)), 0);
	assert_int_equal(kcore_file_truncate(f, PG + 100), 0);
	assert_int_equal(vmconf_peek(mm, at(1) + 99), 0xab);
	assert_int_equal(vmconf_peek(mm, at(1) + 100), 0);
	assert_int_equal(vmconf_peek(mm, at(1) + PG - 1), 0);
	assert_int_equal(kcore_file_truncate(f, pgs(2)), 0);
	assert_int_equal(vmconf_peek(mm, at(1) + 100), 0);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* A read fault in a shared file/shmem mapping maps the neighbouring pages
   already in the page cache too (fault-around, fault_around_bytes = 64 KiB
   aligned window): host 6.18 shows Rss 32 kB for 8 cached pages after
   touching one. */
static void test_ltp_mmap__read_fault_maps_cached_neighbours(void **state)
{
	struct kcore_mm_struct *mm;
	struct kcore_file *f;
	unsigned char buf[8 * 4096];

	mm = vmconf_mm(state);
	f = kcore_memfd_create(kctest_sys(state), "fault-around");
	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(8)), 0);
	assert_int_equal(kcore_mmap(mm, at(32), pgs(8), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(32));
	memset(buf, 1, sizeof(buf));
	assert_int_equal(kcore_copy_to_user(mm, at(32), buf, sizeof(buf)), 0);
	assert_int_equal(kcore_munmap(mm, at(32), pgs(8)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(8), PROT_READ, MAP_SHARED | MAP_FIXED, f, 0),
			 (long)at(0));
	assert_int_equal(vmconf_peek(mm, at(0)), 1);
	assert_int_equal(vmconf_stats(mm).rss_shmem, 8);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mmap02/mmap03: a file written through a shared mapping reads back
   through a PROT_READ (mmap02) or PROT_READ|PROT_EXEC (mmap03) mapping. */
static void file_roundtrip(void **state, unsigned long prot2, unsigned long flags2)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mmap");
	char out[PG], in[PG];
	unsigned long i;

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	for (i = 0; i < PG; i++)
		out[i] = (char)('A' + i % 26);
	assert_int_equal(kcore_mmap(mm, at(0), PG, RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	assert_int_equal(kcore_copy_to_user(mm, at(0), out, PG), 0);
	assert_int_equal(kcore_munmap(mm, at(0), PG), 0);
	assert_int_equal(kcore_mmap(mm, at(4), PG, prot2, flags2 | MAP_FIXED, f, 0), (long)at(4));
	assert_int_equal(kcore_copy_from_user(mm, in, at(4), PG), 0);
	assert_memory_equal(in, out, PG);
	/* the mapping is read-only: a write faults */
	assert_int_equal(kcore_copy_to_user(mm, at(4), out, 1), 1);
	if (prot2 & PROT_EXEC)
		assert_true(vmconf_flags(mm, at(4)) & KCORE_VM_EXEC);
	kcore_mmput(mm);
	kcore_fput(f);
}

static void test_ltp_mmap02__file_read_only_mapping_reads_file(void **state)
{
	file_roundtrip(state, PROT_READ, MAP_SHARED);
}

static void test_ltp_mmap03__file_exec_mapping_reads_file(void **state)
{
	file_roundtrip(state, PROT_READ | PROT_EXEC, MAP_PRIVATE);
}

/* mmap04: the maps permission string for each prot x {private, shared}. */
static void test_ltp_mmap04__maps_perms_for_each_prot(void **state)
{
	static const struct {
		unsigned long prot, flags;
		const char *want;
	} rows[] = {
		{ PROT_NONE, MAP_PRIVATE, "[0,1)---p" },
		{ PROT_NONE, MAP_SHARED, "[0,1)---s" },
		{ PROT_READ, MAP_PRIVATE, "[0,1)r--p" },
		{ PROT_READ, MAP_SHARED, "[0,1)r--s" },
		{ PROT_WRITE, MAP_PRIVATE, "[0,1)-w-p" },
		{ PROT_WRITE, MAP_SHARED, "[0,1)-w-s" },
		{ PROT_EXEC, MAP_PRIVATE, "[0,1)--xp" },
		{ PROT_EXEC, MAP_SHARED, "[0,1)--xs" },
		{ PROT_READ | PROT_WRITE, MAP_PRIVATE, "[0,1)rw-p" },
		{ PROT_READ | PROT_WRITE, MAP_SHARED, "[0,1)rw-s" },
		{ PROT_READ | PROT_EXEC, MAP_PRIVATE, "[0,1)r-xp" },
		{ PROT_READ | PROT_EXEC, MAP_SHARED, "[0,1)r-xs" },
		{ PROT_WRITE | PROT_EXEC, MAP_PRIVATE, "[0,1)-wxp" },
		{ PROT_WRITE | PROT_EXEC, MAP_SHARED, "[0,1)-wxs" },
		{ PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, "[0,1)rwxp" },
		{ PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED, "[0,1)rwxs" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kcore_mm_struct *mm = vmconf_mm(state);

		assert_int_equal(kcore_mmap(mm, at(0), PG, rows[i].prot,
					    rows[i].flags | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
				 (long)at(0));
		assert_string_equal(vmconf_layout(mm, 4), rows[i].want);
		assert_int_equal(vmconf_map_count(mm), 1);
		kcore_mmput(mm);
	}
}

/* mmap05: touching a PROT_NONE mapping faults (SIGSEGV). */
static void test_ltp_mmap05__prot_none_access_faults(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	char b[16] = { 1 };

	vmconf_map(mm, at(0), pgs(2), PROT_NONE, ANON);
	assert_int_equal(kcore_copy_from_user(mm, b, at(0), sizeof(b)), sizeof(b));
	assert_int_equal(kcore_copy_to_user(mm, at(1), b, sizeof(b)), sizeof(b));
	assert_int_equal(vmconf_stats(mm).rss_anon, 0);
	kcore_mmput(mm);
}

/* mmap08: a file mapping without a file (the bad fd) -> EBADF. */
static void test_ltp_mmap08__no_file_is_ebadf(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_SHARED, NULL, 0), -EBADF);
	assert_int_equal(kcore_mmap(mm, 0, PG, PROT_READ, MAP_PRIVATE, NULL, 0), -EBADF);
	assert_int_equal(vmconf_map_count(mm), 0);
	kcore_mmput(mm);
}

/* mmap09: truncating a mapped file smaller, larger and to 0 succeeds;
   pages past the new end fault (SIGBUS), regrown pages read zero. */
static void test_ltp_mmap09__truncate_mapped_file(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mmap09");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, pgs(4)), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(4), RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(0));
	vmconf_poke(mm, at(0), 4, 0x5a);
	assert_int_equal(kcore_file_truncate(f, pgs(2)), 0);    /* smaller */
	assert_int_equal(vmconf_peek(mm, at(1)), 0x5a);
	assert_int_equal(vmconf_peek(mm, at(2)), -1);
	assert_int_equal(kcore_file_truncate(f, pgs(8)), 0);    /* larger */
	assert_int_equal(vmconf_peek(mm, at(3)), 0);
	assert_int_equal(kcore_file_truncate(f, 0), 0);         /* to 0 */
	assert_int_equal(vmconf_peek(mm, at(0)), -1);
	assert_int_equal(vmconf_map_count(mm), 1);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mmap12: MAP_POPULATE faults every page in at mmap time. */
static void test_ltp_mmap12__map_populate_prefaults(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(8), RW, ANON | MAP_POPULATE);
	assert_int_equal(vmconf_stats(mm).rss_anon, 8);
	vmconf_map(mm, at(16), pgs(8), RW, ANON);
	assert_int_equal(vmconf_stats(mm).rss_anon, 8);
	kcore_mmput(mm);
}

/* mmap13: a page wholly past the end of the file faults (SIGBUS); the
   tail of the last partial page reads zero. */
static void test_ltp_mmap13__access_past_eof_faults(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mmap13");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, PG / 2), 0);
	assert_int_equal(kcore_mmap(mm, at(0), pgs(2), PROT_READ, MAP_SHARED | MAP_FIXED, f, 0),
			 (long)at(0));
	assert_int_equal(vmconf_peek(mm, at(0) + PG / 2 + 10), 0);
	assert_int_equal(vmconf_peek(mm, at(1)), -1);
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mmap14: MAP_LOCKED adds the mapping to VmLck and populates it. */
static void test_ltp_mmap14__map_locked_counts_vmlck(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_mm_stats st;

	vmconf_map(mm, at(0), pgs(16), RW, ANON | MAP_LOCKED);
	st = vmconf_stats(mm);
	assert_int_equal(st.locked_vm, 16);
	assert_int_equal(st.rss_anon, 16);
	assert_true(vmconf_flags(mm, at(0)) & KCORE_VM_LOCKED);
	assert_int_equal(kcore_munmap(mm, at(0), pgs(16)), 0);
	assert_int_equal(vmconf_stats(mm).locked_vm, 0);
	kcore_mmput(mm);
}

/* mmap15: a fixed mapping above TASK_SIZE -> ENOMEM. */
static void test_ltp_mmap15__fixed_above_task_size(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	assert_int_equal(kcore_mmap(mm, 1UL << 53, PG, RW, ANON | MAP_FIXED, NULL, 0), -ENOMEM);
	assert_int_equal(kcore_mmap(mm, KCORE_TASK_SIZE - PG, pgs(2), RW, ANON | MAP_FIXED, NULL, 0),
			 -ENOMEM);
	assert_int_equal(kcore_mmap(mm, KCORE_TASK_SIZE - PG, PG, RW, ANON | MAP_FIXED, NULL, 0),
			 (long)(KCORE_TASK_SIZE - PG));
	kcore_mmput(mm);
}

/* mmap17: MAP_FIXED_NOREPLACE over an existing mapping -> EEXIST. */
static void test_ltp_mmap17__fixed_noreplace_eexist(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);

	vmconf_map(mm, at(0), pgs(4), RW, ANON);
	assert_int_equal(kcore_mmap(mm, at(2), pgs(4), RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0),
			 -EEXIST);
	assert_string_equal(vmconf_layout(mm, 8), "[0,4)rw-p");
	kcore_mmput(mm);
}

/* mmap18 (1): a MAP_GROWSDOWN mapping grows down on an access just below it. */
static void test_ltp_mmap18__growsdown_grows_into_free_space(void **state)
{
	struct kcore_mm_struct *mm;
	unsigned char c = 7;

	mm = vmconf_mm(state);
	vmconf_map(mm, at(300), pgs(2), RW, ANON | MAP_GROWSDOWN);
	assert_true(vmconf_flags(mm, at(300)) & KCORE_VM_GROWSDOWN);
	assert_int_equal(kcore_copy_to_user(mm, at(299), &c, 1), 0);
	assert_string_equal(vmconf_layout(mm, 400), "[299,302)rw-p");
	assert_int_equal(vmconf_peek(mm, at(299)), 7);
	kcore_mmput(mm);
}

/* mmap18 (2): growth that would come within stack_guard_gap (256 pages)
   of an accessible mapping below fails (SIGSEGV), nothing changes. */
static void test_ltp_mmap18__growsdown_blocked_by_guard_gap(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	unsigned char c = 7;

	vmconf_map(mm, at(0), PG, RW, ANON);
	vmconf_map(mm, at(100), pgs(2), RW, ANON | MAP_GROWSDOWN);
	assert_int_equal(kcore_copy_to_user(mm, at(99), &c, 1), 1);
	assert_string_equal(vmconf_layout(mm, 200), "[0,1)rw-p [100,102)rw-p");
	kcore_mmput(mm);
}

/* mmap19: private file mappings do not see each other's writes; shared
   mappings of the same file do. */
static void test_ltp_mmap19__private_writes_stay_private(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mmap19");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	assert_int_equal(kcore_mmap(mm, at(0), PG, RW, MAP_PRIVATE | MAP_FIXED, f, 0), (long)at(0));
	assert_int_equal(kcore_mmap(mm, at(2), PG, RW, MAP_PRIVATE | MAP_FIXED, f, 0), (long)at(2));
	assert_int_equal(kcore_mmap(mm, at(4), PG, RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(4));
	assert_int_equal(kcore_mmap(mm, at(6), PG, RW, MAP_SHARED | MAP_FIXED, f, 0), (long)at(6));
	vmconf_poke(mm, at(0), 1, 0x11);
	assert_int_equal(vmconf_peek(mm, at(2)), 0);
	assert_int_equal(vmconf_peek(mm, at(4)), 0);
	vmconf_poke(mm, at(4), 1, 0x22);
	assert_int_equal(vmconf_peek(mm, at(6)), 0x22);
	assert_int_equal(vmconf_peek(mm, at(0)), 0x11);  /* COWed: keeps its copy */
	assert_int_equal(vmconf_peek(mm, at(2)), 0x22);  /* not yet COWed: sees the file */
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mmap20: MAP_SHARED_VALIDATE refuses unknown flags with EOPNOTSUPP. */
static void test_ltp_mmap20__shared_validate_unknown_flag(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mmap20");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_file_truncate(f, PG), 0);
	/* 0x200 is no mmap flag on x86-64 (verified on the host: EOPNOTSUPP) */
	assert_int_equal(kcore_mmap(mm, 0, PG, RW, MAP_SHARED_VALIDATE | 0x200, f, 0), -EOPNOTSUPP);
	/* MAP_SYNC needs a DAX file: a memfd refuses it */
	assert_int_equal(kcore_mmap(mm, 0, PG, RW, MAP_SHARED_VALIDATE | 0x80000, f, 0), -EOPNOTSUPP);
	/* plain MAP_SHARED drops unknown bits */
	assert_true(kcore_mmap(mm, 0, PG, RW, MAP_SHARED | 0x200, f, 0) > 0);
	assert_int_equal(kcore_mmap(mm, at(0), PG, RW, MAP_SHARED_VALIDATE | MAP_FIXED, f, 0),
			 (long)at(0));
	assert_string_equal(vmconf_layout(mm, 4), "[0,1)rw-s");
	kcore_mmput(mm);
	kcore_fput(f);
}

/* mmap18 (3): an inaccessible (PROT_NONE) mapping below does not count for
   the guard gap (vma_is_accessible), so the stack still grows. */
static void test_ltp_mmap18__growsdown_ignores_prot_none_below(void **state)
{
	struct kcore_mm_struct *mm;
	unsigned char c = 7;

	mm = vmconf_mm(state);
	vmconf_map(mm, at(0), PG, PROT_NONE, ANON);
	vmconf_map(mm, at(100), pgs(2), RW, ANON | MAP_GROWSDOWN);
	assert_int_equal(kcore_copy_to_user(mm, at(99), &c, 1), 0);
	assert_string_equal(vmconf_layout(mm, 200), "[0,1)---p [99,102)rw-p");
	kcore_mmput(mm);
}

/* mmap23: MAP_32BIT cannot fit 2 GiB -> ENOMEM. */
static void test_ltp_mmap23__map_32bit_too_big(void **state)
{
	struct kcore_mm_struct *mm;

	mm = vmconf_mm(state);
	assert_int_equal(kcore_mmap(mm, 0, 2UL << 30, RW, ANON | MAP_32BIT, NULL, 0), -ENOMEM);
	kcore_mmput(mm);
}

/* mmap24: MAP_32BIT mappings all end below 2 GiB until ENOMEM; an
   unrestricted mapping still succeeds afterwards. */
static void test_ltp_mmap24__map_32bit_stays_below_2g(void **state)
{
	struct kcore_mm_struct *mm;
	const unsigned long chunk = 32UL << 20;
	long r;
	int n = 0;

	mm = vmconf_mm(state);
	for (;;) {
		r = kcore_mmap(mm, 0, chunk, PROT_NONE, ANON | MAP_32BIT, NULL, 0);
		if (r < 0)
			break;
		assert_true((unsigned long)r + chunk <= 0x80000000UL);
		assert_true(++n <= 64);
	}
	assert_int_equal(r, -ENOMEM);
	assert_true(n > 0);
	r = kcore_mmap(mm, 0, chunk, PROT_NONE, ANON, NULL, 0);
	assert_true(r > 0);
	kcore_mmput(mm);
}

/* Argument errors of mmap (the rows the LTP error tests share). */
static void test_ltp_mmap__argument_errors(void **state)
{
	struct kcore_mm_struct *mm = vmconf_mm(state);
	struct kcore_file *f = kcore_memfd_create(kctest_sys(state), "ltp-mmap-err");

	assert_false(KCORE_IS_ERR_OR_NULL(f));
	assert_int_equal(kcore_mmap(mm, 0, 0, RW, ANON, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, 0, PG, RW, MAP_ANONYMOUS, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, at(0) + 1, PG, RW, ANON | MAP_FIXED, NULL, 0), -EINVAL);
	assert_int_equal(kcore_mmap(mm, 0, -PG, RW, ANON, NULL, 0), -ENOMEM);
	assert_int_equal(kcore_mmap(mm, 0, KCORE_TASK_SIZE + PG, RW, ANON, NULL, 0), -ENOMEM);
	assert_int_equal(kcore_mmap(mm, 0, pgs(2), RW, MAP_SHARED, f, ~0UL - 1), -EOVERFLOW);
	assert_int_equal(vmconf_map_count(mm), 0);
	assert_int_equal(vmconf_stats(mm).total_vm, 0);
	kcore_mmput(mm);
	kcore_fput(f);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ltp_mmap01__tail_past_eof_reads_zero),
		T(test_ltp_mmap02__file_read_only_mapping_reads_file),
		T(test_ltp_mmap03__file_exec_mapping_reads_file),
		T(test_ltp_mmap04__maps_perms_for_each_prot),
		T(test_ltp_mmap05__prot_none_access_faults),
		T(test_ltp_mmap08__no_file_is_ebadf),
		T(test_ltp_mmap09__truncate_mapped_file),
		T(test_ltp_mmap12__map_populate_prefaults),
		T(test_ltp_mmap13__access_past_eof_faults),
		T(test_ltp_mmap14__map_locked_counts_vmlck),
		T(test_ltp_mmap15__fixed_above_task_size),
		T(test_ltp_mmap17__fixed_noreplace_eexist),
		T(test_ltp_mmap18__growsdown_grows_into_free_space),
		T(test_ltp_mmap18__growsdown_blocked_by_guard_gap),
		T(test_ltp_mmap18__growsdown_ignores_prot_none_below),
		T(test_ltp_mmap19__private_writes_stay_private),
		T(test_ltp_mmap20__shared_validate_unknown_flag),
		T(test_ltp_mmap23__map_32bit_too_big),
		T(test_ltp_mmap24__map_32bit_stays_below_2g),
		T(test_ltp_mmap__argument_errors),
		T(test_ltp_mmap__read_fault_maps_cached_neighbours),
	};
	return cmocka_run_group_tests_name("vm.ltp_mmap", tests, NULL, NULL);
}
