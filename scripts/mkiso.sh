#!/usr/bin/env bash
# Builds a BIOS-bootable GRUB ISO that boots Satori through multiboot2.
#   mkiso.sh OUT.iso SATORI.gz "satori command line" [MODULE["|args"] ...]
# Each module is a file, optionally followed by '|' and its command line.
set -euo pipefail
out=$1 image=$2 cmdline=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$image" "$dir/boot/satori.gz"
{
    echo 'serial --unit=0 --speed=115200'
    echo 'terminal_input serial'
    echo 'terminal_output serial'
    echo 'set timeout=0'
    echo 'menuentry "Satori" {'
    echo "    multiboot2 /boot/satori.gz $cmdline"
    i=0
    for m in "$@"; do
        file=${m%%|*}
        args=""
        [[ "$m" == *"|"* ]] && args=${m#*|}
        cp "$file" "$dir/boot/module$i"
        echo "    module2 /boot/module$i $args"
        i=$((i + 1))
    done
    echo '}'
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
    echo "mkiso: grub-mkrescue failed (are grub-pc-bin, xorriso and mtools installed?)" >&2
    exit 1
}
