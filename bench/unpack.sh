#!/usr/bin/env bash
# Layer unpack throughput: jpod import (unpack + keeping the archive as a blob + SHA-256 of archive and tar)
# against GNU tar (unpack only) of the same layer, gzip-compressed (as registries serve layers: tar -xzf) and
# uncompressed (tar -xf), in one run. Issue 3's target: jpod >= GNU tar.
# The layer is the Temurin 25 JDK tree (about 300 MB, ~500 files, big and small) unless LAYER_SRC says otherwise.
#   sudo bench/unpack.sh        RUNS=5 LAYER_SRC=/usr/lib/jvm/temurin-25-jdk-amd64
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5} LAYER_SRC=${LAYER_SRC:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d /var/tmp/jpod-bench-unpack.XXXXXX)
jrun=/run/$(basename "$work")
trap 'rm -rf "$work" "$jrun"' EXIT
tar -C "$LAYER_SRC" -cf "$work/layer.tar" .
gzip -1 -c "$work/layer.tar" >"$work/layer.tar.gz"
bytes=$(stat -c %s "$work/layer.tar") files=$(tar -tf "$work/layer.tar" | wc -l)
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mbps() { awk -v b="$bytes" -v m="$1" 'BEGIN {printf "%.0f", b / 1e6 / (m / 1000)}'; }
echo "layer: $bytes bytes uncompressed, $(stat -c %s "$work/layer.tar.gz") gzip -1, $files entries"
for kind in gzip plain; do
  src=$work/layer.tar flag=-xf
  [[ $kind == gzip ]] && src=$work/layer.tar.gz flag=-xzf
  t=() j=()
  for ((r = 0; r < RUNS; r++)); do
    rm -rf "$work/x" "$work/root" && mkdir "$work/x" && sync
    t+=("$(ms tar -C "$work/x" "$flag" "$src")")
    rm -rf "$work/x" && sync
    j+=("$(ms "$home/bin/jpod" --root "$work/root" --runroot "$jrun" import "$src" localhost/unpack:latest)")
  done
  tm=$(median "${t[@]}") jm=$(median "${j[@]}")
  echo "$kind: GNU tar $flag ${tm} ms ($(mbps "$tm") MB/s); jpod import ${jm} ms ($(mbps "$jm") MB/s); jpod/tar throughput $(awk -v a="$tm" -v b="$jm" 'BEGIN {printf "%.2f", a/b}')"
done
