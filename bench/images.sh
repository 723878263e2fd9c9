#!/usr/bin/env bash
# `images` with N local images, jpod against podman in one run (issue 3's target: <= 0.5x podman with 100).
# Each engine gets a scratch store with N single-layer images imported from busybox-static (one shared layer,
# N configs), then `images` is timed RUNS times, alternating engines. Prints medians and the ratio.
#   sudo bench/images.sh            N=100 RUNS=15
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-100} RUNS=${RUNS:-15}
work=$(mktemp -d /var/tmp/jpod-bench-images.XXXXXX)
jroot=$work/jpod-root jrun=/run/$(basename "$work")-jpod
proot=$work/podman-root prun=/run/$(basename "$work")-podman
trap 'podman --root "$proot" --runroot "$prun" system reset -f >/dev/null 2>&1 || true; rm -rf "$work" "$jrun" "$prun"' EXIT
"$home/bin/busybox-rootfs" >"$work/rootfs.tar"
jpod=("$home/bin/jpod" --root "$jroot" --runroot "$jrun")
podman=(podman --root "$proot" --runroot "$prun")
echo "importing $N images into each store..." >&2
for ((i = 0; i < N; i++)); do
  "${jpod[@]}" import --change "LABEL=n=$i" "$work/rootfs.tar" "localhost/img$i:latest" >/dev/null
  "${podman[@]}" import --change "LABEL=n=$i" "$work/rootfs.tar" "localhost/img$i:latest" >/dev/null
done
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
j=() p=()
for ((r = 0; r < RUNS; r++)); do
  j+=("$(ms "${jpod[@]}" images)")
  p+=("$(ms "${podman[@]}" images)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
jm=$(median "${j[@]}") pm=$(median "${p[@]}")
echo "images with $N images: jpod ${jm} ms, podman ${pm} ms, ratio $(awk -v a="$jm" -v b="$pm" 'BEGIN {printf "%.2f", a/b}') (load $(cut -d' ' -f1 /proc/loadavg))"
