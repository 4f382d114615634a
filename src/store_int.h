/* store_int.h -- what store.c shares with import.c and notes: the store
 * struct and the statement cache. Not for other modules (they use store.h). */
#ifndef CD_STORE_INT_H
#define CD_STORE_INT_H
#include "store.h"

/* Prepared statements kept for the store's lifetime, by slot. */
enum {
    ST_CASE_ID, ST_PERSON, ST_ORDER, ST_OFFENCES, ST_REQUIREMENTS, ST_STAFF,
    ST_APPOINTMENTS, ST_TESTS, ST_RESULTS, ST_WARNINGS, ST_DECISIONS, ST_BREACHES,
    ST_REVIEWS, ST_NOTES, ST_ASSESSMENT, ST_DRUG_USES, ST_EPISODES, ST_PREVIOUS,
    ST_COUNT
};

struct cd_store {
    sqlite3 *db;
    char *path;
    int mode;                        /* CD_STORE_READONLY or CD_STORE_WRITE (CREATE becomes WRITE) */
    int in_snapshot;
    int wrote_audit;                 /* a read-only store recorded a document */
    sqlite3 *audit_db;               /* a read-only store's writable connection for
                                        audit rows, opened on the first one */
    int version;                     /* schema version (PRAGMA user_version) */
    sqlite3_stmt *st[ST_COUNT];
};

/* Sets err from the connection's last error: CD_EDB, naming the store and,
 * when the database is busy, saying another program holds it. what says
 * what was being done ("importing", "reading case"). */
int cd_store_db_error(cd_store *s, int rc, const char *what, cd_error *err);

/* Prepares sql once into slot (or returns the cached statement, reset). */
sqlite3_stmt *cd_store_stmt(cd_store *s, int slot, const char *sql, cd_error *err);

/* Runs SQL with no results; CD_OK or CD_EDB. */
int cd_store_exec(cd_store *s, const char *sql, cd_error *err);

#endif
