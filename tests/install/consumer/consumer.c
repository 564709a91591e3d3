// SPDX-License-Identifier: LGPL-2.1-or-later
/* consumer.c - the smallest program against an installed libkcore. */
#include <kcore/kcore.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct kcore_system *sys = kcore_system_create(NULL);

	if (KCORE_IS_ERR(sys))
		return 1;
	if (strcmp(kcore_version(), KCORE_VERSION_STRING) != 0)
		return 2;
	printf("consumer: libkcore %s, %u CPUs\n", kcore_version(), kcore_num_possible_cpus(sys));
	kcore_system_destroy(sys);
	return 0;
}
