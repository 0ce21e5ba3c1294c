#!/usr/bin/env bash
# How fast a prefilled queue drains to one next hop: MESSAGES messages of SIZE are accepted with --no-relay (queued,
# not delivered), the MTA is stopped and started again relaying to Postfix's smtp-sink, and the rate is the messages
# over the time from the first delivery to the last, as the mail log stamps them. Loopback ports 25998 and 25999.
#
#   benchmarks/scripts/drain.sh [MESSAGES] [SIZE] [extra MTA flags...]     e.g. drain.sh 30000 10k --max-per-destination 50
#
# Needs server/target/mta.jar and benchmarks/target/mta-bench.jar (`mvn -B -q -DskipTests package`), smtp-sink.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/sbin:/sbin"
MESSAGES=${1:-30000}
SIZE=${2:-10k}
shift $(( $# > 2 ? 2 : $# ))
MTA_JAR=$PWD/server/target/mta.jar
BENCH_JAR=$PWD/benchmarks/target/mta-bench.jar
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
smtp-sink -u nobody 127.0.0.1:25999 2048 >/dev/null 2>&1 &
pids+=($!)
common=(--spool spool --smtp-listen 127.0.0.1:25998 --metrics-listen off --pop3-listen "")
java -Xmx1g -jar "$MTA_JAR" --no-relay "${common[@]}" > fill.log 2>&1 &
fill=$!
until grep -q "listening on" fill.log; do sleep 0.3; done
java -jar "$BENCH_JAR" load --target 127.0.0.1:25998 --sessions 50 --messages "$MESSAGES" --size "$SIZE" --quiet \
  | grep "^sent"
kill "$fill"
wait "$fill" || true
java -Xmx1g -jar "$MTA_JAR" "${common[@]}" --transport-map "sink.invalid=127.0.0.1:25999" "$@" > drain.log 2>&1 &
pids+=($!)
until [ "$(grep -c 'status=sent' drain.log)" -ge "$MESSAGES" ]; do sleep 0.2; done
python3 - <<'PY'
import datetime
stamps = [l[:24] for l in open('drain.log') if 'status=sent' in l]
at = lambda s: datetime.datetime.fromisoformat(s.replace('Z', ''))
span = (at(stamps[-1]) - at(stamps[0])).total_seconds()
print(f"drained {len(stamps)} messages: first to last delivery {span:.2f} s, {len(stamps) / span:.0f} msgs/s")
PY
