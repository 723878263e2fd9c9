#!/usr/bin/env bash
# Issue 5's side-by-side benchmarks, jpod against podman in one run, samples interleaved so both see the same
# machine: run --rm on each engine's default bridge network, and run -d -p until the first HTTP 200 from busybox
# httpd through the published port (then rm -f, not timed). Medians and jpod/podman ratios (lower is better).
#   sudo bench/network.sh            RUNS=15 bench/network.sh
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-15}
IMAGE=localhost/busybox:latest
engines=(podman jpod)
tag=bench-net-$$
cleanup() { for e in "${engines[@]}"; do "$e" rm -af -t 0 >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
for e in "${engines[@]}"; do
  if [[ -z $("$e" images -q "$IMAGE" 2>/dev/null) ]]; then
    "$home/bin/busybox-rootfs" | "$e" import --change 'CMD=["sh"]' - "$IMAGE" >/dev/null
  fi
  "$e" rm -af -t 0 >/dev/null 2>&1 || true
done
ms() { local s e; s=${EPOCHREALTIME/./}; "$@" >/dev/null 2>&1; e=${EPOCHREALTIME/./}; echo $(((e - s) / 1000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# run -d -p, then poll with curl (10 ms apart) until httpd answers 200 through the published port
http_up() {
  local e=$1 port=$2 n=$3
  "$e" run -d --name "$n" -p "$port:80" "$IMAGE" sh -c 'mkdir -p /w && echo up > /w/index.html && exec httpd -f -p 80 -h /w' >/dev/null
  for ((i = 0; i < 500; i++)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/") == 200 ]] && return 0
    sleep 0.01
  done
  echo "$e: no HTTP 200 from $n on port $port" >&2; return 1
}
declare -A samples res
for e in "${engines[@]}"; do "$e" run --rm "$IMAGE" true >/dev/null; done # warm caches, make the default networks
for ((r = 0; r < RUNS; r++)); do
  for e in "${engines[@]}"; do
    samples[rm,$e]+=" $(ms "$e" run --rm "$IMAGE" true)"
    port=$(free_port)
    s=${EPOCHREALTIME/./}; http_up "$e" "$port" "$tag-$e-$r"; t=${EPOCHREALTIME/./}
    samples[http,$e]+=" $(((t - s) / 1000))"
    "$e" rm -f -t 0 "$tag-$e-$r" >/dev/null
  done
done
echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) cores; podman $(podman --version | awk '{print $3}') (netavark), jpod $(git -C "$home" rev-parse --short HEAD); RUNS=$RUNS"
for m in rm http; do
  p=$(median ${samples[$m,podman]}) j=$(median ${samples[$m,jpod]})
  name=$([[ $m == rm ]] && echo "run --rm (default bridge)" || echo "run -d -p until HTTP 200")
  printf '%-28s podman %7s ms   jpod %7s ms   jpod/podman %s\n' "$name" "$p" "$j" "$(awk -v a="$j" -v b="$p" 'BEGIN {printf "%.2f", a/b}')"
done
