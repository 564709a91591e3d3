// SPDX-License-Identifier: LGPL-2.1-or-later
/* demo_core.c - `kcore demo core`: the machine itself. */
#include <kcore/kcore.h>

#include "demo.h"
#include <errno.h>
#include <pthread.h>
#include <string.h>

static void show_log(void *arg, int level, const char *line)
{
	(void)arg;
	printf("  log<%d> %s\n", level, line);
}

struct cpu_arg {
	struct kcore_system *sys;
	unsigned int cpu;
	int id, busy;
};

static void *on_cpu(void *p)
{
	struct cpu_arg *a = p;

	if (kcore_cpu_enter(a->sys, a->cpu) == 0) {
		a->id = kcore_smp_processor_id();
		kcore_cpu_leave();
	}
	return NULL;
}

int demo_core(void)
{
	struct kcore_system_config cfg = { .nr_cpus = 2, .clock = KCORE_CLOCK_MANUAL,
					   .log = show_log };
	struct kcore_system *sys;
	struct cpu_arg a;
	pthread_t th;
	char buf[4096];
	int bad = 0;

	printf("A machine with 2 CPUs and a manual clock; its kernel log goes to this screen.\n");
	sys = kcore_system_create(&cfg);
	if (KCORE_IS_ERR(sys))
		return demo_check(0, "kcore_system_create: %s", kcore_strerror((int)KCORE_PTR_ERR(sys)));

	bad |= demo_check(kcore_num_possible_cpus(sys) == 2, "%u possible CPUs",
			  kcore_num_possible_cpus(sys));
	bad |= demo_check(kcore_clock_now_ns(sys) == 0, "clock reads %llu ns at boot",
			  (unsigned long long)kcore_clock_now_ns(sys));
	if (kcore_clock_advance(sys, 1500000000ull) == 0)
		bad |= demo_check(kcore_clock_now_ns(sys) == 1500000000ull,
				  "after advancing 1.5 s it reads %llu ns",
				  (unsigned long long)kcore_clock_now_ns(sys));
	kcore_printk(sys, 6, "demo: a line stamped with simulated time\n");

	int entered = kcore_cpu_enter(sys, 0), id = kcore_smp_processor_id();

	bad |= demo_check(entered == 0 && id == 0,
			  "this thread entered CPU 0 (smp_processor_id() = %d)", id);
	a = (struct cpu_arg){ .sys = sys, .cpu = 0, .id = -1 };
	pthread_create(&th, NULL, on_cpu, &a);
	pthread_join(th, NULL);
	bad |= demo_check(a.id == -1, "another thread cannot take CPU 0 (-EBUSY)");
	a = (struct cpu_arg){ .sys = sys, .cpu = 1, .id = -1 };
	pthread_create(&th, NULL, on_cpu, &a);
	pthread_join(th, NULL);
	bad |= demo_check(a.id == 1, "but it can run on CPU 1 (smp_processor_id() = %d)", a.id);
	kcore_cpu_leave();
	bad |= demo_check(kcore_cpu_enter(sys, 7) == -EINVAL, "CPU 7 does not exist: -EINVAL");

	kcore_dmesg(sys, buf, sizeof(buf));
	printf("  dmesg:\n");
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("    %s\n", line);
	kcore_system_destroy(sys);
	return bad;
}
