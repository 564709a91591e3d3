// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * main.c - the `kcore` command.
 *
 *   kcore demo [SECTION...]   walk through what each module can do
 *   kcore info                version, CPUs, clock, counter backend, RCU
 */
#include <kcore/kcore.h>

#include "demo.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct section {
	const char *name, *title;
	demo_section_fn fn;
};

static const struct section sections[] = {
#define DEMO_ENTRY(n, t) { #n, t, demo_##n },
	DEMO_SECTIONS(DEMO_ENTRY)
#undef DEMO_ENTRY
};

int demo_check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("  [%s] ", ok ? "ok" : "!!");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return !ok;
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

static int cmd_demo(int argc, char **argv)
{
	int failed = 0, ran = 0;

	printf("libkcore %s demo: one simulated machine per section\n", kcore_version());
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (!wanted(sections[i].name, argc, argv))
			continue;
		printf("\n== %s: %s ==\n", sections[i].name, sections[i].title);
		failed += sections[i].fn() != 0;
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "kcore demo: no such section\n");
		return 2;
	}
	printf("\n%d section(s) shown, %d with surprises\n", ran, failed);
	return failed ? 1 : 0;
}

static int cmd_info(void)
{
	struct kcore_system *sys = kcore_system_create(NULL);
	struct kcore_system_config cfg;

	if (KCORE_IS_ERR(sys)) {
		fprintf(stderr, "kcore: cannot create a system: %s\n",
			kcore_strerror((int)KCORE_PTR_ERR(sys)));
		return 1;
	}
	if (kcore_system_get_config(sys, &cfg))
		return 1;
	printf("version:      %s\n", kcore_version());
	printf("cpus:         %u (simulated)\n", kcore_num_possible_cpus(sys));
	printf("ram:          %lu pages of 4 KiB (%lu MiB)\n", cfg.nr_pages, cfg.nr_pages / 256);
	printf("clock:        %s\n", kcore_clock_mode_name(sys));
	printf("pid_max:      %d\n", cfg.pid_max);
	printf("rcu flavour:  %s (liburcu)\n", kcore_rcu_flavor_name());
#ifdef KCORE_HAVE_PMU
	printf("counters:     %s\n", kcore_pmu_backend_name());
#else
	printf("counters:     not built (pmu module not landed)\n");
#endif
	kcore_system_destroy(sys);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kcore demo [SECTION...] | kcore info\nsections:");
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		fprintf(f, " %s", sections[i].name);
	fprintf(f, "\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "demo"))
		return cmd_demo(argc - 2, argv + 2);
	if (!strcmp(argv[1], "info"))
		return cmd_info();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
