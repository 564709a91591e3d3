// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mremap.c - mremap(2).
 *
 * Mirrors Linux v6.18 mm/mremap.c (struct vma_remap_struct era):
 * check_mremap_params() before the lock, check_prep_vma() under it,
 * mremap_at() (no-op, shrink in place, expand in place or move) and
 * mremap_to() (MREMAP_FIXED unmaps the target first, shrinks, then moves;
 * MREMAP_DONTUNMAP), move_vma() with copy_vma() merging at the target,
 * move_page_tables() an extent at a time (whole PTE tables are handed over
 * when an extent is a full, mutually aligned PMD), hiwater_vm saved and
 * restored around the temporary total_vm inflation, and the DONTUNMAP
 * rules (old VMA kept empty, VM_LOCKED cleared, locked_vm not reduced).
 *
 * A pure move (MREMAP_FIXED with old_len == new_len) may span several VMAs
 * and the gaps between them (remap_move(), new in v6.17/v6.18): each VMA
 * piece is moved on its own, to the same offset from the new address, as
 * a FIXED move that unmaps only its own target (host-checked: target
 * ranges facing a source gap keep whatever was mapped there).
 */
#include <kcore/vm.h>

#include "vm_internal.h"
#include <errno.h>
#include <sys/mman.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

enum remap_type { MREMAP_NO_RESIZE, MREMAP_SHRINK, MREMAP_EXPAND };

struct vrm {
	unsigned long addr, old_len, new_len, flags, new_addr, delta;
	struct kcore_vm_area_struct *vma;
	enum remap_type type;
	bool populate_expand;
	unsigned long populate_addr, populate_len;
};

static bool implies_new_addr(const struct vrm *r)
{
	return r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static long check_mremap_params(struct kcore_mm_struct *mm, struct vrm *r)
{
	if (r->flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (offset_in_page(r->addr))
		return -EINVAL;
	r->old_len = PAGE_ALIGN(r->old_len);
	r->new_len = PAGE_ALIGN(r->new_len);
	if (!r->new_len)
		return -EINVAL;
	if (r->new_len > TASK_SIZE)
		return -EINVAL;
	if (!implies_new_addr(r))
		return 0;
	if (r->new_addr > TASK_SIZE - r->new_len)
		return -EINVAL;
	if (offset_in_page(r->new_addr))
		return -EINVAL;
	if (!(r->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) && r->old_len != r->new_len)
		return -EINVAL;
	if (r->new_addr < r->addr + r->old_len && r->addr < r->new_addr + r->new_len)
		return -EINVAL;
	/* move_vma() needs headroom in the map count. */
	if (mm->map_count + 2 >= mm->vs->sys->cfg.max_map_count - 3)
		return -ENOMEM;
	return 0;
}

static long check_prep_vma(struct kcore_mm_struct *mm, struct vrm *r)
{
	struct kcore_vm_area_struct *vma = r->vma;
	unsigned long pgoff;

	r->delta = r->new_len > r->old_len ? r->new_len - r->old_len : r->old_len - r->new_len;
	if (r->new_len == r->old_len)
		r->type = MREMAP_NO_RESIZE;
	else if (r->old_len > r->new_len)
		r->type = MREMAP_SHRINK;
	else
		r->type = MREMAP_EXPAND;
	if (!implies_new_addr(r))
		r->new_addr = r->addr;
	if (r->type != MREMAP_EXPAND && !implies_new_addr(r))
		return 0;
	/* "duplicate" (old_len == 0) only works for shared mappings. */
	if (!r->old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* A remap may not cross the end of its VMA; a shrink only needs the
	   part that stays (the tail is unmapped first, wherever it lies). */
	if ((r->type == MREMAP_SHRINK ? r->new_len : r->old_len) > vma->vm_end - r->addr)
		return -EFAULT;
	if (r->type != MREMAP_EXPAND)
		return 0;
	if (vma->vm_flags & VM_LOCKED)
		r->populate_expand = true;
	pgoff = ((r->addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	if (pgoff + (r->new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!kcore__mlock_future_ok(mm, vma->vm_flags, r->delta))
		return -EAGAIN;
	if (!kcore__may_expand_vm(mm, vma->vm_flags, r->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

static void vrm_stat_account(struct kcore_mm_struct *mm, unsigned long vm_flags,
			     unsigned long bytes)
{
	kcore__vm_stat_account(mm, vm_flags, (long)(bytes >> PAGE_SHIFT));
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += bytes >> PAGE_SHIFT;
}

static long set_new_addr(struct kcore_mm_struct *mm, struct vrm *r)
{
	struct kcore_vm_area_struct *vma = r->vma;
	unsigned long map_flags = 0, pgoff, res;

	pgoff = vma->vm_pgoff + ((r->addr - vma->vm_start) >> PAGE_SHIFT);
	if (r->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	res = kcore__get_unmapped_area(mm, vma->vm_file, implies_new_addr(r) ? r->new_addr : 0,
				       r->new_len, pgoff, map_flags);
	if (res > -4096UL)
		return (long)res;
	r->new_addr = res;
	return 0;
}

/* copy_vma(): the destination VMA, merged with neighbours when possible. */
static struct kcore_vm_area_struct *copy_vma(struct kcore_mm_struct *mm,
					     struct kcore_vm_area_struct *vma, unsigned long addr,
					     unsigned long len, unsigned long pgoff)
{
	struct kcore_vm_area_struct *n;

	/* An unfaulted anonymous VMA takes the pgoff of its new place. */
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;
	if (kcore__find_vma_intersection(mm, addr, addr + len))
		return NULL;
	if (kcore__vma_reserve(mm, 1))
		return NULL;
	n = kcore__vm_area_dup(vma);
	if (!n)
		return NULL;
	n->vm_start = addr;
	n->vm_end = addr + len;
	n->vm_pgoff = pgoff;
	kcore__vma_insert(mm, n);
	kcore__vma_link_file(n);
	return n;
}

static long move_vma(struct kcore_mm_struct *mm, struct vrm *r)
{
	struct kcore_vm_area_struct *vma = r->vma, *new_vma;
	unsigned long old_addr = r->addr, old_len = r->old_len, new_len = r->new_len;
	unsigned long new_addr = r->new_addr, vm_flags = vma->vm_flags, hiwater_vm, moved, pgoff;
	bool dontunmap = r->flags & MREMAP_DONTUNMAP;
	long err;

	/* prep_move_vma() */
	if (mm->map_count >= mm->vs->sys->cfg.max_map_count - 3)
		return -ENOMEM;
	pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	new_vma = copy_vma(mm, vma, new_addr, new_len, pgoff);
	if (!new_vma)
		return -ENOMEM;
	/* The VMA may have moved in the array: look it up again. */
	vma = kcore__find_vma(mm, old_addr);
	if (vma->vm_file)
		mutex_lock(&vma->vm_file->lock); /* rmap lock across the move */
	moved = kcore__move_page_tables(vma, old_addr, new_vma, new_addr, old_len);
	if (moved < old_len) {
		/* Move the entries back and drop the new area (-ENOMEM). */
		kcore__move_page_tables(new_vma, new_addr, vma, old_addr, moved);
		if (vma->vm_file)
			mutex_unlock(&vma->vm_file->lock);
		/* The new area was accounted when it was made (vrm_stat_account()). */
		hiwater_vm = mm->hiwater_vm;
		vrm_stat_account(mm, vm_flags, new_len);
		err = kcore__do_munmap(mm, new_addr, new_len);
		(void)err;
		mm->hiwater_vm = hiwater_vm;
		return -ENOMEM;
	}
	if (vma->vm_file)
		mutex_unlock(&vma->vm_file->lock);

	hiwater_vm = mm->hiwater_vm;
	vrm_stat_account(mm, vm_flags, new_len);
	new_vma = kcore__vma_merge_neighbours(mm, new_vma);

	if (dontunmap) {
		/* The old VMA stays, empty and unlocked; locked_vm keeps its count. */
		vma = kcore__find_vma(mm, old_addr);
		if (vma) {
			vma->vm_flags &= ~VM_LOCKED_MASK;
			/* dontunmap_complete(): a wholly moved VMA loses its anon_vma. */
			if (vma->vm_start == old_addr && vma->vm_end == old_addr + old_len &&
			    vma != new_vma) {
				kcore__put_anon_vma(vma->anon_vma);
				vma->anon_vma = NULL;
			}
		}
		mm->hiwater_vm = hiwater_vm;
		return (long)new_addr;
	}
	if (old_len) {
		err = kcore__do_munmap(mm, old_addr, old_len);
		if (err) {
			/* OOM while unmapping the source: the kernel keeps going too,
			   with both ranges mapped and total_vm counting both. */
			mm->acct_skewed = true;
			mm->hiwater_vm = hiwater_vm;
			return (long)new_addr;
		}
	}
	mm->hiwater_vm = hiwater_vm;
	if ((vm_flags & VM_LOCKED) && new_len > old_len) {
		r->populate_addr = new_addr + old_len;
		r->populate_len = new_len - old_len;
	}
	return (long)new_addr;
}

static long shrink_vma(struct kcore_mm_struct *mm, struct vrm *r)
{
	return kcore__do_munmap(mm, r->addr + r->new_len, r->delta);
}

static bool can_expand_in_place(struct kcore_mm_struct *mm, struct vrm *r)
{
	struct kcore_vm_area_struct *vma = r->vma;
	unsigned long end = vma->vm_end + r->delta;

	if (r->addr + r->old_len != vma->vm_end)
		return false;
	if (end < vma->vm_end)
		return false;
	if (kcore__find_vma_intersection(mm, vma->vm_end, end))
		return false;
	if (offset_in_page(kcore__get_unmapped_area(mm, NULL, vma->vm_start, end - vma->vm_start,
						    0, MAP_FIXED)))
		return false;
	return true;
}

static long expand_vma(struct kcore_mm_struct *mm, struct vrm *r)
{
	struct kcore_vm_area_struct *vma = r->vma;
	long err;

	if (can_expand_in_place(mm, r)) {
		unsigned long old_end = vma->vm_end;

		/* vma_merge_extend() */
		if (vma->vm_file)
			mutex_lock(&vma->vm_file->lock);
		vma->vm_end += r->delta;
		if (vma->vm_file)
			mutex_unlock(&vma->vm_file->lock);
		vrm_stat_account(mm, vma->vm_flags, r->delta);
		vma = kcore__vma_merge_neighbours(mm, vma);
		if (r->populate_expand) {
			r->populate_addr = old_end;
			r->populate_len = r->delta;
		}
		return (long)r->addr;
	}
	if (!(r->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = set_new_addr(mm, r);
	if (err)
		return err;
	return move_vma(mm, r);
}

static long mremap_to(struct kcore_mm_struct *mm, struct vrm *r)
{
	long err;

	if (r->flags & MREMAP_FIXED) {
		err = kcore__do_munmap(mm, r->new_addr, r->new_len);
		if (err)
			return err;
		r->vma = kcore__find_vma(mm, r->addr);
		if (!r->vma || r->vma->vm_start > r->addr)
			return -EFAULT;
	}
	if (r->type == MREMAP_SHRINK) {
		err = shrink_vma(mm, r);
		if (err)
			return err;
		r->old_len = r->new_len;
		r->vma = kcore__find_vma(mm, r->addr);
	}
	if ((r->flags & MREMAP_DONTUNMAP) &&
	    !kcore__may_expand_vm(mm, r->vma->vm_flags, r->old_len >> PAGE_SHIFT))
		return -ENOMEM;
	err = set_new_addr(mm, r);
	if (err)
		return err;
	return move_vma(mm, r);
}

/* remap_move(): a pure FIXED move of every VMA piece in [addr, addr + len). */
static long remap_move(struct kcore_mm_struct *mm, struct vrm *r)
{
	unsigned long start = r->addr, end = r->addr + r->old_len, pos = start;

	while (pos < end) {
		struct kcore_vm_area_struct *vma = kcore__find_vma(mm, pos);
		struct vrm p;
		unsigned long ps, pe;
		long res;

		if (!vma || vma->vm_start >= end)
			break;
		ps = max(pos, vma->vm_start);
		pe = min(end, vma->vm_end);
		p = (struct vrm){ .addr = ps, .old_len = pe - ps, .new_len = pe - ps, .flags = r->flags,
				  .new_addr = r->new_addr + (ps - start), .vma = vma };
		res = check_prep_vma(mm, &p);
		if (!res)
			res = mremap_to(mm, &p);
		if (res < 0)
			return res;
		pos = pe;
	}
	return (long)r->new_addr;
}

long kcore_mremap(struct kcore_mm_struct *mm, unsigned long old_addr, unsigned long old_len,
		  unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vrm r = { .addr = old_addr, .old_len = old_len, .new_len = new_len,
			 .flags = flags, .new_addr = new_addr };
	long res;

	if (!mm)
		return -EINVAL;
	res = check_mremap_params(mm, &r);
	if (res)
		return res;
	mmap_write_lock(mm);
	r.vma = kcore__find_vma(mm, r.addr);
	if (!r.vma || r.vma->vm_start > r.addr) {
		res = -EFAULT;
		goto out;
	}
	/* A pure move whose range leaves the first VMA moves piece by piece. */
	if ((r.flags & MREMAP_FIXED) && r.old_len == r.new_len && r.old_len &&
	    r.vma->vm_end < r.addr + r.old_len) {
		res = remap_move(mm, &r);
		goto out;
	}
	res = check_prep_vma(mm, &r);
	if (res)
		goto out;
	if (implies_new_addr(&r)) {
		res = mremap_to(mm, &r);
	} else {
		switch (r.type) {
		case MREMAP_NO_RESIZE:
			res = (long)r.addr;
			break;
		case MREMAP_SHRINK:
			res = shrink_vma(mm, &r);
			if (!res)
				res = (long)r.addr;
			break;
		case MREMAP_EXPAND:
			res = expand_vma(mm, &r);
			break;
		}
	}
out:
	mmap_write_unlock(mm);
	if (res >= 0 && r.populate_len)
		(void)kcore__mm_populate(mm, r.populate_addr, r.populate_len, true);
	return res;
}
