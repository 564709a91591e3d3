// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_model.c - model-based random test of the vm module.
 *
 * A page-array reference model (per page: mapped, prot, locked, lock-on-
 * fault, contents tag, "may have been lazily freed") drives >= 10^5 random
 * mmap/munmap/mprotect/mremap/mlock/mlock2/munlock/mlockall/munlockall/
 * madvise/copy_to_user/copy_from_user calls against one kcore mm and
 * predicts each call's result (EINVAL for misalignment and bad arguments,
 * ENOMEM for holes in mprotect/mlock/munlock/madvise ranges, EEXIST for
 * MAP_FIXED_NOREPLACE over a mapping, partial effects before a hole, the
 * bytes copied).  Every CHECK_EVERY ops it checks the invariants of
 * kernel-pid-vm.md section 3 (11, 13): VMAs sorted, aligned and not
 * overlapping (walked with kcore_find_vma from 0), map_count (lines of
 * kcore_mm_format_maps) equals the walk, total_vm and locked_vm equal the
 * model's sums, rss <= total_vm and rss covers every written page, and
 * every page's flags and contents equal the model's.
 *
 * The model never shares code with libkcore; where a prediction needs the
 * VMA boundaries (mremap), it reads them from the mm, whose boundaries the
 * differential oracle (test_oracle.c) checks against the host kernel.
 *
 * A second run (half the ops, an mm without CAP_IPC_LOCK) switches
 * RLIMIT_MEMLOCK between 0, 16 and 48 pages, so the model also predicts
 * EPERM (mlock/mlock2/mlockall/MAP_LOCKED with a zero limit), ENOMEM
 * (mlock over the limit, mlockall(MCL_CURRENT) with total_vm over it) and
 * EAGAIN (MAP_LOCKED / MCL_FUTURE mappings and growing locked VMAs).
 *
 * Knobs: KCORE_TEST_SEED, KCORE_TEST_SCALE, KCORE_MODEL_OPS (ops per run,
 * default 250000, at least 10^5 at scale 1).
 */
#include "kctest.h"

#include <kcore/vm.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "mman_compat.h"


/* 10^5 ops take well under a second, also under ASan+UBSan */
#define MODEL_DEFAULT_OPS 250000

#define PG 4096UL
#define NP 128                          /* model window pages */
#define BASE 0x40000000UL               /* far below any top-down placement */
#define CHECK_EVERY 64

/* kernel vm_flags values (API.md: kcore_vma_flags returns them) */
#define F_READ 0x1UL
#define F_WRITE 0x2UL
#define F_EXEC 0x4UL
#define F_LOCKED 0x2000UL
#define F_LOCKONFAULT 0x80000UL

struct mpage {
	bool mapped;
	bool locked;
	bool onfault;
	bool maybe_zero;        /* MADV_FREE: the contents may have been dropped */
	unsigned int prot;
	uint32_t tag;           /* 0 = zeros */
};

struct model {
	struct mpage pg[NP];
	bool def_locked, def_onfault;   /* mlockall(MCL_FUTURE) */
	uint32_t next_tag;
};

struct run {
	struct kcore_mm_struct *mm;
	struct model m;
	uint64_t rs;
	uint64_t seed;
	unsigned long opno;
	char last[16][160];     /* recent ops, for the failure report */
	char wbuf[4 * PG];
	char maps[64 * 1024];
	unsigned long counts[16];
	long limit;             /* RLIMIT_MEMLOCK in pages, no CAP_IPC_LOCK; -1 = not hit */
	unsigned long limit_errs;
};

static void note(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->last[r->opno % 16], sizeof(r->last[0]), fmt, ap);
	va_end(ap);
}

static void dump_recent(struct run *r)
{
	unsigned long i = r->opno >= 15 ? r->opno - 15 : 0;

	fprintf(stderr, "model divergence: KCORE_TEST_SEED=%" PRIu64 " op #%lu; recent ops:\n",
		r->seed, r->opno);
	for (; i <= r->opno; i++)
		fprintf(stderr, "  #%lu %s\n", i, r->last[i % 16]);
}

#define MCHECK(r, cond, ...)                                    \
	do {                                                    \
		if (!(cond)) {                                  \
			dump_recent(r);                         \
			fprintf(stderr, "  " __VA_ARGS__);      \
			fprintf(stderr, "\n");                  \
			fail_msg("model divergence (see above)"); \
		}                                               \
	} while (0)

static uint64_t rnd(struct run *r, uint64_t n)
{
	return n ? kctest_rand(&r->rs) % n : 0;
}

static unsigned long pa(unsigned long page)
{
	return BASE + page * PG;
}

static unsigned int rand_prot(struct run *r)
{
	static const unsigned int p[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
					  PROT_READ | PROT_WRITE, PROT_WRITE, PROT_EXEC,
					  PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC };
	return p[rnd(r, sizeof(p) / sizeof(p[0]))];
}

static void rand_range(struct run *r, unsigned long *s, unsigned long *n)
{
	*n = 1 + rnd(r, rnd(r, 4) ? 8 : NP / 2);
	*s = rnd(r, NP - *n + 1);
}

/* ---- page contents ------------------------------------------------ */

static uint64_t word(uint32_t tag, unsigned long i)
{
	return tag ? ((uint64_t)tag << 32) ^ (i * 0x9e3779b97f4a7c15ull) ^ 0x5a5a : 0;
}

static void fill(char *buf, uint32_t tag)
{
	uint64_t *w = (uint64_t *)buf;
	unsigned long i;

	for (i = 0; i < PG / 8; i++)
		w[i] = word(tag, i);
}

static bool readable(const struct mpage *p)
{
	/* x86: any of read, write or exec lets the CPU read */
	return p->mapped && (p->prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

/* Reads 64 bytes at a random offset of @page and compares with the model. */
static void check_page_data(struct run *r, unsigned long page, unsigned long at, unsigned long n)
{
	const struct mpage *p = &r->m.pg[page];
	uint64_t got[PG / 8];
	unsigned long left, i;

	left = kcore_copy_from_user(r->mm, got, pa(page) + at * 8, n * 8);
	if (!readable(p)) {
		MCHECK(r, left == n * 8, "read of page %lu (mapped %d prot %u) copied %lu bytes",
		       page, p->mapped, p->prot, n * 8 - left);
		return;
	}
	MCHECK(r, left == 0, "read of readable page %lu (prot %u) left %lu bytes", page, p->prot,
	       left);
	for (i = 0; i < n; i++) {
		uint64_t want = word(p->tag, at + i);

		if (got[i] == want || (p->maybe_zero && got[i] == 0))
			continue;
		MCHECK(r, 0, "page %lu word %lu: got %#" PRIx64 " want %#" PRIx64 " (tag %u)", page,
		       at + i, got[i], want, p->tag);
	}
}

/* ---- invariants ----------------------------------------------------- */

static void check_invariants(struct run *r, bool full_data)
{
	struct kcore_vm_area_struct *vma;
	struct kcore_mm_stats st;
	unsigned long addr = 0, prev_end = 0, nvma = 0, mapped = 0, locked = 0, written = 0;
	unsigned long i;
	int len, lines = 0;

	for (addr = 0; (vma = kcore_find_vma(r->mm, addr)) != NULL; addr = kcore_vma_end(vma)) {
		unsigned long s = kcore_vma_start(vma), e = kcore_vma_end(vma);

		MCHECK(r, s < e && !(s & (PG - 1)) && !(e & (PG - 1)), "bad VMA [%#lx,%#lx)", s, e);
		MCHECK(r, s >= prev_end, "VMAs overlap or unsorted: [%#lx,%#lx) after end %#lx", s,
		       e, prev_end);
		MCHECK(r, s >= BASE && e <= pa(NP), "VMA [%#lx,%#lx) outside the window", s, e);
		MCHECK(r, e > addr, "find_vma(%#lx) returned [%#lx,%#lx)", addr, s, e);
		prev_end = e;
		nvma++;
		MCHECK(r, nvma <= NP, "too many VMAs");
	}
	len = kcore_mm_format_maps(r->mm, r->maps, sizeof(r->maps));
	MCHECK(r, len >= 0 && (size_t)len < sizeof(r->maps), "format_maps returned %d", len);
	{
		const char *p = r->maps;

		for (; *p; p++)
			if (*p == '\n')
				lines++;
	}
	MCHECK(r, (unsigned long)lines == nvma, "maps has %d lines, find_vma walk %lu VMAs", lines,
	       nvma);

	for (i = 0; i < NP; i++) {
		const struct mpage *p = &r->m.pg[i];
		unsigned long want, fl;

		vma = kcore_find_vma(r->mm, pa(i));
		if (!p->mapped) {
			MCHECK(r, !vma || kcore_vma_start(vma) > pa(i), "page %lu mapped, model: not",
			       i);
			continue;
		}
		mapped++;
		MCHECK(r, vma && kcore_vma_start(vma) <= pa(i), "page %lu not mapped, model: mapped",
		       i);
		fl = kcore_vma_flags(vma);
		want = (p->prot & PROT_READ ? F_READ : 0) | (p->prot & PROT_WRITE ? F_WRITE : 0) |
		       (p->prot & PROT_EXEC ? F_EXEC : 0) | (p->locked ? F_LOCKED : 0) |
		       (p->onfault ? F_LOCKONFAULT : 0);
		MCHECK(r, (fl & (F_READ | F_WRITE | F_EXEC | F_LOCKED | F_LOCKONFAULT)) == want,
		       "page %lu flags %#lx, model %#lx", i, fl, want);
		if (p->locked)
			locked++;
		if (p->tag && !p->maybe_zero)
			written++;
		if (full_data)
			check_page_data(r, i, 0, PG / 8);
	}
	kcore_mm_get_stats(r->mm, &st);
	MCHECK(r, st.total_vm == mapped, "total_vm %lu, model %lu", st.total_vm, mapped);
	MCHECK(r, st.locked_vm == locked, "locked_vm %lu, model %lu", st.locked_vm, locked);
	MCHECK(r, st.rss_anon + st.rss_file + st.rss_shmem <= st.total_vm, "rss %lu > total_vm %lu",
	       st.rss_anon + st.rss_file + st.rss_shmem, st.total_vm);
	MCHECK(r, st.rss_anon >= written, "rss_anon %lu < %lu written pages", st.rss_anon, written);
	MCHECK(r, st.hiwater_vm >= st.total_vm, "hiwater_vm %lu < total_vm %lu", st.hiwater_vm,
	       st.total_vm);
}

/* ---- operations ----------------------------------------------------- */

static void set_mapped(struct run *r, unsigned long s, unsigned long n, unsigned int prot,
		       bool lock)
{
	unsigned long i;

	for (i = s; i < s + n; i++) {
		struct mpage *p = &r->m.pg[i];

		memset(p, 0, sizeof(*p));
		p->mapped = true;
		p->prot = prot;
		p->locked = lock || r->m.def_locked;
		p->onfault = r->m.def_onfault; /* def_flags are ORed in */
	}
}

static void set_unmapped(struct run *r, unsigned long s, unsigned long n)
{
	memset(&r->m.pg[s], 0, n * sizeof(r->m.pg[0]));
}

static bool any_mapped(struct run *r, unsigned long s, unsigned long n)
{
	unsigned long i;

	for (i = s; i < s + n; i++)
		if (r->m.pg[i].mapped)
			return true;
	return false;
}

static unsigned long locked_pages(struct run *r, unsigned long s, unsigned long n)
{
	unsigned long i, c = 0;

	for (i = s; i < s + n; i++)
		c += r->m.pg[i].locked;
	return c;
}

/* mlock_future_ok: may @n more pages become locked? */
static bool future_ok(struct run *r, unsigned long n)
{
	return r->limit < 0 || locked_pages(r, 0, NP) + n <= (unsigned long)r->limit;
}

static void op_mmap(struct run *r)
{
	unsigned long s, n, flags = MAP_PRIVATE | MAP_ANONYMOUS, addr, len;
	unsigned int prot = rand_prot(r), mode = (unsigned int)rnd(r, 10);
	bool lock = !rnd(r, 10), bad_align = !rnd(r, 30), zero = !rnd(r, 40);
	long ret, want, lockerr;

	rand_range(r, &s, &n);
	addr = pa(s) + (bad_align ? 0x200 : 0);
	len = zero ? 0 : n * PG - (rnd(r, 8) ? 0 : 100);
	flags |= mode < 5 ? MAP_FIXED : mode < 8 ? MAP_FIXED_NOREPLACE : 0;
	if (lock)
		flags |= MAP_LOCKED;
	if (!rnd(r, 8))
		flags |= MAP_POPULATE;
	note(r, "mmap(%#lx, %#lx, %u, %#lx)", addr, len, prot, flags);
	ret = kcore_mmap(r->mm, addr, len, prot, flags, NULL, 0);
	/* after the address checks: MAP_LOCKED without any memlock allowance
	   is EPERM; a lock (MAP_LOCKED or MCL_FUTURE) over the limit EAGAIN */
	lockerr = lock && r->limit == 0 ? -EPERM :
		  (lock || r->m.def_locked) && !future_ok(r, n) ? -EAGAIN : 0;
	if (zero)
		want = -EINVAL;
	else if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && lockerr)
		want = lockerr;
	else if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
		/* a hint: taken when free, else elsewhere; x86-64's
		   arch_get_unmapped_area_topdown rounds a misaligned hint
		   down (verified on the host) */
		if (!any_mapped(r, s, n)) {
			want = (long)pa(s);
		} else {
			MCHECK(r, ret > 0 && ((unsigned long)ret >= pa(NP) ||
					      (unsigned long)ret + n * PG <= BASE),
			       "hinted mmap returned %ld, expected a place outside the window", ret);
			MCHECK(r, kcore_munmap(r->mm, (unsigned long)ret, len) == 0, "munmap of it");
			r->counts[0]++;
			return;
		}
	} else if (bad_align)
		want = -EINVAL;
	else if ((flags & MAP_FIXED_NOREPLACE) && any_mapped(r, s, n))
		want = -EEXIST;
	else if (lockerr)
		want = lockerr;
	else
		want = (long)addr;
	MCHECK(r, ret == want, "returned %ld (%#lx), model %ld", ret, (unsigned long)ret, want);
	if (want == -EPERM || want == -EAGAIN)
		r->limit_errs++;
	if (ret >= 0)
		set_mapped(r, s, n, prot, lock);
	r->counts[0]++;
}

static void op_munmap(struct run *r)
{
	unsigned long s, n, addr, len;
	bool bad_align = !rnd(r, 30), zero = !rnd(r, 30);
	long ret, want;

	rand_range(r, &s, &n);
	addr = pa(s) + (bad_align ? 8 : 0);
	len = zero ? 0 : n * PG;
	note(r, "munmap(%#lx, %#lx)", addr, len);
	ret = kcore_munmap(r->mm, addr, len);
	want = bad_align || zero ? -EINVAL : 0;
	MCHECK(r, ret == want, "returned %ld, model %ld", ret, want);
	if (!ret)
		set_unmapped(r, s, n);
	r->counts[1]++;
}

/* Walk [s, s+n) stopping at the first hole: mprotect/mlock semantics. */
static long apply_until_hole(struct run *r, unsigned long s, unsigned long n,
			     void (*fn)(struct mpage *p, void *arg), void *arg)
{
	unsigned long i;

	if (!r->m.pg[s].mapped)
		return -ENOMEM;
	for (i = s; i < s + n; i++) {
		if (!r->m.pg[i].mapped)
			return -ENOMEM;
		fn(&r->m.pg[i], arg);
	}
	return 0;
}

static void set_prot(struct mpage *p, void *arg)
{
	p->prot = *(unsigned int *)arg;
}

static void op_mprotect(struct run *r)
{
	unsigned long s, n, addr, len;
	unsigned int prot = rand_prot(r);
	bool bad_align = !rnd(r, 30), zero = !rnd(r, 30), bad_prot = !rnd(r, 30);
	long ret, want;

	rand_range(r, &s, &n);
	addr = pa(s) + (bad_align ? 8 : 0);
	len = zero ? 0 : n * PG - (rnd(r, 8) ? 0 : 1);
	note(r, "mprotect(%#lx, %#lx, %#x)", addr, len, prot | (bad_prot ? 0x10 : 0));
	ret = kcore_mprotect(r->mm, addr, len, prot | (bad_prot ? 0x10u : 0));
	/* the kernel's order: alignment, then len == 0 -> 0, then the prot bits */
	if (bad_align)
		want = -EINVAL;
	else if (zero)
		want = 0;
	else if (bad_prot)
		want = -EINVAL;
	else
		want = apply_until_hole(r, s, n, set_prot, &prot);
	MCHECK(r, ret == want, "returned %ld, model %ld", ret, want);
	r->counts[2]++;
}

struct lockarg {
	bool lock, onfault;
};

static bool apply_would_hole(struct run *r, unsigned long s, unsigned long n)
{
	unsigned long i;

	for (i = s; i < s + n; i++)
		if (!r->m.pg[i].mapped)
			return true;
	return false;
}

static void set_lock(struct mpage *p, void *arg)
{
	const struct lockarg *a = arg;

	p->locked = a->lock;
	p->onfault = a->lock && a->onfault;
}

static void op_mlock(struct run *r, int which)
{
	unsigned long s, n, addr, len, i;
	struct lockarg a = { .lock = which != 2, .onfault = false };
	unsigned int flags = 0;
	bool mis = !rnd(r, 10), zero = !rnd(r, 30), bad_flags = false;
	long ret, want;

	rand_range(r, &s, &n);
	if (which == 1) {
		flags = rnd(r, 2) ? MLOCK_ONFAULT : 0;
		bad_flags = !rnd(r, 30);
		a.onfault = flags & MLOCK_ONFAULT;
	}
	/* a misaligned start is rounded down, the length grows by the offset */
	addr = pa(s) + (mis ? 0x300 : 0);
	len = zero ? 0 : n * PG - (mis ? 0x300 : 0);
	if (zero && mis)
		n = 1;
	note(r, "%s(%#lx, %#lx%s)", which == 0 ? "mlock" : which == 1 ? "mlock2" : "munlock",
	     addr, len, which == 1 ? (bad_flags ? ", 2" : a.onfault ? ", ONFAULT" : ", 0") : "");
	if (which == 0)
		ret = kcore_mlock(r->mm, addr, len);
	else if (which == 1)
		ret = kcore_mlock2(r->mm, addr, len, bad_flags ? 2u : flags);
	else
		ret = kcore_munlock(r->mm, addr, len);
	if (bad_flags) {
		want = -EINVAL;
	} else if (a.lock && r->limit == 0) {
		want = -EPERM;                  /* !can_do_mlock() */
	} else if (a.lock && r->limit > 0 &&
		   locked_pages(r, 0, NP) + (zero && !mis ? 0 : n - locked_pages(r, s, n)) >
			   (unsigned long)r->limit) {
		/* over RLIMIT_MEMLOCK - even for len 0 once a lowered limit is
		   below locked_vm */
		want = -ENOMEM;
	} else if (zero && !mis) {
		want = 0;
	} else {
		want = apply_until_hole(r, s, n, set_lock, &a);
		/* populate: a PROT_NONE VMA cannot be faulted in -> ENOMEM */
		if (!want && a.lock && !a.onfault)
			for (i = s; i < s + n; i++)
				if (r->m.pg[i].prot == PROT_NONE)
					want = -ENOMEM;
	}
	MCHECK(r, ret == want, "returned %ld, model %ld", ret, want);
	if (want == -EPERM || (want == -ENOMEM && r->limit >= 0 && !apply_would_hole(r, s, n)))
		r->limit_errs++;
	r->counts[3 + which]++;
}

static void op_mlockall(struct run *r)
{
	static const int fl[] = { MCL_CURRENT, MCL_FUTURE, MCL_CURRENT | MCL_FUTURE,
				  MCL_CURRENT | MCL_ONFAULT, MCL_FUTURE | MCL_ONFAULT, 0,
				  MCL_ONFAULT, 64 };
	int f = fl[rnd(r, sizeof(fl) / sizeof(fl[0]))];
	bool un = !rnd(r, 2);
	unsigned long i;
	long ret, want = 0;

	note(r, un ? "munlockall()" : "mlockall(%#x)", f);
	if (un) {
		ret = kcore_munlockall(r->mm);
		f = 0;
	} else {
		ret = kcore_mlockall(r->mm, f);
		if (!f || (f & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || f == MCL_ONFAULT) {
			want = -EINVAL;
		} else if (r->limit == 0) {
			want = -EPERM;
		} else if (r->limit > 0 && (f & MCL_CURRENT)) {
			unsigned long pg, total = 0;

			for (pg = 0; pg < NP; pg++)
				total += r->m.pg[pg].mapped;
			if (total > (unsigned long)r->limit)
				want = -ENOMEM; /* total_vm, not a request size */
		}
		if (want == -EPERM || want == -ENOMEM)
			r->limit_errs++;
	}
	MCHECK(r, ret == want, "returned %ld, model %ld", ret, want);
	if (ret)
		return;
	r->m.def_locked = f & MCL_FUTURE;
	r->m.def_onfault = (f & MCL_FUTURE) && (f & MCL_ONFAULT);
	if (!un && !(f & MCL_CURRENT))
		return;
	for (i = 0; i < NP; i++) {
		struct mpage *p = &r->m.pg[i];

		if (!p->mapped)
			continue;
		p->locked = f & MCL_CURRENT;
		p->onfault = p->locked && (f & MCL_ONFAULT);
	}
	r->counts[6]++;
}

static void op_madvise(struct run *r)
{
	static const int adv[] = { MADV_DONTNEED, MADV_WILLNEED, MADV_FREE, MADV_NORMAL,
				   MADV_RANDOM, MADV_SEQUENTIAL, MADV_DONTNEED, 4242 };
	unsigned long s, n, addr, len, i;
	int a = adv[rnd(r, sizeof(adv) / sizeof(adv[0]))];
	bool bad_align = !rnd(r, 30), zero = !rnd(r, 30);
	long ret, want = 0;

	rand_range(r, &s, &n);
	addr = pa(s) + (bad_align ? 8 : 0);
	len = zero ? 0 : n * PG;
	note(r, "madvise(%#lx, %#lx, %d)", addr, len, a);
	ret = kcore_madvise(r->mm, addr, len, a);
	if (bad_align || a == 4242) {
		want = -EINVAL;
	} else if (!zero) {
		for (i = s; i < s + n; i++) {
			struct mpage *p = &r->m.pg[i];

			if (!p->mapped) {
				want = -ENOMEM;
				continue;
			}
			if (a != MADV_DONTNEED && a != MADV_FREE)
				continue;
			if (p->locked) {
				want = -EINVAL;
				break;
			}
			if (a == MADV_DONTNEED) {
				p->tag = 0;
				p->maybe_zero = false;
			} else if (p->tag) {
				p->maybe_zero = true;
			}
		}
	}
	MCHECK(r, ret == want, "returned %ld, model %ld", ret, want);
	r->counts[7]++;
}

static void op_write(struct run *r)
{
	unsigned long s = rnd(r, NP), n = 1 + rnd(r, 4), i, k, left;
	uint32_t tags[4];

	if (s + n > NP)
		n = NP - s;
	for (i = 0; i < n; i++) {
		tags[i] = ++r->m.next_tag;
		fill(r->wbuf + i * PG, tags[i]);
	}
	note(r, "copy_to_user(%#lx, %lu pages)", pa(s), n);
	left = kcore_copy_to_user(r->mm, pa(s), r->wbuf, n * PG);
	/* the copy stops at the first page a CPU write would fault on */
	for (k = 0; k < n; k++) {
		const struct mpage *p = &r->m.pg[s + k];

		if (!p->mapped || !(p->prot & PROT_WRITE))
			break;
	}
	MCHECK(r, left == (n - k) * PG, "copy_to_user of %lu pages left %lu bytes, model %lu", n,
	       left, (n - k) * PG);
	for (i = 0; i < k; i++) {
		r->m.pg[s + i].tag = tags[i];
		r->m.pg[s + i].maybe_zero = false;
	}
	r->counts[8]++;
}

/* mremap on a range inside one VMA (boundaries read from the mm). */
static void op_mremap(struct run *r)
{
	struct kcore_vm_area_struct *vma;
	unsigned long s = rnd(r, NP), vend, oldn, newn, flags, d = 0, i;
	unsigned int kind = (unsigned int)rnd(r, 5);
	struct mpage save[NP];
	long ret, want;

	if (!r->m.pg[s].mapped)
		return;
	vma = kcore_find_vma(r->mm, pa(s));
	MCHECK(r, vma && kcore_vma_start(vma) <= pa(s), "mapped page %lu has no VMA", s);
	vend = (kcore_vma_end(vma) - BASE) / PG;
	oldn = 1 + rnd(r, vend - s);
	newn = 1 + rnd(r, 8);
	switch (kind) {
	case 0:
		flags = 0;
		break;
	case 1:
		flags = MREMAP_MAYMOVE;
		break;
	case 2:
	case 3:
		flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		break;
	default:
		flags = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;
		newn = oldn;
		for (i = s; i < s + oldn; i++)
			if (r->m.pg[i].locked)  /* the DONTUNMAP accounting caveat: oracle's job */
				return;
		break;
	}
	if (!(flags & MREMAP_FIXED) && s + newn > NP)
		return;                 /* would grow out of the window */
	if (flags & MREMAP_FIXED) {
		if (newn > NP)
			return;
		d = rnd(r, NP - newn + 1);
	}
	note(r, "mremap(%#lx, %#lx, %#lx, %#lx, %#lx)", pa(s), oldn * PG, newn * PG, flags,
	     flags & MREMAP_FIXED ? pa(d) : 0UL);
	ret = kcore_mremap(r->mm, pa(s), oldn * PG, newn * PG, flags,
			   flags & MREMAP_FIXED ? pa(d) : 0UL);
	memcpy(save, r->m.pg, sizeof(save));
	/* growing a VM_LOCKED VMA needs the delta under RLIMIT_MEMLOCK */
	if (newn > oldn && save[s].locked && !future_ok(r, newn - oldn) &&
	    !((flags & MREMAP_FIXED) && d < s + oldn && s < d + newn)) {
		want = -EAGAIN;
		r->limit_errs++;
	} else if (flags & MREMAP_FIXED) {
		if (d < s + oldn && s < d + newn) {
			want = -EINVAL;         /* overlapping ranges */
		} else {
			unsigned long keep = oldn < newn ? oldn : newn;

			want = (long)pa(d);
			set_unmapped(r, d, newn);
			for (i = 0; i < newn; i++) {
				struct mpage *p = &r->m.pg[d + i];

				if (i < keep) {
					*p = save[s + i];
				} else {   /* the grown tail: new zero pages of the VMA */
					*p = save[s];
					p->tag = 0;
					p->maybe_zero = false;
				}
			}
			if (flags & MREMAP_DONTUNMAP) {
				for (i = s; i < s + oldn; i++) {
					r->m.pg[i].tag = 0;
					r->m.pg[i].maybe_zero = false;
				}
			} else {
				set_unmapped(r, s, oldn);
			}
		}
	} else if (newn <= oldn) {
		want = (long)pa(s);
		set_unmapped(r, s + newn, oldn - newn);
	} else if (s + oldn == vend && !any_mapped(r, s + oldn, newn - oldn)) {
		want = (long)pa(s);
		for (i = s + oldn; i < s + newn; i++) {
			r->m.pg[i] = save[s];
			r->m.pg[i].tag = 0;
			r->m.pg[i].maybe_zero = false;
		}
	} else if (!(flags & MREMAP_MAYMOVE)) {
		want = -ENOMEM;
	} else {
		/* moved out of the window: verify the data there, then drop it */
		MCHECK(r, ret > 0 && ((unsigned long)ret >= pa(NP) ||
				      (unsigned long)ret + newn * PG <= BASE),
		       "mremap MAYMOVE returned %ld, expected a place outside the window", ret);
		for (i = 0; i < oldn; i++) {
			const struct mpage *p = &save[s + i];
			uint64_t w0 = 0;

			if (!readable(p))
				continue;
			MCHECK(r, kcore_copy_from_user(r->mm, &w0, (unsigned long)ret + i * PG,
						       8) == 0, "moved page %lu unreadable", i);
			MCHECK(r, w0 == word(p->tag, 0) || (p->maybe_zero && !w0),
			       "moved page %lu holds %#" PRIx64 ", want tag %u", i, w0, p->tag);
		}
		MCHECK(r, kcore_munmap(r->mm, (unsigned long)ret, newn * PG) == 0, "munmap moved");
		set_unmapped(r, s, oldn);
		r->counts[9]++;
		return;
	}
	MCHECK(r, ret == want, "returned %ld (%#lx), model %ld", ret, (unsigned long)ret, want);
	if (ret < 0)
		memcpy(r->m.pg, save, sizeof(save));
	r->counts[9]++;
}

static void step(struct run *r)
{
	unsigned int w = (unsigned int)rnd(r, 100);

	if (w < 20)
		op_mmap(r);
	else if (w < 30)
		op_munmap(r);
	else if (w < 42)
		op_mprotect(r);
	else if (w < 50)
		op_mlock(r, 0);
	else if (w < 55)
		op_mlock(r, 1);
	else if (w < 62)
		op_mlock(r, 2);
	else if (w < 63)
		op_mlockall(r);
	else if (w < 72)
		op_madvise(r);
	else if (w < 84)
		op_write(r);
	else if (w < 96)
		op_mremap(r);
	else {
		unsigned long pg = rnd(r, NP), at = rnd(r, PG / 8 - 8);

		note(r, "copy_from_user(%#lx)", pa(pg) + at * 8);
		check_page_data(r, pg, at, 8);
	}
}

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *s = getenv(name);
	long v = s ? strtol(s, NULL, 0) : 0;

	return v > 0 ? (unsigned long)v : dflt;
}

/*
 * @limits: no CAP_IPC_LOCK and RLIMIT_MEMLOCK switching between 0, 16 and
 * 48 pages every 4096 ops, so EPERM / ENOMEM / EAGAIN are predicted too.
 */
static void run_model(void **state, bool limits, unsigned long total)
{
	static const long lim[] = { 16, 48, 0, 16, 48 };
	struct kcore_system *sys = kctest_sys(state);
	struct run *r = calloc(1, sizeof(*r));
	unsigned long i, sum = 0;

	assert_non_null(r);
	r->seed = kctest_seed();
	r->rs = (r->seed + limits) ^ 0x6d6f64656cull;
	r->limit = -1;
	r->mm = kcore_mm_alloc(sys);
	assert_false(KCORE_IS_ERR_OR_NULL(r->mm));
	for (r->opno = 0; r->opno < total; r->opno++) {
		if (limits && r->opno % 4096 == 0) {
			r->limit = lim[rnd(r, 5)];
			note(r, "setrlimit(RLIMIT_MEMLOCK, %ld pages)", r->limit);
			assert_int_equal(kcore_mm_setrlimit(r->mm, RLIMIT_MEMLOCK,
							    (unsigned long)r->limit * PG), 0);
			continue;
		}
		step(r);
		if (r->opno % CHECK_EVERY == CHECK_EVERY - 1)
			check_invariants(r, r->opno % (CHECK_EVERY * 64) == CHECK_EVERY * 64 - 1);
	}
	check_invariants(r, true);
	fprintf(stderr, "model%s: %lu ops: mmap %lu munmap %lu mprotect %lu mlock %lu mlock2 %lu "
		"munlock %lu mlockall %lu madvise %lu write %lu mremap %lu; limit errors %lu\n",
		limits ? " (memlock limits)" : "", total, r->counts[0], r->counts[1], r->counts[2],
		r->counts[3], r->counts[4], r->counts[5], r->counts[6], r->counts[7], r->counts[8],
		r->counts[9], r->limit_errs);
	if (limits)
		assert_true(r->limit_errs > total / 200);
	/* the run must have exercised every kind of op (a pass means something) */
	for (i = 0; i < 10; i++) {
		if (i == 6)
			continue;
		assert_true(r->counts[i] > total / 400);
		sum += r->counts[i];
	}
	assert_true(sum > total / 2);
	kcore_mmput(r->mm);
	free(r);
}

static void test_vm_model__random_ops(void **state)
{
	run_model(state, false, env_ulong("KCORE_MODEL_OPS", MODEL_DEFAULT_OPS) * kctest_scale());
}

static void test_vm_model__random_ops_memlock_limits(void **state)
{
	run_model(state, true, env_ulong("KCORE_MODEL_OPS", MODEL_DEFAULT_OPS) * kctest_scale() / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_model__random_ops, kctest_sys_setup,
						kctest_sys_teardown),
		cmocka_unit_test_setup_teardown(test_vm_model__random_ops_memlock_limits,
						kctest_sys_setup, kctest_sys_teardown),
	};
	return cmocka_run_group_tests_name("vm.model", tests, NULL, NULL);
}
