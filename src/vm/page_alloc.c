// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * page_alloc.c - the system's simulated RAM, its mem_map and the
 * memfd/shmem objects.
 *
 * Mirrors the roles of mm/page_alloc.c (a zone free list with per-CPU page
 * lists, PCP_BATCH refills) and mm/shmem.c (a page cache per object, size,
 * truncate) of Linux v6.18.  Frame 0 is the shared zero page.
 *
 * SIM: storage for frames is allocated in 1 MiB chunks the first time a
 * frame of the chunk is handed out, so a system with the default 256 MiB
 * of RAM costs only what it uses.  The per-CPU lists are per thread slot.
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <stdio.h>

static unsigned int slot_counter;
/* initial-exec: one load, no __tls_get_addr() call on the fault path */
static __thread unsigned int my_slot __attribute__((tls_model("initial-exec"))) = ~0u;

unsigned int kcore__vm_slot(void)
{
	if (unlikely(my_slot == ~0u))
		my_slot = __atomic_fetch_add(&slot_counter, 1, __ATOMIC_RELAXED) % NR_SLOTS;
	return my_slot;
}

struct vm_sys *kcore__vm_sys(struct kcore_system *sys)
{
	return sys ? kcore__sys_module(sys, KCORE__MOD_vm) : NULL;
}

/* Takes a frame from the zone; called with zone_lock held. */
static long zone_take(struct vm_sys *vs)
{
	unsigned long pfn;

	if (vs->free_head) {
		pfn = vs->free_head - 1;
		vs->free_head = vs->mem_map[pfn].next_free;
		vs->nr_free--;
		return (long)pfn;
	}
	if (vs->fresh >= vs->nr_pages)
		return -1;
	pfn = vs->fresh;
	if (!vs->chunks[pfn / CHUNK_PAGES]) {
		/* SIM: storage materialises on first use of its chunk. */
		char *c = kcore__aligned_alloc(PAGE_SIZE, CHUNK_PAGES * PAGE_SIZE);
		unsigned long i, base = pfn / CHUNK_PAGES * CHUNK_PAGES;

		if (!c)
			return -1;
		vs->chunks[pfn / CHUNK_PAGES] = c;
		for (i = 0; i < CHUNK_PAGES && base + i < vs->nr_pages; i++) {
			vs->mem_map[base + i].virt = c + i * PAGE_SIZE;
			vs->mem_map[base + i].vs = vs;
		}
	}
	vs->fresh++;
	vs->nr_free--;
	return (long)pfn;
}

static void zone_give(struct vm_sys *vs, unsigned long pfn)
{
	vs->mem_map[pfn].next_free = vs->free_head;
	vs->free_head = pfn + 1;
	vs->nr_free++;
}

static void drain_pcp(struct vm_sys *vs, struct pcp_slot *pcp)
{
	spin_lock(&vs->zone_lock);
	while (pcp->count)
		zone_give(vs, pcp->pfns[--pcp->count]);
	spin_unlock(&vs->zone_lock);
}

struct kcore_page *kcore__vm_alloc_page(struct vm_sys *vs, bool zero)
{
	struct pcp_slot *pcp = &vs->pcp[kcore__vm_slot()];
	struct kcore_page *page;
	unsigned long pfn;
	long p;

	/* The kernel's fail-nth covers page allocations too. */
	if (kcore__should_fail())
		return NULL;
	spin_lock(&pcp->lock);
	if (!pcp->count) {
		spin_lock(&vs->zone_lock);
		while (pcp->count < PCP_BATCH && (p = zone_take(vs)) >= 0)
			pcp->pfns[pcp->count++] = (unsigned long)p;
		spin_unlock(&vs->zone_lock);
	}
	if (!pcp->count) {
		/* Out of RAM here: frames may sit on other slots' lists. */
		spin_unlock(&pcp->lock);
		for (int i = 0; i < NR_SLOTS; i++) {
			if (&vs->pcp[i] == pcp)
				continue;
			spin_lock(&vs->pcp[i].lock);
			drain_pcp(vs, &vs->pcp[i]);
			spin_unlock(&vs->pcp[i].lock);
		}
		spin_lock(&pcp->lock);
		spin_lock(&vs->zone_lock);
		p = zone_take(vs);
		spin_unlock(&vs->zone_lock);
		if (p < 0) {
			spin_unlock(&pcp->lock);
			return NULL;
		}
		pcp->pfns[pcp->count++] = (unsigned long)p;
	}
	pfn = pcp->pfns[--pcp->count];
	spin_unlock(&pcp->lock);

	page = &vs->mem_map[pfn];
	/* Atomic: the copy path may try a speculative reference (page_try_get()
	   in memory.c), which fails while the count is 0. */
	__atomic_store_n(&page->_refcount, 1, __ATOMIC_RELAXED);
	page->_mapcount = 0;
	page->mlock_count = 0;
	__atomic_store_n(&page->flags, 0, __ATOMIC_RELAXED);
	page->mapping = NULL;
	page->index = 0;
	page->pt_count = 0;
	if (zero)
		memset(page->virt, 0, PAGE_SIZE);
	return page;
}

void kcore__vm_free_page(struct vm_sys *vs, struct kcore_page *page)
{
	struct pcp_slot *pcp = &vs->pcp[kcore__vm_slot()];
	unsigned long pfn = page_to_pfn(vs, page);

	if (WARN_ON(is_zero_pfn(pfn)))
		return;
	__atomic_store_n(&page->flags, 0, __ATOMIC_RELAXED);
	WRITE_ONCE(page->mapping, NULL);
	spin_lock(&pcp->lock);
	if (pcp->count >= PCP_HIGH) {
		spin_lock(&vs->zone_lock);
		while (pcp->count > PCP_BATCH)
			zone_give(vs, pcp->pfns[--pcp->count]);
		spin_unlock(&vs->zone_lock);
	}
	pcp->pfns[pcp->count++] = pfn;
	spin_unlock(&pcp->lock);
}

void kcore__vm_put_page(struct kcore_page *p)
{
	struct vm_sys *vs = p->vs;

	if (PageTest(p, PG_reserved))
		return;
	if (__atomic_sub_fetch(&p->_refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kcore__vm_free_page(vs, p);
}

void kcore_put_page(struct kcore_page *page)
{
	if (!page)
		return;
	kcore__vm_put_page(page);
}

void *kcore_page_address(struct kcore_page *page)
{
	return page ? page->virt : NULL;
}

unsigned long kcore_page_to_pfn(struct kcore_page *page)
{
	return page ? page_to_pfn(page->vs, page) : 0;
}

unsigned long kcore_vm_free_pages(struct kcore_system *sys)
{
	struct vm_sys *vs = kcore__vm_sys(sys);
	unsigned long n;

	if (!vs)
		return 0;
	/* The zone's count plus what sits on the per-slot lists. */
	spin_lock(&vs->zone_lock);
	n = vs->nr_free;
	spin_unlock(&vs->zone_lock);
	for (int i = 0; i < NR_SLOTS; i++) {
		spin_lock(&vs->pcp[i].lock);
		n += vs->pcp[i].count;
		spin_unlock(&vs->pcp[i].lock);
	}
	return n;
}

/* ---- files ---------------------------------------------------------- */

static struct kcore_file *file_alloc(struct vm_sys *vs, const char *name)
{
	struct kcore_file *f = knew(struct kcore_file);

	if (!f)
		return NULL;
	f->name = kstrdup(name);
	if (!f->name) {
		kfree(f);
		return NULL;
	}
	f->vs = vs;
	f->refcount = 1;
	f->ino = __atomic_add_fetch(&vs->next_ino, 1, __ATOMIC_RELAXED);
	mutex_init(&f->lock);
	INIT_LIST_HEAD(&f->i_mmap);
	mutex_lock(&vs->objs_lock);
	list_add_tail(&f->sys_node, &vs->files);
	mutex_unlock(&vs->objs_lock);
	return f;
}

struct kcore_file *kcore_memfd_create(struct kcore_system *sys, const char *name)
{
	struct vm_sys *vs = kcore__vm_sys(sys);
	struct kcore_file *f;
	char buf[300];

	/* memfd_create: the name is at most 249 bytes (MFD_NAME_MAX_LEN). */
	if (!vs || !name || strlen(name) > 249)
		return KCORE_ERR_PTR(-EINVAL);
	snprintf(buf, sizeof(buf), "/memfd:%s (deleted)", name);
	f = file_alloc(vs, buf);
	return f ? f : KCORE_ERR_PTR(-ENOMEM);
}

struct kcore_file *kcore__vm_shmem_file(struct vm_sys *vs, unsigned long size)
{
	/* shmem_zero_setup(): the object behind MAP_SHARED|MAP_ANONYMOUS. */
	struct kcore_file *f = file_alloc(vs, "/dev/zero (deleted)");

	if (f)
		f->size = size;
	return f;
}

struct kcore_file *kcore__vm_get_file(struct kcore_file *f)
{
	__atomic_fetch_add(&f->refcount, 1, __ATOMIC_RELAXED);
	return f;
}

static void drop_cache_range(struct kcore_file *f, unsigned long first, unsigned long last)
{
	for (unsigned long i = first; i < f->nr_slots && i < last; i++) {
		struct kcore_page *p = f->pages[i];

		if (!p)
			continue;
		f->pages[i] = NULL;
		WRITE_ONCE(p->mapping, NULL); /* a racing fault rechecks it under the PTL */
		kcore__vm_put_page(p);
	}
}

static void drop_cache_from(struct kcore_file *f, unsigned long first)
{
	drop_cache_range(f, first, ~0UL);
}

/* unmap_mapping_range(even_cows) over [first, last) of the file; file lock held. */
static void unmap_file_range(struct kcore_file *f, unsigned long first, unsigned long last)
{
	struct kcore_vm_area_struct *vma;

	list_for_each_entry(vma, &f->i_mmap, shared) {
		unsigned long vfirst = vma->vm_pgoff, vlast = vma->vm_pgoff + vma_pages(vma);
		unsigned long s, e;
		struct mmu_gather tlb;

		if (vlast <= first || vfirst >= last)
			continue;
		s = vma->vm_start + ((max(first, vfirst) - vfirst) << PAGE_SHIFT);
		e = vma->vm_start + ((min(last, vlast) - vfirst) << PAGE_SHIFT);
		kcore__tlb_gather_mmu(&tlb, vma->vm_mm);
		kcore__zap_page_range(&tlb, vma, s, e);
		kcore__tlb_finish_mmu(&tlb);
	}
}

void kcore__vm_file_punch(struct kcore_file *f, unsigned long first, unsigned long last)
{
	mutex_lock(&f->lock);
	unmap_file_range(f, first, last);
	drop_cache_range(f, first, last);
	mutex_unlock(&f->lock);
}

void kcore_fput(struct kcore_file *f)
{
	if (!f)
		return;
	if (__atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	mutex_lock(&f->vs->objs_lock);
	list_del(&f->sys_node);
	mutex_unlock(&f->vs->objs_lock);
	kcore__vm_free_file(f);
}

void kcore__vm_free_file(struct kcore_file *f)
{
	drop_cache_from(f, 0);
	mutex_destroy(&f->lock);
	kfree(f->pages);
	kfree(f->name);
	kfree(f);
}

struct kcore_page *kcore__vm_file_get_page(struct kcore_file *f, unsigned long index, bool *sigbus)
{
	struct kcore_page *p;

	*sigbus = false;
	mutex_lock(&f->lock);
	if (index >= DIV_ROUND_UP(f->size, PAGE_SIZE)) {
		mutex_unlock(&f->lock);
		*sigbus = true;
		return NULL;
	}
	if (index >= f->nr_slots) {
		unsigned long n = max(index + 1, f->nr_slots * 2);
		struct kcore_page **np = kcalloc(n, sizeof(*np));

		if (!np) {
			mutex_unlock(&f->lock);
			return NULL;
		}
		if (f->pages)
			memcpy(np, f->pages, f->nr_slots * sizeof(*np));
		kfree(f->pages);
		f->pages = np;
		f->nr_slots = n;
	}
	p = f->pages[index];
	if (!p) {
		p = kcore__vm_alloc_page(f->vs, true);
		if (p) {
			p->mapping = f;
			p->index = index;
			f->pages[index] = p;
		}
	}
	if (p)
		get_page(p); /* the caller's reference */
	mutex_unlock(&f->lock);
	return p;
}

int kcore_file_truncate(struct kcore_file *f, unsigned long size)
{
	unsigned long first;

	if (!f || size > MAX_LFS_FILESIZE)
		return -EINVAL;
	mutex_lock(&f->lock);
	first = DIV_ROUND_UP(size, PAGE_SIZE);
	if (size < f->size) {
		/* The new size is visible before the zap: a racing fault rechecks
		   it under the PTE lock (pairs with do_file_fault()). */
		WRITE_ONCE(f->size, size);
		/* unmap_mapping_range(even_cows) then truncate_inode_pages. */
		unmap_file_range(f, first, ~0UL);
		drop_cache_from(f, first);
		/* truncate_inode_partial_folio(): the tail of the last page is zeroed. */
		if (offset_in_page(size) && size / PAGE_SIZE < f->nr_slots && f->pages[size / PAGE_SIZE])
			memset((char *)f->pages[size / PAGE_SIZE]->virt + offset_in_page(size), 0,
			       PAGE_SIZE - offset_in_page(size));
	}
	WRITE_ONCE(f->size, size);
	mutex_unlock(&f->lock);
	return 0;
}

/* ---- module --------------------------------------------------------- */

static int vm_init(struct kcore_system *sys)
{
	struct vm_sys *vs = knew(struct vm_sys);
	unsigned long i;

	if (!vs)
		return -ENOMEM;
	vs->sys = sys;
	vs->nr_pages = sys->cfg.nr_pages;
	if (vs->nr_pages < 2)
		vs->nr_pages = 2;
	vs->mem_map = kcalloc(vs->nr_pages, sizeof(*vs->mem_map));
	vs->chunks = kcalloc(DIV_ROUND_UP(vs->nr_pages, CHUNK_PAGES), sizeof(void *));
	if (!vs->mem_map || !vs->chunks) {
		kfree(vs->mem_map);
		kfree(vs->chunks);
		kfree(vs);
		return -ENOMEM;
	}
	/* Descriptors are filled in a chunk at a time, when their frames are
	   first handed out (zone_take()): the zeroed mem_map of an idle machine
	   costs no page faults. */
	spin_lock_init(&vs->zone_lock);
	mutex_init(&vs->objs_lock);
	INIT_LIST_HEAD(&vs->mms);
	INIT_LIST_HEAD(&vs->files);
	for (i = 0; i < NR_SLOTS; i++)
		spin_lock_init(&vs->pcp[i].lock);
	/* Frame 0: the zero page. */
	vs->nr_free = vs->nr_pages;
	if (zone_take(vs) != 0) {
		kfree(vs->mem_map);
		kfree(vs->chunks);
		kfree(vs);
		return -ENOMEM;
	}
	vs->mem_map[0]._refcount = 1;
	vs->mem_map[0].flags = 1UL << PG_reserved;
	kcore__sys_set_module(sys, KCORE__MOD_vm, vs);
	return 0;
}

static void vm_exit(struct kcore_system *sys)
{
	struct vm_sys *vs = kcore__vm_sys(sys);
	unsigned long i;

	if (!vs)
		return;
	/* What users left behind: mms (tasks keep theirs until now), then files. */
	while (!list_empty(&vs->mms)) {
		struct kcore_mm_struct *mm = list_first_entry(&vs->mms, struct kcore_mm_struct, sys_node);

		list_del(&mm->sys_node);
		kcore__vm_free_mm(mm);
	}
	while (!list_empty(&vs->files)) {
		struct kcore_file *f = list_first_entry(&vs->files, struct kcore_file, sys_node);

		list_del(&f->sys_node);
		kcore__vm_free_file(f);
	}
	mutex_destroy(&vs->objs_lock);
	for (i = 0; i < DIV_ROUND_UP(vs->nr_pages, CHUNK_PAGES); i++)
		kfree(vs->chunks[i]);
	/* Only frames ever handed out (below vs->fresh) can hold a PTE table. */
	for (i = 0; i < vs->fresh; i++)
		if (vs->mem_map[i].ptl_init)
			spin_lock_destroy(&vs->mem_map[i].ptl);
	for (i = 0; i < NR_SLOTS; i++)
		spin_lock_destroy(&vs->pcp[i].lock);
	spin_lock_destroy(&vs->zone_lock);
	kfree(vs->chunks);
	kfree(vs->mem_map);
	kfree(vs);
	kcore__sys_set_module(sys, KCORE__MOD_vm, NULL);
}

const struct kcore__module kcore__vm_module = {
	.name = "vm",
	.init = vm_init,
	.exit = vm_exit,
};
