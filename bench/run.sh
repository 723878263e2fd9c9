#!/usr/bin/env bash
# Side-by-side benchmark of jpod against podman with the shared yardstick (shared/bench/peers.sh), in one run,
# reported as medians and ratios. Installs podman if missing, gives it the containers.conf this host needs
# (runc; ulimits under the hard limit), and makes sure both engines have localhost/busybox from the same
# busybox-static rootfs.
#
#   sudo bench/run.sh                                   # run lifecycle ps logs
#   sudo SECTIONS="run" RUNS=20 bench/run.sh
#
# Results: bench/results/peers-<date>.csv and .meta.txt (the table is also printed).
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers_dir=${PEERS_DIR:-$home/../shared/bench}
[[ -x $home/bin/jpod && -f $home/target/jpod.jar ]] || { echo "build jpod first: bin/build" >&2; exit 2; }
command -v jpod >/dev/null || ln -sf "$home/bin/jpod" /usr/local/bin/jpod
need=()
for p in podman jq curl time iproute2; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
if ! grep -qs 'runtime *= *"runc"' /etc/containers/containers.conf; then
  mkdir -p /etc/containers
  cat >/etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024","nproc=4096:4096"]

[engine]
runtime = "runc"
CONF
fi
work=$(mktemp -d /tmp/jpod-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$peers_dir"/. "$work/"
"$home/bin/busybox-rootfs" >"$work/rootfs.tar"
for e in podman jpod; do
  if [[ -z $("$e" images -q localhost/busybox:latest 2>/dev/null) ]]; then
    "$e" import --change 'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD=["sh"]' "$work/rootfs.tar" localhost/busybox:latest >/dev/null
  fi
done
mkdir -p "$home/bench/results"
cd "$work"
ENGINES=${ENGINES:-"podman jpod"} SECTIONS=${SECTIONS:-"run lifecycle ps logs"} RESULTS="$home/bench/results" \
  JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java} JAVAC=${JAVAC:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/javac} \
  ./peers.sh
