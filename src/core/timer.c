// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * timer.c - timers on simulated time, and kcore_clock_advance().
 *
 * Mirrors the hrtimer contract of kernel/time/hrtimer.c (v6.12) in what a
 * user can see: callbacks run once their expiry has passed, in expiry order,
 * a periodic timer is forwarded past now after each run, cancel waits for a
 * running callback.  SIM: one sorted list and one thread per system instead
 * of per-CPU bases and clock events.
 *
 * Locking: sys->timer_lock protects the list, the CPUs' held lists, every
 * timer's state and its running count.  Callbacks run without it.  sys->timer_cond wakes the timer
 * thread when the earliest expiry changes and wakes cancellers when a
 * callback finishes.
 */
#include <kcore/core.h>

#include "cpu.h"
#include "system.h"
#include "timer.h"
#include <errno.h>
#include <time.h>

enum { TIMER_IDLE, TIMER_QUEUED, TIMER_HELD };

static void timer_cond_init(struct kcore_system *sys)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&sys->timer_cond, &a);
	pthread_condattr_destroy(&a);
}

int kcore__timers_init(struct kcore_system *sys)
{
	mutex_init(&sys->timer_lock);
	mutex_init(&sys->advance_lock);
	timer_cond_init(sys);
	INIT_LIST_HEAD(&sys->timers);
	return 0;
}

void kcore__timer_init(struct kcore__timer *t, struct kcore_system *sys,
		       void (*fn)(struct kcore__timer *t), void *data, int cpu, unsigned int flags)
{
	t->sys = sys;
	t->fn = fn;
	t->data = data;
	t->cpu = cpu;
	t->flags = flags;
	t->expires = 0;
	t->period = 0;
	INIT_LIST_HEAD(&t->node);
	t->state = TIMER_IDLE;
	t->running = 0;
	t->gen = 0;
}

/* Inserts @t in expiry order; equal expiries keep arming order. */
static void enqueue(struct kcore_system *sys, struct kcore__timer *t)
{
	struct kcore__timer *pos;

	list_for_each_entry_reverse(pos, &sys->timers, node) {
		if (pos->expires <= t->expires) {
			__list_add(&t->node, &pos->node, pos->node.next);
			goto out;
		}
	}
	list_add(&t->node, &sys->timers);
out:
	t->state = TIMER_QUEUED;
}

static void dequeue(struct kcore__timer *t)
{
	if (t->state != TIMER_IDLE)
		list_del_init(&t->node);
	t->state = TIMER_IDLE;
}

static void *timer_thread_fn(void *arg);

/* REAL/SCALED: the timer thread starts with the first timer armed. */
static void wake_timer_thread(struct kcore_system *sys)
{
	if (sys->cfg.clock == KCORE_CLOCK_MANUAL)
		return;
	if (!sys->timer_thread_started) {
		if (pthread_create(&sys->timer_thread, NULL, timer_thread_fn, sys) == 0)
			sys->timer_thread_started = true;
		else
			kcore_printk(sys, KERN_ERR, "kcore: cannot start the timer thread\n");
		return;
	}
	pthread_cond_broadcast(&sys->timer_cond);
}

void kcore__timer_start(struct kcore__timer *t, uint64_t expires, uint64_t period)
{
	struct kcore_system *sys = t->sys;

	mutex_lock(&sys->timer_lock);
	dequeue(t);
	t->gen++;
	t->expires = expires;
	t->period = period;
	enqueue(sys, t);
	wake_timer_thread(sys);
	mutex_unlock(&sys->timer_lock);
}

static bool in_own_callback(struct kcore__timer *t);

bool kcore__timer_cancel(struct kcore__timer *t)
{
	struct kcore_system *sys = t->sys;
	bool was;

	mutex_lock(&sys->timer_lock);
	was = t->state != TIMER_IDLE;
	dequeue(t);
	t->gen++;
	if (!in_own_callback(t)) {
		while (t->running)
			pthread_cond_wait(&sys->timer_cond, &sys->timer_lock.l.m);
	}
	mutex_unlock(&sys->timer_lock);
	return was;
}

bool kcore__timer_pending(struct kcore__timer *t)
{
	bool p;

	mutex_lock(&t->sys->timer_lock);
	p = t->state != TIMER_IDLE;
	mutex_unlock(&t->sys->timer_lock);
	return p;
}

static __thread struct kcore__timer *running_timer;

static bool in_own_callback(struct kcore__timer *t)
{
	return running_timer == t;
}

static void call_fn(void *arg)
{
	struct kcore__timer *t = arg, *outer = running_timer;

	running_timer = t;
	t->fn(t);
	running_timer = outer;
}

/*
 * Runs @t, whose expiry has passed, with the timer lock held on entry and
 * exit.  A timer bound to a CPU whose interrupts are off is parked on that
 * CPU's held list instead.
 */
static void run_timer(struct kcore_system *sys, struct kcore__timer *t, uint64_t now, bool held)
{
	struct kcore__cpu *cpu = t->cpu >= 0 ? kcore__cpu(sys, (unsigned int)t->cpu) : NULL;
	uint64_t gen;

	dequeue(t);
	/* The owner clears irqs_disabled before it takes the timer lock to
	   deliver the held list, so a timer parked here is never stranded. */
	if (cpu && !(t->flags & KCORE__TIMER_NMI) && !held &&
	    __atomic_load_n(&cpu->irqs_disabled, __ATOMIC_ACQUIRE)) {
		list_add_tail(&t->node, &cpu->held);
		t->state = TIMER_HELD;
		return;
	}

	gen = t->gen;
	t->running++;
	mutex_unlock(&sys->timer_lock);
	if (cpu)
		kcore__cpu_run_as_irq(cpu, call_fn, t);
	else
		call_fn(t);
	mutex_lock(&sys->timer_lock);
	t->running--;
	/* Re-arm unless the callback (or anyone) restarted or cancelled it. */
	if (t->period && t->gen == gen && t->state == TIMER_IDLE) {
		uint64_t next = t->expires + t->period;

		if (next <= now) /* hrtimer_forward_now(): skip missed periods */
			next += ((now - next) / t->period + 1) * t->period;
		t->expires = next;
		enqueue(sys, t);
	}
	pthread_cond_broadcast(&sys->timer_cond);
}

void kcore__cpu_deliver_held(struct kcore__cpu *cpu)
{
	struct kcore_system *sys = cpu->sys;

	mutex_lock(&sys->timer_lock);
	for (;;) {
		struct kcore__timer *t;

		if (list_empty(&cpu->held))
			break;
		t = list_first_entry(&cpu->held, struct kcore__timer, node);
		run_timer(sys, t, kcore_clock_now_ns(sys), true);
	}
	mutex_unlock(&sys->timer_lock);
}

/* Runs every timer due at or before @now; lock held. */
static void run_due(struct kcore_system *sys, uint64_t now)
{
	while (!list_empty(&sys->timers)) {
		struct kcore__timer *t = list_first_entry(&sys->timers, struct kcore__timer, node);

		if (t->expires > now)
			break;
		run_timer(sys, t, now, false);
	}
}

static void *timer_thread_fn(void *arg)
{
	struct kcore_system *sys = arg;

	mutex_lock(&sys->timer_lock);
	while (!sys->timer_thread_stop) {
		uint64_t now = kcore_clock_now_ns(sys);

		run_due(sys, now);
		if (sys->timer_thread_stop)
			break;
		if (list_empty(&sys->timers)) {
			pthread_cond_wait(&sys->timer_cond, &sys->timer_lock.l.m);
		} else {
			struct kcore__timer *t = list_first_entry(&sys->timers, struct kcore__timer, node);
			uint64_t host = kcore__sim_to_host_ns(sys, t->expires);
			struct timespec ts = { .tv_sec = (time_t)(host / 1000000000ull),
					       .tv_nsec = (long)(host % 1000000000ull) };

			pthread_cond_timedwait(&sys->timer_cond, &sys->timer_lock.l.m, &ts);
		}
	}
	mutex_unlock(&sys->timer_lock);
	/* The thread may have taken part in RCU through callbacks. */
	return NULL;
}

int kcore_clock_advance(struct kcore_system *sys, uint64_t ns)
{
	uint64_t target;

	if (!sys || sys->cfg.clock != KCORE_CLOCK_MANUAL)
		return -EINVAL;

	mutex_lock(&sys->advance_lock);
	target = __atomic_load_n(&sys->manual_now, __ATOMIC_RELAXED);
	target = target + ns < target ? UINT64_MAX : target + ns;

	mutex_lock(&sys->timer_lock);
	for (;;) {
		struct kcore__timer *t;

		if (list_empty(&sys->timers))
			break;
		t = list_first_entry(&sys->timers, struct kcore__timer, node);
		if (t->expires > target)
			break;
		/* Time steps to the exact expiry, never backwards. */
		if (t->expires > sys->manual_now)
			__atomic_store_n(&sys->manual_now, t->expires, __ATOMIC_RELEASE);
		run_timer(sys, t, sys->manual_now, false);
	}
	__atomic_store_n(&sys->manual_now, target, __ATOMIC_RELEASE);
	mutex_unlock(&sys->timer_lock);
	mutex_unlock(&sys->advance_lock);
	return 0;
}

void kcore__timers_exit(struct kcore_system *sys)
{
	mutex_lock(&sys->timer_lock);
	sys->timer_thread_stop = true;
	pthread_cond_broadcast(&sys->timer_cond);
	mutex_unlock(&sys->timer_lock);
	if (sys->timer_thread_started)
		pthread_join(sys->timer_thread, NULL);
	WARN_ON(!list_empty(&sys->timers));
	pthread_cond_destroy(&sys->timer_cond);
	mutex_destroy(&sys->timer_lock);
	mutex_destroy(&sys->advance_lock);
}
