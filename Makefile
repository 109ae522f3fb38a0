# SPDX-License-Identifier: GPL-2.0-only
# Satori's top-level build: the hypervisor image, boot ISO, tests and runs.
#
#   make             build build/satori (ELF) and build/satori.gz (for GRUB)
#   make run         install what is missing, build, boot the GRUB ISO in QEMU
#   make test        install what is missing, build, run every test suite
#   make bench       boot-time and other benchmarks (figures, not verdicts)
#   make defconfig | release_defconfig | menuconfig | olddefconfig
#   make allnoconfig | allyesconfig   (config coverage builds)

MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
SHELL := /bin/bash

B ?= build
CONFIG ?= .config
KCONF := kconfig-conf

# --- configuration --------------------------------------------------------
# Included (and, when missing, made from the debug defconfig, after which
# make restarts) for every goal except those that write or need no config.
no_config_goals := defconfig release_defconfig olddefconfig menuconfig allnoconfig \
	allyesconfig clean distclean deps
ifeq ($(filter $(no_config_goals),$(MAKECMDGOALS)),)
-include $(CONFIG)
endif

.PHONY: all
all: $(B)/satori.gz

$(CONFIG):
	@command -v $(KCONF) >/dev/null || { echo "kconfig-conf missing: run scripts/install-deps.sh (as root)"; exit 1; }
	KCONFIG_CONFIG=$@ $(KCONF) -s --defconfig=configs/debug_defconfig Kconfig

.PHONY: defconfig release_defconfig olddefconfig menuconfig allnoconfig allyesconfig
defconfig:
	KCONFIG_CONFIG=$(CONFIG) $(KCONF) --defconfig=configs/debug_defconfig Kconfig
release_defconfig:
	KCONFIG_CONFIG=$(CONFIG) $(KCONF) --defconfig=configs/release_defconfig Kconfig
olddefconfig allnoconfig allyesconfig:
	KCONFIG_CONFIG=$(CONFIG) $(KCONF) --$@ Kconfig
menuconfig:
	KCONFIG_CONFIG=$(CONFIG) kconfig-mconf Kconfig

# .config -> C header: CONFIG_X=y becomes #define CONFIG_X 1, numbers and
# strings are copied, unset symbols are left undefined.
$(B)/include/generated/autoconf.h: $(CONFIG) scripts/gen-autoconf.sh
	@mkdir -p $(dir $@)
	scripts/gen-autoconf.sh $< > $@.tmp && mv $@.tmp $@

# --- hypervisor image -----------------------------------------------------
CC := gcc
LD := ld
OBJCOPY := objcopy
NM := nm

obj-y :=
include arch/x86/Makefile.inc
include hypervisor/Makefile.inc

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter \
	-ffreestanding -fno-builtin-printf -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fpie -fvisibility=hidden -fno-plt -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fcf-protection=none \
	-mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 \
	-Iinclude -Iarch/x86/include -I$(B)/include \
	-include $(B)/include/generated/autoconf.h -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ $(filter-out -std=gnu11 -Wstrict-prototypes -Wmissing-prototypes,$(HV_CFLAGS))
HV_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --no-dynamic-linker --build-id=none --no-warn-rwx-segments

HV_OBJS := $(addprefix $(B)/,$(obj-y))

# V=1 shows full commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @echo
endif

$(B)/%.o: %.c $(B)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	$(quiet) "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(B)/%.o: %.S $(B)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	$(quiet) "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

$(B)/satori.lds: arch/x86/satori.lds.S $(B)/include/generated/autoconf.h
	$(Q)$(CC) -E -P -D__ASSEMBLY__ -Iinclude -Iarch/x86/include -I$(B)/include -x c $< -o $@

# The symbol table for backtraces is linked in last, after all code, so the
# second link leaves every text address where the first put it
# (scripts/check-symbols.sh verifies that).
$(B)/satori.pass1: $(HV_OBJS) $(B)/symbols-empty.o $(B)/satori.lds
	$(quiet) "  LD      $@"
	$(Q)$(LD) $(HV_LDFLAGS) -T $(B)/satori.lds -o $@ $(HV_OBJS) $(B)/symbols-empty.o

$(B)/symbols-empty.S: scripts/gen-symbols.sh
	@mkdir -p $(dir $@)
	scripts/gen-symbols.sh /dev/null > $@

$(B)/symbols.S: $(B)/satori.pass1 scripts/gen-symbols.sh
	$(Q)$(NM) -n $< | scripts/gen-symbols.sh - > $@

$(B)/symbols-empty.o $(B)/symbols.o: $(B)/%.o: $(B)/%.S
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

$(B)/satori: $(HV_OBJS) $(B)/symbols.o $(B)/satori.lds scripts/check-symbols.sh
	$(quiet) "  LD      $@"
	$(Q)$(LD) $(HV_LDFLAGS) -T $(B)/satori.lds -o $@ $(HV_OBJS) $(B)/symbols.o
	$(Q)scripts/check-symbols.sh $(B)/satori.pass1 $@

$(B)/satori.gz: $(B)/satori
	$(quiet) "  GZIP    $@"
	$(Q)gzip -9 -n -c $< > $@

-include $(HV_OBJS:.o=.d)

# The smallest PV kernel, the boot tests' stand-in dom0 (tests/boot/minipv.S).
$(B)/test-fixtures/minipv.elf: tests/boot/minipv.S tests/boot/minipv.lds
	@mkdir -p $(dir $@)
	$(quiet) "  GUEST   $@"
	$(Q)$(CC) -c -o $@.o $<
	$(Q)$(LD) -static -nostdlib -T tests/boot/minipv.lds -z max-page-size=4096 \
		--no-warn-rwx-segments -o $@ $@.o

.PHONY: fixtures
fixtures: $(B)/test-fixtures/minipv.elf

# The Linux dom0: Debian's kernel (fetched, never committed) and an
# initramfs built here (scripts/fetch-linux.sh, scripts/mkinitramfs.sh).
LINUX := $(B)/linux
.PHONY: linux
linux:
	scripts/fetch-linux.sh $(LINUX)
	$(MAKE) $(LINUX)/initramfs.cpio.gz
$(LINUX)/initramfs.cpio.gz: scripts/mkinitramfs.sh tests/linux/init tests/linux/dom0-test \
		$(LINUX)/version $(LINUX)/dom0-bench
	scripts/mkinitramfs.sh $@ $(LINUX)
# dom0's micro-benchmarks: a static program in the initramfs (make bench)
$(LINUX)/dom0-bench: tests/linux/bench.c
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<

# --- boot media, running, testing -----------------------------------------
QEMU_MEM ?= 1024
QEMU_SMP ?= 2
DOM0_MEM ?= 512M
DOM0_VCPUS ?= $(QEMU_SMP)
SATORI_CMDLINE ?= console=com1 com1=115200,8n1 loglvl=all noreboot dom0_mem=$(DOM0_MEM) dom0_max_vcpus=$(DOM0_VCPUS)
# dom0: Debian's kernel with the project's initramfs (an interactive busybox
# shell on hvc0). DOM0=any PV ELF or bzImage, DOM0_INITRD= (empty: none).
DOM0 ?= $(LINUX)/vmlinuz
DOM0_CMDLINE ?= console=hvc0
DOM0_INITRD ?= $(LINUX)/initramfs.cpio.gz

$(B)/satori.iso: $(B)/satori.gz scripts/mkiso.sh FORCE
	scripts/mkiso.sh $@ $(B)/satori.gz "$(SATORI_CMDLINE)" "$(DOM0)|$(DOM0_CMDLINE)" $(DOM0_INITRD)

.PHONY: deps run test bench unit conformance FORCE
FORCE:
deps:
	scripts/install-deps.sh

run: deps
	$(MAKE) all linux
	$(MAKE) $(B)/satori.iso
	@echo "Booting Satori (QEMU: -m $(QEMU_MEM) -smp $(QEMU_SMP)); quit with Ctrl-A X"
	qemu-system-x86_64 -machine q35 -cpu max -m $(QEMU_MEM) -smp $(QEMU_SMP) \
		-nographic -serial mon:stdio -no-reboot -cdrom $(B)/satori.iso

test: deps
	$(MAKE) all fixtures linux
	tests/run-tests.sh $(T)

conformance: deps
	$(MAKE) all
	tests/guests/conformance.sh

bench: deps
	$(MAKE) all linux
	tests/bench/run.sh

.PHONY: clean distclean
clean:
	rm -rf $(B)
distclean: clean
	rm -f $(CONFIG) $(CONFIG).old
