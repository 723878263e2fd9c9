#!/usr/bin/env bash
# Issue 6's side-by-side benchmarks: jpod's REST service against podman's (podman system service), in one run.
# create+start+wait+remove cycles per second through the socket (CLIENTS clients for SECONDS), GET /_ping p50/p99
# on a kept-alive connection, and `docker ps -a` with CTRS containers. Ratios are jpod/podman (rate: higher is
# better; latency: lower is better).
#   sudo bench/api.sh           SECONDS=20 CLIENTS=2 CTRS=200 bench/api.sh
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_=${SECONDS:-20} CLIENTS=${CLIENTS:-2} CTRS=${CTRS:-200}
IMAGE=localhost/busybox:latest
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
work=$(mktemp -d /tmp/jpod-bench-api.XXXXXX)
declare -A sock=([podman]=$work/podman.sock [jpod]=$work/jpod.sock)
cleanup() {
  for e in podman jpod; do DOCKER_HOST=unix://${sock[$e]} docker rm -f $(DOCKER_HOST=unix://${sock[$e]} docker ps -aq 2>/dev/null) >/dev/null 2>&1 || true; done
  kill %1 %2 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
for e in podman jpod; do
  if [[ -z $("$e" images -q "$IMAGE" 2>/dev/null) ]]; then "$home/bin/busybox-rootfs" | "$e" import --change 'CMD=["sh"]' - "$IMAGE" >/dev/null; fi
  "$e" rm -af -t 0 >/dev/null 2>&1 || true
done
podman system service --time 0 "unix://${sock[podman]}" & 
jpod system service --time 0 "unix://${sock[jpod]}" &
for e in podman jpod; do for i in $(seq 100); do [[ -S ${sock[$e]} ]] && break; sleep 0.1; done; done
declare -A res
for e in podman jpod; do # warm-up: both services' first calls (and jpod's JIT) out of the measurement
  "$java" "$home/bench/ApiBench.java" "${sock[$e]}" cycle 5 "$CLIENTS" "$IMAGE" >/dev/null
done
for e in podman jpod; do
  res[cycle,$e]=$("$java" "$home/bench/ApiBench.java" "${sock[$e]}" cycle "$SECONDS_" "$CLIENTS" "$IMAGE" | awk '{print $6}' | tr -d '/s')
  read -r _ p50 _ p99 < <("$java" "$home/bench/ApiBench.java" "${sock[$e]}" ping 3000)
  res[p50,$e]=$p50 res[p99,$e]=$p99
done
for e in podman jpod; do
  for ((i = 0; i < CTRS; i++)); do DOCKER_HOST=unix://${sock[$e]} docker create "$IMAGE" true >/dev/null; done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for e in podman jpod; do
  s=(); for r in 1 2 3 4 5; do t0=${EPOCHREALTIME/./}; DOCKER_HOST=unix://${sock[$e]} docker ps -a >/dev/null; t1=${EPOCHREALTIME/./}; s+=($(((t1 - t0) / 1000))); done
  res[ps,$e]=$(median "${s[@]}")
done
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores; podman $(podman --version | awk '{print $3}') service, jpod $(git -C "$home" rev-parse --short HEAD); SECONDS=$SECONDS_ CLIENTS=$CLIENTS CTRS=$CTRS"
r() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
printf '%-34s podman %8s   jpod %8s   jpod/podman %s\n' "create+start+wait+rm per s" "${res[cycle,podman]}" "${res[cycle,jpod]}" "$(r "${res[cycle,jpod]}" "${res[cycle,podman]}")"
printf '%-34s podman %8s   jpod %8s   jpod/podman %s\n' "_ping p50 us" "${res[p50,podman]}" "${res[p50,jpod]}" "$(r "${res[p50,jpod]}" "${res[p50,podman]}")"
printf '%-34s podman %8s   jpod %8s   jpod/podman %s\n' "_ping p99 us" "${res[p99,podman]}" "${res[p99,jpod]}" "$(r "${res[p99,jpod]}" "${res[p99,podman]}")"
printf '%-34s podman %8s   jpod %8s   jpod/podman %s\n' "docker ps -a, $CTRS ctrs (ms)" "${res[ps,podman]}" "${res[ps,jpod]}" "$(r "${res[ps,jpod]}" "${res[ps,podman]}")"
