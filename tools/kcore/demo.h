/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * demo.h - sections of `kcore demo`.  Each module adds one section file
 * (demo_<module>.c) and one line to DEMO_SECTIONS.
 */
#ifndef KCORE_TOOLS_DEMO_H
#define KCORE_TOOLS_DEMO_H

#include <kcore/kcore.h>
#include <stdio.h>

/* A section prints its account to stdout and returns 0, or non-zero when
   something did not behave as the text says. */
typedef int (*demo_section_fn)(void);

#define DEMO_SECTIONS(X) \
	X(core, "the machine: system, clock, CPUs, kernel log") \
	X(pid, "pids: a fork tree, a nested namespace, a readdir walk") \
	X(vm, "the simulated MMU: mmap, maps, mremap, VmHWM, mlock")

#define DEMO_DECLARE(name, title) int demo_##name(void);
DEMO_SECTIONS(DEMO_DECLARE)
#undef DEMO_DECLARE

/* Prints a check line "  [ok] text" or "  [!!] text" and returns !ok. */
int demo_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* KCORE_TOOLS_DEMO_H */
