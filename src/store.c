/* store.c -- the SQLite case store: opening (and, for writers, creating and
 * migrating) the database, loading a whole case into the model, the list of
 * case refs, read snapshots, locally written notes and the audit of every
 * document produced.
 *
 * The schema holds every record of the case-record format in its own table,
 * keyed by case and record id (rid), with a signature (sig) of the record's
 * content so that a re-import can tell added, changed and unchanged records
 * apart (import.c). Enumerations are stored as the format's words. Schema
 * changes are migration steps run in order by PRAGMA user_version; a
 * database from a newer courtdocs is refused, never downgraded.
 * SQLite facts relied on: WAL readers see one snapshot for the life of a
 * read transaction (https://www.sqlite.org/wal.html, "Concurrency");
 * foreign keys are off unless PRAGMA foreign_keys=ON per connection
 * (https://www.sqlite.org/foreignkeys.html).
 */
#define _GNU_SOURCE
#include "store_int.h"
#include "arena.h"
#include "strbuf.h"
#include "sha256.h"
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STORE_APP "courtdocs case store"
#define AUDIT_WAIT_MS (10 * 60 * 1000)

/* ---- schema and migrations ------------------------------------------- */

/* Version 1: everything in the case-record format, local notes, audit. */
static const char SCHEMA_V1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE cases(id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,"
    "  area TEXT, team TEXT, imported TEXT);"
    "CREATE TABLE people(case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, given_name TEXT, family_name TEXT,"
    "  date_of_birth TEXT, sex TEXT, ethnicity TEXT, accommodation TEXT, accommodation_text TEXT);"
    "CREATE TABLE orders(case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, type TEXT NOT NULL, intensity TEXT NOT NULL,"
    "  made TEXT NOT NULL, months INTEGER NOT NULL CHECK(months BETWEEN 6 AND 36), court TEXT,"
    "  sentencer TEXT, review_hearings TEXT, rules TEXT, ended TEXT, end_reason TEXT);"
    "CREATE TABLE offences(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES orders(case_id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, text TEXT NOT NULL);"
    "CREATE INDEX offences_case ON offences(case_id);"
    "CREATE TABLE requirements(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES orders(case_id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, text TEXT NOT NULL);"
    "CREATE INDEX requirements_case ON requirements(case_id);"
    "CREATE TABLE staff(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,"
    "  phone TEXT, organisation TEXT, email TEXT, UNIQUE(case_id, rid));"
    "CREATE TABLE appointments(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, date TEXT NOT NULL, time TEXT,"
    "  minutes INTEGER NOT NULL CHECK(minutes BETWEEN 1 AND 720), kind TEXT NOT NULL,"
    "  with_whom TEXT, outcome TEXT NOT NULL, reason TEXT, UNIQUE(case_id, rid));"
    "CREATE TABLE tests(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, date TEXT NOT NULL, method TEXT NOT NULL,"
    "  status TEXT NOT NULL, UNIQUE(case_id, rid));"
    "CREATE TABLE results(id INTEGER PRIMARY KEY,"
    "  test_id INTEGER NOT NULL REFERENCES tests(id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, substance TEXT NOT NULL, name TEXT, outcome TEXT NOT NULL,"
    "  confirmation TEXT NOT NULL, prescribed INTEGER NOT NULL);"
    "CREATE INDEX results_test ON results(test_id);"
    "CREATE TABLE warnings(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, date TEXT NOT NULL, failures TEXT NOT NULL,"
    "  text TEXT, UNIQUE(case_id, rid));"
    "CREATE TABLE decisions(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, date TEXT NOT NULL, tests TEXT NOT NULL,"
    "  text TEXT, UNIQUE(case_id, rid));"
    "CREATE TABLE breaches(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, initiated TEXT NOT NULL, heard TEXT,"
    "  failures TEXT NOT NULL, outcome TEXT NOT NULL, UNIQUE(case_id, rid));"
    "CREATE TABLE reviews(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, has_id INTEGER NOT NULL, date TEXT NOT NULL,"
    "  kind TEXT NOT NULL, court TEXT, sentencer TEXT, outcome TEXT NOT NULL, next TEXT,"
    "  comments TEXT, directions TEXT, UNIQUE(case_id, rid));"
    /* local = 1: written with `courtdocs note`; an import never touches it. */
    "CREATE TABLE notes(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, local INTEGER NOT NULL, has_id INTEGER NOT NULL,"
    "  date TEXT NOT NULL, author TEXT, kind TEXT NOT NULL, text TEXT NOT NULL, written TEXT,"
    "  UNIQUE(case_id, local, rid));"
    "CREATE TABLE assessments(case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
    "  rid TEXT NOT NULL, sig INTEGER NOT NULL, date TEXT NOT NULL, author TEXT,"
    "  has_alcohol INTEGER NOT NULL, alcohol_units INTEGER, audit_score INTEGER,"
    "  has_oasys INTEGER NOT NULL, oasys_drugs INTEGER, oasys_alcohol INTEGER,"
    "  offending_link TEXT, dependency TEXT, stage TEXT, motivation TEXT,"
    "  health_mental TEXT, health_physical TEXT, consent_given INTEGER, consent_date TEXT,"
    "  has_proposal INTEGER NOT NULL, proposal_type TEXT, proposal_intensity TEXT,"
    "  proposal_months INTEGER, proposal_reviews TEXT, proposal_provider TEXT, proposal_text TEXT);"
    "CREATE TABLE drug_uses(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES assessments(case_id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, substance TEXT NOT NULL, is_primary INTEGER NOT NULL, route TEXT,"
    "  frequency TEXT, first_age INTEGER, spend_per_week INTEGER);"
    "CREATE INDEX drug_uses_case ON drug_uses(case_id);"
    "CREATE TABLE episodes(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES assessments(case_id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, date_from TEXT, date_to TEXT, provider TEXT, kind TEXT, outcome TEXT);"
    "CREATE INDEX episodes_case ON episodes(case_id);"
    "CREATE TABLE previous_orders(id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES assessments(case_id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, type TEXT NOT NULL, made TEXT, outcome TEXT);"
    "CREATE INDEX previous_orders_case ON previous_orders(case_id);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, os_user TEXT NOT NULL,"
    "  case_ref TEXT, kind TEXT NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL);"
    "INSERT INTO meta(key, value) VALUES('application', '" STORE_APP "');";

/* Version 2: each case keeps the export date of its records (the day part
 * of <case-records exported>, "YYYY-MM-DD"; NULL for cases imported before
 * version 2 until they are imported again): documents use records up to it. */
static const char SCHEMA_V2[] =
    "ALTER TABLE cases ADD COLUMN exported TEXT;";

/* Migration steps: MIGRATIONS[i] takes the store from version i to i + 1. */
static const char *const MIGRATIONS[] = { SCHEMA_V1, SCHEMA_V2 };
#define STORE_VERSION ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

/* ---- errors and statements -------------------------------------------- */

int cd_store_db_error(cd_store *s, int rc, const char *what, cd_error *err)
{
    int primary = rc & 0xff;
    const char *path = s && s->path ? s->path : "the case store";
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return cd_error_set(err, CD_EDB, "%s: the case store is locked by another program "
                            "(an import or note still running?) while %s; try again when it has finished",
                            path, what);
    if (primary == SQLITE_NOTADB)
        return cd_error_set(err, CD_EDB, "%s: not a courtdocs case store (not an SQLite database)", path);
    if (primary == SQLITE_CORRUPT)
        return cd_error_set(err, CD_EDB, "%s: the case store is damaged (%s) while %s; "
                            "restore it from a backup or import the records again into a new store",
                            path, s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), what);
    if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
        return cd_error_set(err, CD_EDB, "%s: cannot write to the case store while %s (%s); "
                            "check the file and its folder are writable", path, what,
                            sqlite3_errstr(rc));
    if (primary == SQLITE_FULL)
        return cd_error_set(err, CD_EDB, "%s: the disk is full while %s", path, what);
    return cd_error_set(err, CD_EDB, "%s: database error while %s: %s", path, what,
                        s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

sqlite3_stmt *cd_store_stmt(cd_store *s, int slot, const char *sql, cd_error *err)
{
    if (s->st[slot]) {
        sqlite3_reset(s->st[slot]);
        sqlite3_clear_bindings(s->st[slot]);
        return s->st[slot];
    }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st[slot], NULL);
    if (rc != SQLITE_OK) {
        cd_store_db_error(s, rc, "preparing a query", err);
        return NULL;
    }
    return s->st[slot];
}

int cd_store_exec(cd_store *s, const char *sql, cd_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? CD_OK : cd_store_db_error(s, rc, "updating the store", err);
}

sqlite3 *cd_store_db(cd_store *s) { return s->db; }
const char *cd_store_path(const cd_store *s) { return s->path; }

/* ---- opening ------------------------------------------------------------ */

/* Returns the integer from a one-value query, or -1 on error (rc set). */
static long long query_int(sqlite3 *db, const char *sql, int *rc)
{
    sqlite3_stmt *st;
    long long v = -1;
    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (*rc != SQLITE_OK)
        return -1;
    *rc = sqlite3_step(st);
    if (*rc == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
        *rc = SQLITE_OK;
    } else if (*rc == SQLITE_DONE) {
        *rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return v;
}

/* Brings a writable store up to STORE_VERSION, one step per transaction. */
static int migrate(cd_store *s, int version, cd_error *err)
{
    for (int v = version; v < STORE_VERSION; v++) {
        int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return cd_store_db_error(s, rc, "creating the store's tables", err);
        rc = sqlite3_exec(s->db, MIGRATIONS[v], NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
            rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        }
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            cd_store_db_error(s, rc, "creating the store's tables", err);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return err ? err->code : CD_EDB;
        }
    }
    return CD_OK;
}

/* Busy timeout in ms: 5000, or CD_BUSY_TIMEOUT_MS (for tests). */
static int busy_timeout_ms(void)
{
    const char *e = getenv("CD_BUSY_TIMEOUT_MS");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 600000)
            return (int)v;
    }
    return 5000;
}

int cd_store_open(const char *path, int mode, cd_store **out, cd_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return cd_error_set(err, CD_EUSAGE, "no case store given (use --db FILE)");
    struct stat st;
    if (stat(path, &st) != 0) {
        /* only an explicit CD_STORE_CREATE makes a new store: a mistyped
         * --db must not become an empty store that a note is written to */
        if (mode != CD_STORE_CREATE || errno != ENOENT)
            return cd_error_set(err, CD_EDB, "%s: no case store there (%s); create one with "
                                "`courtdocs import --create --db %s RECORDS.xml`", path, strerror(errno), path);
    } else if (!S_ISREG(st.st_mode)) {
        return cd_error_set(err, CD_EDB, "%s: not a courtdocs case store (not a regular file)", path);
    }

    cd_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    }
    int flags = mode == CD_STORE_CREATE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
              : mode == CD_STORE_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (mode == CD_STORE_CREATE)
        mode = CD_STORE_WRITE;             /* from here on: a store open for writing */
    s->mode = mode;
    /* New files are created 0600: they hold health and offending data. */
    mode_t old = umask(077);
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    umask(old);
    if (rc != SQLITE_OK)
        goto fail_rc;
    sqlite3_busy_timeout(s->db, busy_timeout_ms());
    sqlite3_extended_result_codes(s->db, 0);
    /* Defensive settings for a file we may not have written ourselves. */
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
    rc = sqlite3_exec(s->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto fail_rc;

    long long version = query_int(s->db, "PRAGMA user_version", &rc);
    if (rc != SQLITE_OK)
        goto fail_rc;
    long long tables = query_int(s->db, "SELECT count(*) FROM sqlite_master", &rc);
    if (rc != SQLITE_OK)
        goto fail_rc;
    if (version > STORE_VERSION) {
        cd_error_set(err, CD_EDB, "%s: this case store was made by a newer courtdocs "
                     "(schema version %lld; this one knows up to %d); use that version",
                     path, version, STORE_VERSION);
        goto fail;
    }
    if (version == 0 && tables > 0) {
        cd_error_set(err, CD_EDB, "%s: not a courtdocs case store (an SQLite database "
                     "holding other tables)", path);
        goto fail;
    }
    if (version > 0) {
        sqlite3_stmt *q;
        const unsigned char *app = NULL;
        int ok = 0;
        if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='application'", -1,
                               &q, NULL) == SQLITE_OK) {
            if (sqlite3_step(q) == SQLITE_ROW && (app = sqlite3_column_text(q, 0)))
                ok = strcmp((const char *)app, STORE_APP) == 0;
            sqlite3_finalize(q);
        }
        if (!ok) {
            cd_error_set(err, CD_EDB, "%s: not a courtdocs case store (no courtdocs "
                         "marker in its meta table)", path);
            goto fail;
        }
    }
    if (mode == CD_STORE_READONLY) {
        if (version == 0) {
            cd_error_set(err, CD_EDB, "%s: the case store is empty; import case records "
                         "first with `courtdocs import`", path);
            goto fail;
        }
    } else {
        long long wal;
        (void)wal;
        rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            goto fail_rc;
        if (migrate(s, (int)version, err) != CD_OK)
            goto fail;
        version = STORE_VERSION;
    }
    s->version = (int)version;
    *out = s;
    return CD_OK;

fail_rc:
    cd_store_db_error(s, rc, "opening it", err);
fail:
    cd_store_close(s);
    return err ? err->code : CD_EDB;
}

/* Copies what the WAL holds into the database file and empties the WAL,
 * as far as other connections allow without waiting for them (no busy
 * handler: a reader on an older snapshot only delays it to the next
 * close), so that the store file alone -- a copy, a backup -- holds every
 * committed row, audit rows included. */
static void checkpoint(sqlite3 *db)
{
    sqlite3_busy_timeout(db, 0);
    /* Through SQL, not sqlite3_wal_checkpoint_v2: a fresh connection knows
     * the file is in WAL mode only once it has read it. */
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

void cd_store_close(cd_store *s)
{
    if (!s)
        return;
    cd_store_snapshot_end(s);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    if (s->mode == CD_STORE_WRITE && s->db)
        checkpoint(s->db);
    sqlite3_close(s->db);
    if (s->audit_db) {
        /* The audit rows went through the second connection; a read-only
         * connection cannot checkpoint, so that writable one does. */
        if (s->wrote_audit)
            checkpoint(s->audit_db);
        sqlite3_close(s->audit_db);
    }
    free(s->path);
    free(s);
}

/* ---- snapshots ------------------------------------------------------------ */

int cd_store_snapshot_begin(cd_store *s, cd_error *err)
{
    if (s->in_snapshot)
        return CD_OK;
    int rc = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return cd_store_db_error(s, rc, "starting to read", err);
    /* BEGIN is deferred: take the read snapshot now, not at the first query. */
    int qrc;
    query_int(s->db, "SELECT count(*) FROM meta", &qrc);
    if (qrc != SQLITE_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return cd_store_db_error(s, qrc, "starting to read", err);
    }
    s->in_snapshot = 1;
    return CD_OK;
}

void cd_store_snapshot_end(cd_store *s)
{
    if (s && s->in_snapshot) {
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        s->in_snapshot = 0;
    }
}

/* ---- case refs ------------------------------------------------------------- */

int cd_store_case_refs(cd_store *s, char ***refs, size_t *n, cd_error *err)
{
    *refs = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "SELECT ref FROM cases ORDER BY ref", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return cd_store_db_error(s, rc, "listing cases", err);
    size_t cap = 0;
    char **v = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nv = realloc(v, cap * sizeof *v);
            if (!nv)
                goto oom;
            v = nv;
        }
        if (!(v[*n] = strdup((const char *)sqlite3_column_text(st, 0))))
            goto oom;
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cd_store_free_refs(v, *n);
        *n = 0;
        return cd_store_db_error(s, rc, "listing cases", err);
    }
    *refs = v;
    return CD_OK;
oom:
    sqlite3_finalize(st);
    cd_store_free_refs(v, *n);
    *n = 0;
    return cd_error_set(err, CD_EGENERAL, "out of memory listing cases");
}

void cd_store_free_refs(char **refs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(refs[i]);
    free(refs);
}

/* ---- loading a case ---------------------------------------------------------- */

/* Column readers into the case arena. */
static const char *col_str(cd_arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? cd_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

static cd_date col_date(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    cd_date d;
    return t && cd_date_parse((const char *)t, &d) ? d : CD_DATE_NONE;
}

static int col_enum(sqlite3_stmt *st, int i, cd_enum e, int dflt)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    int v = t ? cd_enum_parse(e, (const char *)t) : -1;
    return v < 0 ? dflt : v;
}

static int col_int(sqlite3_stmt *st, int i, int dflt)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt : sqlite3_column_int(st, i);
}

/* Splits a space-separated id list into arena strings. */
static cd_id_list split_ids(cd_arena *a, const char *s)
{
    cd_id_list l = { NULL, 0 };
    size_t cap = 0;
    while (s && *s) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        const char *b = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            s++;
        if (s > b)
            *CD_PUSH(a, l.ids, l.n, cap) = cd_arena_strndup(a, b, (size_t)(s - b));
    }
    return l;
}

/* The statement in slot (prepared once), reset, with the case id bound as
 * ?1; NULL with err set when it cannot be prepared. */
static sqlite3_stmt *case_query(cd_store *s, int slot, const char *sql, sqlite3_int64 id, cd_error *err)
{
    sqlite3_stmt *st = cd_store_stmt(s, slot, sql, err);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return st;
}

/* Steps through the rows of a statement. */
#define FOR_ROWS(st, rc) while (((rc) = sqlite3_step(st)) == SQLITE_ROW)

int cd_store_load_case(cd_store *s, const char *ref, cd_case **out, cd_error *err)
{
    *out = NULL;
    int rc;
    /* a version 1 store opened read-only has no export dates */
    sqlite3_stmt *st = cd_store_stmt(s, ST_CASE_ID, s->version >= 2
                                     ? "SELECT id, area, team, exported FROM cases WHERE ref=?1"
                                     : "SELECT id, area, team, NULL FROM cases WHERE ref=?1", err);
    if (!st)
        return err ? err->code : CD_EDB;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return cd_error_set(err, CD_ENOTFOUND, "no case with ref \"%s\" in %s", ref, s->path);
    if (rc != SQLITE_ROW)
        return cd_store_db_error(s, rc, "reading a case", err);

    cd_arena *a = cd_arena_new();
    if (!a)
        return cd_error_set(err, CD_EGENERAL, "out of memory");
    cd_case *c = cd_arena_alloc(a, sizeof *c);
    c->arena = a;
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    c->ref = cd_arena_strdup(a, ref);
    c->area = col_str(a, st, 1);
    c->team = col_str(a, st, 2);
    const char *exported = (const char *)sqlite3_column_text(st, 3);
    c->exported = CD_DATE_NONE;
    c->has_exported = exported && cd_date_parse(exported, &c->exported);
    sqlite3_reset(st);
    size_t cap;

    /* person */
    st = case_query(s, ST_PERSON, "SELECT rid, given_name, family_name, date_of_birth, sex,"
                       " ethnicity, accommodation, accommodation_text FROM people WHERE case_id=?1", id, err);
    if (!st)
        goto fail;
    c->person.date_of_birth = CD_DATE_NONE;
    FOR_ROWS(st, rc) {
        cd_person *p = &c->person;
        p->id = col_str(a, st, 0);
        p->given_name = col_str(a, st, 1);
        p->family_name = col_str(a, st, 2);
        p->date_of_birth = col_date(st, 3);
        p->sex = col_enum(st, 4, CD_ENUM_SEX, CD_SEX_UNKNOWN);
        p->ethnicity = col_str(a, st, 5);
        p->accommodation = col_enum(st, 6, CD_ENUM_ACCOMMODATION, CD_ACCOM_NOT_RECORDED);
        p->accommodation_text = col_str(a, st, 7);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;

    /* order */
    st = case_query(s, ST_ORDER, "SELECT rid, type, intensity, made, months, court, sentencer,"
                       " review_hearings, rules, ended, end_reason FROM orders WHERE case_id=?1", id, err);
    if (!st)
        goto fail;
    c->order.ended = CD_DATE_NONE;
    c->order.made = CD_DATE_NONE;
    FOR_ROWS(st, rc) {
        cd_order *o = &c->order;
        o->present = true;
        o->id = col_str(a, st, 0);
        o->type = col_enum(st, 1, CD_ENUM_ORDER_TYPE, CD_ORDER_DRR);
        o->intensity = col_enum(st, 2, CD_ENUM_INTENSITY, CD_INTENSITY_LOW);
        o->made = col_date(st, 3);
        o->months = sqlite3_column_int(st, 4);
        o->court = col_str(a, st, 5);
        o->sentencer = col_str(a, st, 6);
        o->review_hearings = col_enum(st, 7, CD_ENUM_REVIEW_HEARINGS, CD_HEARINGS_MONTHLY);
        o->rules = col_str(a, st, 8);
        o->ended = col_date(st, 9);
        o->end_reason = col_enum(st, 10, CD_ENUM_END_REASON, CD_END_NONE);
        if (o->ended == CD_DATE_NONE)
            o->end_reason = CD_END_NONE;
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;
    if (c->order.present) {
        st = case_query(s, ST_OFFENCES, "SELECT text FROM offences WHERE case_id=?1 ORDER BY ord", id, err);
        if (!st)
            goto fail;
        cap = 0;
        FOR_ROWS(st, rc) *CD_PUSH(a, c->order.offences, c->order.noffences, cap) = col_str(a, st, 0);
        if (rc != SQLITE_DONE)
            goto fail_rc;
        st = case_query(s, ST_REQUIREMENTS, "SELECT text FROM requirements WHERE case_id=?1 ORDER BY ord", id, err);
        if (!st)
            goto fail;
        cap = 0;
        FOR_ROWS(st, rc) *CD_PUSH(a, c->order.requirements, c->order.nrequirements, cap) = col_str(a, st, 0);
        if (rc != SQLITE_DONE)
            goto fail_rc;
    }

    /* staff, in the order the export listed them */
    st = case_query(s, ST_STAFF, "SELECT role, name, phone, organisation FROM staff"
                       " WHERE case_id=?1 ORDER BY id", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_staff *m = CD_PUSH(a, c->staff, c->nstaff, cap);
        m->role = col_str(a, st, 0);
        m->name = col_str(a, st, 1);
        m->phone = col_str(a, st, 2);
        m->organisation = col_str(a, st, 3);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;

    /* appointments: by date, then time (none first), then id */
    st = case_query(s, ST_APPOINTMENTS, "SELECT rid, date, time, minutes, kind, with_whom,"
                       " outcome, reason FROM appointments WHERE case_id=?1"
                       " ORDER BY date, time IS NOT NULL, time, rid", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_appointment *ap = CD_PUSH(a, c->appointments, c->nappointments, cap);
        ap->id = col_str(a, st, 0);
        ap->date = col_date(st, 1);
        const unsigned char *t = sqlite3_column_text(st, 2);
        if (!t || !cd_time_parse((const char *)t, &ap->time))
            ap->time = CD_TIME_NONE;
        ap->minutes = sqlite3_column_int(st, 3);
        ap->kind = col_enum(st, 4, CD_ENUM_APPT_KIND, CD_APPT_OTHER);
        ap->with = col_str(a, st, 5);
        ap->outcome = col_enum(st, 6, CD_ENUM_APPT_OUTCOME, CD_OUT_PENDING);
        ap->reason = col_str(a, st, 7);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;

    /* tests, then their results (joined back by row id, in the same order) */
    st = case_query(s, ST_TESTS, "SELECT rid, date, method, status, id FROM tests"
                       " WHERE case_id=?1 ORDER BY date, rid", id, err);
    if (!st)
        goto fail;
    cap = 0;
    sqlite3_int64 *test_rows = NULL;
    size_t nrows = 0, rcap = 0;
    FOR_ROWS(st, rc) {
        cd_drug_test *t = CD_PUSH(a, c->tests, c->ntests, cap);
        t->id = col_str(a, st, 0);
        t->date = col_date(st, 1);
        t->method = col_enum(st, 2, CD_ENUM_TEST_METHOD, CD_METHOD_URINE);
        t->status = col_enum(st, 3, CD_ENUM_TEST_STATUS, CD_TEST_TESTED);
        *CD_PUSH(a, test_rows, nrows, rcap) = sqlite3_column_int64(st, 4);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;
    if (c->ntests) {
        st = case_query(s, ST_RESULTS, "SELECT r.test_id, r.substance, r.name, r.outcome,"
                           " r.confirmation, r.prescribed FROM results r JOIN tests t ON t.id = r.test_id"
                           " WHERE t.case_id=?1 ORDER BY t.date, t.rid, r.ord", id, err);
        if (!st)
            goto fail;
        size_t ti = 0, rcap2 = 0;
        FOR_ROWS(st, rc) {
            sqlite3_int64 tid = sqlite3_column_int64(st, 0);
            while (ti < c->ntests && test_rows[ti] != tid) {
                ti++;
                rcap2 = 0;
            }
            if (ti == c->ntests)
                break;                       /* cannot happen: same ordering */
            cd_drug_test *t = &c->tests[ti];
            cd_test_result *r = CD_PUSH(a, t->results, t->nresults, rcap2);
            r->substance = col_enum(st, 1, CD_ENUM_SUBSTANCE, CD_SUB_OTHER);
            r->name = col_str(a, st, 2);
            r->outcome = col_enum(st, 3, CD_ENUM_RESULT_OUTCOME, CD_RESULT_NEGATIVE);
            r->confirmation = col_enum(st, 4, CD_ENUM_CONFIRMATION, CD_CONFIRM_NONE);
            r->prescribed = sqlite3_column_int(st, 5) != 0;
        }
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            goto fail_rc;
    }

    /* enforcement */
    st = case_query(s, ST_WARNINGS, "SELECT rid, date, failures, text FROM warnings"
                       " WHERE case_id=?1 ORDER BY date, rid", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_warning *w = CD_PUSH(a, c->warnings, c->nwarnings, cap);
        w->id = col_str(a, st, 0);
        w->date = col_date(st, 1);
        w->failures = split_ids(a, (const char *)sqlite3_column_text(st, 2));
        w->text = col_str(a, st, 3);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;
    st = case_query(s, ST_DECISIONS, "SELECT rid, date, tests, text FROM decisions"
                       " WHERE case_id=?1 ORDER BY date, rid", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_failure_decision *d = CD_PUSH(a, c->decisions, c->ndecisions, cap);
        d->id = col_str(a, st, 0);
        d->date = col_date(st, 1);
        d->tests = split_ids(a, (const char *)sqlite3_column_text(st, 2));
        d->text = col_str(a, st, 3);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;
    st = case_query(s, ST_BREACHES, "SELECT rid, initiated, heard, failures, outcome FROM breaches"
                       " WHERE case_id=?1 ORDER BY initiated, rid", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_breach *b = CD_PUSH(a, c->breaches, c->nbreaches, cap);
        b->id = col_str(a, st, 0);
        b->initiated = col_date(st, 1);
        b->heard = col_date(st, 2);
        b->failures = split_ids(a, (const char *)sqlite3_column_text(st, 3));
        b->outcome = col_enum(st, 4, CD_ENUM_BREACH_OUTCOME, CD_BREACH_PENDING);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;

    /* reviews */
    st = case_query(s, ST_REVIEWS, "SELECT rid, has_id, date, kind, court, sentencer, outcome,"
                       " next, comments, directions FROM reviews WHERE case_id=?1 ORDER BY date, rid", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_review *r = CD_PUSH(a, c->reviews, c->nreviews, cap);
        r->id = sqlite3_column_int(st, 1) ? col_str(a, st, 0) : NULL;
        r->date = col_date(st, 2);
        r->kind = col_enum(st, 3, CD_ENUM_REVIEW_KIND, CD_REVIEW_HEARING);
        r->court = col_str(a, st, 4);
        r->sentencer = col_str(a, st, 5);
        r->outcome = col_enum(st, 6, CD_ENUM_REVIEW_OUTCOME, CD_REVIEW_CONTINUE);
        r->next = col_date(st, 7);
        r->comments = col_str(a, st, 8);
        r->directions = col_str(a, st, 9);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;

    /* notes: imported and local together, by date, imported before local */
    st = case_query(s, ST_NOTES, "SELECT rid, has_id, date, author, kind, text, local FROM notes"
                       " WHERE case_id=?1 ORDER BY date, local, id", id, err);
    if (!st)
        goto fail;
    cap = 0;
    FOR_ROWS(st, rc) {
        cd_note *n = CD_PUSH(a, c->notes, c->nnotes, cap);
        n->id = sqlite3_column_int(st, 1) ? col_str(a, st, 0) : NULL;
        n->date = col_date(st, 2);
        n->author = col_str(a, st, 3);
        n->kind = col_enum(st, 4, CD_ENUM_NOTE_KIND, CD_NOTE_PROGRESS);
        n->text = col_str(a, st, 5);
        n->local = sqlite3_column_int(st, 6) != 0;
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;

    /* the assessment */
    st = case_query(s, ST_ASSESSMENT, "SELECT date, author, has_alcohol, alcohol_units, audit_score,"
                       " has_oasys, oasys_drugs, oasys_alcohol, offending_link, dependency, stage,"
                       " motivation, health_mental, health_physical, consent_given, consent_date,"
                       " has_proposal, proposal_type, proposal_intensity, proposal_months,"
                       " proposal_reviews, proposal_provider, proposal_text"
                       " FROM assessments WHERE case_id=?1", id, err);
    if (!st)
        goto fail;
    cd_assessment *as = &c->assessment;
    as->date = as->consent_date = CD_DATE_NONE;
    as->alcohol_units_per_week = as->audit_score = as->oasys_drugs = as->oasys_alcohol = -1;
    as->motivation_stage = as->proposal_intensity = as->proposal_months = as->proposal_reviews = -1;
    as->consent_given = -1;
    FOR_ROWS(st, rc) {
        as->present = true;
        as->date = col_date(st, 0);
        as->author = col_str(a, st, 1);
        as->has_alcohol = sqlite3_column_int(st, 2) != 0;
        as->alcohol_units_per_week = col_int(st, 3, -1);
        as->audit_score = col_int(st, 4, -1);
        as->has_oasys = sqlite3_column_int(st, 5) != 0;
        as->oasys_drugs = col_int(st, 6, -1);
        as->oasys_alcohol = col_int(st, 7, -1);
        as->offending_link = col_str(a, st, 8);
        as->dependency = col_str(a, st, 9);
        as->motivation_stage = col_enum(st, 10, CD_ENUM_STAGE, -1);
        as->motivation = col_str(a, st, 11);
        as->health_mental = col_str(a, st, 12);
        as->health_physical = col_str(a, st, 13);
        as->consent_given = col_int(st, 14, -1);
        as->consent_date = col_date(st, 15);
        as->has_proposal = sqlite3_column_int(st, 16) != 0;
        as->proposal_type = col_enum(st, 17, CD_ENUM_ORDER_TYPE, CD_ORDER_DRR);
        as->proposal_intensity = col_enum(st, 18, CD_ENUM_INTENSITY, -1);
        as->proposal_months = col_int(st, 19, -1);
        as->proposal_reviews = col_enum(st, 20, CD_ENUM_REVIEW_HEARINGS, -1);
        as->proposal_provider = col_str(a, st, 21);
        as->proposal_text = col_str(a, st, 22);
    }
    if (rc != SQLITE_DONE)
        goto fail_rc;
    if (as->present) {
        st = case_query(s, ST_DRUG_USES, "SELECT substance, is_primary, route, frequency, first_age,"
                           " spend_per_week FROM drug_uses WHERE case_id=?1 ORDER BY ord", id, err);
        if (!st)
            goto fail;
        cap = 0;
        FOR_ROWS(st, rc) {
            cd_drug_use *u = CD_PUSH(a, as->drug_uses, as->ndrug_uses, cap);
            u->substance = col_str(a, st, 0);
            u->primary = sqlite3_column_int(st, 1) != 0;
            u->route = col_enum(st, 2, CD_ENUM_ROUTE, -1);
            u->frequency = col_enum(st, 3, CD_ENUM_FREQUENCY, -1);
            u->first_age = col_int(st, 4, -1);
            u->spend_per_week = col_int(st, 5, -1);
        }
        if (rc != SQLITE_DONE)
            goto fail_rc;
        st = case_query(s, ST_EPISODES, "SELECT date_from, date_to, provider, kind, outcome"
                           " FROM episodes WHERE case_id=?1 ORDER BY ord", id, err);
        if (!st)
            goto fail;
        cap = 0;
        FOR_ROWS(st, rc) {
            cd_treatment_episode *e = CD_PUSH(a, as->episodes, as->nepisodes, cap);
            e->from = col_date(st, 0);
            e->to = col_date(st, 1);
            e->provider = col_str(a, st, 2);
            e->kind = col_str(a, st, 3);
            e->outcome = col_str(a, st, 4);
        }
        if (rc != SQLITE_DONE)
            goto fail_rc;
        st = case_query(s, ST_PREVIOUS, "SELECT type, made, outcome FROM previous_orders"
                           " WHERE case_id=?1 ORDER BY ord", id, err);
        if (!st)
            goto fail;
        cap = 0;
        FOR_ROWS(st, rc) {
            cd_previous_order *p = CD_PUSH(a, as->previous_orders, as->nprevious_orders, cap);
            p->type = col_enum(st, 0, CD_ENUM_ORDER_TYPE, CD_ORDER_DRR);
            p->made = col_date(st, 1);
            p->outcome = col_enum(st, 2, CD_ENUM_PREV_OUTCOME, -1);
        }
        if (rc != SQLITE_DONE)
            goto fail_rc;
    }
    *out = c;
    return CD_OK;

fail_rc:
    cd_store_db_error(s, rc, "reading a case", err);
fail:
    cd_arena_free(a);
    return err && err->code ? err->code : CD_EDB;
}

/* ---- local notes --------------------------------------------------------- */

/* True when s is valid UTF-8 with no NUL or C0 control other than tab,
 * newline and carriage return. */
static int text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                return 0;
            p++;
            continue;
        }
        int n = (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0 || (n == 1 && *p < 0xc2) || (*p > 0xf4))
            return 0;
        unsigned cp = *p & (0x3f >> n);
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        p += n + 1;
    }
    return 1;
}

int cd_note_add(cd_store *s, const char *case_ref, const char *kind, const char *author,
                const char *date, const char *text, cd_error *err)
{
    if (cd_enum_parse(CD_ENUM_NOTE_KIND, kind) < 0)
        return cd_error_set(err, CD_EUSAGE, "unknown note kind \"%s\" (one of supervisor-assessment, "
                            "recommendation, provider-view, progress, contact-attempt, breach-statement)",
                            kind);
    cd_date d = cd_date_today();
    if (date && !cd_date_parse(date, &d))
        return cd_error_set(err, CD_EUSAGE, "the note date \"%s\" is not a real date in the form "
                            "YYYY-MM-DD", date);
    if (d > cd_date_today())
        return cd_error_set(err, CD_EUSAGE, "the note date %s is in the future", date);
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' ' ||
                   text[len - 1] == '\t'))
        len--;
    if (len == 0)
        return cd_error_set(err, CD_EINPUT, "the note is empty; write its text on standard input "
                            "or in the file given with --file");
    if (strlen(text) > CD_NOTE_MAX)
        return cd_error_set(err, CD_EINPUT, "the note is longer than %d bytes; notes are "
                            "for a court report, not whole files", CD_NOTE_MAX);
    if (!text_ok(text) || (author && !text_ok(author)))
        return cd_error_set(err, CD_EINPUT, "the note is not valid UTF-8 text (or holds control "
                            "characters); save it as UTF-8 and try again");
    if (s->mode != CD_STORE_WRITE)
        return cd_error_set(err, CD_EDB, "%s: opened read-only; cannot add a note", s->path);

    char iso[11], written[32];
    cd_date_format_iso(d, iso);
    time_t now = time(NULL);
    struct tm tmv;
    strftime(written, sizeof written, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return cd_store_db_error(s, rc, "adding a note", err);
    sqlite3_stmt *st = NULL;
    sqlite3_int64 case_id = -1;
    rc = sqlite3_prepare_v2(s->db, "SELECT id FROM cases WHERE ref=?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, case_ref, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            case_id = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK && case_id < 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return cd_error_set(err, CD_ENOTFOUND, "no case with ref \"%s\" in %s", case_ref, s->path);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(s->db,
            "INSERT INTO notes(case_id, rid, sig, local, has_id, date, author, kind, text, written)"
            " VALUES(?1, 'L' || (SELECT coalesce(max(id), 0) + 1 FROM notes), 0, 1, 0, ?2, ?3, ?4, ?5, ?6)",
            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_text(st, 2, iso, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, author, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, text, (int)len, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, written, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        cd_store_db_error(s, rc, "adding a note", err);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return CD_EDB;
    }
    return CD_OK;
}

/* ---- the audit ------------------------------------------------------------- */

/* The absolute path of a file that may not exist yet (the audit row is
 * written before the document is renamed into place): the real path of its
 * folder and its own name. NULL when the folder cannot be resolved. */
static char *absolute_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *real = dir ? realpath(dir, NULL) : NULL;
    char *out = NULL;
    if (real && asprintf(&out, "%s%s%s", real, strcmp(real, "/") ? "/" : "", slash ? slash + 1 : path) < 0)
        out = NULL;
    free(real);
    free(dir);
    return out;
}

/* Binds and inserts one audit row with the prepared INSERT st. */
static int insert_audit_row(sqlite3_stmt *st, const char *at, const char *user, const cd_audit_row *r)
{
    char *abs = absolute_path(r->path);
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->case_ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, abs ? abs : r->path, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    free(abs);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int cd_store_audit_add_rows(cd_store *s, const cd_audit_row *rows, size_t n, cd_error *err)
{
    if (n == 0)
        return CD_OK;
    char at[32], user[64];
    time_t now = time(NULL);
    struct tm tmv;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
    struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name)
        snprintf(user, sizeof user, "%s", pw->pw_name);
    else
        snprintf(user, sizeof user, "uid %u", (unsigned)geteuid());

    /* A read-only store writes through a second connection, opened on the
     * first row and kept (a batch worker writes a group of rows at a time;
     * an idle connection holds no lock). Its synchronous setting is
     * SQLite's default, FULL: a COMMIT is on disk before it returns, so a
     * document renamed into place after it never outlives its row. */
    sqlite3 *db = s->db;
    int own = 0, rc = SQLITE_OK;
    if (s->mode != CD_STORE_WRITE) {
        if (!s->audit_db) {
            rc = sqlite3_open_v2(s->path, &s->audit_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
            if (rc != SQLITE_OK) {
                sqlite3_close(s->audit_db);
                s->audit_db = NULL;
            }
        }
        db = s->audit_db;
        own = 1;
    }
    /* An import holds the store's write lock for as long as it runs; the
     * audit rows wait for it rather than lose the record (or the document):
     * at least 10 minutes, more if CD_BUSY_TIMEOUT_MS says so. */
    if (rc == SQLITE_OK) {
        int ms = busy_timeout_ms();
        sqlite3_busy_timeout(db, ms > AUDIT_WAIT_MS ? ms : AUDIT_WAIT_MS);
    }
    /* all the rows in one transaction (unless the caller holds one) */
    int began = 0;
    if (rc == SQLITE_OK && sqlite3_get_autocommit(db)) {
        rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        began = rc == SQLITE_OK;
    }
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO audit(at, os_user, case_ref, kind, sha256, path)"
                                " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
        rc = insert_audit_row(st, at, user, &rows[i]);
    sqlite3_finalize(st);
    if (began)
        rc = rc == SQLITE_OK ? sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) : rc;
    if (began && rc != SQLITE_OK && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (!own)
        sqlite3_busy_timeout(db, busy_timeout_ms());
    if (own && rc == SQLITE_OK)
        s->wrote_audit = 1;
    if (rc != SQLITE_OK) {
        const char *p = s->path;
        return cd_error_set(err, CD_EDB, "%s: could not record %s in the audit "
                            "table (%s); the store must be writable by whoever renders "
                            "documents", p, n == 1 ? "the document" : "the documents",
                            sqlite3_errstr(rc));
    }
    return CD_OK;
}

int cd_store_audit_list(cd_store *s, FILE *out, int csv, cd_error *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "SELECT at, os_user, coalesce(case_ref, ''), kind, sha256, path"
                                " FROM audit ORDER BY id", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return cd_store_db_error(s, rc, "reading the audit", err);
    if (csv)
        fputs("when,user,case_ref,kind,sha256,file\n", out);
    else
        fprintf(out, "%-20s  %-10s  %-20s  %-8s  %-16s  %s\n", "when (UTC)", "user",
                "case", "kind", "sha256", "file");
    long n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[6];
        for (int i = 0; i < 6; i++)
            v[i] = (const char *)sqlite3_column_text(st, i);
        if (csv) {
            for (int i = 0; i < 6; i++) {
                if (i)
                    fputc(',', out);
                cd_csv_field(out, v[i]);
            }
            fputc('\n', out);
        } else {
            fprintf(out, "%-20s  %-10s  %-20s  %-8s  %.16s  %s\n", v[0], v[1], v[2], v[3], v[4], v[5]);
        }
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return cd_store_db_error(s, rc, "reading the audit", err);
    if (!csv)
        fprintf(out, "%ld document%s\n", n, n == 1 ? "" : "s");
    return CD_OK;
}

int cd_store_audit_verify(cd_store *s, FILE *out, long *problems, cd_error *err)
{
    *problems = 0;
    /* per path, the latest row is what the folder should hold; an earlier
     * row's sha256 tells "an earlier document" from "changed" */
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db,
        "SELECT a.path, a.sha256, a.at, coalesce(a.case_ref, ''), a.kind, "
        "  EXISTS(SELECT 1 FROM audit b WHERE b.path = a.path AND b.id < a.id) "
        "FROM audit a WHERE a.id = (SELECT max(c.id) FROM audit c WHERE c.path = a.path) "
        "ORDER BY a.id", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return cd_store_db_error(s, rc, "reading the audit", err);
    long checked = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(st, 0);
        const char *sha = (const char *)sqlite3_column_text(st, 1);
        const char *at = (const char *)sqlite3_column_text(st, 2);
        const char *ref = (const char *)sqlite3_column_text(st, 3);
        const char *kind = (const char *)sqlite3_column_text(st, 4);
        int earlier = sqlite3_column_int(st, 5);
        checked++;
        struct stat sb;
        char hex[65];
        cd_error ferr = { 0 };
        if (!path || lstat(path, &sb) != 0) {
            fprintf(out, "missing: %s (%s%s%s, recorded %s): the file is not there (never written, "
                    "or moved or deleted since)\n", path ? path : "?", kind ? kind : "?",
                    ref && *ref ? " for case " : "", ref ? ref : "", at ? at : "?");
            ++*problems;
        } else if (!S_ISREG(sb.st_mode) || cd_sha256_file(path, hex, &ferr) != CD_OK) {
            fprintf(out, "unreadable: %s: not a regular file that can be read\n", path);
            ++*problems;
        } else if (!sha || strcmp(hex, sha) != 0) {
            int older = 0;
            if (earlier) {
                sqlite3_stmt *q;
                if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM audit WHERE path = ?1 AND sha256 = ?2",
                                       -1, &q, NULL) == SQLITE_OK) {
                    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
                    sqlite3_bind_text(q, 2, hex, -1, SQLITE_STATIC);
                    older = sqlite3_step(q) == SQLITE_ROW;
                    sqlite3_finalize(q);
                }
            }
            fprintf(out, older ? "differs: %s: the file is an earlier document; the one recorded at "
                                 "%s was never written in its place\n"
                               : "differs: %s: the file's sha256 is not the one recorded at %s "
                                 "(changed since it was written)\n", path, at ? at : "?");
            ++*problems;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return cd_store_db_error(s, rc, "reading the audit", err);
    fprintf(out, "%ld file%s checked, %ld problem%s\n", checked, checked == 1 ? "" : "s",
            *problems, *problems == 1 ? "" : "s");
    return CD_OK;
}

/* ---- planning: the order and reviews of the cases that may be running ------------ */

int cd_store_each_running_case(cd_store *s, cd_date first, cd_date last, cd_store_case_fn fn,
                               void *ctx, cd_error *err)
{
    char from[11], to[11];
    cd_date_format_iso(first, from);
    cd_date_format_iso(last, to);
    sqlite3_stmt *orders = NULL, *reviews = NULL;
    int rc = sqlite3_prepare_v2(s->db,
        "SELECT c.id, c.ref, o.rid, o.type, o.intensity, o.made, o.months, o.review_hearings,"
        " o.rules, o.ended FROM cases c JOIN orders o ON o.case_id = c.id"
        " WHERE o.made <= ?2 AND (o.ended IS NULL OR o.ended = '' OR o.ended > ?1)"
        " ORDER BY c.ref", -1, &orders, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(s->db, "SELECT date, next FROM reviews WHERE case_id = ?1 ORDER BY date, rid",
                                -1, &reviews, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(orders);
        sqlite3_finalize(reviews);
        return cd_store_db_error(s, rc, "planning from the store", err);
    }
    sqlite3_bind_text(orders, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(orders, 2, to, -1, SQLITE_STATIC);
    int result = CD_OK;
    while (result == CD_OK && (rc = sqlite3_step(orders)) == SQLITE_ROW) {
        cd_arena *a = cd_arena_new();
        if (!a) { result = cd_error_set(err, CD_EGENERAL, "out of memory"); break; }
        cd_case *c = cd_arena_alloc(a, sizeof *c);
        c->arena = a;
        c->ref = col_str(a, orders, 1);
        c->exported = CD_DATE_NONE;
        c->person.date_of_birth = CD_DATE_NONE;
        cd_order *o = &c->order;
        o->present = true;
        o->id = col_str(a, orders, 2);
        o->type = col_enum(orders, 3, CD_ENUM_ORDER_TYPE, CD_ORDER_DRR);
        o->intensity = col_enum(orders, 4, CD_ENUM_INTENSITY, CD_INTENSITY_LOW);
        o->made = col_date(orders, 5);
        o->months = sqlite3_column_int(orders, 6);
        o->review_hearings = col_enum(orders, 7, CD_ENUM_REVIEW_HEARINGS, CD_HEARINGS_MONTHLY);
        o->rules = col_str(a, orders, 8);
        o->ended = col_date(orders, 9);
        o->end_reason = CD_END_NONE;
        sqlite3_reset(reviews);
        sqlite3_bind_int64(reviews, 1, sqlite3_column_int64(orders, 0));
        size_t cap = 0;
        int rrc;
        FOR_ROWS(reviews, rrc) {
            cd_review *r = CD_PUSH(a, c->reviews, c->nreviews, cap);
            r->date = col_date(reviews, 0);
            r->next = col_date(reviews, 1);
        }
        if (rrc != SQLITE_DONE)
            result = cd_store_db_error(s, rrc, "planning from the store", err);
        else
            result = fn(ctx, c, err);
        cd_case_free(c);
    }
    if (result == CD_OK && rc != SQLITE_DONE)
        result = cd_store_db_error(s, rc, "planning from the store", err);
    sqlite3_finalize(orders);
    sqlite3_finalize(reviews);
    return result;
}
