#!/bin/sh
# Describe an app's releases as JSON: the release `current` points to, each
# release with whether it has a venv, has passed its health checks and is
# marked failed, and a
# fingerprint of the checkout's files (names and contents, without .git;
# empty while there is no checkout). Reads only.
# Usage: releases.sh ROOT CHECKOUT
set -eu
root=$1
checkout=$2
current=$(readlink "$root/current" 2>/dev/null || true)
tree=""
if [ -d "$checkout" ]; then
  tree=$(cd "$checkout" && find . -path ./.git -prune -o \( -type f -o -type l \) -print0 \
    | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum | cut -d ' ' -f 1)
fi
printf '{"current": "%s", "tree": "%s", "releases": [' "${current##*/}" "$tree"
sep=""
for dir in "$root"/releases/*/; do
  [ -d "$dir" ] || continue
  failed=false
  [ -e "$dir.deploykit-failed" ] && failed=true
  complete=false
  [ -x "${dir}venv/bin/python" ] && complete=true
  healthy=false
  [ -e "$dir.deploykit-healthy" ] && healthy=true
  printf '%s{"name": "%s", "failed": %s, "complete": %s, "healthy": %s}' \
    "$sep" "$(basename "$dir")" "$failed" "$complete" "$healthy"
  sep=", "
done
printf ']}\n'
