/* store.h -- the SQLite case store, internal side (the public side is in
 * include/courtdocs.h: cd_store_open/close, cd_import_files, cd_note_add).
 *
 * The store holds every record of the case-record format (spec
 * docs/case-records.md) plus locally written notes and the audit of every
 * document produced. Schema version in PRAGMA user_version, foreign keys on,
 * WAL journal, busy timeout (5000 ms; CD_BUSY_TIMEOUT_MS overrides it).
 * Rendering opens the store read-only and reads each case inside one read
 * transaction (cd_store_snapshot_begin/end), so a document never mixes
 * records from before and after a concurrent import.
 */
#ifndef CD_STORE_H
#define CD_STORE_H
#include <stdio.h>
#include <sqlite3.h>
#include "courtdocs.h"
#include "model.h"

/* The longest note `courtdocs note` stores (bytes). */
#define CD_NOTE_MAX (1024 * 1024)

/* The store's connection (for modules that need plain SQL reads, such as
 * the caseload summary). Owned by the store. */
sqlite3 *cd_store_db(cd_store *s);

/* Loads the whole case ref into a fresh cd_case (model.h): person, order,
 * staff, appointments, tests with results, warnings, decisions, breaches,
 * reviews, notes (imported and local, local ones with local = true) and the
 * assessment. Arrays are sorted by date, then time, then id. The caller
 * frees it with cd_case_free. CD_ENOTFOUND when there is no such case. */
int cd_store_load_case(cd_store *s, const char *ref, cd_case **out, cd_error *err);

/* Planning without loading every case: calls fn for each case whose order
 * may be running at some time in [first, last] (made on or before last and
 * not ended on or before first), in ref order, with the case loaded only as
 * far as the review schedule needs (ref, order, reviews' dates and next
 * hearings); the case is freed after fn returns. One SQL query selects the
 * cases, one indexed query per case reads its reviews. fn's error stops the
 * walk and is returned. */
typedef int (*cd_store_case_fn)(void *ctx, const cd_case *c, cd_error *err);
int cd_store_each_running_case(cd_store *s, cd_date first, cd_date last, cd_store_case_fn fn,
                               void *ctx, cd_error *err);

/* All case refs, sorted (heap array of heap strings; free with
 * cd_store_free_refs). */
int  cd_store_case_refs(cd_store *s, char ***refs, size_t *n, cd_error *err);
void cd_store_free_refs(char **refs, size_t n);

/* One read transaction: everything read between begin and end sees the
 * same snapshot of the store. end is safe to call without a begin. */
int  cd_store_snapshot_begin(cd_store *s, cd_error *err);
void cd_store_snapshot_end(cd_store *s);

/* A document produced, for the audit (when and which OS user are added on
 * recording): case_ref may be NULL (caseload summary); path is made
 * absolute (its folder's real path) when recorded. */
typedef struct cd_audit_row { const char *case_ref, *kind, *sha256, *path; } cd_audit_row;
/* Records n documents in ONE transaction (all rows or none), committed to
 * disk before it returns: one document, or a publish group's rows
 * (render.c, publish_held). Works on a store opened read-only too (through
 * a second, write connection, kept). */
int cd_store_audit_add_rows(cd_store *s, const cd_audit_row *rows, size_t n, cd_error *err);
/* Writes the audit, oldest first, as aligned text (csv = 0) or CSV. */
int cd_store_audit_list(cd_store *s, FILE *out, int csv, cd_error *err);
/* Checks every path in the audit against its latest row: the file must be
 * there, a regular file, with the recorded sha256. Prints one line per
 * problem ("missing: PATH ...", "differs: PATH ...") and a total line to
 * out; *problems gets their number. */
int cd_store_audit_verify(cd_store *s, FILE *out, long *problems, cd_error *err);

/* The path the store was opened from. */
const char *cd_store_path(const cd_store *s);

#endif
