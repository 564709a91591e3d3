#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# consumer.sh BUILD SCRATCH CONSUMER_SRC CMAKE CC [EXTRA_FLAGS]
set -eu
build=$1 scratch=$2 src=$3 cmake=$4 cc=$5 extra=${6:-}
rm -rf "$scratch"
mkdir -p "$scratch"
prefix=$scratch/prefix
"$cmake" --install "$build" --prefix "$prefix" >/dev/null

# 1. find_package(kcore)
"$cmake" -S "$src" -B "$scratch/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$extra" >/dev/null
"$cmake" --build "$scratch/cmake" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libkcore.so' | head -n 1)")
LD_LIBRARY_PATH=$libdir "$scratch/cmake/consumer"
"$scratch/cmake/consumer_static"

# 2. pkg-config
pcdir=$(dirname "$(find "$prefix" -name kcore.pc | head -n 1)")
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs kcore)
# shellcheck disable=SC2086
"$cc" $extra -std=c11 -Wall -Werror "$src/consumer.c" -o "$scratch/pc_consumer" $flags
LD_LIBRARY_PATH=$libdir "$scratch/pc_consumer"
sflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --static --cflags --libs kcore |
	sed 's/-lkcore /-Wl,-Bstatic -lkcore -Wl,-Bdynamic /')
# shellcheck disable=SC2086
"$cc" $extra -std=c11 -Wall -Werror "$src/consumer.c" -o "$scratch/pc_consumer_static" $sflags
# Runs without the shared library anywhere on its path.
"$scratch/pc_consumer_static"
echo "install.consumer: find_package and pkg-config consumers ran"
