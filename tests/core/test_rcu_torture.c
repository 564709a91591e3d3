// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_rcu_torture.c - an rcutorture-style check of libkcore's RCU glue.
 *
 * One writer publishes a new object, retires the previous one into a pipe
 * and, after each grace period, ages every retired object by one stage;
 * an object leaves the pipe after 10 stages, poisoned, then freed.  Readers
 * (half through the public kcore_rcu_read_lock(), half through the inline
 * wrapper the modules use) record the stage of what they see.  A reader can
 * see stage 0 (current) or 1 (retired during its section), never 2 or more:
 * that would mean a grace period ended under its feet.  A call_rcu updater
 * frees objects through callbacks; rcu_barrier must have run them all.
 * Readers are auto-registered threads that exit and are replaced, so
 * registration and unregistration race with grace periods too.
 *
 * KCORE_TEST_RCU_BROKEN=1 skips the writer's grace period: the test must
 * then fail, which shows it can.
 */
#include "kctest.h"

#include "core/alloc.h"
#include "core/rcu.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_LEN 10
#define POISON 0xdead

struct tobj {
	int stage;                 /* 0 current, 1.. retired, PIPE_LEN: leaving */
	int poison;
	struct tobj *next_retired;
	struct kcore__rcu_head rcu;
};

static struct tobj *current_obj;
static struct tobj *cb_obj;
static volatile int stop;
static unsigned long hist[PIPE_LEN + 1];
static unsigned long poisoned_seen;
static unsigned long cb_posted, cb_run;

static void account(unsigned long *local_hist, struct tobj *p)
{
	int s = __atomic_load_n(&p->stage, __ATOMIC_RELAXED);

	if (__atomic_load_n(&p->poison, __ATOMIC_RELAXED) == POISON)
		__atomic_fetch_add(&poisoned_seen, 1, __ATOMIC_RELAXED);
	local_hist[s > PIPE_LEN ? PIPE_LEN : s]++;
}

static void *reader(void *arg)
{
	bool public_api = (uintptr_t)arg & 1;
	unsigned long local[PIPE_LEN + 1] = { 0 };

	for (int i = 0; i < 20000 && !__atomic_load_n(&stop, __ATOMIC_RELAXED); i++) {
		struct tobj *p, *q;

		if (public_api)
			kcore_rcu_read_lock();
		else
			rcu_read_lock();
		p = rcu_dereference(current_obj);
		q = rcu_dereference(cb_obj);
		if (p)
			account(local, p);
		for (volatile int spin = 0; spin < 50; spin++)
			;
		if (p)
			account(local, p); /* still valid: same section */
		if (q && __atomic_load_n(&q->poison, __ATOMIC_RELAXED) == POISON)
			__atomic_fetch_add(&poisoned_seen, 1, __ATOMIC_RELAXED);
		if (public_api)
			kcore_rcu_read_unlock();
		else
			rcu_read_unlock();
	}
	for (int s = 0; s <= PIPE_LEN; s++)
		__atomic_fetch_add(&hist[s], local[s], __ATOMIC_RELAXED);
	return NULL;
}

static void free_cb(struct kcore__rcu_head *head)
{
	struct tobj *p = container_of(head, struct tobj, rcu);

	__atomic_store_n(&p->poison, POISON, __ATOMIC_RELAXED);
	kfree(p);
	__atomic_fetch_add(&cb_run, 1, __ATOMIC_RELAXED);
}

static void *cb_updater(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct tobj *n = knew(struct tobj), *old;

		assert_non_null(n);
		old = __atomic_exchange_n(&cb_obj, n, __ATOMIC_RELEASE);
		if (old) {
			__atomic_fetch_add(&cb_posted, 1, __ATOMIC_RELAXED);
			call_rcu(&old->rcu, free_cb);
		}
		for (volatile int spin = 0; spin < 2000; spin++)
			;
	}
	return NULL;
}

static void test_core_rcu__torture(void **state)
{
	unsigned long before = kcore_alloc_outstanding();
	unsigned int ms = kctest_duration_ms(1500);
	uint64_t t_end, gps = 0;
	struct tobj *retired = NULL;
	pthread_t readers[4], cbt;
	struct timespec now;
	unsigned long reads = 0;

	bool broken = getenv("KCORE_TEST_RCU_BROKEN") != NULL;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &now);
	t_end = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000 + ms;
	rcu_assign_pointer(current_obj, knew(struct tobj));
	for (int i = 0; i < 4; i++)
		pthread_create(&readers[i], NULL, reader, (void *)(uintptr_t)i);
	pthread_create(&cbt, NULL, cb_updater, NULL);

	for (;;) {
		struct tobj *n = knew(struct tobj), *old, **pp;

		assert_non_null(n);
		old = current_obj;
		rcu_assign_pointer(current_obj, n);
		__atomic_store_n(&old->stage, 1, __ATOMIC_RELAXED);
		old->next_retired = retired;
		retired = old;
		if (!broken)
			synchronize_rcu();
		gps++;
		/* Age the pipe: one more grace period for everyone in it. */
		for (pp = &retired; *pp;) {
			struct tobj *p = *pp;

			if (p->stage + 1 >= PIPE_LEN) {
				*pp = p->next_retired;
				__atomic_store_n(&p->poison, POISON, __ATOMIC_RELAXED);
				kfree(p);
				continue;
			}
			__atomic_store_n(&p->stage, p->stage + 1, __ATOMIC_RELAXED);
			pp = &p->next_retired;
		}
		/* Replace finished readers so registration keeps racing. */
		for (int i = 0; i < 4; i++) {
			if (pthread_tryjoin_np(readers[i], NULL) == 0)
				pthread_create(&readers[i], NULL, reader, (void *)(uintptr_t)i);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000 >= t_end)
			break;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 4; i++)
		pthread_join(readers[i], NULL);
	pthread_join(cbt, NULL);

	kfree(current_obj);
	while (retired) {
		struct tobj *p = retired;

		retired = p->next_retired;
		kfree(p);
	}
	kfree(cb_obj);
	rcu_barrier();
	for (int s = 0; s <= PIPE_LEN; s++)
		reads += hist[s];
	print_message("grace periods %llu, reads %lu, hist[0]=%lu [1]=%lu, callbacks %lu/%lu\n",
		      (unsigned long long)gps, reads, hist[0], hist[1], cb_run, cb_posted);
	for (int s = 2; s <= PIPE_LEN; s++)
		assert_int_equal(hist[s], 0);
	assert_int_equal(poisoned_seen, 0);
	assert_int_equal(cb_run, cb_posted);
	/* The run must mean something. */
	assert_true(gps >= 10);
	assert_true(reads >= 10000);
	kctest_assert_no_leaks(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_rcu__torture),
	};
	return cmocka_run_group_tests_name("core.rcu_torture", tests, NULL, NULL);
}
