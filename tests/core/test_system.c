// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_system.c - system lifecycle, config validation, clock, CPUs, log. */
#include "kctest.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

static void test_core_system__defaults(void **state)
{
	struct kcore_system *sys = kctest_sys(state);
	struct kcore_system_config cfg;

	assert_int_equal(kcore_system_get_config(sys, &cfg), 0);
	assert_int_equal(cfg.nr_cpus, 4);
	assert_int_equal(cfg.nr_pages, 65536);
	assert_int_equal(cfg.mmap_min_addr, 65536);
	assert_int_equal(cfg.pid_max, 32768);
	assert_int_equal(cfg.max_map_count, 65530);
	assert_int_equal(cfg.time_scale, 1);
	assert_int_equal(kcore_num_possible_cpus(sys), 4);
	assert_int_equal(kcore_system_get_config(NULL, &cfg), -EINVAL);
	assert_int_equal(kcore_system_get_config(sys, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_core_system__defaults, kctest_sys_setup,
						kctest_sys_teardown),
	};
	return cmocka_run_group_tests_name("core.system", tests, NULL, NULL);
}
