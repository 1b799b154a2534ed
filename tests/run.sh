#!/usr/bin/env bash
# The one command that runs every test: installs what a fresh Debian machine lacks, builds, tests.
# Prints, last, one line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use (docs/STACK.md). Installed only when missing; needs root. The last five are
# the arm64 cross toolchain and qemu-user for Arm64PackageTests (packaging/build-deb.sh --rid linux-arm64).
need=()
for pkg in libpcap0.8 nftables mosquitto iputils-ping iperf3 ethtool iproute2 postgresql \
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
pgdir=""
cleanup() {
  rm -f "$log"
  if [ -n "$pgdir" ]; then
    # By PID: this script's own postmaster, never any other PostgreSQL on the machine.
    pid=$(head -1 "$pgdir/data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
      "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    fi
    rm -rf "$pgdir"
  fi
}
trap cleanup EXIT

# A private PostgreSQL for the storage tests: its own cluster in a temp directory, loopback only, trust
# auth (a throwaway cluster nothing else reaches), on a free port; stopped in cleanup. The tests create a
# database of their own on it through CAMARAQOS_TEST_POSTGRES.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)   # initdb refuses to run as root
if [ -n "$pgbin" ]; then
  unset CAMARAQOS_TEST_POSTGRES   # always the private server below, never one from the environment
  pgdir=$(mktemp -d)
  [ "$(id -u)" = 0 ] && chown postgres: "$pgdir"
  "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 >"$pgdir/initdb.log" 2>&1 \
    || { echo "initdb failed:"; cat "$pgdir/initdb.log"; }
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ -f "$pgdir/data/PG_VERSION" ] || break
    port=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && continue
    # A port taken meanwhile makes the start fail; then try another.
    if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
        -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null; then
      export CAMARAQOS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      echo "PostgreSQL for the tests: 127.0.0.1:$port (pid $(head -1 "$pgdir/data/postmaster.pid"))"
      break
    fi
  done
  # Without it the PostgreSQL tests skip outside CI and fail in CI, naming the variable.
  [ -n "${CAMARAQOS_TEST_POSTGRES:-}" ] || { echo "Could not start PostgreSQL:"; cat "$pgdir/server.log" 2>/dev/null || true; }
fi
status=0
# CAMARA's own test definitions run as tests of CamaraQos.Controller.Tests (Conformance/); their report, per
# feature file passed / failed / not applicable with reasons, is written here and its table printed below.
mkdir -p TestResults
export CAMARAQOS_CONFORMANCE_REPORT="$PWD/TestResults/conformance-report.md"
rm -f "$CAMARAQOS_CONFORMANCE_REPORT"
dotnet test CamaraQos.sln -c Release "$@" 2>&1 | tee "$log" || status=$?
if [ -f "$CAMARAQOS_CONFORMANCE_REPORT" ]; then
  echo
  echo "CAMARA conformance (full report with the not-applicable reasons: $CAMARAQOS_CONFORMANCE_REPORT):"
  sed -n '/^| API/,/^| \*\*total/p' "$CAMARAQOS_CONFORMANCE_REPORT"
fi

# Microsoft.Testing.Platform prints "total/failed/succeeded/skipped"; say it the plain way too.
num() { grep -E "^\s+$1: [0-9]+" "$log" | tail -1 | grep -oE '[0-9]+' || echo 0; }
passed=$(num succeeded); failed=$(num failed); skipped=$(num skipped)
if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then failed=1; fi   # a build or runner failure counts
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
