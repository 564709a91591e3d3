#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# deps.sh - install the Debian packages libkcore needs, if any is missing.
# Idempotent: does nothing (and needs no root) when all are there.
set -eu
pkgs="build-essential cmake ninja-build pkg-config libcmocka-dev liburcu-dev libunwind-dev binutils"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps.sh: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps.sh: missing packages:$missing" >&2
		echo "deps.sh: run as root (or install them): apt-get install -y$missing" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq $missing >/dev/null
echo "deps.sh: done"
