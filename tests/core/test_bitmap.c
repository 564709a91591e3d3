// SPDX-License-Identifier: LGPL-2.1-or-later
/* test_bitmap.c - bit searches against a naive model (white-box). */
#include "kctest.h"

#include "core/bitmap.h"
#include <string.h>

static unsigned long naive_next(const unsigned long *m, unsigned long size, unsigned long off,
				bool want)
{
	for (unsigned long i = off; i < size; i++)
		if (test_bit(i, m) == want)
			return i;
	return size;
}

static void test_core_bitmap__edges(void **state)
{
	unsigned long m[4] = { 0 };

	(void)state;
	assert_int_equal(find_next_bit(m, 256, 0), 256);
	assert_int_equal(find_next_zero_bit(m, 256, 0), 0);
	assert_int_equal(find_next_bit(m, 256, 300), 256);
	assert_int_equal(find_next_zero_bit(m, 0, 0), 0);
	set_bit(63, m);
	set_bit(64, m);
	set_bit(255, m);
	assert_int_equal(find_next_bit(m, 256, 0), 63);
	assert_int_equal(find_next_bit(m, 256, 64), 64);
	assert_int_equal(find_next_bit(m, 256, 65), 255);
	assert_int_equal(find_next_bit(m, 255, 65), 255); /* size excludes bit 255 */
	bitmap_fill(m, 256);
	assert_int_equal(find_next_zero_bit(m, 256, 0), 256);
	assert_int_equal(find_next_zero_bit(m, 200, 100), 200);
	clear_bit(199, m);
	assert_int_equal(find_next_zero_bit(m, 200, 100), 199);
	assert_int_equal(find_first_zero_bit(m, 256), 199);
	assert_true(test_and_clear_bit(0, m));
	assert_false(test_and_clear_bit(0, m));
	assert_false(test_and_set_bit(0, m));
	assert_true(test_and_set_bit(0, m));
	assert_int_equal(bitmap_weight(m, 256), 255);
	assert_int_equal(bitmap_weight(m, 70), 70);
	bitmap_zero(m, 256);
	bitmap_set(m, 10, 100);
	assert_int_equal(bitmap_weight(m, 256), 100);
	bitmap_clear(m, 20, 10);
	assert_int_equal(bitmap_weight(m, 256), 90);
	assert_int_equal(find_next_zero_bit(m, 256, 10), 20);
}

static void test_core_bitmap__random_vs_naive(void **state)
{
	uint64_t seed = kctest_seed();
	unsigned long m[8];

	(void)state;
	for (int round = 0; round < 2000; round++) {
		unsigned long size = kctest_rand(&seed) % 513;
		unsigned int density = (unsigned int)(kctest_rand(&seed) % 4);

		memset(m, 0, sizeof(m));
		for (unsigned long i = 0; i < 512; i++)
			if (kctest_rand(&seed) % 8 < density * 2 + (density == 3))
				__set_bit(i, m);
		for (unsigned long off = 0; off <= size + 1; off += 1 + kctest_rand(&seed) % 9) {
			assert_int_equal(find_next_bit(m, size, off), naive_next(m, size, off, true));
			assert_int_equal(find_next_zero_bit(m, size, off),
					 naive_next(m, size, off, false));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_bitmap__edges),
		cmocka_unit_test(test_core_bitmap__random_vs_naive),
	};
	return cmocka_run_group_tests_name("core.bitmap", tests, NULL, NULL);
}
