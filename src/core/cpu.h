/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu.h - simulated CPUs, per-CPU data and the CPU stopper.
 *
 * A simulated CPU is a slot a host thread occupies between kcore_cpu_enter()
 * and kcore_cpu_leave().  Its "interrupts" are the timers bound to it (see
 * timer.h); its stopper is a queue of work that runs at the next scheduling
 * point of the thread on it (kcore_cond_resched()), or at once when no thread
 * is on it (an idle CPU schedules its stopper immediately).
 */
#ifndef KCORE_SRC_CORE_CPU_H
#define KCORE_SRC_CORE_CPU_H

#include "compiler.h"
#include "list.h"
#include "lock.h"
#include <pthread.h>
#include <stdbool.h>

struct kcore_system;

struct kcore__cpu_stop_work {
	void (*fn)(struct kcore__cpu_stop_work *w);
	void *data;
	struct list_head node;
	bool queued; /* under the CPU's lock */
};

struct kcore__cpu {
	unsigned int id;
	struct kcore_system *sys;
	spinlock_t lock;
	uintptr_t owner;            /* kcore__thread_id() of the thread on it; 0 = idle */
	pthread_t thread;           /* valid while owner != 0 */
	bool irqs_disabled;         /* written by the owner only */
	struct list_head held;      /* timers held while interrupts are off (sys->timer_lock) */
	struct list_head stop_work; /* queued stopper work */
	void *curr_task;            /* the task the thread on it runs as (pid module) */
};

/* The CPU the calling thread runs on (or whose interrupt it serves), or NULL. */
struct kcore__cpu *kcore__this_cpu(void) KCORE_HIDDEN;
struct kcore__cpu *kcore__cpu(struct kcore_system *sys, unsigned int cpu) KCORE_HIDDEN;
/* The system of the CPU the calling thread is on, or NULL. */
struct kcore_system *kcore__this_sys(void) KCORE_HIDDEN;

/* Queues @w on @cpu's stopper, or runs it now if the CPU is idle.  Returns
   false if it was already queued. */
bool kcore__stop_one_cpu_nowait(struct kcore_system *sys, unsigned int cpu,
				struct kcore__cpu_stop_work *w) KCORE_HIDDEN;
/* Whether a thread runs on @cpu right now (racy snapshot). */
bool kcore__cpu_online_busy(struct kcore_system *sys, unsigned int cpu) KCORE_HIDDEN;

/* Per-CPU areas: one copy of @size bytes per CPU, each on its own cache lines. */
void *kcore__percpu_alloc(struct kcore_system *sys, size_t size) KCORE_HIDDEN; /* zeroed; NULL on failure */
void kcore__percpu_free(void *base) KCORE_HIDDEN;
size_t kcore__percpu_stride(const void *base) KCORE_HIDDEN;
#define per_cpu_ptr(base, cpu) \
	((__typeof__(base))((char *)(base) + (size_t)(cpu) * kcore__percpu_stride(base)))

/* Timer-delivery glue for timer.c: runs @fn as an interrupt on @cpu. */
void kcore__cpu_run_as_irq(struct kcore__cpu *cpu, void (*fn)(void *), void *arg) KCORE_HIDDEN;
/* Runs the held timers of the calling thread's CPU (irq enable, leave). */
void kcore__cpu_deliver_held(struct kcore__cpu *cpu) KCORE_HIDDEN;

#endif /* KCORE_SRC_CORE_CPU_H */
