#!/usr/bin/env bash
# Local delivery and POP3 throughput: an MTA with a local domain in a temporary folder; MESSAGES messages of SIZE to
# one local user through mta-bench load (50 sessions, connections reused, then a new one per message), timed until
# every message is a file in the user's Maildir; then Python's poplib logs in and retrieves RETRIEVE of them.
# Run from anywhere after `mvn -B -q -DskipTests package`; uses loopback ports 22525 and 21110.
set -euo pipefail
cd "$(dirname "$0")/../.."
MESSAGES=${MESSAGES:-20000}
SIZE=${SIZE:-10k}
RETRIEVE=${RETRIEVE:-5000}
MTA_JAR=$PWD/server/target/mta.jar
BENCH_JAR=$PWD/benchmarks/target/mta-bench.jar
work=$(mktemp -d)
trap 'kill "$mta" 2>/dev/null || true; wait "$mta" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
for u in bench0 alice; do echo pw | java -jar "$MTA_JAR" user add "$u" --users users --scheme BLF-CRYPT >/dev/null; done
echo "postmaster: alice" > aliases
java -Xmx1g -jar "$MTA_JAR" --local-domains example.net --users users --aliases aliases --spool spool \
  --smtp-listen 127.0.0.1:22525 --pop3-listen 127.0.0.1:21110 --metrics-listen off > mta.log 2>&1 &
mta=$!
until grep -q "POP3 listening" mta.log 2>/dev/null || ! kill -0 "$mta"; do sleep 0.5; done
inbox=mail/bench0/Maildir/new
# One run: $1 messages, $2 messages per connection (0 = reuse); the time from the first message to the last file.
run() {
  local before start accepted end
  before=$( (ls "$inbox" 2>/dev/null || true) | wc -l)
  start=$(date +%s.%N)
  java -jar "$BENCH_JAR" load --target 127.0.0.1:22525 --sessions 50 --messages "$1" --size "$SIZE" \
    --per-connection "$2" --to-domain example.net --quiet | grep -E "^sent "
  accepted=$(date +%s.%N)
  while [ "$( (ls "$inbox" 2>/dev/null || true) | wc -l)" -lt $((before + $1)) ]; do sleep 0.2; done
  end=$(date +%s.%N)
  python3 -c "n=$1; s=$start; a=$accepted; e=$end; print(f'  {n} x $SIZE, per-connection $2: accepted in {a-s:.2f} s, all in the Maildir after {e-s:.2f} s ({n/(e-s):.0f} msgs/s delivered)')"
}
run 3000 0 > /dev/null # warm-up
run "$MESSAGES" 0
run $((MESSAGES / 2)) 1
python3 - "$RETRIEVE" <<'PY'
import poplib, sys, time
n = int(sys.argv[1])
t0 = time.time()
p = poplib.POP3('127.0.0.1', 21110, timeout=60)
p.user('bench0'); p.pass_('pw')
count, size = p.stat()
t1 = time.time()
octets = 0
for i in range(1, n + 1):
    octets += p.retr(i)[2]
t2 = time.time()
p.quit()
print(f"  POP3: maildrop of {count} messages ({size} octets): login and STAT {t1-t0:.2f} s; RETR x{n} in {t2-t1:.2f} s"
      f" ({n/(t2-t1):.0f} msgs/s, {octets/(t2-t1)/1e6:.1f} MB/s, poplib)")
PY
