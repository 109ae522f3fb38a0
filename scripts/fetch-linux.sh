#!/usr/bin/env bash
# Fetches the kernel Debian's linux-image-amd64 depends on today (never
# committed) and unpacks what Satori's dom0 uses into OUT (default
# build/linux): vmlinuz, config, the Xen modules (modules/*.ko) and
# `version` (the package's kernel release). Re-runs only when the metapackage
# points at another version.
#   fetch-linux.sh [OUT]
set -euo pipefail
out=${1:-build/linux}
meta=linux-image-amd64
pkg=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
if [ -z "$pkg" ]; then
    echo "fetch-linux: apt-cache knows no $meta; run apt-get update" >&2
    exit 1
fi
release=${pkg#linux-image-}
if [ -f "$out/version" ] && [ "$(cat "$out/version")" = "$release" ] && [ -f "$out/vmlinuz" ]; then
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-linux: downloading $pkg"
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
    echo "fetch-linux: apt-get download $pkg failed" >&2
    exit 1
}
dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/x"
rm -rf "$out"
mkdir -p "$out/modules"
cp "$tmp/x/boot/vmlinuz-$release" "$out/vmlinuz"
cp "$tmp/x/boot/config-$release" "$out/config"
# The modules later issues need, flat: none of them depends on another.
for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs/xenfs; do
    cp "$tmp/x/lib/modules/$release/kernel/drivers/xen/$m.ko" "$out/modules/"
done
echo "$release" > "$out/version"
echo "fetch-linux: $out/vmlinuz is Debian's $release"
