/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vm_internal.h - the simulated MMU's internal structures.
 *
 * Mirrors the x86-64 4-level layout of Linux v6.18 (arch/x86/include/asm/
 * pgtable_types.h bit positions) and the mm_struct / vm_area_struct /
 * struct page roles of include/linux/mm_types.h.
 *
 * Locking (outermost first):
 *   mm->mmap_lock  a per-slot reader lock ("big reader" rwsem): readers
 *                  take the slot of their thread, writers take every slot.
 *                  SIM: the kernel's mmap_lock is one rwsem plus per-VMA
 *                  locks; the slotted lock gives the same exclusion while
 *                  letting faulting threads scale without the per-VMA
 *                  machinery.
 *   file->lock     a file's page cache and its i_mmap list.
 *   mm->page_table_lock  installs upper-level tables and the anon_vma.
 *   PTE table lock page->ptl of the PTE table page (split PTL).
 *   vs->zone_lock  the frame allocator.
 */
#ifndef KCORE_SRC_VM_INTERNAL_H
#define KCORE_SRC_VM_INTERNAL_H

#include <kcore/vm.h>

#include "core/alloc.h"
#include "core/bug.h"
#include "core/compiler.h"
#include "core/list.h"
#include "core/lock.h"
#include "core/system.h"
#include <stdint.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096UL
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define PTRS_PER_TABLE 512
#define PMD_SHIFT 21
#define PUD_SHIFT 30
#define PGDIR_SHIFT 39
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define TASK_SIZE KCORE_TASK_SIZE
#define STACK_GUARD_GAP (256UL << PAGE_SHIFT) /* stack_guard_gap default */
#define RLIM_INFINITY (~0UL)

/* PTE bits (x86-64). */
#define _PAGE_PRESENT 0x001UL
#define _PAGE_RW 0x002UL
#define _PAGE_USER 0x004UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY 0x040UL
#define _PAGE_PROTNONE 0x100UL /* _PAGE_BIT_GLOBAL reused while !present */
#define _PAGE_SPECIAL 0x200UL  /* _PAGE_BIT_SOFTW1: the zero page */
#define PTE_PFN_MASK 0x000ffffffffff000UL
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

typedef uint64_t pte_t; /* one entry at any level */

static inline bool pte_none(pte_t p) { return p == 0; }
/* pte_present() is true for PROT_NONE entries too, as on x86. */
static inline bool pte_present(pte_t p) { return p & (_PAGE_PRESENT | _PAGE_PROTNONE); }
static inline bool pte_write(pte_t p) { return p & _PAGE_RW; }
static inline bool pte_special(pte_t p) { return p & _PAGE_SPECIAL; }
static inline unsigned long pte_pfn(pte_t p) { return (p & PTE_PFN_MASK) >> PAGE_SHIFT; }

/*
 * Swap entries: present and protnone clear, type in bits 1..5, offset from
 * bit 12.  KCORE: x86-64 stores the offset inverted (L1TF); the simulated
 * MMU has no speculative loads to defend against.
 */
#define SWP_TYPE_SHIFT 1
#define SWP_TYPE_MASK 0x1fUL
static inline pte_t swp_entry_to_pte(unsigned int type, unsigned long offset)
{
	return ((unsigned long)(type & SWP_TYPE_MASK) << SWP_TYPE_SHIFT) | (offset << PAGE_SHIFT) |
	       (1UL << 6); /* never none even for type 0, offset 0 */
}
static inline bool is_swap_pte(pte_t p) { return !pte_none(p) && !pte_present(p); }
/* PTE markers are swap-shaped entries of the last swap type (SWP_PTE_MARKER). */
#define PTE_MARKER_GUARD swp_entry_to_pte(SWP_TYPE_MASK, 1)
static inline bool is_guard_pte_marker(pte_t p) { return p == PTE_MARKER_GUARD; }
static inline unsigned int swp_type(pte_t p) { return (p >> SWP_TYPE_SHIFT) & SWP_TYPE_MASK; }
static inline unsigned long swp_offset(pte_t p) { return p >> PAGE_SHIFT; }

/* struct page flags (bit numbers). */
enum {
	PG_anon,
	PG_pgtable,
	PG_reserved, /* the zero page */
	PG_mlocked,
	PG_unevictable,
	PG_lazyfree,
	PG_dirty,
};

struct vm_sys;

struct kcore_page {
	int _refcount;          /* atomic */
	int _mapcount;          /* atomic: PTEs mapping the page */
	int mlock_count;        /* atomic: VM_LOCKED mappings */
	unsigned long flags;    /* atomic PG_* bits */
	void *virt;             /* the frame's 4 KiB */
	struct kcore_file *mapping; /* page cache owner */
	unsigned long index;    /* page cache index */
	unsigned long next_free;/* free list link (pfn + 1, 0 = end) */
	unsigned int pt_count;  /* page-table pages: entries in use (for stats only) */
	spinlock_t ptl;         /* PTE table pages: the split page-table lock */
	bool ptl_init;
	struct vm_sys *vs;
};

#define NR_SLOTS 8 /* thread slots for the mmap lock, RSS counters and pcp lists */
#define PCP_BATCH 63
#define PCP_HIGH 1022

struct pcp_slot {
	spinlock_t lock;
	unsigned int count;
	unsigned long pfns[PCP_HIGH];
} __attribute__((aligned(64)));

#define CHUNK_PAGES 256

/* Per-system state of the vm module. */
struct vm_sys {
	struct kcore_system *sys;
	unsigned long nr_pages;
	struct kcore_page *mem_map;
	void **chunks;          /* storage, CHUNK_PAGES frames each, allocated on first use */
	spinlock_t zone_lock;
	unsigned long free_head;/* pfn + 1 of the first freed frame, 0 = none */
	unsigned long fresh;    /* next never-used pfn */
	unsigned long nr_free;  /* frames in the zone (not on pcp lists), under zone_lock */
	unsigned long next_ino; /* atomic: shmem inode numbers */
	/* Every live mm and file, so the system's teardown frees what users
	   left behind (tasks of the pid module keep mms until then). */
	struct mutex objs_lock;
	struct list_head mms, files;
	struct pcp_slot pcp[NR_SLOTS];
};

/* The thread's slot (assigned round-robin on first use). */
unsigned int kcore__vm_slot(void) KCORE_HIDDEN;

struct vm_sys *kcore__vm_sys(struct kcore_system *sys) KCORE_HIDDEN;
struct kcore_page *kcore__vm_alloc_page(struct vm_sys *vs, bool zero) KCORE_HIDDEN;
void kcore__vm_free_page(struct vm_sys *vs, struct kcore_page *page) KCORE_HIDDEN;
static inline unsigned long page_to_pfn(struct vm_sys *vs, struct kcore_page *p)
{
	return (unsigned long)(p - vs->mem_map);
}
static inline struct kcore_page *pfn_to_page(struct vm_sys *vs, unsigned long pfn)
{
	return &vs->mem_map[pfn];
}
static inline void get_page(struct kcore_page *p)
{
	__atomic_fetch_add(&p->_refcount, 1, __ATOMIC_RELAXED);
}
void kcore__vm_put_page(struct kcore_page *p) KCORE_HIDDEN;
static inline bool is_zero_pfn(unsigned long pfn) { return pfn == 0; }
#define PageTest(p, bit) ((__atomic_load_n(&(p)->flags, __ATOMIC_RELAXED) >> (bit)) & 1)
#define PageSet(p, bit) __atomic_fetch_or(&(p)->flags, 1UL << (bit), __ATOMIC_RELAXED)
#define PageClear(p, bit) __atomic_fetch_and(&(p)->flags, ~(1UL << (bit)), __ATOMIC_RELAXED)

/* Files: memfd objects and the shmem object behind shared anonymous memory. */
struct kcore_file {
	struct vm_sys *vs;
	int refcount;           /* atomic */
	char *name;             /* shown in maps */
	unsigned long ino;
	unsigned long size;     /* bytes */
	struct mutex lock;      /* pages[], nr_slots, size, i_mmap */
	struct kcore_page **pages;
	unsigned long nr_slots;
	struct list_head i_mmap;/* VMAs mapping it */
	struct list_head sys_node; /* vs->files */
};
#define MAX_LFS_FILESIZE 0x7fffffffffffffffUL

struct kcore_file *kcore__vm_shmem_file(struct vm_sys *vs, unsigned long size) KCORE_HIDDEN;
struct kcore_file *kcore__vm_get_file(struct kcore_file *f) KCORE_HIDDEN;
/* Punch a hole: unmap [first, last) of the file from every mapping, drop the pages. */
void kcore__vm_file_punch(struct kcore_file *f, unsigned long first, unsigned long last) KCORE_HIDDEN;
/* The page cache page at @index, created on demand; NULL past EOF (*sigbus) or OOM. */
struct kcore_page *kcore__vm_file_get_page(struct kcore_file *f, unsigned long index,
					   bool *sigbus) KCORE_HIDDEN;

struct anon_vma {
	int refcount; /* atomic */
	bool cloned;  /* forked: anon_vma chain longer than one entry */
};

struct kcore_vm_area_struct {
	unsigned long vm_start, vm_end;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	struct kcore_mm_struct *vm_mm;
	struct kcore_file *vm_file;
	struct anon_vma *anon_vma;
	struct list_head shared; /* file->i_mmap */
};

/* vm_flags bits used internally (kernel values). */
#define VM_READ KCORE_VM_READ
#define VM_WRITE KCORE_VM_WRITE
#define VM_EXEC KCORE_VM_EXEC
#define VM_SHARED KCORE_VM_SHARED
#define VM_MAYREAD KCORE_VM_MAYREAD
#define VM_MAYWRITE KCORE_VM_MAYWRITE
#define VM_MAYEXEC KCORE_VM_MAYEXEC
#define VM_MAYSHARE KCORE_VM_MAYSHARE
#define VM_GROWSDOWN KCORE_VM_GROWSDOWN
#define VM_LOCKED KCORE_VM_LOCKED
#define VM_LOCKONFAULT KCORE_VM_LOCKONFAULT
#define VM_SEQ_READ KCORE_VM_SEQ_READ
#define VM_RAND_READ KCORE_VM_RAND_READ
#define VM_DONTCOPY KCORE_VM_DONTCOPY
#define VM_DONTEXPAND KCORE_VM_DONTEXPAND
#define VM_ACCOUNT KCORE_VM_ACCOUNT
#define VM_NORESERVE KCORE_VM_NORESERVE
#define VM_IO 0x00004000UL
#define VM_WIPEONFORK KCORE_VM_WIPEONFORK
#define VM_DONTDUMP KCORE_VM_DONTDUMP
#define VM_HUGEPAGE KCORE_VM_HUGEPAGE
#define VM_NOHUGEPAGE KCORE_VM_NOHUGEPAGE
#define VM_MERGEABLE KCORE_VM_MERGEABLE
#define VM_PFNMAP 0x00000400UL
#define VM_MIXEDMAP 0x10000000UL
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_STACK VM_GROWSDOWN

static inline unsigned long vma_pages(const struct kcore_vm_area_struct *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}
static inline bool vma_is_anonymous(const struct kcore_vm_area_struct *v)
{
	return !v->vm_file;
}
static inline bool vma_is_accessible(const struct kcore_vm_area_struct *v)
{
	return v->vm_flags & VM_ACCESS_FLAGS;
}
static inline unsigned long linear_page_index(const struct kcore_vm_area_struct *v,
					      unsigned long addr)
{
	return ((addr - v->vm_start) >> PAGE_SHIFT) + v->vm_pgoff;
}

enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, NR_MM_COUNTERS };

struct mm_lock_slot {
	struct rw_semaphore sem;
} __attribute__((aligned(64)));

struct mm_rss_slot {
	long count[NR_MM_COUNTERS];
} __attribute__((aligned(64)));

struct kcore_mm_struct {
	struct vm_sys *vs;
	int mm_users; /* atomic */
	struct list_head sys_node; /* vs->mms */
	struct mm_lock_slot lock[NR_SLOTS];
	spinlock_t page_table_lock;
	pte_t *pgd;
	struct kcore_page *pgd_page;

	/* VMAs sorted by address (the tree): find in O(log n). */
	struct kcore_vm_area_struct **vmas;
	int map_count, vma_cap;

	unsigned long mmap_base;
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	unsigned long pinned_vm; /* atomic */
	unsigned long hiwater_rss, hiwater_vm;
	unsigned long def_flags;
	bool acct_skewed; /* an OOM left total_vm inflated, as the kernel's mremap can */
	unsigned long rlim_as, rlim_memlock, rlim_stack, rlim_data;
	bool cap_ipc_lock, cap_sys_rawio;

	struct mm_rss_slot rss[NR_SLOTS];

	/* SIM: the software TLB's view of this mm (see memory.c).  tlb_gen moves
	   at every TLB flush; it sits on its own cache line because every
	   lockless translation reads it. */
	unsigned long tlb_gen __attribute__((aligned(64)));
	uint64_t mm_id; /* same line: both are read on every TLB hit */
	char tlb_gen_pad[48];

	/* batching counters (atomic) */
	unsigned long st_flushes, st_flushed_pages, st_freed_batches, st_lazy_batches,
		st_lazy_updates, st_invalidate_ranges, st_pte_tables, st_moved_extents;
};

/* mmap lock */
static inline unsigned int mmap_read_lock(struct kcore_mm_struct *mm)
{
	unsigned int s = kcore__vm_slot();

	down_read(&mm->lock[s].sem);
	return s;
}
static inline void mmap_read_unlock(struct kcore_mm_struct *mm, unsigned int s)
{
	up_read(&mm->lock[s].sem);
}
static inline void mmap_write_lock(struct kcore_mm_struct *mm)
{
	for (int i = 0; i < NR_SLOTS; i++)
		down_write(&mm->lock[i].sem);
}
/* Debug builds check the VMA set before every writer lets go (kernel-pid-vm.md §3). */
void kcore__vm_check_invariants(struct kcore_mm_struct *mm) KCORE_HIDDEN;

static inline void mmap_write_unlock(struct kcore_mm_struct *mm)
{
#ifndef NDEBUG
	kcore__vm_check_invariants(mm);
#endif
	for (int i = NR_SLOTS - 1; i >= 0; i--)
		up_write(&mm->lock[i].sem);
}
#define mmap_assert_write_locked(mm) lockdep_assert_held_write(&(mm)->lock[0].sem)

/* RSS counters */
static inline void add_mm_counter(struct kcore_mm_struct *mm, int member, long v)
{
	__atomic_fetch_add(&mm->rss[kcore__vm_slot()].count[member], v, __ATOMIC_RELAXED);
}
long kcore__get_mm_counter(struct kcore_mm_struct *mm, int member) KCORE_HIDDEN;
unsigned long kcore__get_mm_rss(struct kcore_mm_struct *mm) KCORE_HIDDEN;
static inline void update_hiwater_rss(struct kcore_mm_struct *mm)
{
	unsigned long rss = kcore__get_mm_rss(mm);

	if (READ_ONCE(mm->hiwater_rss) < rss)
		WRITE_ONCE(mm->hiwater_rss, rss);
}
static inline void update_hiwater_vm(struct kcore_mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}
static inline int mm_counter_file(struct kcore_page *page)
{
	(void)page;
	return MM_SHMEMPAGES; /* every file here is shmem-backed */
}
#define stat_inc(mm, field, v) __atomic_fetch_add(&(mm)->field, (v), __ATOMIC_RELAXED)

/* vma.c: the sorted VMA array */
struct kcore_vm_area_struct *kcore__find_vma(struct kcore_mm_struct *mm, unsigned long addr) KCORE_HIDDEN;
int kcore__vma_index(struct kcore_mm_struct *mm, unsigned long addr) KCORE_HIDDEN; /* first with end > addr */
struct kcore_vm_area_struct *kcore__vma_at(struct kcore_mm_struct *mm, int i) KCORE_HIDDEN;
struct kcore_vm_area_struct *kcore__find_vma_intersection(struct kcore_mm_struct *mm,
							  unsigned long start, unsigned long end) KCORE_HIDDEN;
int kcore__vma_reserve(struct kcore_mm_struct *mm, int extra) KCORE_HIDDEN;
void kcore__vma_insert(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
void kcore__vma_remove(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
struct kcore_vm_area_struct *kcore__vm_area_alloc(struct kcore_mm_struct *mm) KCORE_HIDDEN;
struct kcore_vm_area_struct *kcore__vm_area_dup(struct kcore_vm_area_struct *orig) KCORE_HIDDEN;
void kcore__vm_area_free(struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
void kcore__vma_link_file(struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
void kcore__vma_unlink_file(struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
int kcore__split_vma(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma,
		     unsigned long addr, int new_below) KCORE_HIDDEN;
/* __split_vma(): no map_count check; @spare (may be NULL) avoids allocating. */
int kcore__split_vma_prealloc(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma,
			      unsigned long addr, int new_below,
			      struct kcore_vm_area_struct *spare) KCORE_HIDDEN;
/* vma_modify(): make [start,end) of @vma carry @newflags, splitting and merging;
   returns the VMA now covering [start,end) or ERR_PTR. */
struct kcore_vm_area_struct *kcore__vma_modify_flags(struct kcore_mm_struct *mm,
						     struct kcore_vm_area_struct *vma,
						     unsigned long start, unsigned long end,
						     unsigned long newflags) KCORE_HIDDEN;
/* Merge @vma with its neighbours when the rules allow; returns the survivor. */
struct kcore_vm_area_struct *kcore__vma_merge_neighbours(struct kcore_mm_struct *mm,
							 struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
bool kcore__vma_can_merge(const struct kcore_vm_area_struct *a,
			  const struct kcore_vm_area_struct *b) KCORE_HIDDEN;
void kcore__vm_stat_account(struct kcore_mm_struct *mm, unsigned long flags, long npages) KCORE_HIDDEN;
bool kcore__may_expand_vm(struct kcore_mm_struct *mm, unsigned long flags, unsigned long npages) KCORE_HIDDEN;
bool kcore__mlock_future_ok(struct kcore_mm_struct *mm, unsigned long flags, unsigned long bytes) KCORE_HIDDEN;
struct anon_vma *kcore__anon_vma_alloc(void) KCORE_HIDDEN;
void kcore__put_anon_vma(struct anon_vma *av) KCORE_HIDDEN;
static inline unsigned long vm_start_gap(const struct kcore_vm_area_struct *v)
{
	unsigned long s = v->vm_start;

	if (v->vm_flags & VM_GROWSDOWN) {
		s -= STACK_GUARD_GAP;
		if (s > v->vm_start)
			s = 0;
	}
	return s;
}

/* mmap.c */
void kcore__vm_free_mm(struct kcore_mm_struct *mm) KCORE_HIDDEN; /* exit_mmap + free, no refcount */
void kcore__vm_free_file(struct kcore_file *f) KCORE_HIDDEN;      /* the last reference's work */
int kcore__do_munmap(struct kcore_mm_struct *mm, unsigned long start, unsigned long len) KCORE_HIDDEN;
unsigned long kcore__get_unmapped_area(struct kcore_mm_struct *mm, struct kcore_file *file,
				       unsigned long addr, unsigned long len, unsigned long pgoff,
				       unsigned long flags) KCORE_HIDDEN; /* or -errno */
int kcore__mm_populate(struct kcore_mm_struct *mm, unsigned long start, unsigned long len,
		       bool ignore_errors) KCORE_HIDDEN;
bool kcore__can_do_mlock(struct kcore_mm_struct *mm) KCORE_HIDDEN;

/* pgtable.c */
struct mmu_gather {
	struct kcore_mm_struct *mm;
	bool drop_markers;        /* ZAP_FLAG_DROP_MARKER: munmap and exit remove guard markers */
	unsigned long start, end; /* range needing a flush */
	bool need_flush;
	unsigned int nr;
	struct kcore_page *pages[64];
};
void kcore__tlb_gather_mmu(struct mmu_gather *tlb, struct kcore_mm_struct *mm) KCORE_HIDDEN;
void kcore__tlb_finish_mmu(struct mmu_gather *tlb) KCORE_HIDDEN;
void kcore__flush_tlb_range(struct kcore_mm_struct *mm, unsigned long start, unsigned long end) KCORE_HIDDEN;
/* The invalidate hook (mmu_notifier_invalidate_range_start/end shape). */
enum { MMU_NOTIFY_UNMAP, MMU_NOTIFY_CLEAR, MMU_NOTIFY_PROTECTION_VMA, MMU_NOTIFY_PROTECTION_PAGE,
       MMU_NOTIFY_SOFT_DIRTY, MMU_NOTIFY_RELEASE, MMU_NOTIFY_MIGRATE, MMU_NOTIFY_EXCLUSIVE };
void kcore__mmu_notifier_invalidate_range_start(struct kcore_mm_struct *mm, int event,
						unsigned long start, unsigned long end) KCORE_HIDDEN;
void kcore__mmu_notifier_invalidate_range_end(struct kcore_mm_struct *mm, int event,
					      unsigned long start, unsigned long end) KCORE_HIDDEN;

pte_t *kcore__pte_offset(struct kcore_mm_struct *mm, unsigned long addr) KCORE_HIDDEN; /* NULL if no table */
pte_t *kcore__pte_alloc(struct kcore_mm_struct *mm, unsigned long addr, spinlock_t **ptlp) KCORE_HIDDEN;
spinlock_t *kcore__pte_lockptr(struct kcore_mm_struct *mm, pte_t *pte) KCORE_HIDDEN;
void kcore__zap_page_range(struct mmu_gather *tlb, struct kcore_vm_area_struct *vma,
			   unsigned long start, unsigned long end) KCORE_HIDDEN;
void kcore__free_pgtables(struct kcore_mm_struct *mm, unsigned long start, unsigned long end) KCORE_HIDDEN;
void kcore__free_all_pgtables(struct kcore_mm_struct *mm) KCORE_HIDDEN;
int kcore__pgd_alloc(struct kcore_mm_struct *mm) KCORE_HIDDEN;
long kcore__change_protection(struct kcore_vm_area_struct *vma, unsigned long start,
			      unsigned long end, unsigned long newflags) KCORE_HIDDEN;
unsigned long kcore__move_page_tables(struct kcore_vm_area_struct *vma, unsigned long old_addr,
				      struct kcore_vm_area_struct *new_vma, unsigned long new_addr,
				      unsigned long len) KCORE_HIDDEN;
/* Lazy MMU mode: batched PTE writes, committed at leave. */
void kcore__arch_enter_lazy_mmu_mode(struct kcore_mm_struct *mm) KCORE_HIDDEN;
void kcore__arch_leave_lazy_mmu_mode(void) KCORE_HIDDEN;
void kcore__set_pte_at(pte_t *ptep, pte_t val) KCORE_HIDDEN;
static inline pte_t ptep_get(pte_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
void kcore__mlock_page_range(struct kcore_vm_area_struct *vma, unsigned long start,
			     unsigned long end, bool lock) KCORE_HIDDEN;
int kcore__copy_page_range(struct kcore_vm_area_struct *dst, struct kcore_vm_area_struct *src) KCORE_HIDDEN;
/* MADV_GUARD_INSTALL/REMOVE on [start, end) of one VMA; 0 or -ENOMEM. */
int kcore__guard_install_range(struct kcore_vm_area_struct *vma, unsigned long start,
			       unsigned long end) KCORE_HIDDEN;
void kcore__guard_remove_range(struct kcore_vm_area_struct *vma, unsigned long start,
			       unsigned long end) KCORE_HIDDEN;
void kcore__madv_free_range(struct kcore_vm_area_struct *vma, unsigned long start, unsigned long end) KCORE_HIDDEN;

/* memory.c: faults */
#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_SIGSEGV 0x0040
#define FAULT_FLAG_WRITE 0x01
int kcore__handle_mm_fault(struct kcore_vm_area_struct *vma, unsigned long addr,
			   unsigned int flags) KCORE_HIDDEN;
/* The anon_vma of @vma, created on first need. */
int kcore__anon_vma_prepare(struct kcore_vm_area_struct *vma) KCORE_HIDDEN;
/* __get_user_pages() under the mmap read lock; *locked stays held. */
/* The same, reporting in *errp the error that stopped it early (partial count returned). */
long kcore__get_user_pages_err(struct kcore_mm_struct *mm, unsigned long start,
			       unsigned long nr_pages, unsigned int gup_flags,
			       struct kcore_page **pages, long *errp) KCORE_HIDDEN;
long kcore__get_user_pages(struct kcore_mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct kcore_page **pages) KCORE_HIDDEN;
#define FOLL_WRITE KCORE_FOLL_WRITE
#define FOLL_FORCE KCORE_FOLL_FORCE
#define FOLL_TOUCH 0x02
#define FOLL_POPULATE 0x40
#define FOLL_MLOCK 0x1000
#define FOLL_GET 0x04

#endif /* KCORE_SRC_VM_INTERNAL_H */
