#!/usr/bin/env bash
# Issue 4's side-by-side benchmarks, jpod against podman in one run, samples interleaved so both see the same
# machine: exec latency (exec C true), cp of a 100 MB directory into and out of a running container, and
# stats --no-stream over 20 running containers. Medians and jpod/podman ratios (lower is better for jpod).
#   sudo bench/daily.sh            RUNS=10 CTRS=20 CP_MB=100 bench/daily.sh
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-10} CTRS=${CTRS:-20} CP_MB=${CP_MB:-100}
IMAGE=localhost/busybox:latest
engines=(podman jpod)
tag=bench-daily-$$
work=$(mktemp -d /var/tmp/jpod-bench-daily.XXXXXX)
cleanup() {
  for e in "${engines[@]}"; do "$e" rm -af -t 0 >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for e in "${engines[@]}"; do
  if [[ -z $("$e" images -q "$IMAGE" 2>/dev/null) ]]; then
    "$home/bin/busybox-rootfs" | "$e" import --change 'CMD=["sh"]' - "$IMAGE" >/dev/null
  fi
  "$e" rm -af -t 0 >/dev/null 2>&1 || true
done
ms() { local s e; s=${EPOCHREALTIME/./}; "$@" >/dev/null 2>&1; e=${EPOCHREALTIME/./}; echo $(((e - s) / 1000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A res
report() { # metric: podman and jpod medians, ratio
  local m=$1 p=${res[$1,podman]} j=${res[$1,jpod]}
  printf '%-28s podman %7s ms   jpod %7s ms   jpod/podman %s\n' "$m" "$p" "$j" "$(awk -v a="$j" -v b="$p" 'BEGIN {printf "%.2f", a/b}')"
}

# exec latency: one long-running container each
for e in "${engines[@]}"; do "$e" run -d --name "$tag-exec" "$IMAGE" sleep 100000 >/dev/null; done
for e in "${engines[@]}"; do "$e" exec "$tag-exec" true; done # warm caches
declare -A samples
for ((r = 0; r < RUNS; r++)); do
  for e in "${engines[@]}"; do samples[exec,$e]+=" $(ms "$e" exec "$tag-exec" true)"; done
done
for e in "${engines[@]}"; do res[exec,$e]=$(median ${samples[exec,$e]}); done

# cp of a CP_MB directory (100 files), host -> container and container -> host
mkdir -p "$work/src"
for ((i = 0; i < 100; i++)); do head -c $((CP_MB * 10485)) /dev/urandom >"$work/src/f$i"; done
for ((r = 0; r < 3; r++)); do
  for e in "${engines[@]}"; do
    "$e" exec "$tag-exec" rm -rf /data
    samples[cpin,$e]+=" $(ms "$e" cp "$work/src" "$tag-exec:/data")"
    rm -rf "$work/out-$e"
    samples[cpout,$e]+=" $(ms "$e" cp "$tag-exec:/data" "$work/out-$e")"
  done
done
for e in "${engines[@]}"; do
  cmp -s "$work/src/f7" "$work/out-$e/f7" || { echo "$e: cp round trip changed the data" >&2; exit 1; }
  res[cpin,$e]=$(median ${samples[cpin,$e]})
  res[cpout,$e]=$(median ${samples[cpout,$e]})
done

# stats over CTRS running containers
for e in "${engines[@]}"; do
  for ((i = 1; i < CTRS; i++)); do "$e" run -d --name "$tag-s$i" "$IMAGE" sleep 100000 >/dev/null; done
done
for ((r = 0; r < RUNS; r++)); do
  for e in "${engines[@]}"; do samples[stats,$e]+=" $(ms "$e" stats --no-stream)"; done
done
for e in "${engines[@]}"; do res[stats,$e]=$(median ${samples[stats,$e]}); done

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores; podman $(podman --version | awk '{print $3}'); RUNS=$RUNS"
report exec
res[cp-in-${CP_MB}MB,podman]=${res[cpin,podman]} res[cp-in-${CP_MB}MB,jpod]=${res[cpin,jpod]}
res[cp-out-${CP_MB}MB,podman]=${res[cpout,podman]} res[cp-out-${CP_MB}MB,jpod]=${res[cpout,jpod]}
report "cp-in-${CP_MB}MB"
report "cp-out-${CP_MB}MB"
res[stats-${CTRS}-ctrs,podman]=${res[stats,podman]} res[stats-${CTRS}-ctrs,jpod]=${res[stats,jpod]}
report "stats-${CTRS}-ctrs"
