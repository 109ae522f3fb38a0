#!/usr/bin/env bash
# Fetches Debian's Xen 4.17 hypervisor for conformance runs of the test guests
# (tests/guests/run-guest.sh). Result: build/xen/xen, a multiboot image QEMU's
# -kernel boots. Idempotent: nothing is downloaded when build/xen/xen exists.
# Needs apt-get (Debian 12 sources); the .deb is never committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/xen"
[ -s "$out/xen" ] && { echo "xen-fetch: $out/xen already there"; exit 0; }

mkdir -p "$out/deb"
cd "$out/deb"
# The package name may carry a version suffix; take the 4.17 amd64 one.
pkg=$(apt-cache search --names-only '^xen-hypervisor-4\.17-amd64$' | awk '{print $1}' | head -n1)
[ -n "$pkg" ] || pkg=$(apt-cache search --names-only '^xen-hypervisor-4\.17' | awk '{print $1}' | grep -v -- -dbg | head -n1)
[ -n "$pkg" ] || { echo "xen-fetch: no xen-hypervisor-4.17 package in apt's lists (apt-get update?)" >&2; exit 1; }
ls ./"$pkg"_*.deb >/dev/null 2>&1 || apt-get download -q "$pkg"
rm -rf "$out/root"
dpkg -x ./"$pkg"_*.deb "$out/root"
gz=$(find "$out/root/boot" -name 'xen-4.17*-amd64.gz' | head -n1)
[ -n "$gz" ] || gz=$(find "$out/root/boot" -name 'xen-*.gz' | head -n1)
[ -n "$gz" ] || { echo "xen-fetch: no /boot/xen-*.gz in $pkg" >&2; exit 1; }
zcat "$gz" > "$out/xen.tmp"
mv "$out/xen.tmp" "$out/xen"
echo "xen-fetch: $out/xen from $(basename "$gz") ($pkg $(dpkg-deb -f "$out"/deb/"$pkg"_*.deb Version))"
