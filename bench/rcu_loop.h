/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_loop.h - the read-side loop every RCU bench times: enter, load one
 * shared value (what a lookup would do), leave.  BENCH_RCU_READ_LOOP(fn,
 * lock, unlock) defines `static uint64_t fn(void *arg, uint64_t n)`.
 */
#ifndef KCORE_BENCH_RCU_LOOP_H
#define KCORE_BENCH_RCU_LOOP_H

#include <stdint.h>

static volatile uint64_t bench_rcu_shared_value = 1;

#define BENCH_RCU_READ_LOOP(fn, lock, unlock)                  \
	static uint64_t fn(void *arg, uint64_t n)              \
	{                                                      \
		uint64_t s = 0;                                \
		(void)arg;                                     \
		for (uint64_t i = 0; i < n; i++) {             \
			lock();                                \
			s += bench_rcu_shared_value;           \
			unlock();                              \
		}                                              \
		return s;                                      \
	}

#endif /* KCORE_BENCH_RCU_LOOP_H */
