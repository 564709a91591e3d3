// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_vm.c - the simulated MMU against the host kernel, in one process.
 *
 *   vm_fault         demand fault through copy_to_user (0 notifiers) vs a
 *                    host first-touch anonymous fault (M3: <= 0.10x).  Both
 *                    sides touch a 16 MiB window page by page and drop it
 *                    with MADV_DONTNEED when it is full, so both include
 *                    the zap cost.
 *   vm_translate     an 8-byte read of a present page through the software
 *                    tables (kcore_copy_from_user) vs a direct array lookup
 *                    plus the same 8-byte copy (M1: <= 2.0x).
 *   vm_fault_scaling 2 threads faulting disjoint ranges of one mm vs 1
 *                    thread (M6-style, split PTE locks: >= 1.85x).
 *   vm_mremap        mremap move of 1 GiB of populated page tables (zero
 *                    page read faults: 512 PTE tables), reported per page,
 *                    PMD-aligned (whole tables handed over) and misaligned
 *                    (entry by entry).
 *   vm_mprotect      mprotect of one page inside a larger mapping (split and
 *                    re-merge) vs the host doing the same (<= 1.0x).
 */
#include <kcore/kcore.h>

#include "benches.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define P 4096UL
#define WIN_PAGES 4096UL
#define B0 0x10000000UL

struct fault_arg {
	struct kcore_mm_struct *mm;
	unsigned long base, i, win;
	char *host;
	char pad[64];
};

static uint64_t loop_sim_fault(void *arg, uint64_t n)
{
	struct fault_arg *a = arg;
	char c = 1;

	for (uint64_t k = 0; k < n; k++) {
		if (a->i == a->win) {
			if (kcore_madvise(a->mm, a->base, a->win * P, MADV_DONTNEED))
				return 0;
			a->i = 0;
		}
		(void)kcore_copy_to_user(a->mm, a->base + a->i++ * P, &c, 1);
	}
	return a->i;
}

static uint64_t loop_host_fault(void *arg, uint64_t n)
{
	struct fault_arg *a = arg;

	for (uint64_t k = 0; k < n; k++) {
		if (a->i == a->win) {
			madvise(a->host, a->win * P, MADV_DONTNEED);
			a->i = 0;
		}
		((volatile char *)a->host)[a->i++ * P] = 1;
	}
	return a->i;
}

static struct kcore_system *vm_system(unsigned long nr_pages)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .nr_pages = nr_pages };

	return kcore_system_create(&cfg);
}

int bench_vm_fault(struct bench_ctx *ctx)
{
	struct kcore_system *sys = vm_system(2 * WIN_PAGES + 1024);
	struct fault_arg sim = { 0 }, host = { 0 };

	if (KCORE_IS_ERR(sys))
		return 1;
	sim.mm = kcore_mm_alloc(sys);
	sim.base = B0;
	/* 1 MiB windows on both sides: page clearing hits the caches. */
	sim.win = host.win = 256;
	if (kcore_mmap(sim.mm, B0, WIN_PAGES * P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)B0)
		return 1;
	host.host = mmap(NULL, WIN_PAGES * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (host.host == MAP_FAILED)
		return 1;
	/* Base pages on the host, as the simulator has no THP. */
	madvise(host.host, WIN_PAGES * P, MADV_NOHUGEPAGE);
	bench_compare(ctx, "vm_fault", "kcore_demand_fault", loop_sim_fault, &sim, "host_first_touch",
		      loop_host_fault, &host, 0.10);
	munmap(host.host, WIN_PAGES * P);
	kcore_mmput(sim.mm);
	kcore_system_destroy(sys);
	return 0;
}

/* ---- translate ---------------------------------------------------------- */

#define TR_PAGES 512UL

struct tr_arg {
	struct kcore_mm_struct *mm;
	char *frames[TR_PAGES];
	char *store;
};

static uint64_t loop_sim_translate(void *arg, uint64_t n)
{
	struct tr_arg *a = arg;
	uint64_t s = 0, v;

	for (uint64_t k = 0; k < n; k++) {
		unsigned long pg = (k * 7) & (TR_PAGES - 1);

		(void)kcore_copy_from_user(a->mm, &v, B0 + pg * P + 64, sizeof(v));
		s += v;
	}
	return s;
}

static uint64_t loop_array_translate(void *arg, uint64_t n)
{
	struct tr_arg *a = arg;
	uint64_t s = 0, v;

	for (uint64_t k = 0; k < n; k++) {
		unsigned long pg = (k * 7) & (TR_PAGES - 1);
		char *volatile f = a->frames[pg];

		memcpy(&v, f + 64, sizeof(v));
		s += v;
	}
	return s;
}

int bench_vm_translate(struct bench_ctx *ctx)
{
	struct kcore_system *sys = vm_system(TR_PAGES + 1024);
	struct tr_arg *a = calloc(1, sizeof(*a));
	uint64_t v = 42;

	if (KCORE_IS_ERR(sys) || !a)
		return 1;
	a->mm = kcore_mm_alloc(sys);
	if (kcore_mmap(a->mm, B0, TR_PAGES * P, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, NULL, 0) != (long)B0)
		return 1;
	a->store = calloc(TR_PAGES, P);
	for (unsigned long i = 0; i < TR_PAGES; i++) {
		(void)kcore_copy_to_user(a->mm, B0 + i * P + 64, &v, sizeof(v));
		a->frames[i] = a->store + i * P;
		memcpy(a->frames[i] + 64, &v, sizeof(v));
	}
	bench_compare(ctx, "vm_translate", "kcore_copy_from_user_8B", loop_sim_translate, a,
		      "array_lookup_8B", loop_array_translate, a, 2.0);
	kcore_mmput(a->mm);
	kcore_system_destroy(sys);
	free(a->store);
	free(a);
	return 0;
}

/* ---- fault scaling ------------------------------------------------------- */

int bench_vm_fault_scaling(struct bench_ctx *ctx)
{
	struct kcore_system *sys = vm_system(4 * WIN_PAGES + 4096);
	struct fault_arg *args = aligned_alloc(64, 2 * sizeof(*args));
	void *pa[2];
	struct kcore_mm_struct *mm;
	double one, two;

	if (KCORE_IS_ERR(sys) || !args)
		return 1;
	mm = kcore_mm_alloc(sys);
	memset(args, 0, 2 * sizeof(*args));
	for (int t = 0; t < 2; t++) {
		args[t].mm = mm;
		args[t].base = B0 + (unsigned long)t * 0x4000000UL;
		/* 1 MiB windows: page zeroing stays in the caches, so the bench
		   measures the fault path and not DRAM bandwidth. */
		args[t].win = 256;
		if (kcore_mmap(mm, args[t].base, WIN_PAGES * P, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)args[t].base)
			return 1;
		pa[t] = &args[t];
	}
	one = bench_throughput(ctx, "vm_fault_scaling.1thr", 1, loop_sim_fault, pa);
	two = bench_throughput(ctx, "vm_fault_scaling.2thr", 2, loop_sim_fault, pa);
	bench_report_ratio(ctx, "vm_fault_scaling", "2thr", "1thr", one > 0 ? two / one : 0, 1.85,
			   true, false);
	{
		/* The machine's own ceiling: the same two threads on two separate
		   systems (nothing shared at all), measured in the same run. */
		struct kcore_system *sys2 = vm_system(4 * WIN_PAGES + 4096);
		struct kcore_mm_struct *mm2;
		double indep;

		if (KCORE_IS_ERR(sys2))
			return 1;
		mm2 = kcore_mm_alloc(sys2);
		args[1].mm = mm2;
		args[1].i = 0;
		if (kcore_mmap(mm2, args[1].base, WIN_PAGES * P, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)args[1].base)
			return 1;
		indep = bench_throughput(ctx, "vm_fault_scaling.2thr_2systems", 2, loop_sim_fault, pa);
		bench_report_ratio(ctx, "vm_fault_scaling", "2thr_one_mm", "2thr_two_systems",
				   indep > 0 ? two / indep : 0, 0.95, true, false);
		kcore_mmput(mm2);
		kcore_system_destroy(sys2);
	}
	kcore_mmput(mm);
	kcore_system_destroy(sys);
	free(args);
	return 0;
}

/* ---- mremap ---------------------------------------------------------------- */

#define GIB (1UL << 30)

struct mremap_arg {
	struct kcore_mm_struct *mm;
	unsigned long a, b, len;
	int side;
};

static uint64_t loop_mremap(void *arg, uint64_t n)
{
	struct mremap_arg *m = arg;

	for (uint64_t k = 0; k < n; k++) {
		unsigned long from = m->side ? m->b : m->a, to = m->side ? m->a : m->b;

		if (kcore_mremap(m->mm, from, m->len, m->len, MREMAP_MAYMOVE | MREMAP_FIXED, to) != (long)to)
			return 0;
		m->side ^= 1;
	}
	return (uint64_t)m->side;
}

int bench_vm_mremap(struct bench_ctx *ctx)
{
	struct kcore_system *sys = vm_system(8192);
	struct mremap_arg al = { 0 }, mis = { 0 };
	struct bench_stat s1, s2;
	char line[256];

	if (KCORE_IS_ERR(sys))
		return 1;
	al.mm = kcore_mm_alloc(sys);
	al.a = 0x100000000UL;
	al.b = 0x200000000UL;
	al.len = GIB;
	/* Read faults map the zero page: 1 GiB of populated PTEs in 512 tables. */
	if (kcore_mmap(al.mm, al.a, GIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE,
		       NULL, 0) != (long)al.a)
		return 1;
	s1 = bench_measure(ctx, "vm_mremap.1GiB_pmd_aligned", loop_mremap, &al);
	kcore_mmput(al.mm);

	mis.mm = kcore_mm_alloc(sys);
	mis.a = 0x100000000UL;
	mis.b = 0x200000000UL + P; /* misaligned: every extent moves entry by entry */
	mis.len = GIB / 8;
	if (kcore_mmap(mis.mm, mis.a, mis.len, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, NULL, 0) != (long)mis.a)
		return 1;
	s2 = bench_measure(ctx, "vm_mremap.128MiB_misaligned", loop_mremap, &mis);
	kcore_mmput(mis.mm);
	snprintf(line, sizeof(line),
		 "vm_mremap: aligned %.3f ns/page (%.1f ns/PMD); misaligned %.2f ns/page (%.1f ns/PMD)\n",
		 s1.ns_per_op / (double)(GIB / P), s1.ns_per_op / 512.0,
		 s2.ns_per_op / (double)(mis.len / P), s2.ns_per_op / (double)(mis.len / (2UL << 20)));
	fputs(line, stdout);
	kcore_system_destroy(sys);
	return 0;
}

/* ---- mprotect ---------------------------------------------------------------- */

struct mprot_arg {
	struct kcore_mm_struct *mm;
	char *host;
	int flip;
};

static uint64_t loop_sim_mprotect(void *arg, uint64_t n)
{
	struct mprot_arg *m = arg;

	for (uint64_t k = 0; k < n; k++) {
		(void)kcore_mprotect(m->mm, B0 + 8 * P, P, m->flip ? PROT_READ | PROT_WRITE : PROT_READ);
		m->flip ^= 1;
	}
	return (uint64_t)m->flip;
}

static uint64_t loop_host_mprotect(void *arg, uint64_t n)
{
	struct mprot_arg *m = arg;

	for (uint64_t k = 0; k < n; k++) {
		mprotect(m->host + 8 * P, P, m->flip ? PROT_READ | PROT_WRITE : PROT_READ);
		m->flip ^= 1;
	}
	return (uint64_t)m->flip;
}

int bench_vm_mprotect(struct bench_ctx *ctx)
{
	struct kcore_system *sys = vm_system(1024);
	struct mprot_arg sim = { 0 }, host = { 0 };
	char c = 1;

	if (KCORE_IS_ERR(sys))
		return 1;
	sim.mm = kcore_mm_alloc(sys);
	if (kcore_mmap(sim.mm, B0, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       NULL, 0) != (long)B0)
		return 1;
	for (unsigned long i = 0; i < 16; i++)
		(void)kcore_copy_to_user(sim.mm, B0 + i * P, &c, 1);
	host.host = mmap(NULL, 16 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (host.host == MAP_FAILED)
		return 1;
	for (unsigned long i = 0; i < 16; i++)
		host.host[i * P] = 1;
	bench_compare(ctx, "vm_mprotect", "kcore_mprotect_1page", loop_sim_mprotect, &sim,
		      "host_mprotect_1page", loop_host_mprotect, &host, 1.0);
	munmap(host.host, 16 * P);
	kcore_mmput(sim.mm);
	kcore_system_destroy(sys);
	return 0;
}
