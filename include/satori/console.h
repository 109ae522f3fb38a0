/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * printk and the console (hypervisor/console.c). Messages carry a level;
 * those above the current log level (loglvl=, CONFIG_LOG_LEVEL) are
 * dropped. Every line goes out as "(SATORI) [seconds] text".
 */
#ifndef SATORI_CONSOLE_H
#define SATORI_CONSOLE_H

#include <stdarg.h>
#include <satori/compiler.h>
#include <satori/types.h>

enum log_level {
    LOG_ALWAYS = 0,   /* panic and dump output: printed at any level */
    LOG_ERR = 1,
    LOG_WARN = 2,
    LOG_INFO = 3,
    LOG_DEBUG = 4,
};

void printk_level(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
void vprintk_level(enum log_level lvl, const char *fmt, va_list ap);
#define printk(...) printk_level(LOG_INFO, __VA_ARGS__)
#define pr_always(...) printk_level(LOG_ALWAYS, __VA_ARGS__)
#define pr_err(...) printk_level(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk_level(LOG_WARN, __VA_ARGS__)
#define pr_info(...) printk_level(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk_level(LOG_DEBUG, __VA_ARGS__)

void console_set_loglevel(int level);
/* Raw output of a string, no prefix or level (the panic path uses it). */
void console_puts(const char *s);
/* Panic path: take the console regardless of who holds its lock. */
void console_force_unlock(void);
/* console_io output of a guest (see console.c). */
void console_write_guest(domid_t domid, const char *buf, size_t len);
/* After time is calibrated, lines carry an uptime stamp. */
void console_enable_timestamps(void);

#endif
