/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench_internal.h - harness internals shared by bench.c and main.c. */
#ifndef KCORE_BENCH_INTERNAL_H
#define KCORE_BENCH_INTERNAL_H

#include "bench.h"

struct bench_row {
	char bench[64];
	char what[48];
	double value;
	char target[16];
	char status[16];
};

void bench__print_table(void);

#endif /* KCORE_BENCH_INTERNAL_H */
