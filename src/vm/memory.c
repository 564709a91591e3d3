// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memory.c - demand faults, copy-on-write and user-memory access.
 *
 * Mirrors Linux v6.18 mm/memory.c (handle_pte_fault, do_anonymous_page
 * with the shared zero page, do_read_fault/do_cow_fault/do_shared_fault,
 * do_fault_around, do_wp_page and its reuse rule), mm/filemap.c
 * filemap_map_pages(), arch/x86/mm/fault.c access_error(),
 * and mm/gup.c (__get_user_pages, check_vma_flags, get_user_pages_remote,
 * __access_remote_vm).
 *
 * The access path is the simulated hardware: with the mmap lock held for
 * reading, it walks the tables without the PTE lock (as the MMU does),
 * sets the accessed/dirty bits atomically and copies; only a missing or
 * insufficient entry enters the fault handler, which takes the split PTE
 * lock of the one table it changes.
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <pthread.h>

/* anon_vma_compatible(): @a directly below @b, equal but for access flags. */
static bool anon_vma_compatible(const struct kcore_vm_area_struct *a,
				const struct kcore_vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~VM_ACCESS_FLAGS) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> PAGE_SHIFT);
}

/* reusable_anon_vma() of the next, then the previous VMA (mmap lock held). */
static struct anon_vma *mergeable_anon_vma(struct kcore_mm_struct *mm,
					   const struct kcore_vm_area_struct *vma)
{
	int i = kcore__vma_index(mm, vma->vm_start);
	struct kcore_vm_area_struct *next = kcore__vma_at(mm, i + 1), *prev = kcore__vma_at(mm, i - 1);
	struct anon_vma *av;

	if (next && anon_vma_compatible(vma, next)) {
		av = __atomic_load_n(&next->anon_vma, __ATOMIC_ACQUIRE);
		if (av && !av->cloned)
			return av;
	}
	if (prev && anon_vma_compatible(prev, vma)) {
		av = __atomic_load_n(&prev->anon_vma, __ATOMIC_ACQUIRE);
		if (av && !av->cloned)
			return av;
	}
	return NULL;
}

int kcore__anon_vma_prepare(struct kcore_vm_area_struct *vma)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	struct anon_vma *av;

	struct anon_vma *reuse;

	if (likely(__atomic_load_n(&vma->anon_vma, __ATOMIC_ACQUIRE)))
		return 0;
	/* find_mergeable_anon_vma(): share a compatible neighbour's, next first. */
	reuse = mergeable_anon_vma(mm, vma);
	av = reuse ? NULL : kcore__anon_vma_alloc();
	if (!reuse && !av)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (!vma->anon_vma) {
		if (reuse)
			__atomic_fetch_add(&reuse->refcount, 1, __ATOMIC_RELAXED);
		/* Pairs with the acquire load above. */
		__atomic_store_n(&vma->anon_vma, reuse ? reuse : av, __ATOMIC_RELEASE);
		av = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (av)
		kcore__put_anon_vma(av);
	return 0;
}

static void page_add_rmap(struct kcore_vm_area_struct *vma, struct kcore_page *p)
{
	__atomic_fetch_add(&p->_mapcount, 1, __ATOMIC_RELAXED);
	if (vma->vm_flags & VM_LOCKED) {
		__atomic_fetch_add(&p->mlock_count, 1, __ATOMIC_RELAXED);
		PageSet(p, PG_mlocked);
		PageSet(p, PG_unevictable);
	}
}

static pte_t mk_pte(struct kcore_vm_area_struct *vma, struct vm_sys *vs, struct kcore_page *p,
		    bool writable, bool dirty)
{
	pte_t v = ((pte_t)page_to_pfn(vs, p) << PAGE_SHIFT) | _PAGE_ACCESSED;

	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return v | _PAGE_PROTNONE;
	v |= _PAGE_PRESENT | _PAGE_USER;
	if (writable)
		v |= _PAGE_RW;
	if (dirty)
		v |= _PAGE_DIRTY;
	return v;
}

/* do_anonymous_page() */
static int do_anonymous_page(struct kcore_vm_area_struct *vma, unsigned long addr, bool write,
			     pte_t *pte, spinlock_t *ptl)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	struct vm_sys *vs = mm->vs;
	struct kcore_page *page;

	if (!write) {
		/* The shared zero page: read-only, special, no RSS charge. */
		spin_lock(ptl);
		if (pte_none(ptep_get(pte)))
			kcore__set_pte_at(pte, _PAGE_PRESENT | _PAGE_USER | _PAGE_SPECIAL |
						       _PAGE_ACCESSED);
		spin_unlock(ptl);
		return 0;
	}
	if (kcore__anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = kcore__vm_alloc_page(vs, true);
	if (!page)
		return VM_FAULT_OOM;
	PageSet(page, PG_anon);
	spin_lock(ptl);
	if (!pte_none(ptep_get(pte))) {
		spin_unlock(ptl);
		kcore__vm_put_page(page);
		return 0; /* raced: somebody else mapped it */
	}
	page_add_rmap(vma, page);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	kcore__set_pte_at(pte, mk_pte(vma, vs, page, vma->vm_flags & VM_WRITE, true));
	spin_unlock(ptl);
	return 0;
}

/* KCORE: fault_around_bytes is fixed at its default, 64 KiB (16 pages):
   no debugfs knob, and no userfaultfd to disable fault-around. */
#define FAULT_AROUND_PAGES 16UL

/*
 * do_fault_around() + filemap_map_pages(): before a read fault of a file
 * page is served, map the pages of the window that are already in the
 * page cache and not yet mapped.  The window starts at the 16-page aligned
 * slot below @addr, or at the VMA start if that is higher, and spans 16
 * pages, clipped to the VMA, to the PTE table and to the file size.  No
 * page is allocated; the entries get the VMA's protection (read-only for a
 * private mapping: the write fault copies later), without the dirty bit.
 * Return: true when the entry of @addr itself was mapped.
 */
static bool do_fault_around(struct kcore_vm_area_struct *vma, unsigned long addr, pte_t *pte,
			    spinlock_t *ptl)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	struct vm_sys *vs = mm->vs;
	struct kcore_file *f = vma->vm_file;
	struct kcore_page *pages[FAULT_AROUND_PAGES];
	unsigned long pte_off = (addr >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
	unsigned long vma_off = (addr - vma->vm_start) >> PAGE_SHIFT;
	unsigned long from, to, first, n, size_pages;
	bool shared = vma->vm_flags & VM_SHARED, hit = false;
	long rss = 0;

	from = max(pte_off & ~(FAULT_AROUND_PAGES - 1), pte_off - min(pte_off, vma_off));
	to = min(min(from + FAULT_AROUND_PAGES, (unsigned long)PTRS_PER_TABLE),
		 pte_off + vma_pages(vma) - vma_off);
	first = linear_page_index(vma, addr) - (pte_off - from);
	n = to - from;

	/* The lookup: references on the cached pages, nothing allocated. */
	mutex_lock(&f->lock);
	size_pages = DIV_ROUND_UP(f->size, PAGE_SIZE);
	for (unsigned long i = 0; i < n; i++) {
		unsigned long index = first + i;
		struct kcore_page *p = NULL;

		if (index < size_pages && index < f->nr_slots)
			p = f->pages[index];
		if (p)
			get_page(p);
		pages[i] = p;
	}
	mutex_unlock(&f->lock);

	spin_lock(ptl);
	/* Truncate publishes the new size before zapping (kcore_file_truncate()). */
	size_pages = DIV_ROUND_UP(READ_ONCE(f->size), PAGE_SIZE);
	for (unsigned long i = 0; i < n; i++) {
		struct kcore_page *p = pages[i];
		pte_t *ptep = pte - (pte_off - from) + i;

		if (!p || first + i >= size_pages || READ_ONCE(p->mapping) != f ||
		    !pte_none(ptep_get(ptep)))
			continue;
		/* The lookup's reference becomes the mapping's. */
		page_add_rmap(vma, p);
		kcore__set_pte_at(ptep, mk_pte(vma, vs, p, shared && (vma->vm_flags & VM_WRITE), false));
		pages[i] = NULL;
		rss++;
		if (ptep == pte)
			hit = true;
	}
	spin_unlock(ptl);
	if (rss)
		add_mm_counter(mm, MM_SHMEMPAGES, rss); /* mm_counter_file(): shmem-backed */
	for (unsigned long i = 0; i < n; i++)
		if (pages[i])
			kcore__vm_put_page(pages[i]);
	return hit;
}

/* do_read_fault / do_cow_fault / do_shared_fault */
static int do_file_fault(struct kcore_vm_area_struct *vma, unsigned long addr, bool write,
			 pte_t *pte, spinlock_t *ptl)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	struct vm_sys *vs = mm->vs;
	struct kcore_file *f = vma->vm_file;
	unsigned long index = linear_page_index(vma, addr);
	struct kcore_page *page, *cow = NULL;
	bool sigbus, shared = vma->vm_flags & VM_SHARED;
	pte_t v;

	/* do_read_fault(): should_fault_around() holds for shmem (->map_pages). */
	if (!write && do_fault_around(vma, addr, pte, ptl))
		return 0;
	/*
	 * do_cow_fault() prepares the anon_vma (vmf_anon_prepare()) before it
	 * asks the file for the page: a private write fault past the end of
	 * the file still leaves the VMA with an anon_vma, which later keeps it
	 * from merging with a neighbour holding another one.
	 */
	if (write && !shared && kcore__anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = kcore__vm_file_get_page(f, index, &sigbus);
	if (!page)
		return sigbus ? VM_FAULT_SIGBUS : VM_FAULT_OOM;
	if (write && !shared) {
		cow = kcore__vm_alloc_page(vs, false);
		if (!cow) {
			kcore__vm_put_page(page);
			return VM_FAULT_OOM;
		}
		memcpy(cow->virt, page->virt, PAGE_SIZE);
		PageSet(cow, PG_anon);
	}
	spin_lock(ptl);
	/* Truncate publishes the new size before zapping (kcore_file_truncate()). */
	if (index >= DIV_ROUND_UP(READ_ONCE(f->size), PAGE_SIZE) || READ_ONCE(page->mapping) != f) {
		spin_unlock(ptl);
		if (cow)
			kcore__vm_put_page(cow);
		kcore__vm_put_page(page);
		return VM_FAULT_SIGBUS;
	}
	if (!pte_none(ptep_get(pte))) {
		spin_unlock(ptl);
		if (cow)
			kcore__vm_put_page(cow);
		kcore__vm_put_page(page);
		return 0;
	}
	if (cow) {
		page_add_rmap(vma, cow);
		add_mm_counter(mm, MM_ANONPAGES, 1);
		v = mk_pte(vma, vs, cow, vma->vm_flags & VM_WRITE, true);
		kcore__vm_put_page(page);
	} else {
		/* The page cache reference from the lookup becomes the mapping's. */
		page_add_rmap(vma, page);
		add_mm_counter(mm, mm_counter_file(page), 1);
		v = mk_pte(vma, vs, page, shared && (vma->vm_flags & VM_WRITE), write);
	}
	kcore__set_pte_at(pte, v);
	spin_unlock(ptl);
	return 0;
}

/* do_wp_page(): a write to a present, write-protected entry. */
static int do_wp_page(struct kcore_vm_area_struct *vma, unsigned long addr, pte_t *pte,
		      spinlock_t *ptl)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	struct vm_sys *vs = mm->vs;
	struct kcore_page *old = NULL, *new;
	pte_t v;

	spin_lock(ptl);
	v = ptep_get(pte);
	if (!pte_present(v) || pte_write(v)) {
		spin_unlock(ptl);
		return 0; /* changed under us: retry the access */
	}
	if (vma->vm_flags & VM_SHARED) {
		/* wp_page_shared(): a shared page becomes writable in place. */
		kcore__set_pte_at(pte, v | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		spin_unlock(ptl);
		return 0;
	}
	if (!pte_special(v)) {
		old = pfn_to_page(vs, pte_pfn(v));
		/* wp_can_reuse_anon_folio(): exclusive and not pinned by anyone else. */
		if (PageTest(old, PG_anon) && __atomic_load_n(&old->_mapcount, __ATOMIC_RELAXED) == 1 &&
		    __atomic_load_n(&old->_refcount, __ATOMIC_ACQUIRE) == 1) {
			PageClear(old, PG_lazyfree);
			if (vma->vm_flags & VM_WRITE)
				kcore__set_pte_at(pte, v | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
			spin_unlock(ptl);
			return 0;
		}
		get_page(old);
	}
	spin_unlock(ptl);

	/* wp_page_copy() */
	if (kcore__anon_vma_prepare(vma))
		goto oom;
	new = kcore__vm_alloc_page(vs, !old);
	if (!new)
		goto oom;
	if (old)
		memcpy(new->virt, old->virt, PAGE_SIZE);
	PageSet(new, PG_anon);
	kcore__mmu_notifier_invalidate_range_start(mm, MMU_NOTIFY_CLEAR, addr, addr + PAGE_SIZE);
	spin_lock(ptl);
	if (ptep_get(pte) != v) {
		spin_unlock(ptl);
		kcore__vm_put_page(new);
	} else {
		page_add_rmap(vma, new);
		add_mm_counter(mm, MM_ANONPAGES, 1);
		kcore__set_pte_at(pte, mk_pte(vma, vs, new, vma->vm_flags & VM_WRITE, true));
		kcore__flush_tlb_range(mm, addr, addr + PAGE_SIZE);
		if (old) {
			add_mm_counter(mm, PageTest(old, PG_anon) ? MM_ANONPAGES : mm_counter_file(old), -1);
			__atomic_fetch_sub(&old->_mapcount, 1, __ATOMIC_RELAXED);
			if (vma->vm_flags & VM_LOCKED &&
			    __atomic_sub_fetch(&old->mlock_count, 1, __ATOMIC_RELAXED) <= 0) {
				old->mlock_count = 0;
				PageClear(old, PG_mlocked);
				PageClear(old, PG_unevictable);
			}
			kcore__vm_put_page(old); /* the mapping's reference */
		}
		spin_unlock(ptl);
	}
	kcore__mmu_notifier_invalidate_range_end(mm, MMU_NOTIFY_CLEAR, addr, addr + PAGE_SIZE);
	if (old)
		kcore__vm_put_page(old); /* ours */
	return 0;
oom:
	if (old)
		kcore__vm_put_page(old);
	return VM_FAULT_OOM;
}

int kcore__handle_mm_fault(struct kcore_vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	bool write = flags & FAULT_FLAG_WRITE;
	spinlock_t *ptl;
	pte_t *pte, v;

	addr &= PAGE_MASK;
	pte = kcore__pte_alloc(mm, addr, &ptl);
	if (!pte)
		return VM_FAULT_OOM;
	v = ptep_get(pte);
	if (pte_none(v)) {
		if (vma_is_anonymous(vma))
			return do_anonymous_page(vma, addr, write, pte, ptl);
		return do_file_fault(vma, addr, write, pte, ptl);
	}
	if (is_guard_pte_marker(v))
		return VM_FAULT_SIGSEGV; /* a guard region */
	if (WARN_ON(!pte_present(v)))
		return VM_FAULT_SIGBUS; /* swap entries appear only with reclaim (vm 2/2) */
	if (write && !pte_write(v))
		return do_wp_page(vma, addr, pte, ptl);
	/* A spurious fault: just mark the entry young (and dirty). */
	__atomic_fetch_or(pte, _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0), __ATOMIC_RELAXED);
	return 0;
}

/* ---- user access ---------------------------------------------------------- */

/* x86 access_error(): 0 when the access is allowed by the VMA. */
static bool access_error(const struct kcore_vm_area_struct *vma, bool write)
{
	if (write)
		return !(vma->vm_flags & VM_WRITE);
	return !vma_is_accessible(vma);
}

/*
 * SIM: a software TLB per thread for reads through kcore_copy_from_user().
 *
 * An entry caches the frame of one virtual page of one mm, tagged with the
 * mm's TLB generation read before the walk that filled it.  Every TLB
 * flush (kcore__flush_tlb_range()) moves the generation after changing the
 * PTEs and before freeing any page, so a tag that still matches means the
 * translation is current.  A hit copies without any lock and checks the
 * generation again afterwards, seqlock style: if a flush ran meanwhile, the
 * copied bytes are thrown away and the access takes the locked path.  Only
 * reads use it (a write cannot be taken back); entries are filled only
 * from present, readable PTEs, with the accessed bit already set.
 */
#define TLB_ENTRIES 512 /* direct-mapped; a second-level TLB's reach (2 MiB) */
#define TLB_POOL 64      /* threads that get a TLB at once; others go without */
struct tlb_entry {
	uint64_t mm_id;
	unsigned long vpn, gen;
	const char *virt;
};
/*
 * The TLBs live in static storage handed out per thread (no allocation,
 * nothing to leak); the thread keeps a pointer in initial-exec TLS, one
 * load on the fast path.  A TLB outlives its thread: a reused one still
 * holds correct, generation-tagged translations.
 */
static struct tlb_entry tlb_pool[TLB_POOL][TLB_ENTRIES];
static unsigned long tlb_pool_used; /* bit i: tlb_pool[i] is taken */
static __thread struct tlb_entry *my_tlb __attribute__((tls_model("initial-exec")));
static __thread int my_tlb_tried __attribute__((tls_model("initial-exec")));
static pthread_key_t tlb_key;
static pthread_once_t tlb_once = PTHREAD_ONCE_INIT;

static void tlb_release(void *p)
{
	unsigned long i = (unsigned long)((struct tlb_entry(*)[TLB_ENTRIES])p - tlb_pool);

	__atomic_fetch_and(&tlb_pool_used, ~(1UL << i), __ATOMIC_RELEASE);
}

static void tlb_key_init(void)
{
	if (pthread_key_create(&tlb_key, tlb_release))
		tlb_key = (pthread_key_t)-1;
}

static struct tlb_entry *tlb_claim(void)
{
	unsigned long used;

	my_tlb_tried = 1;
	pthread_once(&tlb_once, tlb_key_init);
	if (tlb_key == (pthread_key_t)-1)
		return NULL;
	used = __atomic_load_n(&tlb_pool_used, __ATOMIC_RELAXED);
	while (~used) {
		unsigned int i = (unsigned int)__builtin_ctzl(~used);

		if (__atomic_compare_exchange_n(&tlb_pool_used, &used, used | (1UL << i), false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			if (pthread_setspecific(tlb_key, tlb_pool[i])) {
				tlb_release(tlb_pool[i]);
				return NULL;
			}
			my_tlb = tlb_pool[i];
			return my_tlb;
		}
	}
	return NULL;
}

/* One read within a page through the TLB; false on a miss or a race. */
static inline __attribute__((always_inline)) bool tlb_read(struct kcore_mm_struct *mm, unsigned long uaddr, char *dst,
			    unsigned long n)
{
	unsigned long vpn = uaddr >> PAGE_SHIFT, gen;
	struct tlb_entry *e = my_tlb;

	if (unlikely(!e))
		return false;
	e += vpn & (TLB_ENTRIES - 1);
	gen = __atomic_load_n(&mm->tlb_gen, __ATOMIC_ACQUIRE);
	if (e->vpn != vpn || e->mm_id != mm->mm_id || e->gen != gen)
		return false;
	if (n == sizeof(uint64_t))
		__builtin_memcpy(dst, e->virt + offset_in_page(uaddr), sizeof(uint64_t));
	else
		memcpy(dst, e->virt + offset_in_page(uaddr), n);
	/* Pairs with the generation bump in kcore__flush_tlb_range(). */
#if defined(__SANITIZE_THREAD__)
	return __atomic_load_n(&mm->tlb_gen, __ATOMIC_SEQ_CST) == gen; /* TSan has no fences */
#else
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&mm->tlb_gen, __ATOMIC_RELAXED) == gen;
#endif
}

static inline void tlb_fill(struct kcore_mm_struct *mm, unsigned long vpn, unsigned long gen,
			    const char *virt)
{
	struct tlb_entry *e = my_tlb;

	if (!e && (my_tlb_tried || !(e = tlb_claim())))
		return;
	e += vpn & (TLB_ENTRIES - 1);
	e->mm_id = mm->mm_id;
	e->vpn = vpn;
	e->gen = gen;
	e->virt = virt;
}

/* The mapped kernel address of a user page for the access, faulting if needed. */
/* get_page_unless_zero(): a reference unless the page is already free. */
static bool page_try_get(struct kcore_page *p)
{
	int r = __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED);

	while (r > 0)
		if (__atomic_compare_exchange_n(&p->_refcount, &r, r + 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

/*
 * SIM: the page behind @addr for one copy.  Truncate and hole punching zap
 * file pages without the mmap lock; on hardware the zapping CPU's TLB
 * shootdown waits for the copying CPU, here nothing would stop the frame
 * from being freed and reused mid-copy.  So a normal page is pinned for
 * the copy (GUP-fast style: take a reference unless it is free, then check
 * that the entry still maps it); *@pinned is the page to put afterwards.
 */
static void *user_page(struct kcore_mm_struct *mm, unsigned long addr, bool write,
		       struct kcore_page **pinned)
{
	pte_t need = _PAGE_PRESENT | (write ? _PAGE_RW : 0);
	pte_t *pte = NULL;

	*pinned = NULL;
	for (int tries = 0; tries < 4; tries++) {
		struct kcore_vm_area_struct *vma;
		/* The tag is read before the walk (see the TLB comment above); only
		   reads fill the TLB, so writes leave the shared line alone. */
		unsigned long gen = write ? 0 : __atomic_load_n(&mm->tlb_gen, __ATOMIC_ACQUIRE);

		/* Tables are not freed under the read lock: a found slot stays valid. */
		if (!pte)
			pte = kcore__pte_offset(mm, addr);

		while (likely(pte)) {
			pte_t v = ptep_get(pte);
			pte_t ad = _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
			struct kcore_page *pg;
			char *virt;

			if ((v & need) != need)
				break;
			pg = &mm->vs->mem_map[pte_pfn(v)];
			virt = pg->virt;
			if (!pte_special(v) && !PageTest(pg, PG_reserved)) {
				if (!page_try_get(pg))
					continue; /* freed under us: the entry has changed */
				if ((ptep_get(pte) | ad) != (v | ad)) {
					kcore__vm_put_page(pg);
					continue;
				}
				*pinned = pg;
			}
			if ((v & ad) != ad)
				__atomic_fetch_or(pte, ad, __ATOMIC_RELAXED);
			if (!write)
				tlb_fill(mm, addr >> PAGE_SHIFT, gen, virt);
			return virt;
		}
		vma = kcore__find_vma(mm, addr);
		if (!vma || vma->vm_start > addr || access_error(vma, write))
			return NULL;
		if (kcore__handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0))
			return NULL;
	}
	return NULL;
}

/*
 * expand_downwards() with acct_stack_growth(): grow a VM_GROWSDOWN VMA
 * down to @addr.  Called with the mmap lock held for writing, as
 * lock_mm_and_find_vma() upgrades to it since v6.5.
 */
static int expand_downwards(struct kcore_mm_struct *mm, unsigned long addr)
{
	int i = kcore__vma_index(mm, addr);
	struct kcore_vm_area_struct *vma = kcore__vma_at(mm, i), *prev = kcore__vma_at(mm, i - 1);
	unsigned long grow;

	addr &= PAGE_MASK;
	if (!vma || !(vma->vm_flags & VM_GROWSDOWN) || vma->vm_start <= addr)
		return vma && vma->vm_start <= addr ? 0 : -EFAULT;
	if (addr < mm->vs->sys->cfg.mmap_min_addr)
		return -EPERM;
	/* The guard gap to a lower, accessible, non-stack mapping. */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && vma_is_accessible(prev) &&
	    addr - prev->vm_end < STACK_GUARD_GAP)
		return -ENOMEM;
	/*
	 * The anon_vma comes first, even if the growth then fails: a grown
	 * stack keeps its pgoff when mremap() moves a piece (copy_vma()).
	 */
	if (kcore__anon_vma_prepare(vma))
		return -ENOMEM;
	grow = (vma->vm_start - addr) >> PAGE_SHIFT;
	if (!kcore__may_expand_vm(mm, vma->vm_flags, grow))
		return -ENOMEM;
	if (vma->vm_end - addr > mm->rlim_stack)
		return -ENOMEM;
	if (!kcore__mlock_future_ok(mm, vma->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	kcore__vm_stat_account(mm, vma->vm_flags, (long)grow);
	if (vma->vm_file)
		mutex_lock(&vma->vm_file->lock);
	vma->vm_start = addr;
	vma->vm_pgoff -= grow;
	if (vma->vm_file)
		mutex_unlock(&vma->vm_file->lock);
	return 0;
}

/* Whether @addr lies in a hole just below a stack VMA. */
static bool below_stack(struct kcore_mm_struct *mm, unsigned long addr)
{
	struct kcore_vm_area_struct *v = kcore__find_vma(mm, addr);

	return v && v->vm_start > addr && (v->vm_flags & VM_GROWSDOWN);
}

static unsigned long copy_user(struct kcore_mm_struct *mm, unsigned long uaddr, char *kbuf,
			       unsigned long n, bool write)
{
	unsigned long done = 0;
	struct kcore_page *pinned;
	unsigned int slot;

	if (!mm || !n)
		return n;
	if (!kbuf || uaddr >= TASK_SIZE)
		return n;
	if (!write) {
		/* The lockless TLB path, page by page, until the first miss. */
		while (done < n) {
			unsigned long a = uaddr + done;
			unsigned long chunk = min(n - done, PAGE_SIZE - offset_in_page(a));

			if (a >= TASK_SIZE || a < uaddr || !tlb_read(mm, a, kbuf + done, chunk))
				break;
			done += chunk;
		}
		if (done == n)
			return 0;
	}
	slot = mmap_read_lock(mm);
	while (done < n) {
		unsigned long a = uaddr + done;
		unsigned long chunk = min(n - done, PAGE_SIZE - offset_in_page(a));
		char *k;

		if (a >= TASK_SIZE || a < uaddr)
			break;
		k = user_page(mm, a & PAGE_MASK, write, &pinned);
		if (!k && below_stack(mm, a)) {
			int err;

			mmap_read_unlock(mm, slot);
			mmap_write_lock(mm);
			err = expand_downwards(mm, a);
			mmap_write_unlock(mm);
			slot = mmap_read_lock(mm);
			if (!err)
				continue;
		}
		if (!k)
			break;
		if (write)
			memcpy(k + offset_in_page(a), kbuf + done, chunk);
		else
			memcpy(kbuf + done, k + offset_in_page(a), chunk);
		if (pinned)
			kcore__vm_put_page(pinned);
		done += chunk;
	}
	mmap_read_unlock(mm, slot);
	return n - done;
}

unsigned long kcore_copy_to_user(struct kcore_mm_struct *mm, unsigned long to, const void *from,
				 unsigned long n)
{
	return copy_user(mm, to, (char *)(uintptr_t)from, n, true);
}

unsigned long kcore_copy_from_user(struct kcore_mm_struct *mm, void *to, unsigned long from,
				   unsigned long n)
{
	/* The common case first: a read within one page that hits the TLB. */
	if (likely(mm && to && n && from < TASK_SIZE && n <= PAGE_SIZE - offset_in_page(from)) &&
	    tlb_read(mm, from, to, n))
		return 0;
	return copy_user(mm, from, to, n, false);
}

/* check_vma_flags() */
static int check_vma_flags(const struct kcore_vm_area_struct *vma, unsigned int gup_flags)
{
	unsigned long f = vma->vm_flags;

	if (f & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if (gup_flags & FOLL_WRITE) {
		if (!(f & VM_WRITE)) {
			if (!(gup_flags & FOLL_FORCE))
				return -EFAULT;
			/* FOLL_FORCE may write only to private (COW) mappings. */
			if (!(f & VM_MAYWRITE) || (f & VM_SHARED))
				return -EFAULT;
		}
	} else if (!(f & VM_READ)) {
		if (!(gup_flags & FOLL_FORCE))
			return -EFAULT;
		if (!(f & VM_MAYREAD))
			return -EFAULT;
	}
	return 0;
}

/* follow_page_pte(): the page at @addr if the entry satisfies the access. */
static struct kcore_page *follow_page(struct kcore_vm_area_struct *vma, unsigned long addr,
				      unsigned int gup_flags, bool *zero)
{
	struct kcore_mm_struct *mm = vma->vm_mm;
	pte_t *pte = kcore__pte_offset(mm, addr), v;
	struct kcore_page *p;

	*zero = false;
	if (!pte)
		return NULL;
	v = ptep_get(pte);
	if (!pte_present(v))
		return NULL;
	/* PROT_NONE entries are present but not accessible: fault (FOLL_FORCE) first. */
	if (!(v & _PAGE_PRESENT) && vma_is_accessible(vma))
		return NULL;
	if ((gup_flags & FOLL_WRITE) && !pte_write(v)) {
		/* After a forced COW the page is an exclusive anon page. */
		if (!(gup_flags & FOLL_FORCE) || pte_special(v))
			return NULL;
		p = pfn_to_page(mm->vs, pte_pfn(v));
		if (!PageTest(p, PG_anon) || (vma->vm_flags & VM_SHARED) ||
		    __atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) != 1)
			return NULL;
	}
	if (pte_special(v)) {
		*zero = true;
		return pfn_to_page(mm->vs, 0);
	}
	p = pfn_to_page(mm->vs, pte_pfn(v));
	if (gup_flags & FOLL_WRITE)
		__atomic_fetch_or(pte, _PAGE_DIRTY | _PAGE_ACCESSED, __ATOMIC_RELAXED);
	return p;
}

/*
 * A forced write (FOLL_FORCE) to a private mapping without VM_WRITE: the
 * write fault breaks COW and installs the private copy read-only, because
 * every PTE the fault path builds takes its write bit from the VMA.
 */
static int force_cow(struct kcore_vm_area_struct *vma, unsigned long addr)
{
	return kcore__handle_mm_fault(vma, addr, FAULT_FLAG_WRITE);
}

long kcore__get_user_pages_err(struct kcore_mm_struct *mm, unsigned long start,
			       unsigned long nr_pages, unsigned int gup_flags,
			       struct kcore_page **pages, long *errp)
{
	struct kcore_vm_area_struct *vma = NULL;
	long i = 0;

#define GUP_STOP(e)                              \
	do {                                     \
		if (errp)                        \
			*errp = (e);             \
		return i ? i : (e);              \
	} while (0)

	start &= PAGE_MASK;
	while ((unsigned long)i < nr_pages) {
		unsigned long addr = start + ((unsigned long)i << PAGE_SHIFT);
		struct kcore_page *p;
		bool zero;
		int ret, tries = 0;

		if (!vma || addr >= vma->vm_end) {
			vma = kcore__find_vma(mm, addr);
			/* KCORE: since v6.5 gup does not expand stacks either. */
			if (!vma || vma->vm_start > addr)
				GUP_STOP(-EFAULT);
			if (check_vma_flags(vma, gup_flags))
				GUP_STOP(-EFAULT);
		}
		while (!(p = follow_page(vma, addr, gup_flags, &zero))) {
			unsigned int ff = (gup_flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0;

			if (++tries > 4)
				GUP_STOP(-EFAULT);
			if ((gup_flags & FOLL_WRITE) && !(vma->vm_flags & VM_WRITE))
				ret = force_cow(vma, addr);
			else if (!vma_is_accessible(vma))
				ret = VM_FAULT_SIGSEGV; /* PROT_NONE even with FOLL_FORCE */
			else
				ret = kcore__handle_mm_fault(vma, addr, ff);
			if (ret & VM_FAULT_OOM)
				GUP_STOP(-ENOMEM);
			if (ret)
				GUP_STOP(-EFAULT);
		}
		if (pages) {
			if (!zero)
				get_page(p);
			pages[i] = p;
		}
		if ((vma->vm_flags & VM_LOCKED) && !zero && !PageTest(p, PG_mlocked)) {
			/* FOLL_MLOCK: a page mapped before the VMA was locked. */
			__atomic_fetch_add(&p->mlock_count, 1, __ATOMIC_RELAXED);
			PageSet(p, PG_mlocked);
			PageSet(p, PG_unevictable);
		}
		i++;
	}
	return i;
#undef GUP_STOP
}

long kcore__get_user_pages(struct kcore_mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct kcore_page **pages)
{
	return kcore__get_user_pages_err(mm, start, nr_pages, gup_flags, pages, NULL);
}

long kcore_get_user_pages_remote(struct kcore_mm_struct *mm, unsigned long start,
				 unsigned long nr_pages, unsigned int gup_flags,
				 struct kcore_page **pages)
{
	unsigned int slot;
	long ret;

	if (!mm || (gup_flags & ~(unsigned int)(FOLL_WRITE | FOLL_FORCE)))
		return -EINVAL;
	if (!nr_pages)
		return 0;
	/* gup's untagged range check: the range must fit the address space. */
	if (start >= TASK_SIZE || nr_pages > (TASK_SIZE - (start & PAGE_MASK)) >> PAGE_SHIFT)
		return -EFAULT;
	slot = mmap_read_lock(mm);
	ret = kcore__get_user_pages(mm, start, nr_pages, gup_flags, pages);
	mmap_read_unlock(mm, slot);
	return ret;
}

int kcore_access_remote_vm(struct kcore_mm_struct *mm, unsigned long addr, void *buf, int len,
			   unsigned int gup_flags)
{
	bool write = gup_flags & FOLL_WRITE;
	char *b = buf;
	unsigned int slot;
	int done = 0;

	if (!mm || !buf || len <= 0 || (gup_flags & ~(unsigned int)(FOLL_WRITE | FOLL_FORCE)))
		return 0;
	slot = mmap_read_lock(mm);
	while (done < len) {
		unsigned long a = addr + (unsigned long)done;
		int off = (int)offset_in_page(a), bytes = (int)PAGE_SIZE - off;
		struct kcore_page *page;

		if (a >= TASK_SIZE || a < addr)
			break;
		if (bytes > len - done)
			bytes = len - done;
		if (kcore__get_user_pages(mm, a, 1, gup_flags, &page) <= 0)
			break;
		if (write)
			memcpy((char *)page->virt + off, b + done, (size_t)bytes);
		else
			memcpy(b + done, (char *)page->virt + off, (size_t)bytes);
		if (!PageTest(page, PG_reserved))
			kcore__vm_put_page(page);
		done += bytes;
	}
	mmap_read_unlock(mm, slot);
	return done;
}
