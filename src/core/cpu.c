// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cpu.c - simulated CPUs: enter/leave, interrupt masking, the stopper and
 * per-CPU areas.
 *
 * SIM: the kernel's CPUs exist whether or not a task runs; here a CPU with
 * no thread on it is idle, and work queued for it runs at once.
 *
 * Locking: cpu->lock protects owner and the stopper queue.  irqs_disabled
 * is written only by the thread on the CPU and read by the timer code.
 */
#include <kcore/core.h>

#include "alloc.h"
#include "cpu.h"
#include "system.h"
#include <errno.h>
#include <string.h>

static __thread struct kcore__cpu *this_cpu;  /* the CPU this thread occupies */
static __thread struct kcore__cpu *irq_cpu;   /* the CPU whose interrupt it serves */

static pthread_key_t cpu_exit_key;
static pthread_once_t cpu_exit_once = PTHREAD_ONCE_INIT;

static void cpu_thread_exit(void *unused)
{
	(void)unused;
	kcore_cpu_leave();
}

static void make_cpu_exit_key(void)
{
	BUG_ON(pthread_key_create(&cpu_exit_key, cpu_thread_exit));
}

int kcore__cpus_init(struct kcore_system *sys)
{
	unsigned int n = sys->cfg.nr_cpus;

	sys->cpus = kcalloc(n, sizeof(*sys->cpus));
	if (!sys->cpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct kcore__cpu *c = &sys->cpus[i];

		c->id = i;
		c->sys = sys;
		spin_lock_init(&c->lock);
		INIT_LIST_HEAD(&c->held);
		INIT_LIST_HEAD(&c->stop_work);
	}
	return 0;
}

void kcore__cpus_exit(struct kcore_system *sys)
{
	for (unsigned int i = 0; i < sys->cfg.nr_cpus; i++) {
		WARN_ON(READ_ONCE(sys->cpus[i].owner));
		spin_lock_destroy(&sys->cpus[i].lock);
	}
	kfree(sys->cpus);
}

struct kcore__cpu *kcore__this_cpu(void)
{
	return irq_cpu ? irq_cpu : this_cpu;
}

struct kcore_system *kcore__this_sys(void)
{
	struct kcore__cpu *c = kcore__this_cpu();

	return c ? c->sys : NULL;
}

struct kcore__cpu *kcore__cpu(struct kcore_system *sys, unsigned int cpu)
{
	return cpu < sys->cfg.nr_cpus ? &sys->cpus[cpu] : NULL;
}

unsigned int kcore_num_possible_cpus(struct kcore_system *sys)
{
	return sys ? sys->cfg.nr_cpus : 0;
}

int kcore_cpu_enter(struct kcore_system *sys, unsigned int cpu)
{
	struct kcore__cpu *c;
	uintptr_t none = 0;

	if (!sys || cpu >= sys->cfg.nr_cpus || this_cpu)
		return -EINVAL;
	c = &sys->cpus[cpu];
	spin_lock(&c->lock);
	if (!__atomic_compare_exchange_n(&c->owner, &none, kcore__thread_id(), false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		spin_unlock(&c->lock);
		return -EBUSY;
	}
	c->thread = pthread_self();
	__atomic_store_n(&c->irqs_disabled, false, __ATOMIC_RELEASE);
	spin_unlock(&c->lock);
	this_cpu = c;
	pthread_once(&cpu_exit_once, make_cpu_exit_key);
	pthread_setspecific(cpu_exit_key, c);
	return 0;
}

static void run_stop_work(struct kcore__cpu *c)
{
	for (;;) {
		struct kcore__cpu_stop_work *w;

		spin_lock(&c->lock);
		if (list_empty(&c->stop_work)) {
			spin_unlock(&c->lock);
			return;
		}
		w = list_first_entry(&c->stop_work, struct kcore__cpu_stop_work, node);
		list_del_init(&w->node);
		w->queued = false;
		spin_unlock(&c->lock);
		w->fn(w);
	}
}

void kcore_cpu_leave(void)
{
	struct kcore__cpu *c = this_cpu;

	if (!c)
		return;
	kcore_local_irq_enable();
	run_stop_work(c);
	spin_lock(&c->lock);
	c->curr_task = NULL;
	__atomic_store_n(&c->owner, 0, __ATOMIC_RELEASE);
	spin_unlock(&c->lock);
	/* Work queued between the last run and the release saw a busy CPU. */
	run_stop_work(c);
	this_cpu = NULL;
	pthread_setspecific(cpu_exit_key, NULL);
}

int kcore_smp_processor_id(void)
{
	struct kcore__cpu *c = kcore__this_cpu();

	return c ? (int)c->id : -1;
}

void kcore_cond_resched(void)
{
	if (this_cpu && !irq_cpu)
		run_stop_work(this_cpu);
}

void kcore_local_irq_disable(void)
{
	if (this_cpu && !irq_cpu)
		__atomic_store_n(&this_cpu->irqs_disabled, true, __ATOMIC_RELEASE);
}

void kcore_local_irq_enable(void)
{
	if (!this_cpu || irq_cpu)
		return;
	if (!__atomic_load_n(&this_cpu->irqs_disabled, __ATOMIC_RELAXED))
		return;
	/* Pairs with the acquire in timer.c's run_timer(). */
	__atomic_store_n(&this_cpu->irqs_disabled, false, __ATOMIC_RELEASE);
	kcore__cpu_deliver_held(this_cpu);
}

bool kcore_irqs_disabled(void)
{
	struct kcore__cpu *c = kcore__this_cpu();

	if (irq_cpu)
		return true; /* interrupt handlers run with interrupts off */
	return c && __atomic_load_n(&c->irqs_disabled, __ATOMIC_RELAXED);
}

bool kcore__stop_one_cpu_nowait(struct kcore_system *sys, unsigned int cpu,
				struct kcore__cpu_stop_work *w)
{
	struct kcore__cpu *c = kcore__cpu(sys, cpu);

	if (!c)
		return false;
	spin_lock(&c->lock);
	if (w->queued) {
		spin_unlock(&c->lock);
		return false;
	}
	if (!c->owner) {
		spin_unlock(&c->lock);
		w->fn(w);
		return true;
	}
	w->queued = true;
	list_add_tail(&w->node, &c->stop_work);
	spin_unlock(&c->lock);
	return true;
}

bool kcore__cpu_online_busy(struct kcore_system *sys, unsigned int cpu)
{
	struct kcore__cpu *c = kcore__cpu(sys, cpu);

	return c && __atomic_load_n(&c->owner, __ATOMIC_ACQUIRE) != 0;
}

void kcore__cpu_run_as_irq(struct kcore__cpu *cpu, void (*fn)(void *), void *arg)
{
	struct kcore__cpu *outer = irq_cpu;

	irq_cpu = cpu;
	fn(arg);
	irq_cpu = outer;
}

/* Per-CPU areas: a 64-byte header holding the stride, then the copies. */
#define PERCPU_HDR 64

void *kcore__percpu_alloc(struct kcore_system *sys, size_t size)
{
	size_t stride = ALIGN(size ? size : 1, (size_t)64);
	size_t n = sys->cfg.nr_cpus;
	char *p;

	if (n && stride > (SIZE_MAX - PERCPU_HDR) / n)
		return NULL;
	p = kcore__aligned_alloc(64, PERCPU_HDR + n * stride);
	if (!p)
		return NULL;
	memcpy(p, &stride, sizeof(stride));
	return p + PERCPU_HDR;
}

size_t kcore__percpu_stride(const void *base)
{
	size_t stride;

	memcpy(&stride, (const char *)base - PERCPU_HDR, sizeof(stride));
	return stride;
}

void kcore__percpu_free(void *base)
{
	if (base)
		kfree((char *)base - PERCPU_HDR);
}
