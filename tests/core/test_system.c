// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_system.c - system lifecycle, config validation, clock, CPUs, kernel
 * log, errors and fault injection, through the public API only.
 */
#include "kctest.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void test_core_system__defaults(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_system_config cfg;

	assert_int_equal(kcore_system_get_config(sys, &cfg), 0);
	assert_int_equal(cfg.nr_cpus, 4);
	assert_int_equal(cfg.nr_pages, 65536);
	assert_int_equal(cfg.mmap_min_addr, 65536);
	assert_int_equal(cfg.pid_max, 32768);
	assert_int_equal(cfg.max_map_count, 65530);
	assert_int_equal(cfg.time_scale, 1);
	assert_int_equal(cfg.clock, KCORE_CLOCK_MANUAL);
	assert_int_equal(kcore_num_possible_cpus(sys), 4);
	assert_int_equal(kcore_num_possible_cpus(NULL), 0);
	assert_int_equal(kcore_system_get_config(NULL, &cfg), -EINVAL);
	assert_int_equal(kcore_system_get_config(sys, NULL), -EINVAL);
	assert_string_equal(kcore_clock_mode_name(sys), "manual");
	assert_string_equal(kcore_clock_mode_name(NULL), "?");
}

/* pid_max bounds follow kernel/pid.c: [max(301, 8 * nr_cpus), 4194304]. */
static void test_core_system__config_validation(void **state)
{
	static const struct {
		unsigned int nr_cpus;
		int pid_max;
		int clock;
		int expect;
	} rows[] = {
		{ 4, 300, KCORE_CLOCK_REAL, -EINVAL },
		{ 4, 301, KCORE_CLOCK_REAL, 0 },
		{ 4, 4194304, KCORE_CLOCK_REAL, 0 },
		{ 4, 4194305, KCORE_CLOCK_REAL, -EINVAL },
		{ 4, -5, KCORE_CLOCK_REAL, -EINVAL },
		{ 64, 511, KCORE_CLOCK_REAL, -EINVAL }, /* 8 * 64 = 512 */
		{ 64, 512, KCORE_CLOCK_REAL, 0 },
		{ 256, 2048, KCORE_CLOCK_MANUAL, 0 },
		{ 257, 32768, KCORE_CLOCK_REAL, -EINVAL },
		{ 4, 32768, 3, -EINVAL },
		{ 4, 32768, -1, -EINVAL },
	};
	unsigned long before = kcore_alloc_outstanding();

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct kcore_system_config cfg = { .nr_cpus = rows[i].nr_cpus,
						   .pid_max = rows[i].pid_max,
						   .clock = (enum kcore_clock_mode)rows[i].clock };
		struct kcore_system *sys = kcore_system_create(&cfg);

		if (rows[i].expect) {
			assert_true(KCORE_IS_ERR(sys));
			assert_int_equal(KCORE_PTR_ERR(sys), rows[i].expect);
		} else {
			assert_false(KCORE_IS_ERR_OR_NULL(sys));
			kcore_system_destroy(sys);
		}
	}
	kcore_system_destroy(NULL);
	kctest_assert_no_leaks(before);
}

static void test_core_system__many_systems(void **state)
{
	struct kcore_system_config a = { .nr_cpus = 1, .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system_config b = { .nr_cpus = 8, .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system *sa = kcore_system_create(&a), *sb = kcore_system_create(&b);

	(void)state;
	assert_false(KCORE_IS_ERR(sa));
	assert_false(KCORE_IS_ERR(sb));
	assert_int_equal(kcore_num_possible_cpus(sa), 1);
	assert_int_equal(kcore_num_possible_cpus(sb), 8);
	assert_int_equal(kcore_clock_advance(sa, 5), 0);
	assert_int_equal(kcore_clock_now_ns(sa), 5);
	assert_int_equal(kcore_clock_now_ns(sb), 0);
	kcore_system_destroy(sa);
	kcore_system_destroy(sb);
}

/* Every allocation of system creation can fail cleanly. */
static void test_core_system__create_oom_sweep(void **state)
{
	unsigned long before = kcore_alloc_outstanding();
	struct kcore_system *sys = NULL;
	unsigned int n;

	(void)state;
	KCTEST_OOM_SWEEP(n, sys = kcore_system_create(NULL),
			 {
				 assert_true(KCORE_IS_ERR(sys));
				 assert_int_equal(KCORE_PTR_ERR(sys), -ENOMEM);
				 kctest_assert_no_leaks(before);
			 },
			 {
				 assert_false(KCORE_IS_ERR(sys));
				 kcore_system_destroy(sys);
			 });
	assert_true(n > 1);
	kctest_assert_no_leaks(before);
}

static void test_core_clock__manual(void **state)
{
	struct kcore_system *sys = kctest_sys(state);

	assert_int_equal(kcore_clock_now_ns(sys), 0);
	assert_int_equal(kcore_clock_advance(sys, 1000), 0);
	assert_int_equal(kcore_clock_advance(sys, 0), 0);
	assert_int_equal(kcore_clock_now_ns(sys), 1000);
	assert_int_equal(kcore_clock_advance(NULL, 1), -EINVAL);
	/* Saturates instead of wrapping. */
	assert_int_equal(kcore_clock_advance(sys, UINT64_MAX), 0);
	assert_true(kcore_clock_now_ns(sys) == UINT64_MAX);
	assert_int_equal(kcore_clock_now_ns(NULL), 0);
}

static void test_core_clock__real_and_scaled(void **state)
{
	struct kcore_system_config r = { .clock = KCORE_CLOCK_REAL };
	struct kcore_system_config s = { .clock = KCORE_CLOCK_SCALED, .time_scale = 1000 };
	struct kcore_system *sr = kcore_system_create(&r), *ss = kcore_system_create(&s);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	uint64_t r0, s0, r1, s1, prev = 0;

	(void)state;
	assert_false(KCORE_IS_ERR(sr));
	assert_false(KCORE_IS_ERR(ss));
	assert_int_equal(kcore_clock_advance(sr, 1), -EINVAL);
	assert_int_equal(kcore_clock_advance(ss, 1), -EINVAL);
	r0 = kcore_clock_now_ns(sr);
	s0 = kcore_clock_now_ns(ss);
	nanosleep(&ts, NULL);
	r1 = kcore_clock_now_ns(sr);
	s1 = kcore_clock_now_ns(ss);
	assert_true(r1 - r0 >= 20000000ull);
	/* 20 ms of host time is at least 20 s of scaled time. */
	assert_true(s1 - s0 >= 20000000000ull);
	for (int i = 0; i < 100000; i++) { /* never backwards */
		uint64_t now = kcore_clock_now_ns(sr);
		assert_true(now >= prev);
		prev = now;
	}
	kcore_system_destroy(sr);
	kcore_system_destroy(ss);
}

struct enter_arg {
	struct kcore_system *sys;
	unsigned int cpu;
	int ret, id_inside;
};

static void *enter_thread(void *p)
{
	struct enter_arg *a = p;

	a->ret = kcore_cpu_enter(a->sys, a->cpu);
	a->id_inside = kcore_smp_processor_id();
	/* Exits while on the CPU: the CPU must be released automatically. */
	return NULL;
}

static void test_core_cpu__enter_leave(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct enter_arg a = { .sys = sys, .cpu = 1 };
	pthread_t th;

	assert_int_equal(kcore_smp_processor_id(), -1);
	assert_int_equal(kcore_cpu_enter(NULL, 0), -EINVAL);
	assert_int_equal(kcore_cpu_enter(sys, 4), -EINVAL);
	assert_int_equal(kcore_cpu_enter(sys, 1), 0);
	assert_int_equal(kcore_smp_processor_id(), 1);
	assert_int_equal(kcore_cpu_enter(sys, 2), -EINVAL); /* already on a CPU */

	pthread_create(&th, NULL, enter_thread, &a);
	pthread_join(th, NULL);
	assert_int_equal(a.ret, -EBUSY);
	assert_int_equal(a.id_inside, -1);

	kcore_cpu_leave();
	assert_int_equal(kcore_smp_processor_id(), -1);
	kcore_cpu_leave(); /* no-op */

	a.ret = -1;
	pthread_create(&th, NULL, enter_thread, &a);
	pthread_join(th, NULL);
	assert_int_equal(a.ret, 0);
	assert_int_equal(a.id_inside, 1);
	/* That thread exited on CPU 1; it is free again. */
	assert_int_equal(kcore_cpu_enter(sys, 1), 0);
	kcore_cpu_leave();
}

static void test_core_cpu__irq_flag(void **state)
{
	struct kcore_system *sys = kctest_sys(state);

	kcore_local_irq_disable(); /* on no CPU: nothing happens */
	assert_false(kcore_irqs_disabled());
	assert_int_equal(kcore_cpu_enter(sys, 0), 0);
	assert_false(kcore_irqs_disabled());
	kcore_local_irq_disable();
	assert_true(kcore_irqs_disabled());
	kcore_local_irq_disable(); /* does not nest */
	kcore_local_irq_enable();
	assert_false(kcore_irqs_disabled());
	kcore_cond_resched();
	kcore_local_irq_disable();
	kcore_cpu_leave(); /* leaving re-enables */
	assert_false(kcore_irqs_disabled());
	assert_int_equal(kcore_cpu_enter(sys, 0), 0);
	assert_false(kcore_irqs_disabled());
	kcore_cpu_leave();
}

struct captured {
	int n;
	int levels[8];
	char lines[8][128];
};

static void capture(void *arg, int level, const char *line)
{
	struct captured *c = arg;

	if (c->n < 8) {
		c->levels[c->n] = level;
		snprintf(c->lines[c->n], sizeof(c->lines[0]), "%s", line);
	}
	c->n++;
}

static void test_core_printk__format_and_sink(void **state)
{
	struct captured cap = { 0 };
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL, .log = capture,
					   .log_arg = &cap };
	struct kcore_system *sys = kcore_system_create(&cfg);
	char buf[512];
	size_t n;

	(void)state;
	assert_false(KCORE_IS_ERR(sys));
	assert_int_equal(cap.n, 1); /* the boot banner */
	assert_int_equal(kcore_clock_advance(sys, 1234567890ull), 0);
	assert_int_equal(kcore_printk(sys, 3, "disk %d failed\n", 7), 14);
	assert_int_equal(kcore_printk(sys, 99, "clamped"), 7);
	assert_int_equal(kcore_printk(NULL, 3, "x"), -EINVAL);
	assert_int_equal(cap.n, 3);
	assert_int_equal(cap.levels[1], 3);
	assert_string_equal(cap.lines[1], "[    1.234567] disk 7 failed");
	assert_int_equal(cap.levels[2], 4);

	n = kcore_dmesg(sys, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_int_equal(kcore_dmesg(sys, NULL, 0), n);
	assert_non_null(strstr(buf, "[    1.234567] disk 7 failed\n[    1.234567] clamped\n"));
	assert_true(strncmp(buf, "[    0.000000] Linux version", 28) == 0);

	/* A short buffer gets the newest whole lines. */
	n = kcore_dmesg(sys, buf, 40);
	assert_string_equal(buf, "[    1.234567] clamped\n");
	assert_int_equal(n, 23);
	assert_int_equal(kcore_dmesg(NULL, buf, sizeof(buf)), 0);
	kcore_system_destroy(sys);
}

static void test_core_printk__ring_wraps(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	size_t need;
	char *buf;

	for (int i = 0; i < 5000; i++)
		assert_true(kcore_printk(sys, 7, "line %05d %s", i,
					 "padding padding padding padding padding") > 0);
	need = kcore_dmesg(sys, NULL, 0);
	assert_true(need <= (1u << 17));
	assert_true(need > (1u << 17) - 128);
	buf = malloc(need + 1);
	assert_int_equal(kcore_dmesg(sys, buf, need + 1), need);
	/* The oldest lines went, whole; the newest is last. */
	assert_null(strstr(buf, "line 00000 "));
	assert_true(buf[0] == '[');
	assert_non_null(strstr(buf, "line 04999 padding"));
	assert_true(buf[need - 1] == '\n');
	free(buf);
}

static void test_core_err__helpers(void **state)
{
	void *p = KCORE_ERR_PTR(-ENOMEM);

	(void)state;
	assert_true(KCORE_IS_ERR(p));
	assert_true(KCORE_IS_ERR_OR_NULL(p));
	assert_true(KCORE_IS_ERR_OR_NULL(NULL));
	assert_false(KCORE_IS_ERR(NULL));
	assert_int_equal(KCORE_PTR_ERR(p), -ENOMEM);
	assert_true(KCORE_IS_ERR(KCORE_ERR_PTR(-KCORE_MAX_ERRNO)));
	assert_false(KCORE_IS_ERR(KCORE_ERR_PTR(-KCORE_MAX_ERRNO - 1)));
	assert_false(KCORE_IS_ERR(&p));
	assert_string_equal(kcore_strerror(-EINVAL), "Invalid argument");
	assert_string_equal(kcore_strerror(ENOMEM), "Cannot allocate memory");
	assert_string_equal(kcore_strerror(0), "Success");
	assert_string_equal(kcore_err_name(-EEXIST), "EEXIST");
	assert_null(kcore_err_name(0));
	assert_null(kcore_err_name(-100000));
	assert_non_null(kcore_strerror(-100000));
	assert_string_equal(kcore_version(), KCORE_VERSION_STRING);
	assert_string_equal(kcore_rcu_flavor_name(), "memb");
}

static void test_core_fail_nth__countdown(void **state)
{
	(void)state;
	assert_false(kcore_fail_nth_pending());
	kcore_fail_nth(3);
	assert_true(kcore_fail_nth_pending());
	kcore_fail_nth(0);
	assert_false(kcore_fail_nth_pending());
}

static void *reader_thread(void *p)
{
	int *seen = p;

	/* No registration: the first read-side section registers the thread,
	   and its exit unregisters it (else synchronize_rcu would hang). */
	kcore_rcu_read_lock();
	kcore_rcu_read_lock();
	*seen = 1;
	kcore_rcu_read_unlock();
	kcore_rcu_read_unlock();
	return NULL;
}

static void test_core_rcu__auto_registration(void **state)
{
	pthread_t th[4];
	int seen[4] = { 0 };

	(void)state;
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, reader_thread, &seen[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(seen[i], 1);
	kcore_synchronize_rcu(); /* would hang on a reader left registered online */
	assert_int_equal(kcore_thread_register(), 0);
	assert_int_equal(kcore_thread_register(), 0);
	kcore_thread_unregister();
	kcore_rcu_read_lock();
	kcore_rcu_read_unlock();
	kcore_thread_unregister();
	kcore_thread_unregister(); /* unbalanced: ignored */
	kcore_synchronize_rcu();
	kcore_rcu_barrier();
}

#define SYS_TEST(fn) cmocka_unit_test_setup_teardown(fn, kctest_sys_setup, kctest_sys_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SYS_TEST(test_core_system__defaults),
		cmocka_unit_test(test_core_system__config_validation),
		cmocka_unit_test(test_core_system__many_systems),
		cmocka_unit_test(test_core_system__create_oom_sweep),
		SYS_TEST(test_core_clock__manual),
		cmocka_unit_test(test_core_clock__real_and_scaled),
		SYS_TEST(test_core_cpu__enter_leave),
		SYS_TEST(test_core_cpu__irq_flag),
		cmocka_unit_test(test_core_printk__format_and_sink),
		SYS_TEST(test_core_printk__ring_wraps),
		cmocka_unit_test(test_core_err__helpers),
		cmocka_unit_test(test_core_fail_nth__countdown),
		cmocka_unit_test(test_core_rcu__auto_registration),
	};
	return cmocka_run_group_tests_name("core.system", tests, NULL, NULL);
}
