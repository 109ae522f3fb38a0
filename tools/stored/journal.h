/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Durability: an append-only log of committed changes, synced before any
 * reply leaves, compacted into a snapshot when it grows.
 */
#ifndef STORED_JOURNAL_H
#define STORED_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "tree.h"

/* Open dir, replay snapshot and log into the (fresh) tree and the domain
 * table. Returns 0 (loaded something), 1 (empty store), or -errno. */
int journal_open(const char *dir, uint64_t compact_bytes);
void journal_close(void);
bool journal_enabled(void);

void journal_put(const struct node *n);
void journal_del(const char *path);
void journal_intro(uint32_t domid, uint64_t mfn, uint32_t port);
void journal_release(uint32_t domid);
void journal_target(uint32_t domid, uint32_t target);
void journal_watch(uint32_t domid, const char *path, const char *token,
                   uint32_t rel_off, bool add);

/* Append the records of the request just handled as one batch. */
void journal_end_request(void);
/* Make everything appended so far durable (fdatasync); 0 or -errno. */
int journal_sync(void);
bool journal_dirty(void);
/* Rewrite a snapshot and start a new log if the log has grown enough. */
void journal_maybe_compact(void);
/* Statistics for CONTROL. */
uint64_t journal_bytes(void);

#endif
