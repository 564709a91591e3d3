/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * err.h - error pointers and errno names.
 *
 * Mirrors include/linux/err.h (v6.12): a constructor that can fail for
 * several reasons returns a pointer into the top 4095 bytes of the address
 * space, which encodes -errno.  No valid object ever lives there.
 *
 * Every libkcore action returns 0 or a negative errno value from <errno.h>;
 * there are no private error codes.
 */
#ifndef KCORE_ERR_H
#define KCORE_ERR_H

#include <kcore/compiler.h>
#include <stdbool.h>
#include <stdint.h>

KCORE_BEGIN_DECLS

/** KCORE_MAX_ERRNO - the largest errno an error pointer can carry. */
#define KCORE_MAX_ERRNO 4095

/**
 * KCORE_ERR_PTR() - encode a negative errno as a pointer.
 * @error: a value in [-KCORE_MAX_ERRNO, -1].
 *
 * Context: any.
 * Return: a pointer that KCORE_IS_ERR() recognises.
 */
static inline void *KCORE_ERR_PTR(long error)
{
	return (void *)(intptr_t)error;
}

/**
 * KCORE_PTR_ERR() - the negative errno an error pointer carries.
 * @ptr: a pointer for which KCORE_IS_ERR() is true.
 *
 * Context: any.
 * Return: the errno as a negative long.
 */
static inline long KCORE_PTR_ERR(const void *ptr)
{
	return (long)(intptr_t)ptr;
}

/**
 * KCORE_IS_ERR() - whether a returned pointer is an error.
 * @ptr: a pointer returned by a libkcore constructor.
 *
 * Context: any.
 * Return: true for error pointers, false for NULL and real objects.
 */
static inline bool KCORE_IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)-KCORE_MAX_ERRNO;
}

/**
 * KCORE_IS_ERR_OR_NULL() - KCORE_IS_ERR() that also accepts NULL.
 * @ptr: any pointer.
 *
 * Context: any.
 * Return: true for NULL and error pointers.
 */
static inline bool KCORE_IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || KCORE_IS_ERR(ptr);
}

/**
 * KCORE_ERR_CAST() - pass an error pointer on as another pointer type.
 * @ptr: an error pointer.
 *
 * Context: any.
 * Return: @ptr, without its const qualifier.
 */
static inline void *KCORE_ERR_CAST(const void *ptr)
{
	return (void *)(uintptr_t)ptr;
}

/**
 * kcore_strerror() - a human-readable message for an errno value.
 * @err: a negative (or positive) errno value; 0 means success.
 *
 * Context: any; the returned string is static.
 * Return: the message glibc's strerror() gives for the same value
 * ("Success" for 0, "Unknown error N" shape for values it does not know).
 */
KCORE_API const char *kcore_strerror(int err);

/**
 * kcore_err_name() - the symbolic name of an errno value.
 * @err: a negative (or positive) errno value.
 *
 * Context: any; the returned string is static.
 * Return: "EINVAL", "ENOMEM", ... or NULL for a value it does not know.
 */
KCORE_API const char *kcore_err_name(int err);

KCORE_END_DECLS

#endif /* KCORE_ERR_H */
