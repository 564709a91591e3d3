/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * system.h - struct kcore_system and the module registry.
 *
 * Modules keep their per-machine state in one slot each
 * (kcore__sys_module()), set by their init and cleared by their exit.
 */
#ifndef KCORE_SRC_CORE_SYSTEM_H
#define KCORE_SRC_CORE_SYSTEM_H

#include <kcore/core.h>

#include "compiler.h"
#include "cpu.h"
#include "list.h"
#include "lock.h"
#include <pthread.h>
#include <stdarg.h>

struct kcore__module {
	const char *name;
	int (*init)(struct kcore_system *sys);  /* 0 or -errno; undoes itself on failure */
	void (*exit)(struct kcore_system *sys);
};

enum kcore__module_id {
#define KCORE_MODULE(name) KCORE__MOD_##name,
#include "modules.def"
#undef KCORE_MODULE
	KCORE__MOD_NR
};

struct kcore__printk_ring {
	spinlock_t lock;
	char *buf;          /* KCORE__LOG_BUF_LEN bytes */
	size_t head, len;   /* the text is buf[head .. head+len) modulo the size */
};

#define KCORE__LOG_BUF_LEN (1u << 17) /* CONFIG_LOG_BUF_SHIFT = 17 */
#define KCORE__LOG_LINE_MAX 1024

struct kcore_system {
	struct kcore_system_config cfg;     /* defaults filled in */

	/* clock */
	uint64_t boot_host_ns;              /* host CLOCK_MONOTONIC at boot */
	uint64_t manual_now;                /* MANUAL: simulated ns (atomic) */
	uint64_t last_now;                  /* monotonic guard for REAL/SCALED (atomic) */

	/* timers */
	struct mutex timer_lock;
	pthread_cond_t timer_cond;          /* timer thread wake-up and cancel waits */
	struct list_head timers;            /* armed, sorted by expiry */
	pthread_t timer_thread;
	bool timer_thread_started, timer_thread_stop;
	struct mutex advance_lock;          /* serialises kcore_clock_advance() */

	/* CPUs */
	struct kcore__cpu *cpus;            /* cfg.nr_cpus of them */

	struct kcore__printk_ring log;

	void *mod[KCORE__MOD_NR + 1];
};

static inline void *kcore__sys_module(struct kcore_system *sys, enum kcore__module_id id)
{
	return sys->mod[id];
}

static inline void kcore__sys_set_module(struct kcore_system *sys, enum kcore__module_id id,
					 void *state)
{
	sys->mod[id] = state;
}

uint64_t kcore__host_ns(void) KCORE_HIDDEN;                 /* CLOCK_MONOTONIC */
uint64_t kcore__sim_to_host_ns(struct kcore_system *sys, uint64_t sim) KCORE_HIDDEN;

/* Library-internal printk; the kernel's pr_* shapes. */
int kcore__vprintk(struct kcore_system *sys, int level, const char *fmt, va_list ap) KCORE_HIDDEN;
#define KERN_EMERG 0
#define KERN_ALERT 1
#define KERN_CRIT 2
#define KERN_ERR 3
#define KERN_WARNING 4
#define KERN_NOTICE 5
#define KERN_INFO 6
#define KERN_DEBUG 7
#define pr_emerg(sys, ...) kcore_printk((sys), KERN_EMERG, __VA_ARGS__)
#define pr_crit(sys, ...) kcore_printk((sys), KERN_CRIT, __VA_ARGS__)
#define pr_err(sys, ...) kcore_printk((sys), KERN_ERR, __VA_ARGS__)
#define pr_warn(sys, ...) kcore_printk((sys), KERN_WARNING, __VA_ARGS__)
#define pr_notice(sys, ...) kcore_printk((sys), KERN_NOTICE, __VA_ARGS__)
#define pr_info(sys, ...) kcore_printk((sys), KERN_INFO, __VA_ARGS__)
#define pr_debug(sys, ...) kcore_printk((sys), KERN_DEBUG, __VA_ARGS__)

/* Ring setup for system.c. */
int kcore__printk_init(struct kcore_system *sys) KCORE_HIDDEN;
void kcore__printk_exit(struct kcore_system *sys) KCORE_HIDDEN;
int kcore__cpus_init(struct kcore_system *sys) KCORE_HIDDEN;
void kcore__cpus_exit(struct kcore_system *sys) KCORE_HIDDEN;
int kcore__timers_init(struct kcore_system *sys) KCORE_HIDDEN;
void kcore__timers_exit(struct kcore_system *sys) KCORE_HIDDEN;

#endif /* KCORE_SRC_CORE_SYSTEM_H */
