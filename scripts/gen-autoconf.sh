#!/bin/sh
# Turns a Kconfig .config into a C header of CONFIG_ macros.
set -e
echo "/* Generated from $1 by scripts/gen-autoconf.sh: do not edit. */"
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$/#define \1 1/p' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\([0-9x-][0-9a-fA-Fx]*\)$/#define \1 \2/p' \
       -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(".*"\)$/#define \1 \2/p' "$1"
