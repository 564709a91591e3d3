// SPDX-License-Identifier: LGPL-2.1-or-later
/* demo_vm.c - `kcore demo vm`: an address space, its maps, mremap, VmHWM, mlock. */
#include <kcore/kcore.h>

#include "demo.h"
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

static void show_maps(struct kcore_mm_struct *mm, const char *title)
{
	char buf[4096];

	printf("  /proc/self/maps %s:\n", title);
	if (kcore_mm_format_maps(mm, buf, sizeof(buf)) <= 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("    %s\n", line);
}

int demo_vm(void)
{
	struct kcore_system_config cfg = { .clock = KCORE_CLOCK_MANUAL };
	struct kcore_system *sys = kcore_system_create(&cfg);
	const unsigned long B = 0x10000000UL, P = KCORE_PAGE_SIZE;
	struct kcore_mm_stats st;
	struct kcore_mm_struct *mm;
	char msg[32] = { 0 };
	int bad = 0;
	long r;

	if (KCORE_IS_ERR(sys))
		return demo_check(0, "kcore_system_create");
	mm = kcore_mm_alloc(sys);
	if (KCORE_IS_ERR(mm)) {
		kcore_system_destroy(sys);
		return demo_check(0, "kcore_mm_alloc");
	}
	printf("An empty address space; 8 pages at 0x%lx, written through the simulated MMU.\n", B);
	r = kcore_mmap(mm, B, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	bad |= demo_check(r == (long)B, "mmap(MAP_FIXED) = 0x%lx", (unsigned long)r);
	for (unsigned long i = 0; i < 8; i++)
		(void)kcore_copy_to_user(mm, B + i * P, "page", 5);
	r = kcore_mmap(mm, B + 8 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	show_maps(mm, "before mremap");
	kcore_mm_get_stats(mm, &st);
	bad |= demo_check(st.rss_anon == 8, "8 write faults: RssAnon %lu pages", st.rss_anon);

	r = kcore_mremap(mm, B, 8 * P, 4 * P, 0, 0);
	bad |= demo_check(r == (long)B, "mremap shrinks in place to 4 pages");
	r = kcore_mremap(mm, B, 4 * P, 16 * P, 0, 0);
	bad |= demo_check(r == -ENOMEM, "growing into the read-only neighbour without MREMAP_MAYMOVE: -ENOMEM");
	r = kcore_mremap(mm, B, 4 * P, 16 * P, MREMAP_MAYMOVE, 0);
	bad |= demo_check(r > 0 && r != (long)B, "with MREMAP_MAYMOVE it moves to 0x%lx (page tables moved, not copied)",
			  (unsigned long)r);
	(void)kcore_copy_from_user(mm, msg, (unsigned long)r + 3 * P, 5);
	bad |= demo_check(!strcmp(msg, "page"), "the data moved with it: \"%s\"", msg);
	show_maps(mm, "after mremap");

	kcore_mm_get_stats(mm, &st);
	bad |= demo_check(st.hiwater_rss == 8 && st.rss_anon == 4,
			  "VmHWM %lu pages (the peak), VmRSS %lu pages now", st.hiwater_rss, st.rss_anon);
	bad |= demo_check(st.hiwater_vm == 18 && st.total_vm == 18,
			  "VmPeak %lu pages, VmSize %lu pages (the move inflated total_vm only briefly)",
			  st.hiwater_vm, st.total_vm);

	r = kcore_mlock(mm, (unsigned long)r, 16 * P);
	kcore_mm_get_stats(mm, &st);
	bad |= demo_check(r == 0 && st.locked_vm == 16 && st.rss_anon == 16,
			  "mlock of 16 pages: VmLck %lu pages, all faulted in (RssAnon %lu)", st.locked_vm,
			  st.rss_anon);
	r = kcore_mlock(mm, B + 8 * P, 16 * P);
	bad |= demo_check(r == -ENOMEM, "mlock across a hole: -ENOMEM, after locking what precedes it");
	show_maps(mm, "at the end");
	kcore_mmput(mm);
	kcore_system_destroy(sys);
	return bad;
}
