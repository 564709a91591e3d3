// SPDX-License-Identifier: LGPL-2.1-or-later
/* hello_system.c - create a simulated machine, move its clock, read its log. */
#include <kcore/kcore.h>
#include <stdio.h>

int main(void)
{
	struct kcore_system_config cfg = { .nr_cpus = 2, .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system *sys = kcore_system_create(&cfg);
	char log[1024];

	if (KCORE_IS_ERR(sys)) {
		fprintf(stderr, "create: %s\n", kcore_strerror((int)KCORE_PTR_ERR(sys)));
		return 1;
	}
	if (kcore_clock_advance(sys, 2000000000ull))
		return 1;
	kcore_printk(sys, 6, "hello from %u simulated CPUs\n", kcore_num_possible_cpus(sys));
	kcore_dmesg(sys, log, sizeof(log));
	fputs(log, stdout);
	kcore_system_destroy(sys);
	return 0;
}
