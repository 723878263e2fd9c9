#!/usr/bin/env bash
# Layer unpack throughput: jpod import (unpack + keeping the archive as a blob + two SHA-256 passes) against
# GNU tar -xf (unpack only) of the same uncompressed layer, in one run. Issue 3's target: jpod >= GNU tar.
# The layer is the Temurin 25 JDK tree (about 300 MB, ~500 files, big and small) unless LAYER_SRC says otherwise.
#   sudo bench/unpack.sh        RUNS=5 LAYER_SRC=/usr/lib/jvm/temurin-25-jdk-amd64
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5} LAYER_SRC=${LAYER_SRC:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d /var/tmp/jpod-bench-unpack.XXXXXX)
jrun=/run/$(basename "$work")
trap 'rm -rf "$work" "$jrun"' EXIT
tar -C "$LAYER_SRC" -cf "$work/layer.tar" .
bytes=$(stat -c %s "$work/layer.tar") files=$(tar -tf "$work/layer.tar" | wc -l)
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
t=() j=()
for ((r = 0; r < RUNS; r++)); do
  rm -rf "$work/x" "$work/root" && mkdir "$work/x" && sync
  t+=("$(ms tar -C "$work/x" -xf "$work/layer.tar")")
  sync
  j+=("$(ms "$home/bin/jpod" --root "$work/root" --runroot "$jrun" import "$work/layer.tar" localhost/unpack:latest)")
  sync
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
tm=$(median "${t[@]}") jm=$(median "${j[@]}")
mbps() { awk -v b="$bytes" -v m="$1" 'BEGIN {printf "%.0f", b / 1e6 / (m / 1000)}'; }
echo "layer: $bytes bytes, $files entries"
echo "GNU tar -xf: ${tm} ms ($(mbps "$tm") MB/s); jpod import: ${jm} ms ($(mbps "$jm") MB/s); jpod/tar throughput $(awk -v a="$tm" -v b="$jm" 'BEGIN {printf "%.2f", a/b}')"
