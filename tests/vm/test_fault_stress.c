// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_fault_stress.c - concurrent faults in one mm: faulting threads on
 * disjoint ranges (split PTE locks, shared mmap lock) race with a thread
 * that maps, protects, remaps and unmaps other ranges, with MADV_DONTNEED
 * on the faulters' own ranges, gup/put_page, and fork (kcore_dup_mm).
 * Every faulter checks its data after each round.  Time-bounded; run
 * under ASan and TSan.
 */
#include "vmtest_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define NFAULT 3
#define RANGE_PAGES 96 /* crosses a PTE-table boundary for some threads */

struct stress {
	struct kcore_mm_struct *mm;
	atomic_int stop;
	atomic_ulong faults, errors;
	uint64_t seed;
};

struct worker {
	struct stress *s;
	int id;
};

static unsigned long range_base(int id)
{
	return 0x20000000UL + (unsigned long)id * 0x180000UL; /* 1.5 MiB apart */
}

static void *faulter(void *arg)
{
	struct worker *w = arg;
	struct stress *s = w->s;
	unsigned long base = range_base(w->id);
	uint64_t rng = s->seed + (uint64_t)w->id;
	unsigned int round = 0;
	struct kcore_page *pages[4];

	while (!atomic_load(&s->stop)) {
		unsigned long v;

		round++;
		for (unsigned long i = 0; i < RANGE_PAGES; i++) {
			v = round * 1000003UL + i;
			if (kcore_copy_to_user(s->mm, base + i * PG + (i % 64) * 8, &v, sizeof(v)))
				atomic_fetch_add(&s->errors, 1);
		}
		for (unsigned long i = 0; i < RANGE_PAGES; i++) {
			unsigned long got = 0;

			v = round * 1000003UL + i;
			if (kcore_copy_from_user(s->mm, &got, base + i * PG + (i % 64) * 8, sizeof(got)) ||
			    got != v)
				atomic_fetch_add(&s->errors, 1);
		}
		atomic_fetch_add(&s->faults, RANGE_PAGES);
		switch (kctest_rand(&rng) % 4) {
		case 0:
			if (kcore_madvise(s->mm, base, RANGE_PAGES * PG, MADV_DONTNEED))
				atomic_fetch_add(&s->errors, 1);
			break;
		case 1: {
			long n = kcore_get_user_pages_remote(s->mm, base, 4, KCORE_FOLL_WRITE, pages);

			if (n != 4)
				atomic_fetch_add(&s->errors, 1);
			for (long i = 0; i < n; i++)
				kcore_put_page(pages[i]);
			break;
		}
		default:
			break;
		}
	}
	return NULL;
}

static void *mapper(void *arg)
{
	struct stress *s = arg;
	uint64_t rng = s->seed ^ 0x5555;
	const unsigned long area = 0x30000000UL;

	while (!atomic_load(&s->stop)) {
		unsigned long pg = kctest_rand(&rng) % 64, n = 1 + kctest_rand(&rng) % 16;
		char c = 1;
		struct kcore_mm_struct *child;

		switch (kctest_rand(&rng) % 6) {
		case 0:
			(void)kcore_mmap(s->mm, area + pg * PG, n * PG, RW, ANON | MAP_FIXED, NULL, 0);
			(void)kcore_copy_to_user(s->mm, area + pg * PG, &c, 1);
			break;
		case 1:
			(void)kcore_munmap(s->mm, area + pg * PG, n * PG);
			break;
		case 2:
			(void)kcore_mprotect(s->mm, area + pg * PG, n * PG, kctest_rand(&rng) & 1 ? PROT_READ : RW);
			break;
		case 3:
			(void)kcore_mremap(s->mm, area + pg * PG, n * PG, n * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
					   area + 128 * PG + pg * PG);
			(void)kcore_munmap(s->mm, area + 128 * PG, 128 * PG);
			break;
		case 4:
			child = kcore_dup_mm(s->mm);
			if (!KCORE_IS_ERR(child)) {
				(void)kcore_copy_to_user(child, range_base(0), &c, 1);
				kcore_mmput(child);
			}
			break;
		default:
			(void)kcore_mlock(s->mm, area + pg * PG, n * PG);
			(void)kcore_munlock(s->mm, area, 64 * PG);
			break;
		}
	}
	return NULL;
}

static void test_vm_fault_stress__disjoint(void **state)
{
	struct stress s = { .seed = kctest_seed() };
	struct worker w[NFAULT];
	pthread_t th[NFAULT + 1];
	struct timespec ts;
	unsigned int ms = kctest_duration_ms(1000);

	s.mm = vt_mm(state);
	for (int i = 0; i < NFAULT; i++)
		assert_int_equal(kcore_mmap(s.mm, range_base(i), RANGE_PAGES * PG, RW, ANON | MAP_FIXED, NULL, 0),
				 (long)range_base(i));
	for (int i = 0; i < NFAULT; i++) {
		w[i] = (struct worker){ .s = &s, .id = i };
		pthread_create(&th[i], NULL, faulter, &w[i]);
	}
	pthread_create(&th[NFAULT], NULL, mapper, &s);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	atomic_store(&s.stop, 1);
	for (int i = 0; i <= NFAULT; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&s.errors), 0);
	assert_true(atomic_load(&s.faults) > 0);
	assert_true(STAT(s.mm, rss_anon) <= NFAULT * RANGE_PAGES + 64 + 128);
	kcore_mmput(s.mm);
}

/*
 * Fault-around against truncate: readers fault a shared memfd mapping
 * (mapping the cached neighbours of each fault) and drop it again with
 * MADV_DONTNEED, while a writer fills the cache through its own mapping
 * and a truncator shrinks and regrows the file.  A page reads either as
 * its tag or as zero (truncated, then refilled); a read past the end
 * fails.  Leaks and refcounts are checked at teardown.  (This found the
 * copy path using a frame that truncate freed and reused mid-copy.)
 */
#define FA_PAGES 48
#define FA_READERS 2

struct fa_stress {
	struct kcore_mm_struct *mm;
	struct kcore_file *f;
	atomic_int stop;
	atomic_ulong reads, errors;
	uint64_t seed;
};

struct fa_worker {
	struct fa_stress *s;
	int id;
};

static unsigned long fa_base(int id)
{
	return 0x40000000UL + (unsigned long)id * 0x200000UL + 5 * PG; /* not window aligned */
}

static void *fa_reader(void *arg)
{
	struct fa_worker *w = arg;
	struct fa_stress *s = w->s;
	uint64_t rng = s->seed + (uint64_t)w->id;

	while (!atomic_load(&s->stop)) {
		unsigned long pg = kctest_rand(&rng) % FA_PAGES;
		unsigned char c = 0xff;

		if (kcore_copy_from_user(s->mm, &c, fa_base(w->id) + pg * PG, 1) == 0) {
			if (c != 0 && c != (unsigned char)(pg + 1))
				atomic_fetch_add(&s->errors, 1);
			atomic_fetch_add(&s->reads, 1);
		}
		if (kctest_rand(&rng) % 8 == 0)
			(void)kcore_madvise(s->mm, fa_base(w->id), FA_PAGES * PG, MADV_DONTNEED);
	}
	return NULL;
}

static void *fa_writer(void *arg)
{
	struct fa_stress *s = arg;
	uint64_t rng = s->seed ^ 0xfa;

	while (!atomic_load(&s->stop)) {
		unsigned long pg = kctest_rand(&rng) % FA_PAGES;
		unsigned char c = (unsigned char)(pg + 1);

		if (kctest_rand(&rng) % 16 == 0) {
			if (kcore_file_truncate(s->f, (kctest_rand(&rng) % FA_PAGES) * PG) ||
			    kcore_file_truncate(s->f, FA_PAGES * PG))
				atomic_fetch_add(&s->errors, 1);
		} else {
			(void)kcore_copy_to_user(s->mm, fa_base(FA_READERS) + pg * PG, &c, 1);
		}
	}
	return NULL;
}

static void test_vm_fault_stress__fault_around_truncate(void **state)
{
	struct fa_stress s = { .seed = kctest_seed() };
	struct fa_worker w[FA_READERS];
	pthread_t th[FA_READERS + 1];
	struct timespec ts;
	unsigned int ms = kctest_duration_ms(1000);

	s.mm = vt_mm(state);
	s.f = kcore_memfd_create(kctest_sys(state), "fa-stress");
	assert_false(KCORE_IS_ERR_OR_NULL(s.f));
	assert_int_equal(kcore_file_truncate(s.f, FA_PAGES * PG), 0);
	for (int i = 0; i <= FA_READERS; i++)
		assert_int_equal(kcore_mmap(s.mm, fa_base(i), FA_PAGES * PG, i < FA_READERS ? PROT_READ : RW,
					    MAP_SHARED | MAP_FIXED, s.f, 0),
				 (long)fa_base(i));
	for (int i = 0; i < FA_READERS; i++) {
		w[i] = (struct fa_worker){ .s = &s, .id = i };
		pthread_create(&th[i], NULL, fa_reader, &w[i]);
	}
	pthread_create(&th[FA_READERS], NULL, fa_writer, &s);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	atomic_store(&s.stop, 1);
	for (int i = 0; i <= FA_READERS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&s.errors), 0);
	assert_true(atomic_load(&s.reads) > 0);
	/* every mapped page is counted once: at most the three mappings */
	assert_true(STAT(s.mm, rss_shmem) <= (FA_READERS + 1) * FA_PAGES);
	assert_int_equal(kcore_munmap(s.mm, fa_base(0), FA_PAGES * PG), 0);
	assert_int_equal(kcore_munmap(s.mm, fa_base(1), FA_PAGES * PG), 0);
	assert_int_equal(kcore_munmap(s.mm, fa_base(2), FA_PAGES * PG), 0);
	assert_int_equal(STAT(s.mm, rss_shmem), 0);
	kcore_fput(s.f);
	kcore_mmput(s.mm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_fault_stress__disjoint, kctest_sys_setup, kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_fault_stress__fault_around_truncate, kctest_sys_setup,
						kctest_sys_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
