// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vma.c - the VMA set of an mm, splitting and merging.
 *
 * Mirrors mm/vma.c of Linux v6.18: split_vma(), the merge rules of
 * is_mergeable_vma()/is_mergeable_anon_vma() and can_vma_merge_*(), and
 * vma_modify() (merge with a neighbour first, split only when no merge
 * applies), plus vm_stat_account()/may_expand_vm() from mm/mmap.c.
 *
 * KCORE: the maple tree is replaced by an array of VMA pointers sorted by
 * address: lookups are a binary search (O(log n)); inserting or removing
 * moves pointers (memmove), which is cheap at the sizes the simulator
 * handles.  Capacity is reserved before any change (kcore__vma_reserve(),
 * the vma_iter_prealloc() step) so a failed allocation changes nothing.
 *
 * Locking: every function here runs with the mmap lock held for writing,
 * except the lookups, which need it for reading.
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>

int kcore__vma_index(struct kcore_mm_struct *mm, unsigned long addr)
{
	int lo = 0, hi = mm->map_count;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (mm->vmas[mid]->vm_end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct kcore_vm_area_struct *kcore__vma_at(struct kcore_mm_struct *mm, int i)
{
	return i >= 0 && i < mm->map_count ? mm->vmas[i] : NULL;
}

struct kcore_vm_area_struct *kcore__find_vma(struct kcore_mm_struct *mm, unsigned long addr)
{
	return kcore__vma_at(mm, kcore__vma_index(mm, addr));
}

struct kcore_vm_area_struct *kcore__find_vma_intersection(struct kcore_mm_struct *mm,
							  unsigned long start, unsigned long end)
{
	struct kcore_vm_area_struct *v = kcore__find_vma(mm, start);

	return v && v->vm_start < end ? v : NULL;
}

int kcore__vma_reserve(struct kcore_mm_struct *mm, int extra)
{
	struct kcore_vm_area_struct **n;
	int want = mm->map_count + extra;

	if (want <= mm->vma_cap)
		return 0;
	want = max(want, mm->vma_cap * 2);
	want = max(want, 16);
	n = kcalloc((size_t)want, sizeof(*n));
	if (!n)
		return -ENOMEM;
	if (mm->map_count)
		memcpy(n, mm->vmas, (size_t)mm->map_count * sizeof(*n));
	kfree(mm->vmas);
	mm->vmas = n;
	mm->vma_cap = want;
	return 0;
}

void kcore__vma_insert(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma)
{
	int i = kcore__vma_index(mm, vma->vm_start);

	BUG_ON(mm->map_count >= mm->vma_cap);
	BUG_ON(i < mm->map_count && mm->vmas[i]->vm_start < vma->vm_end);
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (size_t)(mm->map_count - i) * sizeof(vma));
	mm->vmas[i] = vma;
	mm->map_count++;
}

void kcore__vma_remove(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma)
{
	int i = kcore__vma_index(mm, vma->vm_start);

	/* A neighbour may already overlap @vma's range (merge in progress). */
	while (i < mm->map_count && mm->vmas[i] != vma)
		i++;
	BUG_ON(i >= mm->map_count);
	memmove(&mm->vmas[i], &mm->vmas[i + 1], (size_t)(mm->map_count - i - 1) * sizeof(vma));
	mm->map_count--;
}

struct anon_vma *kcore__anon_vma_alloc(void)
{
	struct anon_vma *av = knew(struct anon_vma);

	if (av)
		av->refcount = 1;
	return av;
}

static struct anon_vma *get_anon_vma(struct anon_vma *av)
{
	if (av)
		__atomic_fetch_add(&av->refcount, 1, __ATOMIC_RELAXED);
	return av;
}

void kcore__put_anon_vma(struct anon_vma *av)
{
	if (av && __atomic_sub_fetch(&av->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(av);
}

struct kcore_vm_area_struct *kcore__vm_area_alloc(struct kcore_mm_struct *mm)
{
	struct kcore_vm_area_struct *v = knew(struct kcore_vm_area_struct);

	if (v) {
		v->vm_mm = mm;
		INIT_LIST_HEAD(&v->shared);
	}
	return v;
}

struct kcore_vm_area_struct *kcore__vm_area_dup(struct kcore_vm_area_struct *orig)
{
	struct kcore_vm_area_struct *v = knew(struct kcore_vm_area_struct);

	if (!v)
		return NULL;
	*v = *orig;
	INIT_LIST_HEAD(&v->shared);
	get_anon_vma(v->anon_vma);
	if (v->vm_file)
		kcore__vm_get_file(v->vm_file);
	return v;
}

void kcore__vm_area_free(struct kcore_vm_area_struct *vma)
{
	kcore__put_anon_vma(vma->anon_vma);
	kcore_fput(vma->vm_file);
	kfree(vma);
}

void kcore__vma_link_file(struct kcore_vm_area_struct *vma)
{
	if (!vma->vm_file)
		return;
	mutex_lock(&vma->vm_file->lock);
	list_add_tail(&vma->shared, &vma->vm_file->i_mmap);
	mutex_unlock(&vma->vm_file->lock);
}

void kcore__vma_unlink_file(struct kcore_vm_area_struct *vma)
{
	if (!vma->vm_file)
		return;
	mutex_lock(&vma->vm_file->lock);
	list_del_init(&vma->shared);
	mutex_unlock(&vma->vm_file->lock);
}

/*
 * Boundary changes of a file VMA happen under the file lock so a racing
 * truncate walks consistent [vm_start, vm_end) / vm_pgoff values.
 */
static void file_lock2(struct kcore_vm_area_struct *a)
{
	if (a && a->vm_file)
		mutex_lock(&a->vm_file->lock);
}

static void file_unlock2(struct kcore_vm_area_struct *a)
{
	if (a && a->vm_file)
		mutex_unlock(&a->vm_file->lock);
}

int kcore__split_vma(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma,
		     unsigned long addr, int new_below)
{
	if (mm->map_count >= mm->vs->sys->cfg.max_map_count)
		return -ENOMEM;
	return kcore__split_vma_prealloc(mm, vma, addr, new_below, NULL);
}

int kcore__split_vma_prealloc(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *vma,
			      unsigned long addr, int new_below, struct kcore_vm_area_struct *n)
{
	if (kcore__vma_reserve(mm, 1))
		return -ENOMEM;
	if (n) {
		/* a spare from kcore__vm_area_alloc(): becomes a copy of @vma */
		*n = *vma;
		INIT_LIST_HEAD(&n->shared);
		get_anon_vma(n->anon_vma);
		if (n->vm_file)
			kcore__vm_get_file(n->vm_file);
	} else {
		n = kcore__vm_area_dup(vma);
		if (!n)
			return -ENOMEM;
	}
	file_lock2(vma);
	if (new_below) {
		n->vm_end = addr;
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = addr;
	} else {
		n->vm_start = addr;
		n->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_end = addr;
	}
	if (n->vm_file)
		list_add_tail(&n->shared, &n->vm_file->i_mmap);
	file_unlock2(vma);
	kcore__vma_insert(mm, n);
	return 0;
}

/* is_mergeable_anon_vma(): @removed is the VMA that would disappear. */
static bool anon_compatible(struct anon_vma *a, struct anon_vma *b,
			    const struct kcore_vm_area_struct *removed)
{
	if ((!a || !b) && (!removed || !removed->anon_vma || !removed->anon_vma->cloned))
		return true;
	return a == b;
}

/* Whether @a (below) and @b (above, adjacent) satisfy every merge rule;
   @b is the one that would be removed. */
static bool can_merge(unsigned long aflags, struct kcore_file *afile, unsigned long apgoff,
		      unsigned long apages, struct anon_vma *aav, unsigned long bflags,
		      struct kcore_file *bfile, unsigned long bpgoff, struct anon_vma *bav,
		      const struct kcore_vm_area_struct *removed)
{
	if (aflags != bflags || afile != bfile)
		return false;
	if (aflags & VM_SPECIAL)
		return false;
	if (!anon_compatible(aav, bav, removed))
		return false;
	return apgoff + apages == bpgoff;
}

bool kcore__vma_can_merge(const struct kcore_vm_area_struct *a,
			  const struct kcore_vm_area_struct *b)
{
	return a->vm_end == b->vm_start &&
	       can_merge(a->vm_flags, a->vm_file, a->vm_pgoff, vma_pages(a), a->anon_vma,
			 b->vm_flags, b->vm_file, b->vm_pgoff, b->anon_vma, b);
}

/* Remove @victim after its range was absorbed by @into. */
static void absorb(struct kcore_mm_struct *mm, struct kcore_vm_area_struct *into,
		   struct kcore_vm_area_struct *victim)
{
	if (!into->anon_vma && victim->anon_vma)
		into->anon_vma = get_anon_vma(victim->anon_vma);
	kcore__vma_remove(mm, victim);
	kcore__vma_unlink_file(victim);
	kcore__vm_area_free(victim);
}

struct kcore_vm_area_struct *kcore__vma_merge_neighbours(struct kcore_mm_struct *mm,
							 struct kcore_vm_area_struct *vma)
{
	int i = kcore__vma_index(mm, vma->vm_start);
	struct kcore_vm_area_struct *prev = kcore__vma_at(mm, i - 1);
	struct kcore_vm_area_struct *next = kcore__vma_at(mm, i + 1);
	bool mp = prev && kcore__vma_can_merge(prev, vma);
	bool mn = next && kcore__vma_can_merge(vma, next);

	if (mp && mn && !anon_compatible(prev->anon_vma, next->anon_vma, next))
		mn = false;
	if (mp) {
		file_lock2(prev);
		prev->vm_end = mn ? next->vm_end : vma->vm_end;
		file_unlock2(prev);
		if (mn) {
			absorb(mm, prev, vma);
			absorb(mm, prev, next);
		} else {
			absorb(mm, prev, vma);
		}
		return prev;
	}
	if (mn) {
		file_lock2(vma);
		vma->vm_end = next->vm_end;
		file_unlock2(vma);
		absorb(mm, vma, next);
	}
	return vma;
}

struct kcore_vm_area_struct *kcore__vma_modify_flags(struct kcore_mm_struct *mm,
						     struct kcore_vm_area_struct *vma,
						     unsigned long start, unsigned long end,
						     unsigned long newflags)
{
	int i = kcore__vma_index(mm, vma->vm_start);
	struct kcore_vm_area_struct *prev = kcore__vma_at(mm, i - 1);
	struct kcore_vm_area_struct *next = kcore__vma_at(mm, i + 1);
	unsigned long spg = linear_page_index(vma, start);
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	bool mp, mn;
	int err;

	/* Merge first (vma_merge_existing_range()): no split, no map_count check. */
	mp = start == vma->vm_start && prev && prev->vm_end == start &&
	     can_merge(prev->vm_flags, prev->vm_file, prev->vm_pgoff, vma_pages(prev),
		       prev->anon_vma, newflags, vma->vm_file, spg, vma->anon_vma,
		       end == vma->vm_end ? vma : NULL);
	mn = end == vma->vm_end && next && next->vm_start == end &&
	     can_merge(newflags, vma->vm_file, spg, npages, vma->anon_vma, next->vm_flags,
		       next->vm_file, next->vm_pgoff, next->anon_vma,
		       start == vma->vm_start ? vma : next);
	if (mp && mn && !anon_compatible(prev->anon_vma, next->anon_vma, next))
		mn = false;
	if (mp) {
		if (end == vma->vm_end) {
			vma->vm_flags = newflags;
			return kcore__vma_merge_neighbours(mm, vma);
		}
		/* prev grows over [start, end), vma shrinks. */
		if (!prev->anon_vma && vma->anon_vma)
			prev->anon_vma = get_anon_vma(vma->anon_vma);
		file_lock2(vma);
		prev->vm_end = end;
		vma->vm_pgoff += (end - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = end;
		file_unlock2(vma);
		return prev;
	}
	if (mn) {
		if (start == vma->vm_start) {
			vma->vm_flags = newflags;
			return kcore__vma_merge_neighbours(mm, vma);
		}
		if (!next->anon_vma && vma->anon_vma)
			next->anon_vma = get_anon_vma(vma->anon_vma);
		file_lock2(vma);
		vma->vm_end = start;
		next->vm_start = start;
		next->vm_pgoff = spg;
		file_unlock2(vma);
		return next;
	}
	if (vma->vm_start < start) {
		err = kcore__split_vma(mm, vma, start, 1);
		if (err)
			return KCORE_ERR_PTR(err);
	}
	if (vma->vm_end > end) {
		err = kcore__split_vma(mm, vma, end, 0);
		if (err)
			return KCORE_ERR_PTR(err);
	}
	vma->vm_flags = newflags;
	return vma;
}

void kcore__vm_stat_account(struct kcore_mm_struct *mm, unsigned long flags, long npages)
{
	mm->total_vm += npages;
	if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC)
		mm->exec_vm += npages;
	else if ((flags & VM_STACK) == VM_STACK)
		mm->stack_vm += npages;
	else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE)
		mm->data_vm += npages;
}

bool kcore__may_expand_vm(struct kcore_mm_struct *mm, unsigned long flags, unsigned long npages)
{
	/* The shift keeps RLIM_INFINITY from wrapping (npages < 2^36). */
	if (mm->total_vm + npages > mm->rlim_as >> PAGE_SHIFT)
		return false;
	if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE &&
	    mm->data_vm + npages > mm->rlim_data >> PAGE_SHIFT)
		return false;
	return true;
}

bool kcore__mlock_future_ok(struct kcore_mm_struct *mm, unsigned long flags, unsigned long bytes)
{
	unsigned long locked;

	if (!(flags & VM_LOCKED) || mm->cap_ipc_lock)
		return true;
	locked = (bytes >> PAGE_SHIFT) + mm->locked_vm;
	return locked <= mm->rlim_memlock >> PAGE_SHIFT;
}

bool kcore__can_do_mlock(struct kcore_mm_struct *mm)
{
	return mm->rlim_memlock != 0 || mm->cap_ipc_lock;
}

/*
 * Invariants 11 and 13 of kernel-pid-vm.md §3: VMAs sorted, page aligned,
 * non-empty and disjoint; the class counters equal the sums over the VMAs
 * (unless an OOM in mremap's source unmap left total_vm inflated, which the
 * kernel does too).  A broken invariant is a WARN, which tests count.
 */
void kcore__vm_check_invariants(struct kcore_mm_struct *mm)
{
	unsigned long total = 0, data = 0, exec = 0, stack = 0, prev_end = 0;

	for (int i = 0; i < mm->map_count; i++) {
		const struct kcore_vm_area_struct *v = mm->vmas[i];
		unsigned long n = vma_pages(v), f = v->vm_flags;

		if (WARN_ON(v->vm_start >= v->vm_end || offset_in_page(v->vm_start) ||
			    offset_in_page(v->vm_end) || v->vm_start < prev_end ||
			    v->vm_end > TASK_SIZE || v->vm_mm != mm))
			return;
		prev_end = v->vm_end;
		total += n;
		if ((f & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC)
			exec += n;
		else if ((f & VM_STACK) == VM_STACK)
			stack += n;
		else if ((f & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE)
			data += n;
	}
	if (mm->acct_skewed)
		return;
	WARN_ON(total != mm->total_vm || data != mm->data_vm || exec != mm->exec_vm ||
		stack != mm->stack_vm);
}
