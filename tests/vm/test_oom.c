// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_oom.c - the fail-nth sweep over every vm call: for n = 1, 2, ...
 * a fresh mm is set up, the n-th allocation from the call on fails, and
 * the call must report the kernel's error with every page of the test
 * window as it was (mapping, protection, lock state) and the counters
 * unchanged, and nothing may leak.  The sweep ends at the first n whose
 * failure is never reached, where the call must succeed.
 *
 * Kernel-faithful exceptions, accepted explicitly per case: a failed
 * split may leave the first of two splits behind (vma_modify()), populate
 * failures do not fail mmap, madvise reports -EAGAIN for split failures,
 * mlock reports -EAGAIN when populate runs out of memory after the VMAs
 * were locked, copy_to_user and gup return partial progress.
 */
#include "vmtest_util.h"

#include <stdlib.h>

#define WIN 64

struct snap {
	char pages[WIN + 1];
	unsigned long total_vm, locked_vm, data_vm, rss_anon, rss_shmem;
};

static void take(struct kcore_mm_struct *mm, struct snap *s)
{
	struct kcore_mm_stats st;

	for (unsigned long i = 0; i < WIN; i++) {
		struct kcore_vm_area_struct *v = kcore_find_vma(mm, B0 + i * PG);
		unsigned long f = kcore_vma_flags(v);

		if (!v || kcore_vma_start(v) > B0 + i * PG)
			s->pages[i] = '.';
		else
			s->pages[i] = (char)('A' + (f & 0xf) + (f & KCORE_VM_LOCKED ? 16 : 0));
	}
	s->pages[WIN] = 0;
	kcore_mm_get_stats(mm, &st);
	s->total_vm = st.total_vm;
	s->locked_vm = st.locked_vm;
	s->data_vm = st.data_vm;
	s->rss_anon = st.rss_anon;
	s->rss_shmem = st.rss_shmem;
}

static void assert_same(const struct snap *a, const struct snap *b)
{
	assert_string_equal(a->pages, b->pages);
	assert_int_equal(a->total_vm, b->total_vm);
	assert_int_equal(a->locked_vm, b->locked_vm);
	assert_int_equal(a->data_vm, b->data_vm);
	assert_int_equal(a->rss_anon, b->rss_anon);
	assert_int_equal(a->rss_shmem, b->rss_shmem);
}

/* A window with three VMAs, the first one populated. */
static void setup_window(struct kcore_mm_struct *mm)
{
	static char data[4 * 4096];

	assert_int_equal(vt_map(mm, 0, 8, RW), (long)B0);
	assert_int_equal(kcore_copy_to_user(mm, B0, data, sizeof(data)), 0);
	assert_int_equal(vt_map(mm, 10, 6, PROT_READ), (long)(B0 + 10 * PG));
	assert_int_equal(kcore_mmap(mm, B0 + 20 * PG, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				    NULL, 0), (long)(B0 + 20 * PG));
}

enum verdict { V_SAME, V_SAME_PAGES, V_ANY };

struct oom_case {
	const char *name;
	long (*op)(struct kcore_mm_struct *mm, struct kcore_system *sys);
	long ok;                 /* the success value (checked on the final round) */
	long err;                /* the error an injected failure gives */
	long alt_err;            /* another accepted error (0: none) */
	enum verdict on_err;     /* state check after err */
};

static long op_mmap_new(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mmap(mm, B0 + 40 * PG, 4 * PG, RW, ANON | MAP_FIXED_NOREPLACE, NULL, 0);
}
static long op_mmap_shared(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mmap(mm, B0 + 40 * PG, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
}
static long op_mmap_over(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mmap(mm, B0 + 2 * PG, 2 * PG, PROT_READ, ANON | MAP_FIXED, NULL, 0);
}
static long op_mmap_populate(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mmap(mm, B0 + 40 * PG, 4 * PG, RW, ANON | MAP_FIXED | MAP_POPULATE, NULL, 0);
}
static long op_munmap_mid(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_munmap(mm, B0 + 2 * PG, 2 * PG);
}
static long op_mprotect_mid(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mprotect(mm, B0 + 2 * PG, 2 * PG, PROT_READ);
}
static long op_mremap_move(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mremap(mm, B0, 8 * PG, 8 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + 40 * PG);
}
static long op_mremap_grow(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mremap(mm, B0 + 2 * PG, 2 * PG, 4 * PG, MREMAP_MAYMOVE, 0);
}
static long op_mremap_shrink(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mremap(mm, B0, 4 * PG, 2 * PG, 0, 0);
}
static long op_mlock_mid(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mlock(mm, B0 + 2 * PG, 2 * PG);
}
static long op_munlock_mid(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_munlock(mm, B0 + 2 * PG, 2 * PG);
}
static long op_mlockall(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mlockall(mm, MCL_CURRENT | MCL_FUTURE);
}
static long op_madvise_mid(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_madvise(mm, B0 + 2 * PG, 2 * PG, MADV_RANDOM);
}
static long op_madvise_dontneed(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_madvise(mm, B0, 8 * PG, MADV_DONTNEED);
}
static long op_copy_to_user(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	static char data[6 * 4096];

	(void)s;
	return (long)kcore_copy_to_user(mm, B0 + 2 * PG, data, sizeof(data));
}
static long op_gup(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	struct kcore_page *pages[4];
	long r;

	(void)s;
	r = kcore_get_user_pages_remote(mm, B0 + 4 * PG, 4, KCORE_FOLL_WRITE, pages);
	for (long i = 0; i < r; i++)
		kcore_put_page(pages[i]);
	return r;
}
static long op_dup(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	struct kcore_mm_struct *c = kcore_dup_mm(mm);

	(void)s;
	if (KCORE_IS_ERR(c))
		return KCORE_PTR_ERR(c);
	kcore_mmput(c);
	return 0;
}
static long op_mm_alloc(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	struct kcore_mm_struct *m = kcore_mm_alloc(s);

	(void)mm;
	if (KCORE_IS_ERR(m))
		return KCORE_PTR_ERR(m);
	kcore_mmput(m);
	return 0;
}
static long op_memfd(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	struct kcore_file *f = kcore_memfd_create(s, "oom");

	(void)mm;
	if (KCORE_IS_ERR(f))
		return KCORE_PTR_ERR(f);
	kcore_fput(f);
	return 0;
}

static long op_mremap_multi(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	/* [0,8) and [10,16) with the gap between them, moved together */
	return kcore_mremap(mm, B0, 16 * PG, 16 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, B0 + 40 * PG);
}
static long op_madvise_populate(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_madvise(mm, B0, 8 * PG, 23 /* MADV_POPULATE_WRITE */);
}
static long op_madvise_remove(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_madvise(mm, B0 + 20 * PG, 2 * PG, MADV_REMOVE);
}
static long op_madvise_dontfork(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_madvise(mm, B0 + 2 * PG, 2 * PG, MADV_DONTFORK);
}
static long op_access_remote(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	static char data[3 * 4096];

	(void)s;
	return kcore_access_remote_vm(mm, B0 + 5 * PG, data, (int)sizeof(data), KCORE_FOLL_WRITE);
}
static long op_mlock2_onfault(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	return kcore_mlock2(mm, B0 + 2 * PG, 2 * PG, MLOCK_ONFAULT);
}

static long op_guard(struct kcore_mm_struct *mm, struct kcore_system *s)
{
	(void)s;
	/* [10,16) was never faulted: anon_vma and page tables are allocated */
	return kcore_madvise(mm, B0 + 10 * PG, 4 * PG, 102 /* MADV_GUARD_INSTALL */);
}

static const struct oom_case cases[] = {
	{ "mmap", op_mmap_new, (long)(B0 + 40 * PG), -ENOMEM, 0, V_SAME },
	{ "mmap shared", op_mmap_shared, (long)(B0 + 40 * PG), -ENOMEM, 0, V_SAME },
	{ "mmap fixed over", op_mmap_over, (long)(B0 + 2 * PG), -ENOMEM, 0, V_SAME },
	{ "mmap populate", op_mmap_populate, (long)(B0 + 40 * PG), -ENOMEM, (long)(B0 + 40 * PG), V_ANY },
	{ "munmap", op_munmap_mid, 0, -ENOMEM, 0, V_SAME },
	{ "mprotect", op_mprotect_mid, 0, -ENOMEM, 0, V_SAME_PAGES },
	{ "mremap move", op_mremap_move, (long)(B0 + 40 * PG), -ENOMEM, 0, V_SAME },
	/* an OOM while unmapping the old range after the move still succeeds */
	{ "mremap grow", op_mremap_grow, -1, -ENOMEM, -3, V_SAME },
	{ "mremap shrink", op_mremap_shrink, (long)B0, -ENOMEM, 0, V_SAME },
	{ "mlock", op_mlock_mid, 0, -ENOMEM, -EAGAIN, V_SAME_PAGES },
	{ "munlock", op_munlock_mid, 0, -ENOMEM, 0, V_SAME_PAGES },
	{ "mlockall", op_mlockall, 0, -ENOMEM, -3, V_ANY }, /* errors are ignored */
	{ "madvise", op_madvise_mid, 0, -EAGAIN, 0, V_SAME_PAGES },
	{ "madvise dontneed", op_madvise_dontneed, 0, -ENOMEM, 0, V_SAME },
	{ "copy_to_user", op_copy_to_user, 0, -1, 0, V_ANY },
	{ "gup", op_gup, 4, -ENOMEM, -2, V_ANY },
	{ "dup_mm", op_dup, 0, -ENOMEM, 0, V_SAME },
	{ "mm_alloc", op_mm_alloc, 0, -ENOMEM, 0, V_SAME },
	{ "memfd_create", op_memfd, 0, -ENOMEM, 0, V_SAME },
	/* piece by piece: a later piece's failure leaves the earlier ones moved */
	{ "mremap multi", op_mremap_multi, (long)(B0 + 40 * PG), -ENOMEM, 0, V_ANY },
	{ "madvise populate", op_madvise_populate, 0, -ENOMEM, 0, V_ANY },
	{ "madvise remove", op_madvise_remove, 0, -ENOMEM, 0, V_SAME },
	{ "madvise dontfork", op_madvise_dontfork, 0, -EAGAIN, 0, V_SAME_PAGES },
	{ "mlock2 onfault", op_mlock2_onfault, 0, -ENOMEM, 0, V_SAME_PAGES },
	{ "access_remote_vm", op_access_remote, 3 * 4096, -1, 0, V_ANY },
	{ "madvise guard", op_guard, 0, -ENOMEM, 0, V_SAME_PAGES },
};

static void run_case(const struct oom_case *c)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };

	for (unsigned int n = 1;; n++) {
		struct kcore_system *sys;
		struct kcore_mm_struct *mm;
		struct snap before, after;
		unsigned long allocs;
		bool fired;
		long ret;

		kcore_rcu_barrier();
		allocs = kcore_alloc_outstanding();
		sys = kcore_system_create(&cfg);
		assert_false(KCORE_IS_ERR(sys));
		mm = kcore_mm_alloc(sys);
		assert_false(KCORE_IS_ERR(mm));
		setup_window(mm);
		take(mm, &before);

		kcore_fail_nth(n);
		ret = c->op(mm, sys);
		fired = !kcore_fail_nth_pending();
		kcore_fail_nth(0);
		take(mm, &after);
		if (!fired) {
			/* the final round: the call succeeded without injection */
			if (c->ok != -1)
				assert_int_equal(ret, c->ok);
			else
				assert_true(ret > 0);
		} else if (c->err == -1) {
			/* partial progress is the report (copy_to_user) */
			assert_true(ret >= 0);
		} else if (c->alt_err == -2) {
			assert_true(ret == c->err || (ret >= 0 && ret < 4)); /* gup: partial */
		} else if (c->alt_err == -3 && ret >= 0) {
			/* accepted: the move completed (unmap_source_vma() OOM) */
		} else {
			if (ret != c->err && !(c->alt_err && ret == c->alt_err))
				fail_msg("%s: n=%u returned %ld", c->name, n, ret);
			if (ret == c->err && c->on_err == V_SAME)
				assert_same(&before, &after);
			else if (ret == c->err && c->on_err == V_SAME_PAGES)
				assert_string_equal(before.pages, after.pages);
		}
		kcore_mmput(mm);
		kcore_system_destroy(sys);
		kctest_assert_no_leaks(allocs);
		if (!fired)
			break;
		assert_true(n < 2000);
	}
}

static void test_vm_oom__sweep(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_oom__sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
