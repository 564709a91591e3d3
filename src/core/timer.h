/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * timer.h - timers on simulated time (the hrtimer idea, one list per system).
 *
 * A timer runs its callback once it falls due on the system's simulated
 * clock: on the system's timer thread for REAL and SCALED clocks, on the
 * thread calling kcore_clock_advance() for MANUAL ones, where each callback
 * sees the clock at the timer's exact expiry.
 *
 * A timer bound to a CPU is that CPU's interrupt: its callback runs with
 * kcore_smp_processor_id() equal to that CPU, and while the thread on the
 * CPU has interrupts disabled the callback is held and delivered by
 * kcore_local_irq_enable() on that thread.  KCORE__TIMER_NMI timers are
 * never held (the NMI-driven hard lockup detector).
 *
 * Periodic timers are forwarded past the current time after each run, as
 * hrtimer_forward_now() does: a held or late timer runs once, not once per
 * missed period.  In MANUAL mode time steps to each expiry, so none is
 * missed.
 */
#ifndef KCORE_SRC_CORE_TIMER_H
#define KCORE_SRC_CORE_TIMER_H

#include "compiler.h"
#include "list.h"
#include <stdbool.h>
#include <stdint.h>

struct kcore_system;

#define KCORE__TIMER_NMI 0x1u

struct kcore__timer {
	struct kcore_system *sys;
	void (*fn)(struct kcore__timer *t);
	void *data;                /* for the callback's use */
	int cpu;                   /* -1: not bound to a CPU */
	unsigned int flags;
	/* private to timer.c, under the system's timer lock */
	uint64_t expires;          /* simulated ns */
	uint64_t period;           /* 0: one-shot */
	struct list_head node;     /* in the system's sorted list, or a CPU's held list */
	int state;                 /* idle, queued, held */
	unsigned int running;      /* callbacks in progress */
	uint64_t gen;              /* bumped by start/cancel so a running callback's re-arm is dropped */
};

void kcore__timer_init(struct kcore__timer *t, struct kcore_system *sys,
		       void (*fn)(struct kcore__timer *t), void *data, int cpu,
		       unsigned int flags) KCORE_HIDDEN;
/* Arms (or re-arms) @t to fire at simulated time @expires, then every
   @period ns if @period is non-zero.  Callable from the timer's callback. */
void kcore__timer_start(struct kcore__timer *t, uint64_t expires, uint64_t period) KCORE_HIDDEN;
/* Disarms @t and waits until no callback of it runs (unless called from that
   callback).  Returns whether it was armed. */
bool kcore__timer_cancel(struct kcore__timer *t) KCORE_HIDDEN;
bool kcore__timer_pending(struct kcore__timer *t) KCORE_HIDDEN;

#endif /* KCORE_SRC_CORE_TIMER_H */
