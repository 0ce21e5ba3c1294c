#!/usr/bin/env bash
# Delivered messages per second, end to end: smtp-source -> relay -> smtp-sink, for this MTA and for Postfix
# relaying to the same sink. Everything on loopback, in temporary folders, stopped at the end.
#
#   benchmarks/scripts/relay-throughput.sh [MESSAGES] [SESSIONS] [SIZE_BYTES]
#
# Needs: server/target/mta.jar, Postfix installed (its daemon is run here from a private config), root.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/sbin:/sbin"

MESSAGES=${1:-20000}
SESSIONS=${2:-50}
SIZE=${3:-10240}
SINK_PORT=${SINK_PORT:-25261}
MTA_PORT=${MTA_PORT:-25262}
PFX_PORT=${PFX_PORT:-25263}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
pfx=""
cleanup() {
  [ -n "$pfx" ] && postfix -c "$pfx/etc" stop >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_port() { for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

# A relay is done when its own log shows every message accepted by the sink (smtp-sink writes its dump files
# only when a connection ends, and relays keep connections open). Both relays run after a warm-up, so neither the
# JIT nor Postfix's process start-up is in the figure.
start_sink() {
  smtp-sink -u nobody 127.0.0.1:"$SINK_PORT" 1024 >/dev/null 2>&1 &
  sink_pid=$!
  wait_port "$SINK_PORT"
}

delivered() {
  case $1 in
    mta) grep -c 'status=delivered' "$work/mta.log" || true ;;
    postfix) grep -c 'status=sent' "$work/postfix.log" || true ;;
  esac
}

# run LABEL PORT: a warm-up of a quarter of the messages, then the timed run: from the first message sent until
# the relay has delivered them all.
run() {
  local label=$1 port=$2 start end n base
  timeout 900 smtp-source -s "$SESSIONS" -m $((MESSAGES / 4)) -l "$SIZE" -f warm@example.com -t sink@example.net \
    127.0.0.1:"$port" >/dev/null
  for _ in $(seq 3000); do
    [ "$(delivered "$label")" -ge $((MESSAGES / 4)) ] && break
    sleep 0.1
  done
  base=$(delivered "$label")
  start=$(date +%s.%N)
  timeout 900 smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f bench@example.com -t sink@example.net \
    127.0.0.1:"$port" >/dev/null
  accepted=$(date +%s.%N)
  for _ in $(seq 6000); do
    n=$(( $(delivered "$label") - base ))
    [ "$n" -ge "$MESSAGES" ] && break
    sleep 0.1
  done
  end=$(date +%s.%N)
  awk -v l="$label" -v n="$MESSAGES" -v got="$n" -v s="$start" -v a="$accepted" -v e="$end" 'BEGIN {
    printf "%-8s %6d/%d delivered in %6.2f s = %7.0f msgs/s delivered (accepting took %.2f s)\n", l, got, n, e - s, got / (e - s), a - s }'
}

echo "smtp-source -> relay -> smtp-sink: $MESSAGES messages of $SIZE bytes, $SESSIONS sessions, $(nproc) cores"

# This MTA, relaying everything to the sink.
start_sink
java -jar server/target/mta.jar --smtp-listen 127.0.0.1:"$MTA_PORT" --spool "$work/mta-spool" --hostname bench.test \
  --transport-map "*=127.0.0.1:$SINK_PORT" --max-connections 2000 > "$work/mta.log" 2>&1 &
pids+=($!)
wait_port "$MTA_PORT"
run mta "$MTA_PORT"
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true

# Postfix from a private configuration: loopback only, no chroot, everything relayed to the sink.
pfx="$work/postfix"
mkdir -p "$pfx/etc" "$pfx/data"
cp /etc/postfix/master.cf "$pfx/etc/master.cf"
cat > "$pfx/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pfx/spool
data_directory = $pfx/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-bench.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$SINK_PORT
smtpd_relay_restrictions = permit_mynetworks, reject
maillog_file = /dev/stdout
default_process_limit = 200
smtp_tls_security_level = none
CF
postconf -c "$pfx/etc" -M "127.0.0.1:$PFX_PORT/inet=127.0.0.1:$PFX_PORT inet n - n - - smtpd"
postconf -c "$pfx/etc" -F '*/*/chroot = n'
postconf -c "$pfx/etc" -M# smtp/inet >/dev/null 2>&1 || true
mkdir -p "$pfx/spool"
chown postfix "$pfx/data"
start_sink
# In the foreground (logging to stdout): there is no syslog here to tell us why a daemonised start failed.
postfix -c "$pfx/etc" start-fg > "$work/postfix.log" 2>&1 &
pids+=($!)
wait_port "$PFX_PORT"
run postfix "$PFX_PORT"
