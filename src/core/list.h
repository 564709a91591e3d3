/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * list.h - intrusive doubly linked lists (list_head) and hash-bucket lists
 * (hlist), the kernel's two list shapes, plus their RCU variants.
 *
 * The _rcu writers publish with release stores so a concurrent reader under
 * rcu_read_lock() sees either the old or the new list, never a half-linked
 * node; removal leaves the removed node's forward pointer intact for readers
 * already standing on it.  Writers serialise among themselves.
 */
#ifndef KCORE_SRC_CORE_LIST_H
#define KCORE_SRC_CORE_LIST_H

#include "compiler.h"
#include "rcu.h"
#include <stdbool.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	WRITE_ONCE(h->next, h);
	h->prev = h;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	WRITE_ONCE(prev->next, n);
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	WRITE_ONCE(prev->next, next);
}

static inline void list_del(struct list_head *e)
{
	__list_del(e->prev, e->next);
	e->next = NULL;
	e->prev = NULL;
}

static inline void list_del_init(struct list_head *e)
{
	__list_del(e->prev, e->next);
	INIT_LIST_HEAD(e);
}

static inline void list_move_tail(struct list_head *e, struct list_head *head)
{
	__list_del(e->prev, e->next);
	list_add_tail(e, head);
}

static inline bool list_empty(const struct list_head *h)
{
	return READ_ONCE(h->next) == h;
}

/* Moves every entry of @list to the tail of @head; @list is left empty. */
static inline void list_splice_tail_init(struct list_head *list, struct list_head *head)
{
	if (list_empty(list))
		return;
	struct list_head *first = list->next, *last = list->prev, *at = head->prev;
	first->prev = at;
	at->next = first;
	last->next = head;
	head->prev = last;
	INIT_LIST_HEAD(list);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member) list_entry((pos)->member.prev, __typeof__(*(pos)), member)

#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_entry(pos, head, member)                              \
	for (pos = list_first_entry(head, __typeof__(*pos), member);        \
	     &pos->member != (head); pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, n, head, member)                      \
	for (pos = list_first_entry(head, __typeof__(*pos), member),        \
	     n = list_next_entry(pos, member);                              \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

#define list_for_each_entry_reverse(pos, head, member)                      \
	for (pos = list_last_entry(head, __typeof__(*pos), member);         \
	     &pos->member != (head); pos = list_prev_entry(pos, member))

/* RCU list: readers walk with list_for_each_entry_rcu under rcu_read_lock(). */
static inline void list_add_rcu(struct list_head *n, struct list_head *head)
{
	struct list_head *next = head->next;
	n->next = next;
	n->prev = head;
	rcu_assign_pointer(head->next, n);
	next->prev = n;
}

static inline void list_add_tail_rcu(struct list_head *n, struct list_head *head)
{
	struct list_head *prev = head->prev;
	n->next = head;
	n->prev = prev;
	rcu_assign_pointer(prev->next, n);
	head->prev = n;
}

static inline void list_del_rcu(struct list_head *e)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);
	e->prev = NULL; /* e->next stays for readers standing on e */
}

#define list_for_each_entry_rcu(pos, head, member)                          \
	for (pos = list_entry(rcu_dereference((head)->next), __typeof__(*pos), member); \
	     &pos->member != (head);                                        \
	     pos = list_entry(rcu_dereference(pos->member.next), __typeof__(*pos), member))

/* hlist: a one-pointer head for hash buckets. */
struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct hlist_head {
	struct hlist_node *first;
};

#define HLIST_HEAD_INIT { .first = NULL }

static inline void INIT_HLIST_HEAD(struct hlist_head *h) { h->first = NULL; }

static inline void INIT_HLIST_NODE(struct hlist_node *n)
{
	n->next = NULL;
	n->pprev = NULL;
}

static inline bool hlist_unhashed(const struct hlist_node *n) { return !n->pprev; }
static inline bool hlist_empty(const struct hlist_head *h) { return !READ_ONCE(h->first); }

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;
	n->next = first;
	if (first)
		first->pprev = &n->next;
	WRITE_ONCE(h->first, n);
	n->pprev = &h->first;
}

static inline void __hlist_del(struct hlist_node *n)
{
	struct hlist_node *next = n->next, **pprev = n->pprev;
	WRITE_ONCE(*pprev, next);
	if (next)
		next->pprev = pprev;
}

static inline void hlist_del_init(struct hlist_node *n)
{
	if (hlist_unhashed(n))
		return;
	__hlist_del(n);
	INIT_HLIST_NODE(n);
}

static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;
	n->next = first;
	n->pprev = &h->first;
	rcu_assign_pointer(h->first, n);
	if (first)
		first->pprev = &n->next;
}

/* Readers may still stand on @n: its ->next stays valid until freed. */
static inline void hlist_del_init_rcu(struct hlist_node *n)
{
	if (hlist_unhashed(n))
		return;
	__hlist_del(n);
	n->pprev = NULL;
}

#define hlist_entry(ptr, type, member) container_of(ptr, type, member)
#define hlist_entry_safe(ptr, type, member)                                  \
	({ __typeof__(ptr) ____p = (ptr); ____p ? hlist_entry(____p, type, member) : NULL; })

#define hlist_for_each_entry(pos, head, member)                              \
	for (pos = hlist_entry_safe((head)->first, __typeof__(*pos), member); \
	     pos; pos = hlist_entry_safe(pos->member.next, __typeof__(*pos), member))

#define hlist_for_each_entry_safe(pos, n, head, member)                      \
	for (pos = hlist_entry_safe((head)->first, __typeof__(*pos), member); \
	     pos && ({ n = pos->member.next; 1; });                          \
	     pos = hlist_entry_safe(n, __typeof__(*pos), member))

#define hlist_for_each_entry_rcu(pos, head, member)                          \
	for (pos = hlist_entry_safe(rcu_dereference((head)->first), __typeof__(*pos), member); \
	     pos;                                                             \
	     pos = hlist_entry_safe(rcu_dereference(pos->member.next), __typeof__(*pos), member))

#endif /* KCORE_SRC_CORE_LIST_H */
