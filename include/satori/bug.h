/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Satori's crash taxonomy, for our own invariants only:
 *   ASSERT(c)  - a debug-build check of an invariant (CONFIG_DEBUG);
 *   BUG_ON(c)  - an invariant checked in every build; failing it is a
 *                hypervisor bug and stops the machine.
 * A guest's misbehaviour never reaches these: it gets an error code, or
 * domain_crash() for that guest alone. panic() is for boot-time failures.
 */
#ifndef SATORI_BUG_H
#define SATORI_BUG_H

#include <satori/compiler.h>

void __noreturn assert_failed(const char *expr, const char *file, int line);

#define BUG_ON(c) do { if (unlikely(c)) assert_failed(#c, __FILE__, __LINE__); } while (0)
#define BUG() assert_failed("BUG", __FILE__, __LINE__)

#ifdef CONFIG_DEBUG
#define ASSERT(c) BUG_ON(!(c))
#else
#define ASSERT(c) do { (void)sizeof(!(c)); } while (0)
#endif

#endif
