#!/usr/bin/env bash
# CamaraQos network-namespace lab: a WAN server, an ISP access hop (optional bottleneck), a gateway that
# runs the agent, a LAN switch and two LAN clients, plus a management link from the host so the agent
# reaches a controller's broker on the host. Usage: see `lab.sh help` and tests/lab/README.md.
#
#   host ${P}-mgmt 10.213.100.1/30 ── mgmt0 10.213.100.2/30
#                                         [${P}-gw] wan0 10.213.101.1/24 ── isp-gw [${P}-isp br0] isp-srv ── eth0 10.213.101.2 [${P}-wan]
#                                                   lan0 10.213.102.1/24 ── sw-gw  [${P}-sw  br0] sw-lan1 ── eth0 10.213.102.10 [${P}-lan1]
#                                                                                                  sw-lan2 ── eth0 10.213.102.11 [${P}-lan2]
#
# The bottleneck (HTB + deep bfifo) sits on the ISP hop's bridge ports, a forwarding hop: never on the
# gateway, whose wan0/lan0 egress belong to the agent's own HTB trees, and never on a TCP sender's own
# egress, where BBR collapses (docs/STACK.md). The host is changed only by the ${P}-mgmt veth.
set -euo pipefail

P=${LAB_PREFIX:-cqc}          # namespace and host-veth prefix (host veth name ${P}-mgmt: keep P <= 10 chars)
NET=${LAB_NET:-10.213}        # first two octets
BASE=${LAB_BASE:-100}         # third octet of the management /30; WAN is BASE+1, LAN is BASE+2
MGMT="$NET.$BASE"; WAN="$NET.$((BASE + 1))"; LAN="$NET.$((BASE + 2))"
NAMESPACES=(wan isp gw sw lan1 lan2)

ns() { echo "$P-$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
say() { echo "lab: $*" >&2; }

# A veth pair from namespace $1 (name $2) to namespace $3 (name $4), both up, offloads off so captures see
# real packets, not 64 KB GSO super-packets.
link() {
  ip link add "$2" netns "$(ns "$1")" type veth peer name "$4" netns "$(ns "$3")"
  for end in "$1:$2" "$3:$4"; do
    in_ns "${end%%:*}" ethtool -K "${end#*:}" tso off gso off gro off >/dev/null 2>&1 || true
    in_ns "${end%%:*}" ip link set "${end#*:}" up
  done
}

bridge() { # namespace, ports...
  local n=$1; shift
  in_ns "$n" ip link add br0 type bridge
  for port in "$@"; do in_ns "$n" ip link set "$port" master br0; done
  in_ns "$n" ip link set br0 up
}

bottleneck() { # kbit, bfifo bytes: both directions of the ISP hop
  for dev in isp-gw isp-srv; do
    in_ns isp tc qdisc replace dev "$dev" root handle 1: htb default 10
    in_ns isp tc class add dev "$dev" parent 1: classid 1:10 htb rate "${1}kbit" ceil "${1}kbit"
    in_ns isp tc qdisc add dev "$dev" parent 1:10 handle 10: bfifo limit "$2"
  done
  say "bottleneck ${1} kbit/s each way, FIFO $2 bytes (≈ $(($2 * 8 / $1)) ms when full)"
}

up() {
  local kbit="" bytes=""
  while (($#)); do
    case $1 in
      --bottleneck-kbit) kbit=$2; shift 2 ;;
      --delay-bytes) bytes=$2; shift 2 ;;
      *) echo "lab: unknown option $1" >&2; exit 2 ;;
    esac
  done
  [[ -z $kbit || $kbit =~ ^[0-9]+$ && $kbit -ge 64 ]] || { echo "lab: --bottleneck-kbit must be a number >= 64" >&2; exit 2; }
  [[ -z $bytes || $bytes =~ ^[0-9]+$ && $bytes -ge 1514 ]] || { echo "lab: --delay-bytes must be a number >= 1514" >&2; exit 2; }
  down 2>/dev/null
  trap 'say "up failed, tearing down"; down; exit 1' ERR
  for n in "${NAMESPACES[@]}"; do ip netns add "$(ns "$n")"; in_ns "$n" ip link set lo up; done

  ip link add "$P-mgmt" type veth peer name mgmt0 netns "$(ns gw)"
  ip addr add "$MGMT.1/30" dev "$P-mgmt"; ip link set "$P-mgmt" up
  in_ns gw ip addr add "$MGMT.2/30" dev mgmt0; in_ns gw ip link set mgmt0 up

  link gw wan0 isp isp-gw; link isp isp-srv wan eth0; bridge isp isp-gw isp-srv
  link gw lan0 sw sw-gw; link sw sw-lan1 lan1 eth0; link sw sw-lan2 lan2 eth0; bridge sw sw-gw sw-lan1 sw-lan2

  in_ns wan ip addr add "$WAN.2/24" dev eth0
  in_ns gw ip addr add "$WAN.1/24" dev wan0
  in_ns gw ip addr add "$LAN.1/24" dev lan0
  in_ns gw ip route add default via "$WAN.2"
  in_ns gw sysctl -qw net.ipv4.ip_forward=1
  in_ns lan1 ip addr add "$LAN.10/24" dev eth0; in_ns lan1 ip route add default via "$LAN.1"
  in_ns lan2 ip addr add "$LAN.11/24" dev eth0; in_ns lan2 ip route add default via "$LAN.1"
  # NAT in the lab's own table: the agent owns only `table inet camaraqos` and never touches this one.
  in_ns gw nft -f - <<NFT
table ip lab {
  chain postrouting { type nat hook postrouting priority srcnat; policy accept; oifname "wan0" masquerade; }
}
NFT
  [[ -n $kbit ]] && bottleneck "$kbit" "${bytes:-$((kbit * 125 * 20 / 1000 > 3028 ? kbit * 125 * 20 / 1000 : 3028))}"
  trap - ERR
  say "up: gateway $(ns gw) (wan0 $WAN.1, lan0 $LAN.1, mgmt0 $MGMT.2), server $WAN.2, clients $LAN.10 $LAN.11, broker side $MGMT.1"
}

down() {
  for n in "${NAMESPACES[@]}"; do ip netns del "$(ns "$n")" 2>/dev/null || true; done
  ip link del "$P-mgmt" 2>/dev/null || true
  say "down: removed $P-* namespaces and host veth $P-mgmt"
}

status() {
  for n in "${NAMESPACES[@]}"; do
    if ip netns list | grep -qw "$(ns "$n")"; then
      echo "== $(ns "$n")"; in_ns "$n" ip -br addr show | grep -v '^lo '
    else
      echo "== $(ns "$n") (absent)"
    fi
  done
  ip -br addr show "$P-mgmt" 2>/dev/null || echo "== host veth $P-mgmt (absent)"
  if ip netns list | grep -qw "$(ns isp)"; then in_ns isp tc qdisc show dev isp-gw; fi
}

case ${1:-help} in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  exec) shift; n=${1:?namespace}; shift; [[ $n == "$P-"* ]] || n="$P-$n"; exec ip netns exec "$n" "$@" ;;
  *) echo "usage: lab.sh up [--bottleneck-kbit N] [--delay-bytes N] | down | status | exec <wan|isp|gw|sw|lan1|lan2> cmd..." >&2
     echo "env: LAB_PREFIX=$P LAB_NET=$NET LAB_BASE=$BASE" >&2; exit 2 ;;
esac
