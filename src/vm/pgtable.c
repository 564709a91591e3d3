// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pgtable.c - software page tables: walking and allocating the 4 levels,
 * zapping, freeing tables, changing protections, moving entries
 * (mremap), copying them (fork), lazy MMU mode and the mmu_gather batch.
 *
 * Mirrors Linux v6.18 mm/memory.c (__pte_alloc, zap_pte_range,
 * free_pgd_range, copy_pte_range), mm/mprotect.c (change_pte_range),
 * mm/mremap.c (move_page_tables, move_ptes, move_normal_pmd),
 * mm/mmu_gather.c and include/linux/pgtable.h (lazy MMU mode).
 *
 * Page-table pages are frames of the system's RAM, like the kernel's; the
 * split PTE lock lives in the struct page of each PTE table and so moves
 * with the table when mremap moves a whole PMD.  Upper levels are
 * installed under mm->page_table_lock and read with acquire loads (the
 * tables themselves are only freed with the mmap lock held for writing).
 */
#include <kcore/vm.h>

#include "vm_internal.h"

static inline pte_t *table_of(struct vm_sys *vs, pte_t e)
{
	return (pte_t *)vs->mem_map[pte_pfn(e)].virt;
}

static inline unsigned int idx(unsigned long addr, int shift)
{
	return (addr >> shift) & (PTRS_PER_TABLE - 1);
}

int kcore__pgd_alloc(struct kcore_mm_struct *mm)
{
	struct kcore_page *p = kcore__vm_alloc_page(mm->vs, true);

	if (!p)
		return -ENOMEM;
	PageSet(p, PG_pgtable);
	mm->pgd_page = p;
	mm->pgd = p->virt;
	return 0;
}

/*
 * Walks @depth levels for @addr (3: to the PTE slot, 2: to the PMD slot),
 * allocating missing tables on the way if @alloc.  *@tblp gets the page
 * of the last table walked through.
 */
static pte_t *walk_depth(struct kcore_mm_struct *mm, unsigned long addr, bool alloc,
			 struct kcore_page **tblp, int depth)
{
	static const int shifts[4] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };
	struct vm_sys *vs = mm->vs;
	pte_t *tbl = mm->pgd, e;

	for (int l = 0; l < depth; l++) {
		pte_t *slot = &tbl[idx(addr, shifts[l])];

		/* Pairs with the release store below (table contents visible). */
		e = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
		if (unlikely(pte_none(e))) {
			struct kcore_page *np;

			if (!alloc)
				return NULL;
			np = kcore__vm_alloc_page(vs, true);
			if (!np)
				return NULL;
			PageSet(np, PG_pgtable);
			if (l == 2 && !np->ptl_init) {
				/* ptlock_init(): the split lock of a new PTE table. */
				spin_lock_init(&np->ptl);
				np->ptl_init = true;
			}
			spin_lock(&mm->page_table_lock);
			e = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
			if (pte_none(e)) {
				e = ((pte_t)page_to_pfn(vs, np) << PAGE_SHIFT) | _PAGE_TABLE;
				__atomic_store_n(slot, e, __ATOMIC_RELEASE);
				np = NULL;
				if (l == 2)
					stat_inc(mm, st_pte_tables, 1);
			}
			spin_unlock(&mm->page_table_lock);
			if (np)
				kcore__vm_put_page(np); /* somebody raced us */
		}
		if (tblp)
			*tblp = &vs->mem_map[pte_pfn(e)];
		tbl = table_of(vs, e);
	}
	return &tbl[idx(addr, shifts[depth])];
}

static pte_t *walk(struct kcore_mm_struct *mm, unsigned long addr, bool alloc,
		   struct kcore_page **tblp)
{
	return walk_depth(mm, addr, alloc, tblp, 3);
}

pte_t *kcore__pte_offset(struct kcore_mm_struct *mm, unsigned long addr)
{
	return walk(mm, addr, false, NULL);
}

pte_t *kcore__pte_alloc(struct kcore_mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	struct kcore_page *t = NULL;
	pte_t *p = walk(mm, addr, true, &t);

	if (p)
		*ptlp = &t->ptl;
	return p;
}

static pte_t *pte_offset_lock(struct kcore_mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	struct kcore_page *t = NULL;
	pte_t *p = walk(mm, addr, false, &t);

	if (p)
		*ptlp = &t->ptl;
	return p;
}

/* ---- lazy MMU mode ---------------------------------------------------- */

#define LAZY_MAX 64
struct lazy_mmu {
	struct kcore_mm_struct *mm;
	int n;
	pte_t *ptep[LAZY_MAX];
	pte_t val[LAZY_MAX];
};
static __thread struct lazy_mmu lazy;
/* Whether this thread is in lazy MMU mode: a cheap (initial-exec) test for set_pte_at. */
static __thread bool lazy_on __attribute__((tls_model("initial-exec")));

static void lazy_commit(void)
{
	for (int i = 0; i < lazy.n; i++)
		__atomic_store_n(lazy.ptep[i], lazy.val[i], __ATOMIC_RELEASE);
	if (lazy.n) {
		stat_inc(lazy.mm, st_lazy_batches, 1);
		stat_inc(lazy.mm, st_lazy_updates, (unsigned long)lazy.n);
	}
	lazy.n = 0;
}

void kcore__arch_enter_lazy_mmu_mode(struct kcore_mm_struct *mm)
{
	/* The mode does not nest. */
	WARN_ON(lazy_on);
	lazy.mm = mm;
	lazy.n = 0;
	lazy_on = true;
}

void kcore__arch_leave_lazy_mmu_mode(void)
{
	lazy_commit();
	lazy.mm = NULL;
	lazy_on = false;
}

void kcore__set_pte_at(pte_t *ptep, pte_t val)
{
	if (likely(!lazy_on)) {
		__atomic_store_n(ptep, val, __ATOMIC_RELEASE);
		return;
	}
	if (lazy.n == LAZY_MAX)
		lazy_commit();
	lazy.ptep[lazy.n] = ptep;
	lazy.val[lazy.n] = val;
	lazy.n++;
}

/* ---- TLB and the invalidate hook -------------------------------------- */

void kcore__mmu_notifier_invalidate_range_start(struct kcore_mm_struct *mm, int event,
						unsigned long start, unsigned long end)
{
	/*
	 * The place where mmu notifiers hook in (vm 2/2).  Every path that
	 * tears down or downgrades PTEs brackets its work with start/end, at
	 * the places the kernel does; for now only the pairs are counted.
	 */
	(void)event;
	(void)start;
	(void)end;
	stat_inc(mm, st_invalidate_ranges, 1);
}

void kcore__mmu_notifier_invalidate_range_end(struct kcore_mm_struct *mm, int event,
					      unsigned long start, unsigned long end)
{
	(void)mm;
	(void)event;
	(void)start;
	(void)end;
}

void kcore__flush_tlb_range(struct kcore_mm_struct *mm, unsigned long start, unsigned long end)
{
	/*
	 * SIM: the software TLBs of all threads drop this mm's entries: they
	 * are tagged with the generation, which moves here, after the PTE
	 * changes (release) and before any page is freed.
	 */
	__atomic_fetch_add(&mm->tlb_gen, 1, __ATOMIC_SEQ_CST);
	stat_inc(mm, st_flushes, 1);
	stat_inc(mm, st_flushed_pages, (end - start) >> PAGE_SHIFT);
}

void kcore__tlb_gather_mmu(struct mmu_gather *tlb, struct kcore_mm_struct *mm)
{
	tlb->mm = mm;
	tlb->drop_markers = false;
	tlb->start = ~0UL;
	tlb->end = 0;
	tlb->need_flush = false;
	tlb->nr = 0;
}

static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->need_flush) {
		kcore__flush_tlb_range(tlb->mm, tlb->start, tlb->end);
		tlb->need_flush = false;
		tlb->start = ~0UL;
		tlb->end = 0;
	}
	/* Pages go back only after the flush (tlb_batch_pages_flush). */
	if (tlb->nr) {
		for (unsigned int i = 0; i < tlb->nr; i++)
			kcore__vm_put_page(tlb->pages[i]);
		tlb->nr = 0;
		stat_inc(tlb->mm, st_freed_batches, 1);
	}
}

static void tlb_track(struct mmu_gather *tlb, unsigned long addr)
{
	tlb->need_flush = true;
	tlb->start = min(tlb->start, addr);
	tlb->end = max(tlb->end, addr + PAGE_SIZE);
}

static void tlb_remove_page(struct mmu_gather *tlb, struct kcore_page *p)
{
	tlb->pages[tlb->nr++] = p;
	if (tlb->nr == ARRAY_SIZE(tlb->pages))
		tlb_flush_mmu(tlb);
}

void kcore__tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

/* ---- page helpers ------------------------------------------------------ */

static void page_remove_rmap(struct kcore_vm_area_struct *vma, struct kcore_page *p)
{
	__atomic_fetch_sub(&p->_mapcount, 1, __ATOMIC_RELAXED);
	if (vma->vm_flags & VM_LOCKED) {
		if (__atomic_sub_fetch(&p->mlock_count, 1, __ATOMIC_RELAXED) <= 0) {
			p->mlock_count = 0;
			PageClear(p, PG_mlocked);
			PageClear(p, PG_unevictable);
		}
	}
}

static inline unsigned long extent_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);

	return b - 1 < end - 1 ? b : end;
}

/*
 * Walks over [start, end) go one PTE table (one PMD extent) at a time with
 * that table's lock held, skipping extents that have no table, as the
 * kernel's zap_pte_range()/change_pte_range() callers do.  This finds and
 * locks the next table at or after *addr, sets *next to the end of its
 * extent and returns the PTE of *addr; NULL when none is left.  The caller
 * walks addr up to *next and unlocks *ptl.
 */
static pte_t *lock_next_table(struct kcore_mm_struct *mm, unsigned long *addr, unsigned long end,
			      unsigned long *next, spinlock_t **ptl)
{
	for (; *addr < end; *addr = *next) {
		pte_t *pte;

		*next = extent_end(*addr, end);
		pte = pte_offset_lock(mm, *addr, ptl);
		if (pte) {
			spin_lock(*ptl);
			return pte;
		}
	}
	return NULL;
}

void kcore__zap_page_range(struct mmu_gather *tlb, struct kcore_vm_area_struct *vma,
			   unsigned long start, unsigned long end)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	struct vm_sys *vs = mm->vs;
	long anon = 0, file = 0;

	unsigned long addr = start, next;
	spinlock_t *ptl;
	pte_t *pte;

	for (; (pte = lock_next_table(mm, &addr, end, &next, &ptl)); addr = next) {
		kcore__arch_enter_lazy_mmu_mode(mm);
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			pte_t v = ptep_get(pte);
			struct kcore_page *p;

			if (pte_none(v))
				continue;
			/* Guard markers survive everything but unmap (should_zap_markers()). */
			if (is_guard_pte_marker(v) && !tlb->drop_markers)
				continue;
			kcore__set_pte_at(pte, 0);
			if (is_guard_pte_marker(v))
				continue;
			tlb_track(tlb, addr);
			if (!pte_present(v)) {
				add_mm_counter(mm, MM_SWAPENTS, -1);
				continue;
			}
			if (pte_special(v))
				continue;
			p = pfn_to_page(vs, pte_pfn(v));
			if (PageTest(p, PG_anon))
				anon++;
			else
				file++;
			page_remove_rmap(vma, p);
			if (lazy.n == LAZY_MAX - 1 || tlb->nr == ARRAY_SIZE(tlb->pages) - 1) {
				/* The batch is full: commit the cleared entries first. */
				lazy_commit();
			}
			tlb_remove_page(tlb, p);
		}
		kcore__arch_leave_lazy_mmu_mode();
		spin_unlock(ptl);
	}
	if (anon)
		add_mm_counter(mm, MM_ANONPAGES, -anon);
	if (file)
		add_mm_counter(mm, MM_SHMEMPAGES, -file);
}

/* Frees the tables below @tbl (a table of @level 0=PGD..2=PMD) whose span
   no VMA intersects, within [start, end). */
static void free_level(struct kcore_mm_struct *mm, pte_t *tbl, int level, unsigned long base,
		       unsigned long start, unsigned long end, bool all)
{
	static const int shifts[3] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT };
	struct vm_sys *vs = mm->vs;
	int shift = shifts[level];
	unsigned long span = 1UL << shift;

	for (unsigned int i = idx(start, shift); i < PTRS_PER_TABLE; i++) {
		unsigned long s = base + (unsigned long)i * span, e = s + span;
		pte_t v = tbl[i];
		struct kcore_page *child;

		if (s >= end)
			break;
		if (pte_none(v))
			continue;
		if (level < 2)
			free_level(mm, table_of(vs, v), level + 1, s, max(s, start), min(e, end), all);
		if (!all && kcore__find_vma_intersection(mm, s, e))
			continue;
		child = pfn_to_page(vs, pte_pfn(v));
		__atomic_store_n(&tbl[i], 0, __ATOMIC_RELEASE);
		if (level == 2)
			stat_inc(mm, st_pte_tables, -1UL);
		kcore__vm_put_page(child);
	}
}

void kcore__free_pgtables(struct kcore_mm_struct *mm, unsigned long start, unsigned long end)
{
	if (start < end)
		free_level(mm, mm->pgd, 0, 0, start & ~(PMD_SIZE - 1), end, false);
}

void kcore__free_all_pgtables(struct kcore_mm_struct *mm)
{
	if (!mm->pgd)
		return;
	free_level(mm, mm->pgd, 0, 0, 0, 1UL << 48, true);
	kcore__vm_put_page(mm->pgd_page);
	mm->pgd = NULL;
	mm->pgd_page = NULL;
}

/* ---- protections ------------------------------------------------------ */

static pte_t make_prot(struct kcore_vm_area_struct *vma, pte_t old, unsigned long flags,
		       struct vm_sys *vs)
{
	pte_t v = old & (PTE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL);

	if (!(flags & VM_ACCESS_FLAGS))
		return v | _PAGE_PROTNONE;
	v |= _PAGE_PRESENT | _PAGE_USER;
	if (!(flags & VM_WRITE) || pte_special(old))
		return v;
	if (flags & VM_SHARED)
		return v | _PAGE_RW;
	/* can_change_pte_writable(): an exclusive anonymous page. */
	{
		struct kcore_page *p = pfn_to_page(vs, pte_pfn(old));

		if (PageTest(p, PG_anon) && __atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) == 1 &&
		    __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED) == 1)
			v |= _PAGE_RW;
	}
	(void)vma;
	return v;
}

long kcore__change_protection(struct kcore_vm_area_struct *vma, unsigned long start,
			      unsigned long end, unsigned long newflags)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	long changed = 0;

	unsigned long addr = start, next;
	spinlock_t *ptl;
	pte_t *pte;

	for (; (pte = lock_next_table(mm, &addr, end, &next, &ptl)); addr = next) {
		kcore__arch_enter_lazy_mmu_mode(mm);
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			pte_t v = ptep_get(pte), n;

			if (!pte_present(v))
				continue;
			n = make_prot(vma, v, newflags, mm->vs);
			if (n != v) {
				kcore__set_pte_at(pte, n);
				changed++;
			}
		}
		kcore__arch_leave_lazy_mmu_mode();
		spin_unlock(ptl);
	}
	return changed;
}

/* ---- mlock state of mapped pages ---------------------------------------- */

void kcore__mlock_page_range(struct kcore_vm_area_struct *vma, unsigned long start,
			     unsigned long end, bool lock)
{
	struct kcore_mm_struct *mm = vma->vm_mm;

	unsigned long addr = start, next;
	spinlock_t *ptl;
	pte_t *pte;

	for (; (pte = lock_next_table(mm, &addr, end, &next, &ptl)); addr = next) {
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			pte_t v = ptep_get(pte);
			struct kcore_page *p;

			if (!pte_present(v) || pte_special(v))
				continue;
			p = pfn_to_page(mm->vs, pte_pfn(v));
			if (lock) {
				__atomic_fetch_add(&p->mlock_count, 1, __ATOMIC_RELAXED);
				PageSet(p, PG_mlocked);
				PageSet(p, PG_unevictable);
			} else if (__atomic_sub_fetch(&p->mlock_count, 1, __ATOMIC_RELAXED) <= 0) {
				p->mlock_count = 0;
				PageClear(p, PG_mlocked);
				PageClear(p, PG_unevictable);
			}
		}
		spin_unlock(ptl);
	}
}

/* ---- guard regions (MADV_GUARD_INSTALL / MADV_GUARD_REMOVE, v6.13+) ------- */

int kcore__guard_install_range(struct kcore_vm_area_struct *vma, unsigned long start,
			       unsigned long end)
{
	struct kcore_mm_struct *mm = vma->vm_mm;

	for (unsigned long addr = start, next; addr < end; addr = next) {
		spinlock_t *ptl;
		pte_t *pte;

		next = extent_end(addr, end);
		pte = kcore__pte_alloc(mm, addr, &ptl);
		if (!pte)
			return -ENOMEM;
		spin_lock(ptl);
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			/* The caller zapped the range: only none entries are left. */
			if (pte_none(ptep_get(pte)))
				kcore__set_pte_at(pte, PTE_MARKER_GUARD);
		}
		spin_unlock(ptl);
	}
	return 0;
}

void kcore__guard_remove_range(struct kcore_vm_area_struct *vma, unsigned long start,
			       unsigned long end)
{
	struct kcore_mm_struct *mm = vma->vm_mm;

	unsigned long addr = start, next;
	spinlock_t *ptl;
	pte_t *pte;

	for (; (pte = lock_next_table(mm, &addr, end, &next, &ptl)); addr = next) {
		for (; addr < next; addr += PAGE_SIZE, pte++)
			if (is_guard_pte_marker(ptep_get(pte)))
				kcore__set_pte_at(pte, 0);
		spin_unlock(ptl);
	}
}

/* ---- MADV_FREE ---------------------------------------------------------- */

void kcore__madv_free_range(struct kcore_vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	bool any = false;

	unsigned long addr = start, next;
	spinlock_t *ptl;
	pte_t *pte;

	for (; (pte = lock_next_table(mm, &addr, end, &next, &ptl)); addr = next) {
		kcore__arch_enter_lazy_mmu_mode(mm);
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			pte_t v = ptep_get(pte);
			struct kcore_page *p;

			if (!pte_present(v) || pte_special(v))
				continue;
			p = pfn_to_page(mm->vs, pte_pfn(v));
			/* Only pages this mapping owns alone become lazily freeable. */
			if (!PageTest(p, PG_anon) || __atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) != 1)
				continue;
			PageSet(p, PG_lazyfree);
			kcore__set_pte_at(pte, v & ~(_PAGE_DIRTY | _PAGE_ACCESSED));
			any = true;
		}
		kcore__arch_leave_lazy_mmu_mode();
		spin_unlock(ptl);
	}
	if (any)
		kcore__flush_tlb_range(mm, start, end);
}

/* ---- mremap: move_page_tables ------------------------------------------- */

/* move_normal_pmd(): hand a whole PTE table over to the new PMD slot. */
static bool move_pmd(struct kcore_mm_struct *mm, unsigned long old_addr, pte_t *npmd)
{
	struct vm_sys *vs = mm->vs;
	pte_t *opmd, v;
	spinlock_t *ptl;

	opmd = walk_depth(mm, old_addr, false, NULL, 2);
	if (!opmd || pte_none(v = ptep_get(opmd)) || !pte_none(ptep_get(npmd)))
		return false;
	/* The PTE lock travels with the table: hold it across the switch. */
	ptl = &pfn_to_page(vs, pte_pfn(v))->ptl;
	spin_lock(ptl);
	__atomic_store_n(opmd, 0, __ATOMIC_RELEASE);
	__atomic_store_n(npmd, v, __ATOMIC_RELEASE);
	spin_unlock(ptl);
	kcore__flush_tlb_range(mm, old_addr, old_addr + PMD_SIZE);
	return true;
}

/*
 * KCORE: two split PTE locks are taken in address order.  The kernel nests
 * them in a fixed role order (mremap: source then destination with
 * SINGLE_DEPTH_NESTING under the exclusive mmap lock; fork: destination
 * then source) and lockdep is told so; here the locks live in the frames
 * and are reused by later tables in other roles, so a role order would
 * look like an inversion to TSan.  The exclusion is the same.
 */
static void ptl_lock_pair(spinlock_t *a, spinlock_t *b)
{
	if (a == b) {
		spin_lock(a);
		return;
	}
	spin_lock(a < b ? a : b);
	spin_lock(a < b ? b : a);
}

static void ptl_unlock_pair(spinlock_t *a, spinlock_t *b)
{
	if (a != b)
		spin_unlock(b);
	spin_unlock(a);
}

static bool move_ptes(struct kcore_mm_struct *mm, unsigned long old_addr, unsigned long old_end,
		      unsigned long new_addr)
{
	spinlock_t *optl, *nptl;
	pte_t *opte, *npte;
	bool flush = false;
	unsigned long start = old_addr;

	opte = pte_offset_lock(mm, old_addr, &optl);
	if (!opte)
		return true; /* nothing mapped: skip the extent */
	npte = kcore__pte_alloc(mm, new_addr, &nptl);
	if (!npte)
		return false;
	ptl_lock_pair(optl, nptl);
	kcore__arch_enter_lazy_mmu_mode(mm);
	for (; old_addr < old_end; old_addr += PAGE_SIZE, opte++, npte++) {
		pte_t v = ptep_get(opte);

		if (pte_none(v))
			continue;
		WARN_ON(!pte_none(ptep_get(npte)));
		kcore__set_pte_at(opte, 0);
		kcore__set_pte_at(npte, v);
		if (pte_present(v))
			flush = true;
	}
	kcore__arch_leave_lazy_mmu_mode();
	if (flush)
		kcore__flush_tlb_range(mm, start, old_end);
	ptl_unlock_pair(optl, nptl);
	return true;
}

unsigned long kcore__move_page_tables(struct kcore_vm_area_struct *vma, unsigned long old_addr,
				      struct kcore_vm_area_struct *new_vma, unsigned long new_addr,
				      unsigned long len)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	unsigned long old_end = old_addr + len, done = 0;

	(void)new_vma;
	if (!len)
		return 0;
	kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_UNMAP, old_addr, old_end);
	while (done < len) {
		unsigned long o = old_addr + done, n = new_addr + done;
		unsigned long ext = min(PMD_SIZE - (o & (PMD_SIZE - 1)), PMD_SIZE - (n & (PMD_SIZE - 1)));

		pte_t *npmd;

		ext = min(ext, len - done);
		stat_inc(mm, st_moved_extents, 1);
		/* Nothing mapped at the source: skip the extent. */
		if (!walk_depth(mm, o, false, NULL, 2) || pte_none(ptep_get(walk_depth(mm, o, false, NULL, 2)))) {
			done += ext;
			continue;
		}
		/* alloc_new_pmd(): a failure ends the move here. */
		npmd = walk_depth(mm, n, true, NULL, 2);
		if (!npmd)
			break;
		if (ext == PMD_SIZE && move_pmd(mm, o, npmd)) {
			done += ext;
			continue;
		}
		if (!move_ptes(mm, o, o + ext, n))
			break;
		done += ext;
	}
	kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_UNMAP, old_addr, old_end);
	return done;
}

/* ---- fork: copy_page_range ---------------------------------------------- */

int kcore__copy_page_range(struct kcore_vm_area_struct *dst, struct kcore_vm_area_struct *src)
{
	struct kcore_mm_struct *dmm = dst->vm_mm, *smm = src->vm_mm;
	bool cow = (src->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	long anon = 0, file = 0;
	int ret = 0;

	/* vma_needs_copy(): shared memory without anonymous pages is faulted again. */
	if (!src->anon_vma)
		return 0;
	if (cow)
		kcore__mmu_notifier_invalidate_range_start(smm, MMU_NOTIFY_PROTECTION_PAGE,
							   src->vm_start, src->vm_end);
	for (unsigned long addr = src->vm_start, next; addr < src->vm_end; addr = next) {
		spinlock_t *sptl, *dptl;
		pte_t *spte, *dpte;

		next = extent_end(addr, src->vm_end);
		spte = pte_offset_lock(smm, addr, &sptl);
		if (!spte)
			continue;
		dpte = kcore__pte_alloc(dmm, addr, &dptl);
		if (!dpte) {
			ret = -ENOMEM;
			break;
		}
		ptl_lock_pair(sptl, dptl); /* different mms: never the same lock */
		for (; addr < next; addr += PAGE_SIZE, spte++, dpte++) {
			pte_t v = ptep_get(spte);
			struct kcore_page *p;

			if (is_guard_pte_marker(v)) {
				/* copy_pte_marker(): guard regions survive fork */
				__atomic_store_n(dpte, v, __ATOMIC_RELEASE);
				continue;
			}
			if (pte_none(v) || !pte_present(v))
				continue;
			if (!pte_special(v)) {
				p = pfn_to_page(smm->vs, pte_pfn(v));
				get_page(p);
				__atomic_fetch_add(&p->_mapcount, 1, __ATOMIC_RELAXED);
				if (PageTest(p, PG_anon))
					anon++;
				else
					file++;
			}
			if (cow && pte_write(v)) {
				v &= ~_PAGE_RW;
				__atomic_store_n(spte, v, __ATOMIC_RELEASE);
			}
			__atomic_store_n(dpte, v & ~_PAGE_ACCESSED, __ATOMIC_RELEASE);
		}
		ptl_unlock_pair(sptl, dptl);
	}
	if (cow) {
		kcore__flush_tlb_range(smm, src->vm_start, src->vm_end);
		kcore__mmu_notifier_invalidate_range_end(smm, MMU_NOTIFY_PROTECTION_PAGE,
							 src->vm_start, src->vm_end);
	}
	if (anon)
		add_mm_counter(dmm, MM_ANONPAGES, anon);
	if (file)
		add_mm_counter(dmm, MM_SHMEMPAGES, file);
	return ret;
}
