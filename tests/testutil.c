/* testutil.c -- process, file, store and PDF helpers for the Check suites,
 * and the builder of cases in C that the rules and facts suites share. */
#include "testutil.h"
#include "arena.h"
#include "sha256.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];
static char *out_buf, *err_buf;
static char **kept;             /* the paths tu_store returned, freed at exit */
static size_t nkept;

const char *tu_bin(void)
{
    /* An absolute path, so tests may run it from any folder; under
     * CD_VALGRIND=1 (make check-valgrind) every run of the program goes
     * through valgrind memcheck, and a leak or error fails the run (99). */
    static char bin[4200];
    if (!bin[0]) {
        const char *b = getenv("CD_BIN");
        char *abs = realpath(b && *b ? b : "build/courtdocs", NULL);
        const char *v = getenv("CD_VALGRIND");
        snprintf(bin, sizeof bin, "%s%s",
                 v && *v == '1' ? "valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect "
                                  "--errors-for-leak-kinds=definite,indirect --error-exitcode=99 " : "",
                 abs ? abs : (b && *b ? b : "build/courtdocs"));
        free(abs);
    }
    return bin;
}

const char *tu_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/cdtest.XXXXXX");
        if (!mkdtemp(tmpdir)) { perror("mkdtemp"); exit(1); }
    }
    return tmpdir;
}

const char *tu_path(const char *name)
{
    static char ring[8][512];
    static int k;
    char *p = ring[k++ % 8];
    int n = snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
    ck_assert_msg(n > 0 && n < 512, "tu_path: a name too long for the scratch folder: %s", name);
    return p;
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t r;
    while ((r = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) { cap *= 2; b = realloc(b, cap); }
    }
    fclose(f);
    b[n] = '\0';
    if (len) *len = n;
    return b;
}

void tu_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); return; }
    fputs(text, f);
    fclose(f);
}

/* tu_run's work: the command line fmt/ap run with its output captured into
 * out_buf and err_buf. Its capture files are named here, not by tu_path, so
 * a run takes none of the ring's buffers: a path from tu_path stays valid
 * across runs, through the next seven tu_path calls. A command line too
 * long for the buffer fails the test rather than run cut short. */
static int run_v(const char *fmt, va_list ap)
{
    char cmd[8192], full[9300], ob[512], eb[512];
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof cmd, "tu_run: a command line over %zu bytes", sizeof cmd);
    snprintf(ob, sizeof ob, "%s/.tu_out", tu_tmpdir());
    snprintf(eb, sizeof eb, "%s/.tu_err", tu_tmpdir());
    snprintf(full, sizeof full, "( %s ) >'%s' 2>'%s' </dev/null", cmd, ob, eb);
    int st = system(full);
    free(out_buf);
    free(err_buf);
    out_buf = tu_read_file(ob, NULL);
    err_buf = tu_read_file(eb, NULL);
    if (st == -1) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int tu_run(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = run_v(fmt, ap);
    va_end(ap);
    return rc;
}

/* A run of the helpers' own (pdftotext, looking for node) that leaves the
 * caller's last run readable through tu_out()/tu_err(); returns its exit
 * status, and its stdout in *out when out is not NULL (malloc'd). */
static int run_aside(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run_aside(char **out, const char *fmt, ...)
{
    char *saved_out = out_buf, *saved_err = err_buf;
    out_buf = err_buf = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = run_v(fmt, ap);
    va_end(ap);
    if (out)
        *out = out_buf;
    else
        free(out_buf);
    free(err_buf);
    out_buf = saved_out;
    err_buf = saved_err;
    return rc;
}

/* A copy of path kept to the end of the process (freed by tu_cleanup). */
static const char *keep(const char *path)
{
    char **more = realloc(kept, (nkept + 1) * sizeof *kept);
    ck_assert_ptr_nonnull(more);
    kept = more;
    kept[nkept] = strdup(path);
    ck_assert_ptr_nonnull(kept[nkept]);
    return kept[nkept++];
}

const char *tu_store(const char *name, const char *files)
{
    const char *db = keep(tu_path(name));
    int rc = tu_run("rm -f '%s' '%s-wal' '%s-shm' && %s import --create -q --db '%s' %s", db, db, db, tu_bin(),
                    db, files);
    ck_assert_msg(rc == 0, "import of %s into %s failed (%d): %s", files, name, rc, tu_err());
    return db;
}

const char *tu_demo(const char *name, const char **db)
{
    char store[300];
    int n = snprintf(store, sizeof store, "%s.db", name);
    ck_assert_msg(n > 0 && (size_t)n < sizeof store, "tu_demo: name too long: %s", name);
    const char *dir = keep(tu_path(name)), *s = keep(tu_path(store));
    int rc = tu_run("CD_TODAY=2026-11-02 %s demo --force --db '%s' --out '%s'", tu_bin(), s, dir);
    ck_assert_msg(rc == 0, "demo failed: %s", tu_err());
    if (db) *db = s;
    return dir;
}

const char *tu_out(void) { return out_buf ? out_buf : ""; }
const char *tu_err(void) { return err_buf ? err_buf : ""; }

static char *pdf_text_as(const char *pdf, const char *mode);

char *tu_pdf_text(const char *pdf)
{
    return pdf_text_as(pdf, "-layout");
}

char *tu_pdf_raw_text(const char *pdf)
{
    return pdf_text_as(pdf, "-raw");
}

/* pdftotext in the given mode; the captured output of the run before stays
 * (pdftotext is not the program under test). */
static char *pdf_text_as(const char *pdf, const char *mode)
{
    char *text = NULL;
    if (run_aside(&text, "pdftotext %s '%s' - 2>/dev/null", mode, pdf) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int tu_count(const char *hay, const char *needle)
{
    int n = 0;
    size_t l = strlen(needle);
    if (!l) return 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += l) n++;
    return n;
}

void tu_cleanup(void);
void tu_cleanup(void)
{
    if (tmpdir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) { /* best effort */ }
    }
    free(out_buf);
    free(err_buf);
    out_buf = err_buf = NULL;
    for (size_t i = 0; i < nkept; i++) free(kept[i]);
    free(kept);
    kept = NULL;
    nkept = 0;
}

char *tu_squeeze(char *s)
{
    char *w = s;
    int space = 0;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r' || *r == '\f' || *r == '\v') {
            space = 1;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
    return s;
}

int tu_pdfjs_ready(const char *suite, const char *what)
{
    int ready = run_aside(NULL, "command -v node && "
                                "test -f tests/pdfjs/node_modules/pdfjs-dist/legacy/build/pdf.mjs") == 0;
    if (!ready)
        fprintf(stderr, "%s: node or pdfjs-dist missing (npm ci in tests/pdfjs, or scripts/deps.sh); %s skipped\n",
                suite, what);
    return ready;
}

int tu_pdfjs(const char *mode, const char *pdf, const char *password)
{
    ck_assert_msg(!password || !strchr(password, '\''), "tu_pdfjs: a password without quotes, please");
    return password ? tu_run("node tests/pdfjs/pdfjs.mjs %s '%s' '%s'", mode, pdf, password)
                    : tu_run("node tests/pdfjs/pdfjs.mjs %s '%s'", mode, pdf);
}

/* ---- building cases in C ---------------------------------------------------- */

cd_date tu_date(const char *ymd)
{
    cd_date d = CD_DATE_NONE;
    ck_assert_msg(cd_date_parse(ymd, &d), "bad test date %s", ymd);
    return d;
}

cd_case *tu_case_new(cd_order_type type, cd_intensity intensity, const char *made, int months)
{
    cd_arena *a = cd_arena_new();
    cd_case *c = cd_arena_alloc(a, sizeof *c);
    c->arena = a;
    c->ref = "TEST/1";
    c->person.id = "P1";
    c->person.given_name = "Zed";
    c->person.family_name = "Example";
    c->person.date_of_birth = tu_date("1992-03-15");
    c->person.sex = CD_SEX_MALE;
    c->order.present = made != NULL;
    c->order.id = "O1";
    c->order.type = type;
    c->order.intensity = intensity;
    c->order.made = made ? tu_date(made) : CD_DATE_NONE;
    c->order.months = months;
    c->order.court = "Example Crown Court";
    c->order.sentencer = "HHJ Example";
    c->order.review_hearings = CD_HEARINGS_MONTHLY;
    c->order.ended = CD_DATE_NONE;
    c->order.end_reason = CD_END_NONE;
    c->appointments = cd_arena_alloc(a, sizeof *c->appointments * TU_CASE_RECORDS);
    c->tests = cd_arena_alloc(a, sizeof *c->tests * TU_CASE_RECORDS);
    c->warnings = cd_arena_alloc(a, sizeof *c->warnings * TU_CASE_OTHERS);
    c->decisions = cd_arena_alloc(a, sizeof *c->decisions * TU_CASE_OTHERS);
    c->breaches = cd_arena_alloc(a, sizeof *c->breaches * TU_CASE_OTHERS);
    c->reviews = cd_arena_alloc(a, sizeof *c->reviews * TU_CASE_OTHERS);
    c->notes = cd_arena_alloc(a, sizeof *c->notes * TU_CASE_OTHERS);
    c->assessment.consent_date = CD_DATE_NONE;
    return c;
}

/* Fails the test when a list of the case already holds cap records. */
static void room_for(size_t n, size_t cap, const char *what)
{
    ck_assert_msg(n < cap, "the test case builder holds at most %zu %s", cap, what);
}

cd_appointment *tu_appt(cd_case *c, const char *id, const char *date, int minutes,
                        cd_appt_kind kind, cd_appt_outcome outcome)
{
    room_for(c->nappointments, TU_CASE_RECORDS, "appointments");
    cd_appointment *ap = &c->appointments[c->nappointments++];
    ap->id = id;
    ap->date = tu_date(date);
    ap->time = CD_TIME_NONE;
    ap->minutes = minutes;
    ap->kind = kind;
    ap->outcome = outcome;
    return ap;
}

cd_drug_test *tu_drug_test(cd_case *c, const char *id, const char *date, cd_test_status status)
{
    room_for(c->ntests, TU_CASE_RECORDS, "drug tests");
    cd_drug_test *t = &c->tests[c->ntests++];
    t->id = id;
    t->date = tu_date(date);
    t->status = status;
    t->results = cd_arena_alloc(c->arena, sizeof *t->results * CD_NSUBSTANCES);
    return t;
}

void tu_result(cd_drug_test *t, cd_substance s, cd_result_outcome outcome, cd_confirmation conf,
               bool prescribed)
{
    room_for(t->nresults, CD_NSUBSTANCES, "results on a test");
    cd_test_result *r = &t->results[t->nresults++];
    r->substance = s;
    r->outcome = outcome;
    r->confirmation = conf;
    r->prescribed = prescribed;
}

/* The ids in list, separated by spaces ("A1 A2"), as an id list in c's
 * arena (what the adders below take their lists of records as). */
static cd_id_list ids(cd_case *c, const char *list)
{
    size_t words = 0;
    for (const char *p = list; *p; p++)
        words += *p != ' ' && (p == list || p[-1] == ' ');
    cd_id_list l = { cd_arena_alloc(c->arena, sizeof(char *) * (words ? words : 1)), 0 };
    char *s = cd_arena_strdup(c->arena, list);
    for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " "))
        l.ids[l.n++] = tok;
    return l;
}

cd_warning *tu_warning(cd_case *c, const char *id, const char *date, const char *failures,
                       const char *text)
{
    room_for(c->nwarnings, TU_CASE_OTHERS, "warnings");
    cd_warning *w = &c->warnings[c->nwarnings++];
    w->id = id;
    w->date = tu_date(date);
    w->failures = ids(c, failures);
    w->text = text;
    return w;
}

cd_failure_decision *tu_decision(cd_case *c, const char *id, const char *date, const char *tests)
{
    room_for(c->ndecisions, TU_CASE_OTHERS, "decisions");
    cd_failure_decision *d = &c->decisions[c->ndecisions++];
    d->id = id;
    d->date = tu_date(date);
    d->tests = ids(c, tests);
    return d;
}

cd_breach *tu_breach(cd_case *c, const char *id, const char *initiated, const char *heard,
                     const char *failures, cd_breach_outcome outcome)
{
    room_for(c->nbreaches, TU_CASE_OTHERS, "breaches");
    cd_breach *b = &c->breaches[c->nbreaches++];
    b->id = id;
    b->initiated = tu_date(initiated);
    b->heard = heard ? tu_date(heard) : CD_DATE_NONE;
    b->failures = ids(c, failures);
    b->outcome = outcome;
    return b;
}

cd_review *tu_review(cd_case *c, const char *date, const char *next)
{
    room_for(c->nreviews, TU_CASE_OTHERS, "reviews");
    cd_review *r = &c->reviews[c->nreviews++];
    r->date = tu_date(date);
    r->kind = CD_REVIEW_HEARING;
    r->outcome = CD_REVIEW_CONTINUE;
    r->next = next ? tu_date(next) : CD_DATE_NONE;
    return r;
}

cd_note *tu_note(cd_case *c, cd_note_kind kind, const char *date, const char *text)
{
    room_for(c->nnotes, TU_CASE_OTHERS, "notes");
    cd_note *n = &c->notes[c->nnotes++];
    n->kind = kind;
    n->date = tu_date(date);
    n->author = "Officer One";
    n->text = text;
    return n;
}

cd_case *tu_case_week_one(void)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    tu_appt(c, "A1", "2026-06-03", 120, CD_APPT_PROBATION, CD_OUT_ATTENDED);
    tu_appt(c, "A2", "2026-06-04", 60, CD_APPT_TREATMENT, CD_OUT_LATE);
    tu_appt(c, "A3", "2026-06-05", 60, CD_APPT_TREATMENT, CD_OUT_ABSENT_UNACCEPTABLE);
    tu_appt(c, "A4", "2026-06-06", 90, CD_APPT_TREATMENT, CD_OUT_ABSENT_ACCEPTABLE);
    tu_appt(c, "A5", "2026-06-08", 60, CD_APPT_TREATMENT, CD_OUT_PENDING);
    return c;
}

cd_case *tu_case_prescribed_methadone(void)
{
    cd_case *c = tu_case_new(CD_ORDER_DTTO, CD_INTENSITY_HIGH, "2026-06-03", 12);
    cd_drug_test *t = tu_drug_test(c, "T1", "2026-06-04", CD_TEST_TESTED);
    tu_result(t, CD_SUB_METHADONE, CD_RESULT_POSITIVE, CD_CONFIRM_NONE, true);
    tu_result(t, CD_SUB_OPIATES, CD_RESULT_NEGATIVE, CD_CONFIRM_NONE, false);
    return c;
}

void tu_template_key(const char *schema, const char *text, char key[65])
{
    char schema_hex[65];
    cd_error err = {0};
    ck_assert_msg(cd_sha256_file(schema, schema_hex, &err) == CD_OK, "%s", err.message);
    size_t n = strlen(text);
    char *keyed = malloc(64 + n);
    ck_assert_ptr_nonnull(keyed);
    memcpy(keyed, schema_hex, 64);
    memcpy(keyed + 64, text, n);
    cd_sha256(keyed, 64 + n, key);
    free(keyed);
}
