#!/bin/sh
# Alignment at scale: 10k / 100k / 1M sentences a side (the NTREX dev articles repeated), time,
# CPU time and peak memory of each size, and galechurch at 10k when /tmp/alignpeers exists
# (python3 -m venv /tmp/alignpeers && /tmp/alignpeers/bin/pip install galechurch).
# usage: scripts/align-bench.sh [SIZES]   e.g. scripts/align-bench.sh 10000,100000
# DRAGOMAN_SHARED: the shared data directory (default: ../shared beside the repository root).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export DRAGOMAN_SHARED="${DRAGOMAN_SHARED:-$ROOT/../shared}"
cd "$ROOT" || exit 1
exec cargo bench --bench align -- "$@"
