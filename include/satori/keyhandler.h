/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The serial console's input (hypervisor/keyhandler.c): bytes go to dom0
 * (console_io read, VIRQ_CONSOLE), and three Ctrl-A in a row switch to
 * Satori's own debug console and back.
 */
#ifndef SATORI_KEYHANDLER_H
#define SATORI_KEYHANDLER_H

#include <satori/types.h>

/* Starts polling the UART (on the calling CPU, from a timer). */
void console_input_init(void);
/* Takes up to max bytes of dom0's pending input; returns how many. */
size_t console_input_read(char *buf, size_t max);

#endif
