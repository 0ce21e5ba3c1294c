#!/usr/bin/env bash
# Messages per second accepted over SMTP: this MTA (fsync per acknowledged message) versus Postfix's smtp-sink
# (which stores nothing: the ceiling for smtp-source on this machine). Loopback only; stops by itself.
#
#   benchmarks/scripts/accept-throughput.sh [MESSAGES] [SESSIONS] [SIZE_BYTES]
#
# Needs: server/target/mta.jar (mvn -q -DskipTests package) and Postfix's smtp-source/smtp-sink.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/sbin:/sbin"

MESSAGES=${1:-20000}
SESSIONS=${2:-50}
SIZE=${3:-10240}
MTA_PORT=${MTA_PORT:-25250}
SINK_PORT=${SINK_PORT:-25251}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

# rate LABEL PORT EXTRA_SMTP_SOURCE_FLAGS...
rate() {
  local label=$1 port=$2; shift 2
  local start end
  start=$(date +%s.%N)
  timeout 600 smtp-source "$@" -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f bench@example.com -t sink@example.com \
    127.0.0.1:"$port" >/dev/null
  end=$(date +%s.%N)
  awk -v l="$label" -v n="$MESSAGES" -v s="$start" -v e="$end" \
    'BEGIN { printf "%-44s %7d msgs in %6.2f s = %8.0f msgs/s\n", l, n, e - s, n / (e - s) }'
}

java -jar server/target/mta.jar --smtp-listen 127.0.0.1:"$MTA_PORT" --spool "$work/spool" --hostname bench.test \
  --max-connections 2000 --no-relay > "$work/mta.log" 2>&1 &
pids+=($!)
smtp_sink_user=()
[ "$(id -u)" = 0 ] && smtp_sink_user=(-u nobody)
smtp-sink "${smtp_sink_user[@]}" -c 127.0.0.1:"$SINK_PORT" 1024 > /dev/null 2>&1 &
pids+=($!)
wait_port "$MTA_PORT"
wait_port "$SINK_PORT"

echo "smtp-source: $MESSAGES messages of $SIZE bytes over $SESSIONS sessions, $(nproc) cores"
# Warm the JIT so the figure is steady-state, then clear the spool.
timeout 300 smtp-source -s "$SESSIONS" -m 5000 -l "$SIZE" -f w@example.com -t w@example.com 127.0.0.1:"$MTA_PORT" >/dev/null
for mode in "" "-d"; do
  what=$([ -z "$mode" ] && echo "new connection per message" || echo "connection reused (-d)")
  rate "mta      ($what)" "$MTA_PORT" $mode
  rate "smtp-sink ($what)" "$SINK_PORT" $mode
done
echo "queue on disk after $((MESSAGES * 2 + 5000)) messages: $(du -sh "$work/spool" | cut -f1)"
