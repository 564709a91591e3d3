/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* benches.h - prototypes of every registered bench (both drivers). */
#ifndef KCORE_BENCHES_H
#define KCORE_BENCHES_H

#include "bench.h"

#define KCORE_BENCH(name, group, desc) int bench_##name(struct bench_ctx *ctx);
#include "benches.def"
#include "benches-whitebox.def"
#undef KCORE_BENCH

#endif /* KCORE_BENCHES_H */
