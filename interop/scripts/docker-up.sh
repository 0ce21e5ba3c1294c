#!/usr/bin/env bash
# Makes Docker ready for the interop tests, as root: starts dockerd (vfs storage, which works on any filesystem)
# when no daemon answers, then builds the base image mta-interop-base:bookworm from Debian packages with debootstrap
# (no image registry is needed; skipped when the tag exists). Needs docker.io and debootstrap installed.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
IMAGE=${MTA_INTEROP_BASE_IMAGE:-mta-interop-base:bookworm}
SUITE=${MTA_INTEROP_SUITE:-bookworm}

if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null 2>&1 || { echo "dockerd is not installed (apt-get install docker.io)"; exit 1; }
  log=$(mktemp -t dockerd.XXXXXX.log)
  echo "starting dockerd (storage driver vfs), log in $log"
  nohup dockerd --storage-driver=vfs >"$log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start:"; tail -n 30 "$log"; exit 1; }
fi

# Containers a killed test run left behind (they carry the tests' label): gone before the next run.
leftovers=$(docker ps -aq --filter label=dev.mta.interop)
[ -z "$leftovers" ] || docker rm -f $leftovers >/dev/null

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE is there"
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
# The machine's own Debian mirror: MTA_INTEROP_MIRROR, else the first source (deb822 stanza or one-line entry) for
# $SUITE that is not a security mirror, else Debian's CDN. Other vendors' repositories do not serve $SUITE.
mirror=${MTA_INTEROP_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } | awk -v suite="$SUITE" '
    /^[[:space:]]*$/ { if (uris != "" && suites ~ ("(^| )" suite "( |$)") && uris !~ /security/) { print uris; done = 1; exit }
                       uris = ""; suites = ""; next }
    /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); split($0, u, " "); uris = u[1] }
    /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
    END { if (!done && uris != "" && suites ~ ("(^| )" suite "( |$)") && uris !~ /security/) print uris }' | head -n 1 || true)
fi
if [ -z "$mirror" ]; then
  mirror=$( { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
    | sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//; t; d' \
    | awk -v suite="$SUITE" '$2 == suite && $1 !~ /security/ { print $1; exit }' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
root=$(mktemp -d -t mta-interop-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "building $IMAGE: debootstrap --variant=minbase $SUITE from $mirror"
debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$root.log" 2>&1 || { tail -n 30 "$root.log"; exit 1; }
rm -f "$root.log"
# No service starts while an image installs packages; apt keeps no lists or archives in the image.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
# mktemp made the folder 0700: it becomes the image's /, which every user must be able to enter.
chmod 755 "$root"
tar -C "$root" -c . | docker import - "$IMAGE" >/dev/null
echo "built $IMAGE"
