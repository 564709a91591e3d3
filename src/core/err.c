// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * err.c - errno names and messages.
 *
 * glibc's strerrordesc_np()/strerrorname_np() (2.32+) return static strings
 * and are thread-safe, unlike strerror() for unknown values.
 */

#include <kcore/err.h>

#include <string.h>

const char *kcore_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	if (err == 0)
		return "Success";
	s = strerrordesc_np(err);
	return s ? s : "Unknown error";
}

const char *kcore_err_name(int err)
{
	if (err < 0)
		err = -err;
	if (err == 0)
		return NULL;
	return strerrorname_np(err);
}
