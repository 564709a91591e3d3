// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * main.c - `kcore-bench`: runs the registered benches.
 *
 *   kcore-bench [--smoke] [--reps N] [--duration S] [--threads N] [--list]
 *               [NAME|GROUP ...]
 *
 * --duration is the length of one repetition in seconds (default 0.2).
 * --smoke runs every selected bench for a few milliseconds with no verdicts
 * (the ctest bench.smoke).  Missed targets never change the exit status;
 * a bench that cannot run (its setup failed) does.
 */
#include "bench.h"
#include "bench_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KCORE_BENCH(name, group, desc) int bench_##name(struct bench_ctx *ctx);
#include BENCH_DEF_FILE
#undef KCORE_BENCH

struct entry {
	const char *name, *group, *desc;
	int (*fn)(struct bench_ctx *ctx);
};

static const struct entry entries[] = {
#define KCORE_BENCH(name, group, desc) { #name, #group, desc, bench_##name },
#include BENCH_DEF_FILE
#undef KCORE_BENCH
};

#define NENTRIES (sizeof(entries) / sizeof(entries[0]))

static int selected(const struct entry *e, int argc, char **argv, int first)
{
	if (first >= argc)
		return 1;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], e->name) || !strcmp(argv[i], e->group))
			return 1;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kcore-bench [--smoke] [--reps N] [--duration S] [--threads N] "
		   "[--list] [NAME|GROUP...]\n");
}

int main(int argc, char **argv)
{
	struct bench_ctx ctx = { .reps = 7, .rep_seconds = 0.2, .threads = 2 };
	int first = argc, failed = 0, ran = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			ctx.smoke = true;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			ctx.reps = (unsigned int)strtoul(argv[++i], NULL, 0) | 1u;
		} else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
			ctx.rep_seconds = strtod(argv[++i], NULL);
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			ctx.threads = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--list")) {
			for (size_t k = 0; k < NENTRIES; k++)
				printf("%-28s %-10s %s\n", entries[k].name, entries[k].group,
				       entries[k].desc);
			return 0;
		} else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			usage(stderr);
			return 2;
		} else {
			first = i;
			break;
		}
	}
	if (!ctx.threads)
		ctx.threads = 1;

	if (!ctx.smoke)
		printf("# TSC: %.3f cycles/ns\n", bench_cycles_per_ns());
	for (size_t k = 0; k < NENTRIES; k++) {
		if (!selected(&entries[k], argc, argv, first))
			continue;
		printf("\n# %s (%s): %s\n", entries[k].name, entries[k].group, entries[k].desc);
		fflush(stdout);
		if (entries[k].fn(&ctx)) {
			printf("# %s: FAILED to run\n", entries[k].name);
			failed++;
		}
		ran++;
		fflush(stdout);
	}
	if (!ran) {
		fprintf(stderr, "kcore-bench: nothing selected\n");
		return 2;
	}
	bench__print_table();
	return failed ? 1 : 0;
}
