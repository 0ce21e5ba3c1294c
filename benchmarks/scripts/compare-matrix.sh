#!/usr/bin/env bash
# The matrix behind benchmarks/RESULTS.md: every size x sessions x connection mode through the sink alone (ceiling),
# this MTA and a private Postfix, then one run against a sink that defers 10% of RCPTs. Run as root from the
# repository's root after `mvn -B -q -DskipTests package`, on a quiet machine (about 15 minutes on 2 cores).
# Writes OUT/matrix and OUT/defer. MESSAGES and WARMUP (10000 and 1000) set the messages of each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-benchmarks/target/compare}
MESSAGES=${MESSAGES:-10000}
WARMUP=${WARMUP:-1000}
BENCH="java -jar benchmarks/target/mta-bench.jar compare"
$BENCH --size 1k --size 10k --size 100k --sessions 10,200 --per-connection 1,0 --messages "$MESSAGES" \
  --warmup "$WARMUP" --out "$OUT/matrix"
$BENCH --size 10k --sessions 10 --per-connection 0 --messages "$MESSAGES" --warmup "$WARMUP" \
  --sink-rcpt-temp-fail 10 --out "$OUT/defer"
