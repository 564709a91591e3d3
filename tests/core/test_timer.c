// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_timer.c - timers on simulated time, interrupt masking and the CPU
 * stopper (white-box: the timer API is library-internal).
 */
#include "kctest.h"

#include "core/cpu.h"
#include "core/system.h"
#include "core/timer.h"
#include <errno.h>
#include <pthread.h>
#include <time.h>

struct rec {
	int n;
	uint64_t at[64];
	int cpu[64];
	bool irqs_off[64];
};

static void record(struct kcore__timer *t)
{
	struct rec *r = t->data;
	int n = __atomic_load_n(&r->n, __ATOMIC_RELAXED);

	if (n < 64) {
		r->at[n] = kcore_clock_now_ns(t->sys);
		r->cpu[n] = kcore_smp_processor_id();
		r->irqs_off[n] = kcore_irqs_disabled();
	}
	/* Pairs with the acquire in test_core_timer__real_clock_fires(). */
	__atomic_store_n(&r->n, n + 1, __ATOMIC_RELEASE);
}

static void test_core_timer__manual_exact(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore__timer a, b;
	struct rec ra = { 0 }, rb = { 0 };

	kcore__timer_init(&a, sys, record, &ra, -1, 0);
	kcore__timer_init(&b, sys, record, &rb, -1, 0);
	kcore__timer_start(&a, 300, 0);
	kcore__timer_start(&b, 100, 250);
	assert_true(kcore__timer_pending(&a));
	assert_int_equal(kcore_clock_advance(sys, 99), 0);
	assert_int_equal(ra.n + rb.n, 0);
	assert_int_equal(kcore_clock_advance(sys, 1000 - 99), 0);
	/* b at 100, 350, 600, 850; a once at 300; each sees its exact expiry. */
	assert_int_equal(rb.n, 4);
	assert_int_equal(rb.at[0], 100);
	assert_int_equal(rb.at[1], 350);
	assert_int_equal(rb.at[2], 600);
	assert_int_equal(rb.at[3], 850);
	assert_int_equal(ra.n, 1);
	assert_int_equal(ra.at[0], 300);
	assert_int_equal(rb.cpu[0], -1);
	assert_false(kcore__timer_pending(&a));
	assert_true(kcore__timer_cancel(&b));
	assert_false(kcore__timer_cancel(&b));
	assert_int_equal(kcore_clock_now_ns(sys), 1000);
	assert_int_equal(kcore_clock_advance(sys, 10000), 0);
	assert_int_equal(rb.n, 4);
}

static int self_cancels;

static void cancel_self(struct kcore__timer *t)
{
	self_cancels++;
	assert_false(kcore__timer_cancel(t)); /* running, not queued: no deadlock */
}

static void restart_self(struct kcore__timer *t)
{
	struct rec *r = t->data;

	record(t);
	if (r->n < 3)
		kcore__timer_start(t, kcore_clock_now_ns(t->sys) + 7, 0);
}

static void test_core_timer__callbacks_rearm_and_cancel(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore__timer a, b;
	struct rec rb = { 0 };

	kcore__timer_init(&a, sys, cancel_self, NULL, -1, 0);
	kcore__timer_start(&a, 10, 10); /* periodic, cancelled from its callback */
	kcore__timer_init(&b, sys, restart_self, &rb, -1, 0);
	kcore__timer_start(&b, 5, 0);
	assert_int_equal(kcore_clock_advance(sys, 100), 0);
	assert_int_equal(self_cancels, 1);
	assert_int_equal(rb.n, 3);
	assert_int_equal(rb.at[1], 12);
	assert_int_equal(rb.at[2], 19);
}

struct irq_arg {
	struct kcore_system *sys;
	pthread_barrier_t *bar;
	struct rec *rec;
	int delivered_while_off, delivered_after_enable;
};

static void *cpu1_thread(void *p)
{
	struct irq_arg *a = p;

	assert_int_equal(kcore_cpu_enter(a->sys, 1), 0);
	kcore_local_irq_disable();
	pthread_barrier_wait(a->bar); /* 1: irqs are off */
	pthread_barrier_wait(a->bar); /* 2: main advanced the clock */
	a->delivered_while_off = a->rec->n;
	kcore_local_irq_enable();      /* the held tick runs here, on CPU 1 */
	a->delivered_after_enable = a->rec->n;
	kcore_cpu_leave();
	return NULL;
}

static void test_core_timer__held_while_irqs_off(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore__timer tick, nmi;
	struct rec rt = { 0 }, rn = { 0 };
	pthread_barrier_t bar;
	struct irq_arg a = { .sys = sys, .bar = &bar, .rec = &rt };
	pthread_t th;

	pthread_barrier_init(&bar, NULL, 2);
	kcore__timer_init(&tick, sys, record, &rt, 1, 0);
	kcore__timer_init(&nmi, sys, record, &rn, 1, KCORE__TIMER_NMI);
	kcore__timer_start(&tick, 100, 100);
	kcore__timer_start(&nmi, 100, 100);
	pthread_create(&th, NULL, cpu1_thread, &a);
	pthread_barrier_wait(&bar);
	assert_int_equal(kcore_clock_advance(sys, 350), 0);
	/* The NMI ran at 100, 200, 300 on CPU 1 despite irqs off; the tick is held. */
	assert_int_equal(rn.n, 3);
	assert_int_equal(rn.cpu[0], 1);
	assert_int_equal(rt.n, 0);
	pthread_barrier_wait(&bar);
	pthread_join(th, NULL);
	assert_int_equal(a.delivered_while_off, 0);
	/* Held once, delivered once (not once per missed period). */
	assert_int_equal(a.delivered_after_enable, 1);
	assert_int_equal(rt.cpu[0], 1);
	assert_true(rt.irqs_off[0]); /* handlers run with interrupts off */
	/* Re-armed past now: next at 400. */
	assert_int_equal(kcore_clock_advance(sys, 50), 0);
	assert_int_equal(rt.n, 2);
	assert_int_equal(rt.at[1], 400);
	kcore__timer_cancel(&tick);
	kcore__timer_cancel(&nmi);
	pthread_barrier_destroy(&bar);
}

static void test_core_timer__real_clock_fires(void **state)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_SCALED, .time_scale = 100 };
	struct kcore_system *sys = kcore_system_create(&cfg);
	struct kcore__timer t;
	struct rec r = { 0 };
	struct timespec ts = { 0, 1000000 };
	uint64_t start = kcore_clock_now_ns(sys);

	(void)state;
	assert_false(KCORE_IS_ERR(sys));
	kcore__timer_init(&t, sys, record, &r, -1, 0);
	/* 200 ms of simulated time = 2 ms of host time at scale 100. */
	kcore__timer_start(&t, start + 200000000ull, 200000000ull);
	for (int i = 0; i < 5000 && __atomic_load_n(&r.n, __ATOMIC_ACQUIRE) < 3; i++)
		nanosleep(&ts, NULL);
	kcore__timer_cancel(&t);
	assert_true(r.n >= 3);
	assert_true(r.at[0] >= start + 200000000ull);
	/* Periodic expiries stay on the grid: late runs do not shift it. */
	assert_true(r.at[1] >= start + 400000000ull);
	assert_true(r.at[2] >= start + 600000000ull);
	kcore_system_destroy(sys);
}

static int stop_ran_on;

static void stop_fn(struct kcore__cpu_stop_work *w)
{
	stop_ran_on = kcore_smp_processor_id();
	(*(int *)w->data)++;
}

static void test_core_cpu__stopper(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	int count = 0;
	struct kcore__cpu_stop_work w = { .fn = stop_fn, .data = &count };

	/* Idle CPU: runs at once. */
	assert_true(kcore__stop_one_cpu_nowait(sys, 2, &w));
	assert_int_equal(count, 1);
	assert_false(kcore__stop_one_cpu_nowait(sys, 9, &w));
	/* Busy CPU: runs at its next scheduling point, once. */
	assert_int_equal(kcore_cpu_enter(sys, 2), 0);
	assert_true(kcore__cpu_online_busy(sys, 2));
	assert_true(kcore__stop_one_cpu_nowait(sys, 2, &w));
	assert_false(kcore__stop_one_cpu_nowait(sys, 2, &w)); /* already queued */
	assert_int_equal(count, 1);
	kcore_cond_resched();
	assert_int_equal(count, 2);
	assert_int_equal(stop_ran_on, 2);
	kcore_cond_resched();
	assert_int_equal(count, 2);
	/* Queued work runs before the CPU is left. */
	assert_true(kcore__stop_one_cpu_nowait(sys, 2, &w));
	kcore_cpu_leave();
	assert_int_equal(count, 3);
	assert_false(kcore__cpu_online_busy(sys, 2));
}

static void test_core_percpu__areas(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	long *base = kcore__percpu_alloc(sys, sizeof(long));

	assert_non_null(base);
	for (unsigned int c = 0; c < 4; c++)
		*per_cpu_ptr(base, c) = (long)c * 10;
	for (unsigned int c = 0; c < 4; c++) {
		assert_int_equal(*per_cpu_ptr(base, c), c * 10);
		assert_true(((uintptr_t)per_cpu_ptr(base, c) & 63) == 0);
	}
	kcore__percpu_free(base);
	kcore_fail_nth(1);
	assert_null(kcore__percpu_alloc(sys, 8));
}

#define SYS_TEST(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SYS_TEST(test_core_timer__manual_exact),
		SYS_TEST(test_core_timer__callbacks_rearm_and_cancel),
		SYS_TEST(test_core_timer__held_while_irqs_off),
		cmocka_unit_test(test_core_timer__real_clock_fires),
		SYS_TEST(test_core_cpu__stopper),
		SYS_TEST(test_core_percpu__areas),
	};
	return cmocka_run_group_tests_name("core.timer", tests, NULL, NULL);
}
