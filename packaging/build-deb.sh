#!/usr/bin/env bash
# Builds camaraqos-<package>_<version>_<arch>.deb with dpkg-deb (no debhelper):
#   agent:      a NativeAOT publish of agent/ (one native binary);
#   controller: a self-contained publish of controller/ (ASP.NET Core is not AOT-able as it is, and Debian
#               has no ASP.NET Core runtime package, so the runtime ships inside the package).
# usage: packaging/build-deb.sh [--package agent|controller] [--rid linux-x64|linux-arm64] [--version 0.1.0] [--output DIR]
# linux-arm64 agent needs the cross toolchain (docs/STACK.md: clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
package=agent rid=linux-x64 version=0.1.0 output="$repo/artifacts"
while (($#)); do
  case $1 in
    --package) package=$2; shift 2 ;;
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
nuget_version=${version//\~/-}   # '~' sorts early for dpkg; NuGet wants '-'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
publish="$work/publish" root="$work/root"

# Each stage_* lays out the package's files under $root and sets name, conffile, compression, depends, section,
# summary, description.
stage_agent() {
  name=camaraqos-agent conffile=/etc/camaraqos/agent.json compression=xz
  depends="nftables, libnftables1, iproute2, libpcap0.8, adduser" section=net
  summary="CamaraQos gateway agent"
  description=" Receives desired QoS state from the CamaraQos controller over MQTT 5, programs
 nftables DSCP marking and tc HTB shaping, and measures per-flow RTT and throughput."
  dotnet publish "$repo/agent/CamaraQos.Agent.csproj" -c Release -r "$rid" -p:PublishAot=true \
    -p:Version="$nuget_version" -o "$publish" --nologo -v quiet
  install -D -m 0755 "$publish/camaraqos-agent" "$root/usr/lib/camaraqos/camaraqos-agent"
  install -D -m 0644 "$repo/agent/appsettings.json" "$root/usr/lib/camaraqos/appsettings.json"
  install -d "$root/usr/bin" && ln -s ../lib/camaraqos/camaraqos-agent "$root/usr/bin/camaraqos-agent"
  install -D -m 0640 "$here/agent.json" "$root$conffile"
}

stage_controller() {
  # zstd: xz of the ~115 MB self-contained runtime takes minutes on a busy builder, zstd seconds (dpkg >= 1.21.18).
  name=camaraqos-controller conffile=/etc/camaraqos/controller.json compression=zstd
  # The self-contained runtime's own needs (glibc, libstdc++, OpenSSL for TLS and ES256, zlib; no ICU:
  # InvariantGlobalization is on), the CA certificates that outgoing HTTPS (notification sinks, an external
  # Auth:Authority) is checked against, and systemd-sysusers for the service user.
  depends="libc6, libgcc-s1, libstdc++6, libssl3, zlib1g, ca-certificates, systemd" section=net
  summary="CamaraQos controller (CAMARA network-quality APIs)"
  description=" Serves the CAMARA Quality-on-Demand, QoS Profiles, QoS Provisioning, Application Profiles,
 Connectivity Insights and Home Devices QoD APIs, and pushes desired QoS state over MQTT 5
 to CamaraQos agents on home gateways. Embedded MQTT broker and authorization server;
 SQLite or PostgreSQL storage."
  dotnet publish "$repo/controller/CamaraQos.Controller.csproj" -c Release -r "$rid" --self-contained \
    -p:Version="$nuget_version" -o "$publish" --nologo -v quiet
  install -d "$root/usr/lib"
  cp -r "$publish" "$root/usr/lib/camaraqos-controller"
  chmod -R u=rwX,go=rX "$root/usr/lib/camaraqos-controller"
  chmod 0755 "$root/usr/lib/camaraqos-controller/camaraqos-controller"
  install -d "$root/usr/bin" && ln -s ../lib/camaraqos-controller/camaraqos-controller "$root/usr/bin/camaraqos-controller"
  install -D -m 0644 "$here/camaraqos-controller.sysusers" "$root/usr/lib/sysusers.d/camaraqos-controller.conf"
  install -D -m 0640 "$here/controller.json" "$root$conffile"
}

case $package in
  agent) stage_agent ;;
  controller) stage_controller ;;
  *) echo "build-deb.sh: unknown --package $package (agent or controller)" >&2; exit 2 ;;
esac

install -D -m 0644 "$here/$name.service" "$root/lib/systemd/system/$name.service"
for script in preinst postinst prerm postrm; do
  if [[ -f $here/debian/$name/$script ]]; then
    install -D -m 0755 "$here/debian/$name/$script" "$root/DEBIAN/$script"
  fi
done
echo "$conffile" > "$root/DEBIAN/conffiles"
size_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: CamaraQos maintainers <camaraqos@example.net>
Depends: $depends
Section: $section
Priority: optional
Installed-Size: $size_kb
Description: $summary
$description
CONTROL

mkdir -p "$output"
deb="$output/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$root" "$deb" >/dev/null
echo "$deb"
