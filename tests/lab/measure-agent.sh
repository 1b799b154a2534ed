#!/usr/bin/env bash
# Measures the agent in the lab: binary size, start → MQTT session time, idle RSS with the session open.
# usage: tests/lab/measure-agent.sh [agent-binary [agent-args...]]   (default: the NativeAOT binary from packaging/build-deb.sh)
# Needs root (namespaces). Uses its own lab (LAB_PREFIX=cqc-b, 10.213.160.0/22) and a private Mosquitto
# on the lab's host-side address; removes everything on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export LAB_PREFIX=cqc-b LAB_NET=10.213 LAB_BASE=160
broker=10.213.160.1 port=18883 idle=${IDLE_SECONDS:-20}
work=$(mktemp -d)
apid="" mpid=""
cleanup() {
  [[ -n $apid ]] && kill "$apid" 2>/dev/null || true
  [[ -n $mpid ]] && kill "$mpid" 2>/dev/null || true
  "$here/lab.sh" down 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bin=${1:-}
if [[ -z $bin ]]; then
  deb=$("$here/../../packaging/build-deb.sh" --output "$work")
  dpkg-deb -x "$deb" "$work/root"
  bin="$work/root/usr/lib/camaraqos/camaraqos-agent"
fi
bin=$(readlink -f "$bin")

"$here/lab.sh" up 2>/dev/null
printf 'listener %s %s\nallow_anonymous true\npersistence false\n' "$port" "$broker" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 & mpid=$!
for _ in $(seq 100); do ss -ltn | grep -q "$broker:$port" && break; sleep 0.1; done

start=$(date +%s%N)
ip netns exec cqc-b-gw "$bin" --config /nonexistent/agent.json --Agent:Id=bench-gw \
  --Mqtt:Host="$broker" --Mqtt:Port="$port" --Agent:WanInterface=wan0 --Agent:LanInterfaces=lan0 \
  --Agent:UplinkKbps=20000 --Agent:DownlinkKbps=100000 --Agent:StateDirectory="$work/state" "${@:2}" > "$work/agent.log" 2>&1 & apid=$!
for _ in $(seq 600); do grep -q "Connecting -> Connected" "$work/agent.log" && break; sleep 0.05; done
grep -q "Connecting -> Connected" "$work/agent.log" || { cat "$work/agent.log" >&2; echo "agent did not connect" >&2; exit 1; }
connected_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep "$idle"
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$apid/status")
[[ -n ${SMAPS_HOOK:-} ]] && APID=$apid "$SMAPS_HOOK" >&2
if [[ -n ${SMAPS:-} ]]; then
  # Where the resident memory is: per mapping (file or [anon]), largest first, and the anonymous/file split.
  grep -E '^(Rss|Anonymous|RssFile|RssShmem|RssAnon)' "/proc/$apid/status" "/proc/$apid/smaps_rollup" >&2 || true
  awk '/^[0-9a-f]+-[0-9a-f]+ / {name = ($6 == "" ? "[anon]" : $6)} /^Rss:/ {rss[name] += $2} END {for (n in rss) print rss[n], n}' \
    "/proc/$apid/smaps" | sort -rn | head -15 >&2
fi
echo "binary=$bin"
echo "binary_bytes=$(stat -c %s "$bin") start_to_connected_ms=$connected_ms idle_rss_kb=$rss_kb (after ${idle} s idle)"
