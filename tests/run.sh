#!/usr/bin/env bash
# The one command that runs every test: installs what a fresh Debian machine lacks, builds, tests.
# Prints, last, one line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use (docs/STACK.md). Installed only when missing; needs root. The last five are
# the arm64 cross toolchain and qemu-user for Arm64PackageTests (packaging/build-deb.sh --rid linux-arm64).
need=()
for pkg in libpcap0.8 nftables mosquitto iputils-ping iperf3 ethtool iproute2 \
  clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "Installing Debian packages: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test CamaraQos.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# Microsoft.Testing.Platform prints "total/failed/succeeded/skipped"; say it the plain way too.
num() { grep -E "^\s+$1: [0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
passed=$(num succeeded); failed=$(num failed); skipped=$(num skipped)
if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then failed=1; fi   # a build or runner failure counts
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
