#!/usr/bin/env bash
# Runs the CAT conformance checks (../shared/bench/cat, see its README and CONVENTIONS.md) on
# every exported file: tmx/*.tmx (DTD, lint, translate-toolkit, OmegaT import per target
# language), tmx/*.csv (lint, translate-toolkit), tmx/*.xlf (XSD, lint, ttk, OmegaT).
#
#   scripts/cat-check.sh [DIR ...]     default DIR: tmx/
#   CAT_SETUP=1 scripts/cat-check.sh   install the tools first (bench/cat/setup.sh; needs root)
#   CAT_NO_OMEGAT=1 ...                skip the (slower, ~3 s per language) OmegaT imports
#
# Exit status: 0 when every check of every file passed (SKIP counts as passed), 1 otherwise,
# 2 when the harness is missing.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${DRAGOMAN_SHARED:-$root/../shared}
cat_dir=$shared/bench/cat
if [ ! -x "$cat_dir/check_tmx.sh" ]; then
  echo "cat-check: $cat_dir not found (set DRAGOMAN_SHARED)" >&2
  exit 2
fi
if [ "${CAT_SETUP:-0}" = 1 ]; then
  "$cat_dir/setup.sh" || exit 2
fi
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=("$root/tmx")
tmx_opts=()
xlf_opts=()
if [ "${CAT_NO_OMEGAT:-0}" = 1 ]; then
  tmx_opts+=(--no-omegat)
  xlf_opts+=(--no-omegat)
fi
failed=0
checked=0
for d in "${dirs[@]}"; do
  shopt -s nullglob
  for f in "$d"/*.tmx "$d"/*.csv "$d"/*.xlf "$d"/*.xliff; do
    case "$f" in
      *.tmx) cmd=("$cat_dir/check_tmx.sh" "${tmx_opts[@]}" "$f") ;;
      *.csv) cmd=("$cat_dir/check_csv.sh" "$f") ;;
      *) cmd=("$cat_dir/check_xliff.sh" "${xlf_opts[@]}" "$f") ;;
    esac
    checked=$((checked + 1))
    if ! "${cmd[@]}"; then
      failed=$((failed + 1))
      echo "cat-check: FAILED $f" >&2
    fi
  done
done
echo "cat-check: $checked files, $failed failed"
[ "$checked" -gt 0 ] && [ "$failed" -eq 0 ]
