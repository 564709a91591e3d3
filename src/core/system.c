// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * system.c - boot and shut down a simulated machine.
 *
 * Config checks mirror the kernel's sysctl and boot-parameter bounds as of
 * v6.14: pid_max in [max(RESERVED_PIDS + 1, PIDS_PER_CPU_MIN * nr_cpus),
 * PID_MAX_LIMIT] (kernel/pid.c pid_max_min / pid_max_max).
 */
#include <kcore/core.h>
#include <kcore/version.h>

#include "alloc.h"
#include "rcu.h"
#include "system.h"
#include "timer.h"
#include <errno.h>
#include <stdlib.h>

#define DEFAULT_NR_CPUS 4
#define DEFAULT_NR_PAGES 65536
#define DEFAULT_MMAP_MIN_ADDR 65536
#define PID_MAX_DEFAULT 32768
#define PID_MAX_LIMIT (4 * 1024 * 1024)
#define RESERVED_PIDS 300
#define PIDS_PER_CPU_MIN 8
#define DEFAULT_MAX_MAP_COUNT 65530 /* USHRT_MAX - MAPCOUNT_ELF_CORE_MARGIN */

#define KCORE_MODULE(name) extern const struct kcore__module kcore__##name##_module;
#include "modules.def"
#undef KCORE_MODULE

static const struct kcore__module *const modules[] = {
#define KCORE_MODULE(name) &kcore__##name##_module,
#include "modules.def"
#undef KCORE_MODULE
	NULL
};

static int fill_config(struct kcore_system_config *c, const struct kcore_system_config *in)
{
	int min_pid;

	if (in)
		*c = *in;
	if (!c->nr_cpus)
		c->nr_cpus = DEFAULT_NR_CPUS;
	if (!c->nr_pages)
		c->nr_pages = DEFAULT_NR_PAGES;
	if (!c->mmap_min_addr)
		c->mmap_min_addr = DEFAULT_MMAP_MIN_ADDR;
	if (!c->pid_max)
		c->pid_max = PID_MAX_DEFAULT;
	if (!c->max_map_count)
		c->max_map_count = DEFAULT_MAX_MAP_COUNT;
	if (!c->time_scale)
		c->time_scale = 1;

	if (c->nr_cpus > KCORE_NR_CPUS_MAX)
		return -EINVAL;
	min_pid = (int)max((unsigned int)RESERVED_PIDS + 1, PIDS_PER_CPU_MIN * c->nr_cpus);
	if (c->pid_max < min_pid || c->pid_max > PID_MAX_LIMIT)
		return -EINVAL;
	if (c->max_map_count < 0)
		return -EINVAL;
	switch (c->clock) {
	case KCORE_CLOCK_REAL:
	case KCORE_CLOCK_SCALED:
	case KCORE_CLOCK_MANUAL:
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static void modules_exit(struct kcore_system *sys, size_t upto)
{
	while (upto--) {
		modules[upto]->exit(sys);
		/* Module state freed through call_rcu must be gone before the
		   modules below it go away. */
		rcu_barrier();
	}
}

struct kcore_system *kcore_system_create(const struct kcore_system_config *cfg)
{
	struct kcore_system *sys;
	int err;
	size_t i;

	sys = knew(struct kcore_system);
	if (!sys)
		return KCORE_ERR_PTR(-ENOMEM);
	err = fill_config(&sys->cfg, cfg);
	if (err)
		goto free_sys;

	sys->boot_host_ns = kcore__host_ns();
	kcore__timers_init(sys);
	err = kcore__printk_init(sys);
	if (err)
		goto timers;
	err = kcore__cpus_init(sys);
	if (err)
		goto printk;
	for (i = 0; modules[i]; i++) {
		err = modules[i]->init(sys);
		if (err)
			goto mods;
	}
	kcore_printk(sys, KERN_INFO, "Linux version 6.18.0-kcore (libkcore %s) SMP\n",
		     KCORE_VERSION_STRING);
	return sys;

mods:
	modules_exit(sys, i);
	kcore__cpus_exit(sys);
printk:
	kcore__printk_exit(sys);
timers:
	kcore__timers_exit(sys);
free_sys:
	kfree(sys);
	return KCORE_ERR_PTR(err);
}

void kcore_system_destroy(struct kcore_system *sys)
{
	size_t n = 0;

	if (!sys)
		return;
	while (modules[n])
		n++;
	modules_exit(sys, n);
	kcore__timers_exit(sys);
	kcore__cpus_exit(sys);
	kcore__printk_exit(sys);
	kfree(sys);
}

int kcore_system_get_config(struct kcore_system *sys, struct kcore_system_config *cfg)
{
	if (!sys || !cfg)
		return -EINVAL;
	*cfg = sys->cfg;
	return 0;
}

const char *kcore_version(void)
{
	return KCORE_VERSION_STRING;
}
