#!/usr/bin/env bash
# Builds camaraqos-agent_<version>_<arch>.deb from a NativeAOT publish of agent/ (dpkg-deb, no debhelper).
# usage: packaging/build-deb.sh [--rid linux-x64|linux-arm64] [--version 0.1.0] [--output DIR]
# linux-arm64 needs the cross toolchain (docs/STACK.md: clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rid=linux-x64 version=0.1.0 output="$repo/artifacts"
while (($#)); do
  case $1 in
    --rid) rid=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    *) echo "build-deb.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case $rid in
  linux-x64) arch=amd64 ;;
  linux-arm64) arch=arm64 ;;
  *) echo "build-deb.sh: unsupported --rid $rid" >&2; exit 2 ;;
esac
[[ $version =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || { echo "build-deb.sh: bad --version $version" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
publish="$work/publish" root="$work/root"
dotnet publish "$repo/agent/CamaraQos.Agent.csproj" -c Release -r "$rid" -p:PublishAot=true \
  -p:Version="${version//\~/-}" -o "$publish" --nologo -v quiet   # '~' sorts early for dpkg; NuGet wants '-' 

install -D -m 0755 "$publish/camaraqos-agent" "$root/usr/lib/camaraqos/camaraqos-agent"
install -D -m 0644 "$repo/agent/appsettings.json" "$root/usr/lib/camaraqos/appsettings.json"
install -d "$root/usr/bin" && ln -s ../lib/camaraqos/camaraqos-agent "$root/usr/bin/camaraqos-agent"
install -D -m 0644 "$here/camaraqos-agent.service" "$root/lib/systemd/system/camaraqos-agent.service"
install -D -m 0640 "$here/agent.json" "$root/etc/camaraqos/agent.json"
install -D -m 0755 "$here/debian/postinst" "$root/DEBIAN/postinst"
install -D -m 0755 "$here/debian/prerm" "$root/DEBIAN/prerm"
install -D -m 0755 "$here/debian/postrm" "$root/DEBIAN/postrm"
echo /etc/camaraqos/agent.json > "$root/DEBIAN/conffiles"
size_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: camaraqos-agent
Version: $version
Architecture: $arch
Maintainer: CamaraQos maintainers <camaraqos@example.net>
Depends: nftables, libnftables1, iproute2, libpcap0.8, adduser
Section: net
Priority: optional
Installed-Size: $size_kb
Description: CamaraQos gateway agent
 Receives desired QoS state from the CamaraQos controller over MQTT 5, programs
 nftables DSCP marking and tc HTB shaping, and measures per-flow RTT and throughput.
CONTROL

mkdir -p "$output"
deb="$output/camaraqos-agent_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
