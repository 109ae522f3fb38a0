#!/usr/bin/env bash
# Builds dom0's initramfs (a gzip'd newc cpio): busybox-static, tests/linux's
# /init and dom0 test, and the Xen modules fetched by fetch-linux.sh.
#   mkinitramfs.sh OUT.cpio.gz LINUX_DIR
set -euo pipefail
out=$1 linux=$2
here=$(cd "$(dirname "$0")/.." && pwd)
bb=/bin/busybox
if ! file -L "$bb" 2>/dev/null | grep -q 'statically linked'; then
    echo "mkinitramfs: $bb is not busybox-static's (install busybox-static)" >&2
    exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,root,lib/modules}
cp "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$here/tests/linux/init" "$root/init"
install -m 755 "$here/tests/linux/dom0-test" "$root/bin/dom0-test"
# the micro-benchmarks (tests/linux/bench.c), when built (make linux does)
[ -f "$linux/dom0-bench" ] && install -m 755 "$linux/dom0-bench" "$root/bin/dom0-bench"
cp "$linux"/modules/*.ko "$root/lib/modules/"
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) \
    | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
