/* demo.c -- the synthetic demo caseload generator (see demo.h).
 *
 * Each case is planned (a scripted scenario for the first refs, a random
 * draw for the rest), then simulated day by day from the order being made
 * to the export date or the order's end: appointments follow the National
 * Standard's weekly shape for the intensity and phase, tests are twice then
 * once a week, and outcomes are drawn from the case's engagement, which
 * moves linearly from e0 to e1 over the first year (so the direction of
 * travel varies from case to case). An officer policy answers each
 * unacceptable failure as the order's rule profile says: a warning first,
 * breach action on the second failure in 12 months (dtto-2004, drr-2005) or
 * on a failure within 12 months of a warning (drr-2020). Reviews, notes and
 * the PSR assessment are then written around the simulated record.
 *
 * The caseload is meant to be believed by someone who knows the work: DTTOs
 * were replaced by the DRR for offences from 4 April 2005, so every DTTO was
 * made before then and has long ended; everyone was 18 or over when
 * assessed and sentenced (dates of birth are drawn back from those dates);
 * no one first used a drug before they were born; orders are made, reviews
 * heard and breaches decided on court sitting days (calendar.h); long notes
 * never repeat a paragraph; a note is signed by the officer of the case.
 *
 * Each case is built in a few reused string buffers and written out before
 * the next is planned, so memory does not grow with the caseload.
 */
#include "demo.h"
#include "demo_int.h"
#include "calendar.h"
#include "strbuf.h"
#include <errno.h>
#include <stdlib.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the PRNG: splitmix64, one stream per case -------------------------- */

typedef struct { uint64_t state; } demo_rng;

static uint64_t rng_u64(demo_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [0, 1). */
static double rng_unit(demo_rng *r) { return (double)(rng_u64(r) >> 11) * (1.0 / 9007199254740992.0); }
/* Uniform integer in [lo, hi]. */
static int rng_int(demo_rng *r, int lo, int hi) { return lo + (int)(rng_u64(r) % (uint64_t)(hi - lo + 1)); }
static bool rng_chance(demo_rng *r, double p) { return rng_unit(r) < p; }
static const char *rng_pick(demo_rng *r, const char *const *table)
{
    return table[rng_int(r, 0, (int)demo_count(table) - 1)];
}

/* ---- case plans ---------------------------------------------------------- */

enum { DRUGS_DRAW, DRUGS_HEROIN_CRACK, DRUGS_HEROIN, DRUGS_CRACK };
enum { RX_DRAW, RX_NONE, RX_METHADONE, RX_BUPRENORPHINE };
enum { ASSESS_DRAW, ASSESS_FULL, ASSESS_PARTIAL, ASSESS_NONE };
enum { WARN_DRAW, WARN_COMPLETE, WARN_INCOMPLETE };
#define MAX_FORCED 4

/* A case plan: zero fields mean "draw at random". Days are counted back
 * from the export date (as_of - days). */
typedef struct {
    const char *title;              /* what the case shows (docs/demo.md) */
    char sex;                       /* 'F', 'M', 'U' (unknown), 0 draw */
    const char *given, *family;     /* NULL: draw */
    bool no_ethnicity;              /* the element absent */
    const char *accommodation;      /* settled|temporary|homeless|unknown|"none"; NULL draw */
    bool psr_only;                  /* PSR stage: assessment, no order */
    char type;                      /* 'T' DTTO, 'R' DRR, 0 draw */
    char intensity;                 /* 'h', 'm', 'l', 0 draw */
    const char *rules;              /* explicit rules attribute, or NULL */
    const char *hearings;           /* review-hearings, NULL: by intensity */
    int made_ago;                   /* days before as_of the order was made (0 draw) */
    const char *made;               /* or a fixed date (old orders; every DTTO) */
    int months;                     /* 0 draw */
    double e0, e1;                  /* engagement at the start, after a year (0 draw) */
    bool quiet;                     /* no random unacceptable failures: scripted ones only */
    int forced[MAX_FORCED];         /* days before as_of of forced unacceptable absence days */
    bool forced_three;              /* the first forced day must have 3 or more appointments */
    int drugs, rx;
    bool decisions;                 /* the officer counts persistent positives as a failure */
    int warn;                       /* WARN_* */
    int lapse_days;                 /* no breach initiated for failures in the last N days */
    const char *outcomes;           /* breach outcomes in turn: "continued revoked" */
    const char *end_reason;         /* planned ending (not completed / breach revoked) */
    int end_after;                  /* ... this many days after the order was made */
    bool long_note;                 /* one supervisor assessment over 5,000 characters */
    bool special_text;              /* a note with characters special in XML/PDF/shells */
    int assessment;                 /* ASSESS_* */
    bool no_consent, prev_dtto_revoked, high_low_oasys;
    bool adulterated, substituted, admitted;   /* force one such test */
    bool late_treatment_contact;    /* first treatment contact after 2 working days */
    bool refuse_after_breach;       /* refuses one test after the first breach is heard */
    cd_date made_on;                /* random DTTOs: the date drawn (0: made_ago/made) */
} case_plan;

/* DTTOs: national from 1 October 2000; replaced by the DRR for offences from
 * 4 April 2005. Every demo DTTO is made between these days. */
#define DTTO_FIRST cd_date_from_ymd(2001, 10, 1)
#define DTTO_LAST  cd_date_from_ymd(2005, 3, 31)

/* The scripted scenarios, refs DEMO/0001 onwards. docs/demo.md lists them. */
static const case_plan scripted[] = {
    {.title = "DRR high (drr-2020), month 5, improving; every appointment of one day missed "
              "(4, and the test: one failure, warned); methadone prescribed; a 5,000-character "
              "assessment",
     .sex = 'F', .given = "Zoë", .family = "Łukasiewicz-O'Brien", .accommodation = "temporary",
     .type = 'R', .intensity = 'h', .rules = "drr-2020", .made_ago = 150, .months = 12,
     .e0 = 0.35, .e1 = 0.85, .quiet = true, .forced = {130}, .forced_three = true,
     .drugs = DRUGS_HEROIN_CRACK, .rx = RX_METHADONE, .warn = WARN_COMPLETE,
     .long_note = true, .special_text = true, .assessment = ASSESS_FULL},
    {.title = "DRR high (drr-2020), homeless: warned, then a further unacceptable failure 8 days "
              "ago, within 12 months of the warning: breach mandatory and not yet initiated "
              "(breach pack)",
     .sex = 'M', .given = "Declan", .family = "O'Brien", .accommodation = "homeless",
     .type = 'R', .intensity = 'h', .rules = "drr-2020", .made_ago = 200, .months = 12,
     .e0 = 0.3, .e1 = 0.4, .quiet = true, .forced = {60, 8}, .lapse_days = 10,
     .drugs = DRUGS_HEROIN_CRACK, .rx = RX_METHADONE, .warn = WARN_COMPLETE,
     .assessment = ASSESS_FULL},
    {.title = "DRR medium (drr-2020): a failure within 12 months of a warning, referred for "
              "breach (continued); then a refused test",
     .sex = 'M', .given = "Şükrü", .family = "Şahin", .type = 'R', .intensity = 'm',
     .rules = "drr-2020", .made_ago = 240, .months = 18, .e0 = 0.4, .e1 = 0.5, .quiet = true,
     .forced = {150, 100}, .outcomes = "continued", .refuse_after_breach = true,
     .drugs = DRUGS_HEROIN_CRACK,
     .rx = RX_BUPRENORPHINE, .warn = WARN_COMPLETE, .assessment = ASSESS_FULL},
    {.title = "PSR stage: full assessment, consent given, DRR high proposed (no order yet)",
     .sex = 'M', .given = "Γιάννης", .family = "Παπαδάκης", .psr_only = true,
     .drugs = DRUGS_HEROIN_CRACK, .assessment = ASSESS_FULL},
    {.title = "PSR stage: consent to the requirement refused; no ethnicity recorded",
     .sex = 'F', .given = "Анна", .family = "Коваленко", .no_ethnicity = true, .psr_only = true,
     .drugs = DRUGS_HEROIN, .assessment = ASSESS_FULL, .no_consent = true},
    {.title = "DRR high in its first 13 weeks; PSR proposed high intensity with an OASys "
              "drugs score of 3; a previous DTTO revoked for non-compliance",
     .sex = 'M', .given = "Ádám", .family = "Szőke", .type = 'R', .intensity = 'h',
     .made_ago = 40, .months = 12, .e0 = 0.5, .e1 = 0.6, .drugs = DRUGS_HEROIN_CRACK,
     .rx = RX_METHADONE, .assessment = ASSESS_FULL, .high_low_oasys = true,
     .prev_dtto_revoked = true},
    {.title = "DRR high (drr-2020): a failure 13 months old (warned) and a recent one: only "
              "one failure in the 12-month window, so a warning and no breach",
     .sex = 'F', .given = "Siobhán", .family = "D'Souza", .type = 'R', .intensity = 'h',
     .rules = "drr-2020", .made_ago = 480, .months = 24, .e0 = 0.55, .e1 = 0.8, .quiet = true,
     .forced = {400, 30}, .drugs = DRUGS_HEROIN_CRACK, .rx = RX_METHADONE,
     .warn = WARN_INCOMPLETE, .assessment = ASSESS_FULL},
    {.title = "DRR high, chaotic and worsening, crack only: breach continued, then revoked "
              "for non-compliance",
     .sex = 'M', .type = 'R', .intensity = 'h', .made_ago = 300, .months = 12,
     .e0 = 0.2, .e1 = 0.05, .outcomes = "continued revoked", .drugs = DRUGS_CRACK,
     .rx = RX_NONE, .assessment = ASSESS_FULL},
    {.title = "DRR medium: breach warrant issued, order expired with the warrant outstanding "
              "(not a completion)",
     .sex = 'M', .family = "McAllister", .type = 'R', .intensity = 'm', .made_ago = 420,
     .months = 12, .e0 = 0.3, .e1 = 0.3, .quiet = true, .forced = {360, 320},
     .outcomes = "warrant", .drugs = DRUGS_HEROIN_CRACK, .assessment = ASSESS_FULL},
    {.title = "DRR high (drr-2020): breach initiated, hearing not yet held (pending)",
     .sex = 'M', .type = 'R', .intensity = 'h', .rules = "drr-2020", .made_ago = 100,
     .months = 12, .e0 = 0.3, .e1 = 0.3, .quiet = true, .forced = {50, 20},
     .outcomes = "pending", .drugs = DRUGS_HEROIN_CRACK, .warn = WARN_COMPLETE,
     .assessment = ASSESS_FULL},
    {.title = "DTTO low made 2003 (dtto-2004), long ended: breach heard, order amended",
     .sex = 'M', .type = 'T', .intensity = 'l', .made = "2003-06-16", .months = 12, .e0 = 0.45, .e1 = 0.7, .quiet = true,
     .forced = {200, 150}, .outcomes = "amended", .drugs = DRUGS_HEROIN,
     .assessment = ASSESS_FULL},
    {.title = "DRR low (drr-2020): breach withdrawn", .sex = 'F', .type = 'R',
     .intensity = 'l', .rules = "drr-2020", .made_ago = 210, .months = 12, .e0 = 0.5,
     .e1 = 0.7, .quiet = true, .forced = {180, 140}, .outcomes = "withdrawn",
     .drugs = DRUGS_HEROIN_CRACK, .warn = WARN_INCOMPLETE, .assessment = ASSESS_FULL},
    {.title = "DRR medium: terminated early for good progress", .sex = 'M', .type = 'R',
     .intensity = 'm', .made_ago = 400, .months = 18, .e0 = 0.7, .e1 = 0.95, .quiet = true,
     .end_reason = "good-progress", .end_after = 330, .drugs = DRUGS_HEROIN,
     .rx = RX_METHADONE, .assessment = ASSESS_FULL},
    {.title = "DRR high: revoked after a further conviction", .sex = 'M', .type = 'R',
     .intensity = 'h', .made_ago = 200, .months = 12, .e0 = 0.4, .e1 = 0.4, .quiet = true,
     .end_reason = "revoked-conviction", .end_after = 120, .drugs = DRUGS_HEROIN_CRACK,
     .assessment = ASSESS_FULL},
    {.title = "DRR low: transferred to another area", .sex = 'M', .type = 'R', .intensity = 'l',
     .made_ago = 260, .months = 12, .e0 = 0.6, .e1 = 0.6, .quiet = true,
     .end_reason = "transferred", .end_after = 150, .drugs = DRUGS_CRACK,
     .assessment = ASSESS_PARTIAL},
    {.title = "DTTO high made 2004: ended for another reason (ill health)", .sex = 'F',
     .type = 'T', .intensity = 'h', .made = "2004-02-09", .months = 12, .e0 = 0.5, .e1 = 0.6, .quiet = true,
     .end_reason = "other", .end_after = 180, .drugs = DRUGS_HEROIN_CRACK,
     .assessment = ASSESS_FULL},
    {.title = "DRR medium: completed, improving throughout", .sex = 'M', .type = 'R',
     .intensity = 'm', .made_ago = 420, .months = 12, .e0 = 0.5, .e1 = 0.9, .quiet = true,
     .drugs = DRUGS_HEROIN, .rx = RX_METHADONE, .assessment = ASSESS_FULL},
    {.title = "DRR made 2019 (rules=\"drr-2005\"), completed: a long-finished order for the summary",
     .sex = 'M', .type = 'R', .intensity = 'm', .rules = "drr-2005", .made = "2019-03-12",
     .months = 12, .e0 = 0.5, .e1 = 0.8, .drugs = DRUGS_HEROIN_CRACK, .assessment = ASSESS_FULL},
    {.title = "DRR high made 2020 (drr-2005 by date), chaotic: revoked for non-compliance",
     .sex = 'M', .type = 'R', .intensity = 'h', .made = "2020-06-15", .months = 12,
     .e0 = 0.15, .e1 = 0.1, .outcomes = "revoked", .drugs = DRUGS_HEROIN_CRACK,
     .assessment = ASSESS_NONE},
    {.title = "DRR high: buprenorphine prescribed; persistent positive tests counted as "
              "failures by the officer's decision (warning, then breach continued)",
     .sex = 'M', .type = 'R', .intensity = 'h', .made_ago = 200, .months = 12,
     .e0 = 0.15, .e1 = 0.2, .quiet = true, .decisions = true, .outcomes = "continued",
     .drugs = DRUGS_HEROIN, .rx = RX_BUPRENORPHINE, .assessment = ASSESS_FULL},
    {.title = "DTTO high made 2004 (rules=\"dtto-2004\"), completed: near-perfect attendance, "
              "paper reviews",
     .sex = 'F', .type = 'T', .intensity = 'h', .rules = "dtto-2004", .made = "2004-09-13",
     .months = 12, .e0 = 0.9, .e1 = 0.98, .quiet = true, .drugs = DRUGS_HEROIN,
     .rx = RX_METHADONE, .assessment = ASSESS_FULL},
    {.title = "DRR medium: worsening (engagement falling over the order)", .sex = 'M',
     .type = 'R', .intensity = 'm', .made_ago = 200, .months = 12, .e0 = 0.75, .e1 = 0.2,
     .drugs = DRUGS_HEROIN_CRACK, .assessment = ASSESS_FULL},
    {.title = "DRR low, review-hearings none: reviewed on paper", .sex = 'M', .type = 'R',
     .intensity = 'l', .hearings = "none", .made_ago = 190, .months = 12, .e0 = 0.65,
     .e1 = 0.8, .drugs = DRUGS_CRACK, .assessment = ASSESS_FULL},
    {.title = "DRR medium, first weeks: partial PSR; an adulterated and a substituted sample",
     .sex = 'M', .type = 'R', .intensity = 'm', .made_ago = 60, .months = 12, .e0 = 0.4,
     .e1 = 0.5, .quiet = true, .adulterated = true, .substituted = true,
     .drugs = DRUGS_HEROIN_CRACK, .assessment = ASSESS_PARTIAL},
    {.title = "PSR stage: partial assessment, crack only", .sex = 'M', .psr_only = true,
     .drugs = DRUGS_CRACK, .assessment = ASSESS_PARTIAL},
    {.title = "DRR low (drr-2020), a month in, homeless, no ethnicity recorded: "
              "written admissions of use; first treatment contact late",
     .sex = 'M', .no_ethnicity = true, .accommodation = "homeless", .type = 'R',
     .intensity = 'l', .rules = "drr-2020", .made_ago = 30, .months = 6, .e0 = 0.4,
     .e1 = 0.5, .admitted = true, .late_treatment_contact = true, .drugs = DRUGS_HEROIN_CRACK,
     .assessment = ASSESS_FULL},
};
#define NSCRIPTED (sizeof scripted / sizeof scripted[0])

size_t cd_demo_scripted_count(void) { return NSCRIPTED; }
const char *cd_demo_scripted_title(size_t i) { return i < NSCRIPTED ? scripted[i].title : NULL; }

static const cd_demo_showcase showcases[] = {
    {"DEMO/0001", CD_DEMO_SHOW_REVIEW | CD_DEMO_SHOW_PSR,
     "improving DRR high, 3 absences on one day, methadone prescribed, long notes"},
    {"DEMO/0002", CD_DEMO_SHOW_REVIEW | CD_DEMO_SHOW_BREACH,
     "DRR: a failure within 12 months of a warning, breach mandatory, not yet initiated"},
    {"DEMO/0003", CD_DEMO_SHOW_REVIEW,
     "DRR under drr-2020: failure within 12 months of a warning"},
    {"DEMO/0004", CD_DEMO_SHOW_PSR, "PSR stage: full assessment, DRR proposed"},
    {"DEMO/0006", CD_DEMO_SHOW_REVIEW | CD_DEMO_SHOW_PSR,
     "first weeks of a DRR high; high intensity proposed with OASys drugs 3"},
    {"DEMO/0007", CD_DEMO_SHOW_REVIEW,
     "a failure 13 months old outside the window; warning, no breach"},
};

const cd_demo_showcase *cd_demo_showcases(size_t *n)
{
    *n = sizeof showcases / sizeof showcases[0];
    return showcases;
}

void cd_demo_case_ref(long n, char *out, size_t size)
{
    snprintf(out, size, "DEMO/%04ld", n);
}

void cd_demo_params_default(cd_demo_params *p)
{
    memset(p, 0, sizeof *p);
    p->cases = CD_DEMO_DEFAULT_CASES;
    p->seed = CD_DEMO_DEFAULT_SEED;
    cd_date_parse(CD_DEMO_DEFAULT_AS_OF, &p->as_of);
    p->order_months = 0;
    p->volume = 1;
}

/* A random plan for case n (n > NSCRIPTED), in realistic proportions. */
static void plan_random(demo_rng *r, long n, case_plan *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->title = "drawn at random";
    pl->sex = (n % 5 == 2) ? 'F' : (n % 41 == 0) ? 'U' : 'M';   /* 1 in 5 women */
    pl->no_ethnicity = rng_chance(r, 0.12);
    pl->psr_only = rng_chance(r, 0.06);
    double x = rng_unit(r);
    /* DTTOs are the area's archive: made before 4 April 2005, long ended. A
     * PSR written now proposes a DRR. */
    pl->type = x < 0.12 && !pl->psr_only ? 'T' : 'R';
    if (pl->type == 'T') pl->intensity = rng_chance(r, 0.7) ? 'h' : 'l';
    else pl->intensity = "hhhmml"[rng_int(r, 0, 5)];
    pl->made_ago = rng_int(r, 7, 720);
    if (pl->type == 'T') pl->made_on = DTTO_FIRST + rng_int(r, 0, DTTO_LAST - DTTO_FIRST);
    pl->months = (const int[]){6, 12, 12, 12, 12, 18, 18, 24, 36}[rng_int(r, 0, 8)];
    pl->e0 = 0.08 + 0.52 * rng_unit(r);
    pl->e1 = pl->e0 - 0.15 + 0.7 * rng_unit(r);
    if (pl->e1 < 0.03) pl->e1 = 0.03;
    if (pl->e1 > 0.97) pl->e1 = 0.97;
    pl->decisions = rng_chance(r, 0.2);
    x = rng_unit(r);
    if (x < 0.08) { pl->end_reason = "revoked-conviction"; pl->end_after = -1; }
    else if (x < 0.11) { pl->end_reason = "transferred"; pl->end_after = -1; }
    else if (x < 0.13) { pl->end_reason = "other"; pl->end_after = -1; }
    else if (pl->e1 > 0.75 && rng_chance(r, 0.5)) { pl->end_reason = "good-progress"; pl->end_after = -2; }
    pl->long_note = false;
    pl->special_text = rng_chance(r, 0.1);
    pl->assessment = rng_chance(r, 0.1) ? ASSESS_NONE : rng_chance(r, 0.08) ? ASSESS_PARTIAL : ASSESS_FULL;
    pl->prev_dtto_revoked = rng_chance(r, 0.15);
    pl->late_treatment_contact = rng_chance(r, 0.1);
}

/* ---- the simulation -------------------------------------------------------- */

#define FAIL_RING 64
#define FAR_FUTURE (INT32_MAX / 2)

typedef struct {
    demo_rng r;
    const cd_demo_params *p;
    case_plan pl;
    const demo_area *area;
    const char *officer, *keyworker, *court, *sentencer;
    bool dtto, high, low, window_after_warning;
    int drugs, rx;
    cd_date as_of, made, sched_end;
    cd_date limit;                   /* no record after this: as_of, the order's end */
    cd_date planned_end;             /* CD_DATE_NONE, or the planned ending's date */
    cd_date ended;                   /* set when the order has ended */
    const char *end_reason;
    cd_date absconded;               /* a warrant was issued: no attendance from here */
    cd_date dob;                     /* the person's date of birth */
    int intensive_weeks;
    long na, nt, nw, nd, nb, nr, nn;  /* record counters for ids */
    cd_strbuf appts, tests, enf, reviews, notes, text, head;
    struct { cd_date date; char ids[48]; } fails[FAIL_RING];   /* the latest failures */
    int nfail;
    cd_date window_from;             /* failures before this were answered by a breach */
    cd_date last_warning;
    cd_date breach_open_until;       /* a breach initiated and not yet heard */
    int breaches;
    const char *outcomes_left;       /* remaining scripted breach outcomes */
    int forced_next;                 /* index of the next forced day */
    char pos_ids[3][24]; int pos_streak;
    cd_date last_decision;
    bool forced_adulterated, forced_substituted;
    int admitted_left;
    bool long_note_left, refusal_left;
} sim;

static double engagement(sim *s, cd_date d)
{
    double t = (double)(d - s->made) / 365.0;
    if (t > 1) t = 1;
    if (t < 0) t = 0;
    double e = s->pl.e0 + (s->pl.e1 - s->pl.e0) * t + (rng_unit(&s->r) - 0.5) * 0.12;
    return e < 0.01 ? 0.01 : e > 0.99 ? 0.99 : e;
}

/* 0 good, 1 mixed, 2 poor: which phrases describe the case at d. */
static int band_at(sim *s, cd_date d)
{
    double e = engagement(s, d);
    return e >= 0.6 ? 0 : e >= 0.35 ? 1 : 2;
}

/* ---- XML writing helpers --------------------------------------------------- */

static void attr(cd_strbuf *b, const char *name, const char *v)
{
    if (!v) return;
    cd_strbuf_printf(b, " %s=\"", name);
    cd_strbuf_add_xml(b, v);
    cd_strbuf_addc(b, '"');
}
static void attr_date(cd_strbuf *b, const char *name, cd_date d)
{
    char iso[11];
    cd_date_format_iso(d, iso);
    attr(b, name, iso);
}
static void attr_int(cd_strbuf *b, const char *name, long v)
{
    cd_strbuf_printf(b, " %s=\"%ld\"", name, v);
}
/* <name>text</name> on its own line at the given indent. */
static void element(cd_strbuf *b, const char *indent, const char *name, const char *text)
{
    cd_strbuf_printf(b, "%s<%s>", indent, name);
    cd_strbuf_add_xml(b, text);
    cd_strbuf_printf(b, "</%s>\n", name);
}

/* The last court sitting day on or before d (calendar.h has the other way). */
static cd_date sitting_on_or_before(cd_date d)
{
    while (!cd_cal_is_sitting_day(d)) d--;
    return d;
}

/* ---- notes ------------------------------------------------------------------- */

static void add_note(sim *s, cd_date d, const char *kind, const char *author, const char *text)
{
    if (d <= s->made - 1 || d > s->limit) return;
    cd_strbuf_printf(&s->notes, "      <note id=\"N%ld\"", ++s->nn);
    attr_date(&s->notes, "date", d);
    attr(&s->notes, "author", author);
    attr(&s->notes, "kind", kind);
    cd_strbuf_add(&s->notes, ">");
    cd_strbuf_add_xml(&s->notes, text);
    cd_strbuf_add(&s->notes, "</note>\n");
}

/* Composes a note from a band's sentences into s->text. */
static const char *compose(sim *s, const char *const *sentences, int n, bool special)
{
    cd_strbuf_reset(&s->text);
    int first = rng_int(&s->r, 0, n - 1);
    int count = rng_int(&s->r, 1, n);
    for (int i = 0; i < count; i++) {
        if (i) cd_strbuf_add(&s->text, " ");
        cd_strbuf_add(&s->text, sentences[(first + i) % n]);
    }
    if (special) {
        cd_strbuf_add(&s->text, "\n\n");
        cd_strbuf_add(&s->text, demo_special_text);
    }
    return cd_strbuf_str(&s->text);
}

/* Several paragraphs, each at most once; over 5,000 characters when
 * very_long (the table holds more than that). */
static const char *long_text(sim *s, bool very_long)
{
    cd_strbuf_reset(&s->text);
    size_t np = demo_count(demo_long_paragraphs);
    size_t want = very_long ? 5200 : 1200;
    size_t start = (size_t)rng_int(&s->r, 0, (int)np - 1);
    for (size_t i = start; s->text.len < want && i < start + np; i++) {
        if (s->text.len) cd_strbuf_add(&s->text, "\n\n");
        cd_strbuf_add(&s->text, demo_long_paragraphs[i % np]);
    }
    return cd_strbuf_str(&s->text);
}

/* The notes written before a review on date due, for the period (from, due]:
 * progress mid-period, then the provider's view, the supervisor's assessment
 * and the recommendation in the last week. Each is missing now and then, as
 * in real records. */
static void period_notes(sim *s, cd_date from, cd_date due)
{
    int band = band_at(s, due);
    cd_date mid = from + (due - from) / 2;
    for (int v = 0; v < s->p->volume; v++)
        if (rng_chance(&s->r, 0.85))
            add_note(s, mid + v, "progress", s->officer,
                     compose(s, demo_note_progress[band], 3, s->pl.special_text && rng_chance(&s->r, 0.3)));
    if (rng_chance(&s->r, 0.85))
        add_note(s, due - 6, "provider-view", s->keyworker, compose(s, demo_note_provider[band], 2, false));
    if (s->long_note_left && due - 5 <= s->limit && due - 5 > s->made) {
        add_note(s, due - 5, "supervisor-assessment", s->officer, long_text(s, true));
        s->long_note_left = false;
    } else if (rng_chance(&s->r, 0.85)) {
        add_note(s, due - 5, "supervisor-assessment", s->officer,
                 rng_chance(&s->r, 0.1) ? long_text(s, false)
                                        : compose(s, demo_note_assessment[band], 2, false));
    }
    if (rng_chance(&s->r, 0.85))
        add_note(s, due - 4, "recommendation", s->officer, compose(s, demo_note_recommendation[band], 2, false));
}

/* ---- enforcement ------------------------------------------------------------- */

/* Counts the failures in the 12-month window ending d not yet answered by
 * a breach; appends their ids to ids_out when it is not NULL. */
static int failures_in_window(sim *s, cd_date d, cd_strbuf *ids_out)
{
    int n = 0;
    int kept = s->nfail < FAIL_RING ? s->nfail : FAIL_RING;
    int first = s->nfail < FAIL_RING ? 0 : s->nfail % FAIL_RING;
    for (int k = 0; k < kept; k++) {
        int i = (first + k) % FAIL_RING;
        cd_date f = s->fails[i].date;
        if (f >= s->window_from && d - f <= 365 && f <= d) {
            n++;
            if (ids_out) {
                if (ids_out->len) cd_strbuf_addc(ids_out, ' ');
                cd_strbuf_add(ids_out, s->fails[i].ids);
            }
        }
    }
    return n;
}

/* Copies ids into a failure slot, cutting at a space so no id is split. */
static void keep_ids(char *dst, size_t size, const char *ids)
{
    size_t n = strlen(ids);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ids[n] != ' ') n--;
    }
    memcpy(dst, ids, n);
    dst[n] = '\0';
}

/* The next breach outcome: the plan's list in turn, else drawn. */
static const char *next_outcome(sim *s, char *word, size_t size)
{
    if (s->outcomes_left && *s->outcomes_left) {
        const char *p = s->outcomes_left;
        size_t n = strcspn(p, " ");
        snprintf(word, size, "%.*s", (int)n, p);
        s->outcomes_left = p[n] ? p + n + 1 : p + n;
        return word;
    }
    double x = rng_unit(&s->r);
    if (s->breaches == 0)
        return x < 0.6 ? "continued" : x < 0.8 ? "amended" : x < 0.88 ? "revoked"
             : x < 0.94 ? "warrant" : "withdrawn";
    return x < 0.38 ? "revoked" : x < 0.7 ? "continued" : x < 0.86 ? "amended" : "warrant";
}

/* Officer policy on an unacceptable failure on day d, naming ids (one
 * failure: a day's missed appointments, a test, or a decision). */
static void on_failure(sim *s, cd_date d, const char *ids)
{
    if (s->absconded != CD_DATE_NONE || d <= s->breach_open_until) return;
    int slot = s->nfail++ % FAIL_RING;
    s->fails[slot].date = d;
    keep_ids(s->fails[slot].ids, sizeof s->fails[slot].ids, ids);
    bool breach_due = s->window_after_warning
        ? (s->last_warning != CD_DATE_NONE && s->last_warning >= s->window_from &&
           d - s->last_warning <= 365)
        : failures_in_window(s, d, NULL) >= 2;
    char long_date[32];
    cd_date_format_long(d, long_date, sizeof long_date);
    if (!breach_due) {
        cd_date w = cd_cal_add_working_days(d, rng_int(&s->r, 0, 2));
        if (w > s->limit) return;
        bool complete = s->pl.warn == WARN_COMPLETE ||
                        (s->pl.warn == WARN_DRAW && rng_chance(&s->r, 0.7));
        const char *fmt = rng_pick(&s->r, complete ? demo_warning_complete : demo_warning_incomplete);
        cd_strbuf_reset(&s->text);
        cd_strbuf_printf(&s->text, fmt, long_date);
        cd_strbuf_printf(&s->enf, "      <warning id=\"W%ld\"", ++s->nw);
        attr_date(&s->enf, "date", w);
        attr(&s->enf, "failure", ids);
        cd_strbuf_add(&s->enf, ">");
        cd_strbuf_add_xml(&s->enf, cd_strbuf_str(&s->text));
        cd_strbuf_add(&s->enf, "</warning>\n");
        s->last_warning = w;
        return;
    }
    if (s->pl.lapse_days && d > s->as_of - s->pl.lapse_days) return;   /* not yet acted on */
    cd_date initiated = cd_cal_add_working_days(d, rng_int(&s->r, 2, 6));
    if (initiated > s->limit) return;   /* due after the export or the order's end */
    char word[32];
    const char *outcome = next_outcome(s, word, sizeof word);
    cd_date heard = cd_cal_sitting_on_or_after(initiated + rng_int(&s->r, 14, 28));
    bool pending = strcmp(outcome, "pending") == 0;
    if (!pending && heard > s->as_of) pending = true;
    else if (!pending && heard > s->limit) heard = sitting_on_or_before(s->limit);
    if (pending) outcome = "pending";
    /* The breach names the failures in the window not yet answered. */
    cd_strbuf_reset(&s->text);
    failures_in_window(s, d, &s->text);
    cd_strbuf_printf(&s->enf, "      <breach id=\"B%ld\"", ++s->nb);
    attr_date(&s->enf, "initiated", initiated);
    attr(&s->enf, "failures", cd_strbuf_str(&s->text));
    if (!pending) attr_date(&s->enf, "heard", heard);
    attr(&s->enf, "outcome", outcome);
    cd_strbuf_add(&s->enf, "/>\n");
    s->breaches++;
    add_note(s, initiated, "breach-statement", s->officer, rng_pick(&s->r, demo_note_breach));
    if (pending) { s->breach_open_until = FAR_FUTURE; return; }
    s->breach_open_until = heard;
    if (strcmp(outcome, "revoked") == 0) {
        s->ended = heard;
        s->end_reason = "revoked-non-compliance";
        s->limit = heard;
    } else if (strcmp(outcome, "warrant") == 0) {
        s->absconded = heard;
    } else {
        s->window_from = heard + 1;   /* the court has dealt with these failures */
    }
}

/* ---- appointments and tests ------------------------------------------------ */

typedef struct { int weekday, time, minutes; cd_appt_kind kind; } slot;
typedef struct { const slot *slots; int nslots; int test_days[2]; } week_shape;

/* The weekly shapes by intensity and phase: high about 20 hours on 5 days,
 * then 12 on 3; low (lower intensity) 12 on 2, then 5; medium 9 on 2, then 5. */
static const slot high_first[] = {
    {0, 600, 60, CD_APPT_PROBATION}, {0, 780, 180, CD_APPT_GROUP},
    {1, 600, 120, CD_APPT_TREATMENT}, {1, 810, 120, CD_APPT_GROUP},
    {2, 600, 240, CD_APPT_PROGRAMME},
    {3, 570, 30, CD_APPT_PRESCRIBING}, {3, 600, 90, CD_APPT_TREATMENT}, {3, 780, 120, CD_APPT_GROUP},
    {4, 630, 225, CD_APPT_GROUP},
};
static const slot high_after[] = {
    {0, 600, 60, CD_APPT_PROBATION}, {0, 780, 180, CD_APPT_GROUP},
    {2, 600, 120, CD_APPT_TREATMENT}, {2, 810, 120, CD_APPT_GROUP},
    {4, 600, 240, CD_APPT_PROGRAMME},
};
static const slot medium_first[] = {
    {1, 600, 60, CD_APPT_PROBATION}, {1, 780, 180, CD_APPT_GROUP},
    {3, 600, 120, CD_APPT_TREATMENT}, {3, 780, 180, CD_APPT_GROUP},
};
static const slot lower_after[] = {
    {1, 600, 60, CD_APPT_PROBATION}, {1, 780, 120, CD_APPT_GROUP},
    {3, 600, 120, CD_APPT_TREATMENT},
};
static const slot low_first[] = {
    {0, 600, 60, CD_APPT_PROBATION}, {0, 720, 240, CD_APPT_GROUP},
    {3, 600, 120, CD_APPT_TREATMENT}, {3, 780, 300, CD_APPT_PROGRAMME},
};
#define SHAPE(a, t0, t1) {a, (int)(sizeof a / sizeof a[0]), {t0, t1}}
static const week_shape shapes[3][2] = {
    /* low    */ {SHAPE(low_first, 0, 3), SHAPE(lower_after, 1, -1)},
    /* medium */ {SHAPE(medium_first, 1, 3), SHAPE(lower_after, 1, -1)},
    /* high   */ {SHAPE(high_first, 0, 3), SHAPE(high_after, 2, -1)},
};

static void add_appointment(sim *s, cd_date d, int time, int minutes, cd_appt_kind kind,
                            const char *with, cd_appt_outcome outcome, const char *reason,
                            cd_strbuf *fail_ids)
{
    long id = ++s->na;
    cd_strbuf_printf(&s->appts, "      <appointment id=\"A%ld\"", id);
    attr_date(&s->appts, "date", d);
    cd_strbuf_printf(&s->appts, " time=\"%02d:%02d\"", time / 60, time % 60);
    attr_int(&s->appts, "minutes", minutes);
    attr(&s->appts, "kind", cd_enum_name(CD_ENUM_APPT_KIND, kind));
    attr(&s->appts, "with", with);
    attr(&s->appts, "outcome", cd_enum_name(CD_ENUM_APPT_OUTCOME, outcome));
    if (reason) {
        cd_strbuf_add(&s->appts, ">\n");
        element(&s->appts, "        ", "reason", reason);
        cd_strbuf_add(&s->appts, "      </appointment>\n");
    } else {
        cd_strbuf_add(&s->appts, "/>\n");
    }
    if (outcome == CD_OUT_ABSENT_UNACCEPTABLE)
        cd_strbuf_printf(fail_ids, "%sA%ld", fail_ids->len ? " " : "", id);
}

static void add_result(sim *s, cd_substance sub, bool positive, cd_confirmation conf, bool prescribed)
{
    cd_strbuf_printf(&s->tests, "        <result substance=\"%s\" outcome=\"%s\"",
                     cd_enum_name(CD_ENUM_SUBSTANCE, sub), positive ? "positive" : "negative");
    if (positive && conf != CD_CONFIRM_NONE)
        attr(&s->tests, "confirmation", cd_enum_name(CD_ENUM_CONFIRMATION, conf));
    if (prescribed) cd_strbuf_add(&s->tests, " prescribed=\"true\"");
    cd_strbuf_add(&s->tests, "/>\n");
}

static double clamp01(double x) { return x < 0.02 ? 0.02 : x > 0.97 ? 0.97 : x; }

/* The chance a test is negative for opiates or cocaine at engagement e:
 * rises from about 20% at the caseload's usual start to over 30% by month 12. */
static double p_negative(sim *s, cd_substance sub, double e)
{
    bool uses = sub == CD_SUB_OPIATES ? s->drugs != DRUGS_CRACK : s->drugs != DRUGS_HEROIN;
    if (!uses) return 0.93;
    return clamp01(0.46 * e - (sub == CD_SUB_COCAINE ? 0.03 : 0));
}

/* Officer's decision on persistent positives: a failure-decision record
 * naming the last three positive tests, answered as a failure. */
static void maybe_decide(sim *s, cd_date d)
{
    if (!s->pl.decisions || s->pos_streak < 4) return;
    if (s->last_decision != CD_DATE_NONE && d - s->last_decision < 56) return;
    cd_date dd = cd_cal_add_working_days(d, 2);
    if (dd > s->limit) return;
    char ids[96], did[24];
    snprintf(ids, sizeof ids, "%s %s %s", s->pos_ids[0], s->pos_ids[1], s->pos_ids[2]);
    snprintf(did, sizeof did, "D%ld", ++s->nd);
    cd_strbuf_printf(&s->enf, "      <failure-decision id=\"%s\"", did);
    attr_date(&s->enf, "date", dd);
    attr(&s->enf, "tests", ids);
    cd_strbuf_add(&s->enf, ">");
    cd_strbuf_add_xml(&s->enf, rng_pick(&s->r, demo_decision_text));
    cd_strbuf_add(&s->enf, "</failure-decision>\n");
    s->last_decision = dd;
    s->pos_streak = 0;
    on_failure(s, dd, did);
}

/* One test on day d; absent: the person did not come (missed). Appends
 * the test id to fail_ids when the test is an unacceptable failure. */
static void add_test(sim *s, cd_date d, double e, bool absent, cd_strbuf *fail_ids)
{
    long id = ++s->nt;
    bool quiet = s->pl.quiet;
    cd_test_status st = CD_TEST_TESTED;
    double x = rng_unit(&s->r);
    if (absent) st = CD_TEST_MISSED;
    else if (s->forced_adulterated && d - s->made > 20) { st = CD_TEST_ADULTERATED; s->forced_adulterated = false; }
    else if (s->forced_substituted && d - s->made > 35) { st = CD_TEST_SUBSTITUTED; s->forced_substituted = false; }
    else if (!quiet && x < 0.002 + 0.03 * pow(1 - e, 4)) st = CD_TEST_REFUSED;
    else if (!quiet && x < 0.008 + 0.07 * pow(1 - e, 4)) st = CD_TEST_MISSED;
    else if (x < 0.12) st = CD_TEST_DILUTE;
    else if (x < 0.13) st = CD_TEST_INVALID;
    else if (!quiet && x < 0.133) st = CD_TEST_ADULTERATED;
    else if (!quiet && x < 0.135) st = CD_TEST_SUBSTITUTED;
    else if (x < 0.18 || s->admitted_left > 0) st = CD_TEST_ADMITTED;
    if (s->refusal_left && s->breaches > 0 && s->breach_open_until < d) {
        st = CD_TEST_REFUSED;
        s->refusal_left = false;
    }
    if (st == CD_TEST_ADMITTED && s->admitted_left > 0) s->admitted_left--;
    const char *method = rng_chance(&s->r, 0.7) ? "urine" : "oral-fluid";
    cd_strbuf_printf(&s->tests, "      <test id=\"T%ld\"", id);
    attr_date(&s->tests, "date", d);
    attr(&s->tests, "method", method);
    attr(&s->tests, "status", cd_enum_name(CD_ENUM_TEST_STATUS, st));
    if (st != CD_TEST_TESTED && st != CD_TEST_ADMITTED) {
        cd_strbuf_add(&s->tests, "/>\n");
        if (st == CD_TEST_REFUSED || st == CD_TEST_MISSED || st == CD_TEST_ADULTERATED ||
            st == CD_TEST_SUBSTITUTED)
            cd_strbuf_printf(fail_ids, "%sT%ld", fail_ids->len ? " " : "", id);
        return;
    }
    cd_strbuf_add(&s->tests, ">\n");
    if (st == CD_TEST_ADMITTED) {
        /* A written admission of recent use stands in for the test. */
        add_result(s, s->drugs == DRUGS_CRACK ? CD_SUB_COCAINE : CD_SUB_OPIATES, true,
                   CD_CONFIRM_ADMITTED, false);
        if (s->drugs == DRUGS_HEROIN_CRACK && rng_chance(&s->r, 0.5))
            add_result(s, CD_SUB_COCAINE, true, CD_CONFIRM_ADMITTED, false);
        cd_strbuf_add(&s->tests, "      </test>\n");
        return;
    }
    bool opi_pos = !rng_chance(&s->r, p_negative(s, CD_SUB_OPIATES, e));
    bool coc_pos = !rng_chance(&s->r, p_negative(s, CD_SUB_COCAINE, e));
    cd_confirmation lab = rng_chance(&s->r, 0.35) ? CD_CONFIRM_LABORATORY : CD_CONFIRM_NONE;
    add_result(s, CD_SUB_OPIATES, opi_pos, lab, false);
    add_result(s, CD_SUB_COCAINE, coc_pos, lab, false);
    if (s->rx == RX_METHADONE) add_result(s, CD_SUB_METHADONE, true, CD_CONFIRM_NONE, true);
    else if (rng_chance(&s->r, 0.2)) add_result(s, CD_SUB_METHADONE, rng_chance(&s->r, 0.08), lab, false);
    if (s->rx == RX_BUPRENORPHINE) add_result(s, CD_SUB_BUPRENORPHINE, true, CD_CONFIRM_NONE, true);
    if (rng_chance(&s->r, 0.25)) add_result(s, CD_SUB_BENZODIAZEPINES, rng_chance(&s->r, 0.4 * (1 - e)), lab, false);
    if (rng_chance(&s->r, 0.15)) add_result(s, CD_SUB_CANNABIS, rng_chance(&s->r, 0.5), CD_CONFIRM_NONE, false);
    if (rng_chance(&s->r, 0.03)) add_result(s, CD_SUB_AMPHETAMINES, false, CD_CONFIRM_NONE, false);
    cd_strbuf_add(&s->tests, "      </test>\n");
    if (opi_pos && s->drugs != DRUGS_CRACK) {
        memmove(s->pos_ids[0], s->pos_ids[1], sizeof s->pos_ids[0] * 2);
        snprintf(s->pos_ids[2], sizeof s->pos_ids[2], "T%ld", id);
        s->pos_streak++;
        maybe_decide(s, d);
    } else {
        s->pos_streak = 0;
    }
}

/* Is day d the next forced unacceptable-absence day? Consumes it. */
static bool forced_day(sim *s, cd_date d, int nslots)
{
    if (s->forced_next >= MAX_FORCED || !s->pl.forced[s->forced_next]) return false;
    cd_date target = s->as_of - s->pl.forced[s->forced_next];
    if (d < target) return false;
    if (s->pl.forced_three && s->forced_next == 0 && nslots < 3) return false;
    s->forced_next++;
    return true;
}

/* Appointments and tests of one order day. */
static void simulate_day(sim *s, cd_date d)
{
    int wd = cd_date_weekday(d);
    bool first = (d - s->made) < s->intensive_weeks * 7;
    int level = s->high ? 2 : s->low ? 0 : 1;
    const week_shape *shape = &shapes[level][first ? 0 : 1];
    const slot *today[16];
    int n = 0;
    for (int i = 0; i < shape->nslots; i++)
        if (shape->slots[i].weekday == wd) today[n++] = &shape->slots[i];
    /* Tests: twice a week in the first weeks (weekly for DRR low), then weekly. */
    bool twice = first && !(s->low && !s->dtto);
    bool test_day = wd == shape->test_days[0] || (twice && wd == shape->test_days[1]);
    if (n == 0 && !test_day) return;
    double e = engagement(s, d);
    bool forced = forced_day(s, d, n + (test_day ? 1 : 0));
    bool quiet = s->pl.quiet;
    double chaos = pow(1 - e, 4);   /* failures rise steeply as engagement falls */
    double bad = 0.1 * chaos + 0.001;
    bool unacceptable_day = forced || (!quiet && rng_chance(&s->r, bad));
    bool acceptable_day = !unacceptable_day && rng_chance(&s->r, 0.025);
    const char *acc_reason = acceptable_day ? rng_pick(&s->r, demo_reason_acceptable) : NULL;
    const char *unacc_reason = unacceptable_day && rng_chance(&s->r, 0.6)
                               ? rng_pick(&s->r, demo_reason_unacceptable) : NULL;
    cd_strbuf fail_ids = CD_STRBUF_INIT;
    if (test_day) {
        add_appointment(s, d, 555, 15, CD_APPT_TESTING, s->area->provider,
                        unacceptable_day ? CD_OUT_ABSENT_UNACCEPTABLE
                        : acceptable_day ? CD_OUT_ABSENT_ACCEPTABLE : CD_OUT_ATTENDED,
                        acceptable_day ? acc_reason : unacc_reason, &fail_ids);
    }
    for (int i = 0; i < n; i++) {
        const slot *sl = today[i];
        const char *with = sl->kind == CD_APPT_PROBATION ? s->officer : s->area->provider;
        for (int v = 0; v < s->p->volume; v++) {
            int time = v ? 1020 + 20 * v : sl->time;   /* extra sessions from 17:20 */
            int minutes = v ? 15 : sl->minutes;
            cd_appt_kind kind = v ? CD_APPT_OTHER : sl->kind;
            cd_appt_outcome out = CD_OUT_ATTENDED;
            const char *reason = NULL;
            if (unacceptable_day) { out = CD_OUT_ABSENT_UNACCEPTABLE; reason = i == 0 ? unacc_reason : NULL; }
            else if (acceptable_day) { out = CD_OUT_ABSENT_ACCEPTABLE; reason = acc_reason; }
            else {
                double x = rng_unit(&s->r);
                if (x < 0.012) out = CD_OUT_RESCHEDULED;
                else if (x < 0.025) out = CD_OUT_CANCELLED_BY_SERVICE;
                else if (x < 0.025 + 0.08 * (1 - e)) out = CD_OUT_LATE;
                else if (!quiet && x < 0.025 + 0.08 * (1 - e) + 0.05 * chaos)
                    out = CD_OUT_ABSENT_UNACCEPTABLE;
            }
            add_appointment(s, d, time, minutes, kind, with, out, reason, &fail_ids);
        }
    }
    if (test_day && !acceptable_day)
        for (int v = 0; v < s->p->volume; v++)
            add_test(s, d, e, unacceptable_day && v == 0, &fail_ids);
    if (fail_ids.len) {
        on_failure(s, d, cd_strbuf_str(&fail_ids));
        if (rng_chance(&s->r, unacceptable_day ? 0.7 : 0.3))
            add_note(s, d + 1, "contact-attempt", s->officer, rng_pick(&s->r, demo_note_contact));
    }
    cd_strbuf_free(&fail_ids);
}

/* ---- reviews ------------------------------------------------------------------- */

/* The k-th scheduled review (1-based) as proposed: monthly to month 4 then
 * every 3 months; quarterly: month 1 then every 3 months. */
static cd_date scheduled_review(sim *s, bool monthly, int k)
{
    int m = monthly ? (k <= 4 ? k : 4 + 3 * (k - 4)) : (k == 1 ? 1 : 1 + 3 * (k - 1));
    return cd_cal_sitting_on_or_after(cd_date_add_months(s->made, m));
}

static void write_reviews(sim *s, const char *hearings, cd_date last)
{
    bool monthly = strcmp(hearings, "monthly") == 0;
    bool paper_only = strcmp(hearings, "none") == 0;
    int k = 1;
    cd_date d = scheduled_review(s, monthly, 1), prev = s->made;
    while (d <= last) {
        int band = band_at(s, d);
        cd_date nd;
        while ((nd = scheduled_review(s, monthly, k)) <= d) k++;
        bool fixed = rng_chance(&s->r, 0.4);
        if (band == 2 && rng_chance(&s->r, 0.5)) { nd = cd_cal_sitting_on_or_after(d + 14); fixed = true; }
        period_notes(s, prev, d);
        bool paper = paper_only || (band == 0 && d - s->made > 120 && rng_chance(&s->r, 0.5));
        double x = rng_unit(&s->r);
        const char *outcome = x < 0.04 ? "adjourned" : x < 0.08 ? "amend" : "continue";
        cd_strbuf_printf(&s->reviews, "      <review id=\"R%ld\"", ++s->nr);
        attr_date(&s->reviews, "date", d);
        attr(&s->reviews, "kind", paper ? "paper" : "hearing");
        attr(&s->reviews, "court", s->court);
        attr(&s->reviews, "sentencer", rng_chance(&s->r, 0.9) ? s->sentencer
                                       : s->area->sentencers[rng_int(&s->r, 0, 2)]);
        attr(&s->reviews, "outcome", outcome);
        if (fixed && nd <= s->sched_end) attr_date(&s->reviews, "next", nd);
        cd_strbuf_add(&s->reviews, ">\n");
        if (rng_chance(&s->r, 0.9))
            element(&s->reviews, "        ", "comments", demo_comments[band][rng_int(&s->r, 0, 3)]);
        if (rng_chance(&s->r, 0.8))
            element(&s->reviews, "        ", "directions", demo_directions[band][rng_int(&s->r, 0, 2)]);
        cd_strbuf_add(&s->reviews, "      </review>\n");
        prev = d;
        d = nd;
    }
    /* Notes towards the coming review, when it is near: written before the
     * export (the last of them on its date at the latest), so that the
     * review the demo renders for that hearing is the officer's final, not
     * a draft lacking what was not yet written. */
    if (s->ended == CD_DATE_NONE && s->absconded == CD_DATE_NONE && d > s->as_of &&
        d - s->as_of <= 21)
        period_notes(s, prev, d - 4 > s->limit ? s->limit + 4 : d);
}

/* ---- person, order, staff, assessment ------------------------------------------ */

static void write_person(sim *s, long n, cd_strbuf *b)
{
    case_plan *pl = &s->pl;
    bool female = pl->sex == 'F';
    const char *given = pl->given ? pl->given : rng_pick(&s->r, female ? demo_given_female : demo_given_male);
    const char *family = pl->family ? pl->family : rng_pick(&s->r, demo_family);
    cd_strbuf_printf(b, "    <person id=\"P%06ld\">\n", 100000 + n);
    element(b, "      ", "given-name", given);
    if (!pl->family && rng_chance(&s->r, 0.08)) {
        cd_strbuf_reset(&s->text);
        cd_strbuf_printf(&s->text, "%s-%s", family, rng_pick(&s->r, demo_family));
        element(b, "      ", "family-name", cd_strbuf_str(&s->text));
    } else {
        element(b, "      ", "family-name", family);
    }
    /* Early 30s on the whole: 18 to 55 when assessed for the court (a month
     * before the order, or lately for a PSR still to be heard), so 18 or
     * over when sentenced. Someone whose earlier order was a DTTO was 18 by
     * the end of 2002, when it could have been made. */
    cd_date assessed = (pl->psr_only ? s->as_of : s->made) - 30;
    int age = 18 + (int)(37 * pow(rng_unit(&s->r), 1.6));
    cd_date dob = cd_date_add_months(assessed, -12 * age - rng_int(&s->r, 0, 11)) - rng_int(&s->r, 0, 27);
    cd_date dtto_adult = cd_date_from_ymd(1984, 12, 31);
    if (pl->prev_dtto_revoked && dob > dtto_adult)
        dob = dtto_adult - rng_int(&s->r, 0, 3650);
    s->dob = dob;
    char iso[11];
    cd_date_format_iso(dob, iso);
    element(b, "      ", "date-of-birth", iso);
    element(b, "      ", "sex", pl->sex == 'F' ? "female" : pl->sex == 'U' ? "unknown" : "male");
    if (!pl->no_ethnicity) element(b, "      ", "ethnicity", rng_pick(&s->r, demo_ethnicity));
    const char *acc = pl->accommodation;
    if (!acc) {
        double x = rng_unit(&s->r);
        acc = x < 0.45 ? "settled" : x < 0.7 ? "temporary" : x < 0.82 ? "homeless"
            : x < 0.9 ? "unknown" : "none";
    }
    if (strcmp(acc, "none") != 0) {
        static const char *const texts[][2] = {
            {"settled", "Own tenancy"}, {"temporary", "Hostel"},
            {"homeless", "No fixed abode; sleeping rough"}, {"unknown", NULL}};
        const char *text = NULL;
        for (size_t i = 0; i < 4; i++)
            if (strcmp(texts[i][0], acc) == 0) text = texts[i][1];
        cd_strbuf_add(b, "      <accommodation");
        attr(b, "status", acc);
        if (text) { cd_strbuf_add(b, ">"); cd_strbuf_add_xml(b, text); cd_strbuf_add(b, "</accommodation>\n"); }
        else cd_strbuf_add(b, "/>\n");
    }
    cd_strbuf_add(b, "    </person>\n");
}

static const char *intensity_word(char c) { return c == 'h' ? "high" : c == 'm' ? "medium" : "low"; }

static void write_order(sim *s, cd_strbuf *b, const char *hearings)
{
    case_plan *pl = &s->pl;
    cd_strbuf_add(b, "    <order id=\"O1\"");
    attr(b, "type", s->dtto ? "DTTO" : "DRR");
    attr(b, "intensity", intensity_word(pl->intensity));
    attr_date(b, "made", s->made);
    attr_int(b, "months", pl->months);
    attr(b, "court", s->court);
    attr(b, "sentencer", s->sentencer);
    attr(b, "review-hearings", hearings);
    attr(b, "rules", pl->rules);
    cd_strbuf_add(b, ">\n");
    element(b, "      ", "offence", rng_pick(&s->r, demo_offences));
    if (rng_chance(&s->r, 0.4)) element(b, "      ", "offence", rng_pick(&s->r, demo_offences));
    cd_strbuf_reset(&s->text);
    cd_strbuf_printf(&s->text, "%s, %d months, with %s", s->dtto ? "Drug treatment and testing"
                     : "Drug rehabilitation requirement", pl->months, s->area->provider);
    element(b, "      ", "requirement", cd_strbuf_str(&s->text));
    if (!s->dtto && rng_chance(&s->r, 0.5)) {
        cd_strbuf_reset(&s->text);
        cd_strbuf_printf(&s->text, "Supervision, %d months", pl->months);
        element(b, "      ", "requirement", cd_strbuf_str(&s->text));
    }
    if (s->ended != CD_DATE_NONE) {
        cd_strbuf_add(b, "      <ended");
        attr_date(b, "date", s->ended);
        attr(b, "reason", s->end_reason);
        cd_strbuf_add(b, "/>\n");
    }
    cd_strbuf_add(b, "    </order>\n");
}

static void write_staff(sim *s, cd_strbuf *b)
{
    cd_strbuf_add(b, "    <staff>\n      <member role=\"offender-manager\"");
    attr(b, "name", s->officer);
    cd_strbuf_printf(b, " phone=\"0%d %04d %04d\"/>\n", rng_int(&s->r, 113, 191),
                     rng_int(&s->r, 0, 9999), rng_int(&s->r, 0, 9999));
    cd_strbuf_add(b, "      <member role=\"treatment-keyworker\"");
    attr(b, "name", s->keyworker);
    attr(b, "organisation", s->area->provider);
    cd_strbuf_add(b, "/>\n    </staff>\n");
}

/* Whole years from dob to d. */
static int age_on(cd_date dob, cd_date d)
{
    int y0, m0, d0, y1, m1, d1;
    cd_date_to_ymd(dob, &y0, &m0, &d0);
    cd_date_to_ymd(d, &y1, &m1, &d1);
    return y1 - y0 - (m1 < m0 || (m1 == m0 && d1 < d0));
}

/* A day in [lo, hi] drawn for an earlier order (a sitting day), or
 * CD_DATE_NONE when the range is empty. */
static cd_date draw_between(sim *s, cd_date lo, cd_date hi)
{
    if (hi < lo) return CD_DATE_NONE;
    cd_date d = sitting_on_or_before(lo + rng_int(&s->r, 0, hi - lo));
    return d < lo ? cd_cal_sitting_on_or_after(lo) : d;
}

static void write_assessment(sim *s, cd_strbuf *b, cd_date date)
{
    case_plan *pl = &s->pl;
    bool partial = pl->assessment == ASSESS_PARTIAL;
    cd_strbuf_add(b, "    <assessment");
    attr_date(b, "date", date);
    attr(b, "author", s->officer);
    cd_strbuf_add(b, ">\n");
    const char *routes[] = {"smoked", "injected", "smoked", "snorted"};
    int age = age_on(s->dob, date);
    int first_age = rng_int(&s->r, 14, age - 1 < 26 ? age - 1 : 26);   /* before now */
    if (s->drugs != DRUGS_CRACK) {
        cd_strbuf_printf(b, "      <drug-use substance=\"heroin\" primary=\"true\" route=\"%s\" "
                         "frequency=\"%s\" first-age=\"%d\" spend-per-week=\"%d\"/>\n",
                         routes[rng_int(&s->r, 0, 1)], rng_chance(&s->r, 0.8) ? "daily" : "most-days",
                         first_age, 10 * rng_int(&s->r, 10, 50));
    }
    if (s->drugs != DRUGS_HEROIN) {
        cd_strbuf_printf(b, "      <drug-use substance=\"crack\"%s route=\"smoked\" frequency=\"%s\" "
                         "spend-per-week=\"%d\"/>\n", s->drugs == DRUGS_CRACK ? " primary=\"true\"" : "",
                         rng_chance(&s->r, 0.5) ? "daily" : "most-days", 10 * rng_int(&s->r, 5, 40));
    }
    if (rng_chance(&s->r, 0.25))
        cd_strbuf_printf(b, "      <drug-use substance=\"benzodiazepines\" route=\"oral\" "
                         "frequency=\"occasional\"/>\n");
    if (!partial)
        cd_strbuf_printf(b, "      <alcohol units-per-week=\"%d\" audit-score=\"%d\"/>\n",
                         rng_int(&s->r, 0, 40), rng_int(&s->r, 1, 18));
    int drugs_score = pl->high_low_oasys ? 3 : rng_int(&s->r, 4, 8);
    if (!partial || pl->high_low_oasys)
        cd_strbuf_printf(b, "      <oasys drugs=\"%d\" alcohol=\"%d\"/>\n", drugs_score, rng_int(&s->r, 0, 6));
    element(b, "      ", "offending-link", rng_pick(&s->r, demo_offending_link));
    if (!partial) element(b, "      ", "dependency", rng_pick(&s->r, demo_dependency));
    int stage = pl->no_consent ? 0 : rng_int(&s->r, 1, 4);
    cd_strbuf_printf(b, "      <motivation stage=\"%s\">", cd_enum_name(CD_ENUM_STAGE, stage));
    cd_strbuf_add_xml(b, demo_motivation[stage]);
    cd_strbuf_add(b, "</motivation>\n");
    if (!partial) {
        int eps = rng_int(&s->r, 0, 2);
        if (eps) {
            cd_strbuf_add(b, "      <treatment-history>\n");
            for (int i = 0; i < eps; i++) {
                cd_date from = date - 365 * rng_int(&s->r, 1 + 3 * i, 3 + 3 * i) - rng_int(&s->r, 0, 200);
                if (from < cd_date_add_months(s->dob, 12 * 17)) continue;   /* as an adult */
                cd_strbuf_add(b, "        <episode");
                attr_date(b, "from", from);
                attr_date(b, "to", from + rng_int(&s->r, 30, 240));
                attr(b, "provider", s->area->provider);
                attr(b, "kind", rng_pick(&s->r, demo_episode_kind));
                attr(b, "outcome", rng_pick(&s->r, demo_episode_outcome));
                cd_strbuf_add(b, "/>\n");
            }
            cd_strbuf_add(b, "      </treatment-history>\n");
        }
    }
    if (pl->prev_dtto_revoked || (!partial && rng_chance(&s->r, 0.3))) {
        /* An earlier order made when the person was an adult, at least a
         * year before this assessment, in its own era: a DTTO before April
         * 2005, a DRR after. None when no such date exists. */
        cd_date adult = cd_date_add_months(s->dob, 12 * 18);
        cd_date lo = adult, hi = date - 365 - rng_int(&s->r, 0, 300);
        cd_date drr_first = cd_date_from_ymd(2005, 4, 4);
        if (pl->prev_dtto_revoked) {
            if (lo < DTTO_FIRST) lo = DTTO_FIRST;
            if (hi > DTTO_LAST) hi = DTTO_LAST;
        } else if (lo < drr_first) {
            lo = drr_first;
        }
        if (hi - lo > 365 * 6) lo = hi - 365 * 6;   /* within the last few years */
        cd_date made = draw_between(s, lo, hi);
        if (made != CD_DATE_NONE) {
            cd_strbuf_add(b, "      <previous-orders>\n");
            cd_strbuf_add(b, "        <previous");
            attr(b, "type", pl->prev_dtto_revoked ? "DTTO" : "DRR");
            attr_date(b, "made", made);
            attr(b, "outcome", pl->prev_dtto_revoked ? "revoked-non-compliance"
                               : rng_chance(&s->r, 0.5) ? "completed" : "revoked-conviction");
            cd_strbuf_add(b, "/>\n      </previous-orders>\n");
        }
    }
    if (!partial) {
        cd_strbuf_add(b, "      <health");
        attr(b, "mental", rng_pick(&s->r, demo_health_mental));
        attr(b, "physical", rng_pick(&s->r, demo_health_physical));
        cd_strbuf_add(b, "/>\n");
    }
    cd_strbuf_printf(b, "      <consent given=\"%s\"", pl->no_consent ? "false" : "true");
    attr_date(b, "date", date);
    cd_strbuf_add(b, "/>\n");
    if (!pl->no_consent || rng_chance(&s->r, 0.5)) {
        char intensity = pl->high_low_oasys ? 'h' : pl->intensity ? pl->intensity : 'h';
        cd_strbuf_add(b, "      <proposal");
        attr(b, "type", s->dtto ? "DTTO" : "DRR");
        attr(b, "intensity", intensity_word(intensity));
        attr_int(b, "months", pl->months ? pl->months : 12);
        attr(b, "reviews", intensity == 'h' ? "monthly" : "quarterly");
        attr(b, "provider", s->area->provider);
        cd_strbuf_add(b, ">");
        cd_strbuf_add_xml(b, rng_pick(&s->r, demo_proposal_text));
        cd_strbuf_add(b, "</proposal>\n");
    }
    cd_strbuf_add(b, "    </assessment>\n");
}

/* ---- one case ------------------------------------------------------------------ */

static void sim_reset(sim *s, const cd_demo_params *p, long n)
{
    cd_strbuf keep[7] = {s->appts, s->tests, s->enf, s->reviews, s->notes, s->text, s->head};
    memset(s, 0, sizeof *s);
    s->appts = keep[0]; s->tests = keep[1]; s->enf = keep[2]; s->reviews = keep[3];
    s->notes = keep[4]; s->text = keep[5]; s->head = keep[6];
    cd_strbuf_reset(&s->appts); cd_strbuf_reset(&s->tests); cd_strbuf_reset(&s->enf);
    cd_strbuf_reset(&s->reviews); cd_strbuf_reset(&s->notes); cd_strbuf_reset(&s->head);
    s->p = p;
    s->r.state = p->seed * 0xD1342543DE82EF95ull + (uint64_t)n * 0x9E3779B97F4A7C15ull;
    rng_u64(&s->r);
    s->as_of = p->as_of;
    s->ended = s->planned_end = s->absconded = s->last_warning = s->last_decision = CD_DATE_NONE;
    s->breach_open_until = INT32_MIN / 2;
    s->window_from = INT32_MIN / 2;
}

/* Plans case n: the scenario, drugs, area, staff and court (the draws that
 * come before the simulation). */
static void plan_case(sim *s, long n)
{
    case_plan *pl = &s->pl;
    if (n <= (long)NSCRIPTED) *pl = scripted[n - 1];
    else plan_random(&s->r, n, pl);
    if (pl->sex == 0) pl->sex = 'M';
    if (!pl->drugs) {
        double x = rng_unit(&s->r);
        pl->drugs = x < 0.72 ? DRUGS_HEROIN_CRACK : x < 0.9 ? DRUGS_HEROIN : DRUGS_CRACK;
    }
    if (!pl->rx) {
        double x = rng_unit(&s->r);
        pl->rx = pl->drugs == DRUGS_CRACK || x < 0.35 ? RX_NONE : x < 0.85 ? RX_METHADONE : RX_BUPRENORPHINE;
    }
    if (s->p->order_months) pl->months = s->p->order_months;
    s->drugs = pl->drugs;
    s->rx = pl->rx;
    size_t nareas = 0;
    while (demo_areas[nareas].area) nareas++;
    s->area = &demo_areas[rng_int(&s->r, 0, (int)nareas - 1)];
    s->officer = rng_pick(&s->r, demo_officers);
    s->keyworker = rng_pick(&s->r, demo_keyworkers);
    s->dtto = pl->type == 'T';
    s->high = pl->intensity == 'h';
    s->low = pl->intensity == 'l';
    s->court = s->high || s->dtto ? s->area->crown_court : s->area->magistrates_court;
    s->sentencer = s->area->sentencers[rng_int(&s->r, 0, 2)];
    s->outcomes_left = pl->outcomes;
    s->forced_adulterated = pl->adulterated;
    s->forced_substituted = pl->substituted;
    s->admitted_left = pl->admitted ? 2 : 0;
    s->long_note_left = pl->long_note;
    s->refusal_left = pl->refuse_after_breach;
}

static void build_case(sim *s, long n)
{
    case_plan *pl = &s->pl;
    plan_case(s, n);
    if (pl->psr_only) return;

    if (pl->made) cd_date_parse(pl->made, &s->made);
    else if (pl->made_on) s->made = pl->made_on;
    else s->made = s->as_of - pl->made_ago;
    s->made = sitting_on_or_before(s->made);          /* a court made it */
    s->sched_end = cd_date_add_months(s->made, pl->months) - 1;
    s->intensive_weeks = s->dtto ? 13 : 16;
    /* drr-2020 answers a failure after a warning; the others count two failures. */
    const char *rules = pl->rules;
    if (!rules) rules = s->dtto ? "dtto-2004" : s->made < cd_date_from_ymd(2020, 12, 1) ? "drr-2005" : "drr-2020";
    s->window_after_warning = strcmp(rules, "drr-2020") == 0;
    s->limit = s->as_of < s->sched_end ? s->as_of : s->sched_end;
    if (pl->end_reason) {
        int len = s->sched_end - s->made;
        int after = pl->end_after > 0 ? pl->end_after
                  : pl->end_after == -2 ? len * 3 / 4 : rng_int(&s->r, len / 5, len * 4 / 5);
        if (after < len && s->made + after <= s->as_of) {
            s->planned_end = s->made + after;
            /* the court decides an early end (good progress, a new conviction) */
            if (strcmp(pl->end_reason, "good-progress") == 0 ||
                strcmp(pl->end_reason, "revoked-conviction") == 0)
                s->planned_end = sitting_on_or_before(s->planned_end);
            if (s->planned_end < s->limit) s->limit = s->planned_end;
        }
    }
    /* First contacts: probation within 1 working day, the provider within 2. */
    cd_strbuf none = CD_STRBUF_INIT;
    cd_date first_probation = cd_cal_add_working_days(s->made, 1);
    cd_date first_treatment = cd_cal_add_working_days(s->made, pl->late_treatment_contact ? 4 : 2);
    if (first_probation <= s->limit)
        add_appointment(s, first_probation, 600, 60, CD_APPT_PROBATION, s->officer, CD_OUT_ATTENDED, NULL, &none);
    if (first_treatment <= s->limit)
        add_appointment(s, first_treatment, 630, 90, CD_APPT_TREATMENT, s->area->provider, CD_OUT_ATTENDED, NULL, &none);
    for (cd_date d = first_treatment + 1; d <= s->limit; d++) {
        if (s->absconded != CD_DATE_NONE && d >= s->absconded) break;
        simulate_day(s, d);
    }
    cd_strbuf_free(&none);
    if (s->ended == CD_DATE_NONE) {
        if (s->planned_end != CD_DATE_NONE && s->absconded == CD_DATE_NONE) {
            s->ended = s->planned_end;
            s->end_reason = pl->end_reason;
        } else if (s->absconded == CD_DATE_NONE && s->sched_end <= s->as_of) {
            s->ended = s->sched_end;
            s->end_reason = "completed";
        } else if (s->dtto) {
            /* A DTTO's warrant was executed long ago: arrested within
             * months, back before the court, the order revoked. */
            cd_date back = s->absconded + rng_int(&s->r, 30, 300);
            s->ended = sitting_on_or_before(back < s->as_of ? back : s->as_of);
            s->end_reason = "revoked-non-compliance";
        }
    }
    cd_date last = s->limit;
    if (s->absconded != CD_DATE_NONE && s->absconded < last) last = s->absconded;
    const char *hearings = pl->hearings ? pl->hearings : (s->high ? "monthly" : "quarterly");
    write_reviews(s, hearings, last);
}

static void write_case(sim *s, long n, FILE *out)
{
    case_plan *pl = &s->pl;
    char ref[32];
    cd_demo_case_ref(n, ref, sizeof ref);
    cd_strbuf *b = &s->head;
    cd_strbuf_add(b, "  <case");
    attr(b, "ref", ref);
    attr(b, "area", s->area->area);
    attr(b, "team", s->area->team);
    cd_strbuf_add(b, ">\n");
    write_person(s, n, b);
    const char *hearings = pl->hearings ? pl->hearings : (s->high ? "monthly" : "quarterly");
    if (!pl->psr_only) write_order(s, b, hearings);
    write_staff(s, b);
    fputs(cd_strbuf_str(b), out);
    cd_strbuf_reset(b);
    static const char *const sections[] = {"appointments", "drug-tests", "enforcement", "reviews", "notes"};
    const cd_strbuf *bufs[] = {&s->appts, &s->tests, &s->enf, &s->reviews, &s->notes};
    for (int i = 0; i < 5; i++) {
        if (!bufs[i]->len) continue;
        fprintf(out, "    <%s>\n", sections[i]);
        fwrite(bufs[i]->s, 1, bufs[i]->len, out);
        fprintf(out, "    </%s>\n", sections[i]);
    }
    if (pl->assessment != ASSESS_NONE) {
        cd_date date = pl->psr_only ? s->as_of - rng_int(&s->r, 2, 20) : s->made - rng_int(&s->r, 10, 28);
        write_assessment(s, b, date);
        fputs(cd_strbuf_str(b), out);
        cd_strbuf_reset(b);
    }
    fputs("  </case>\n", out);
}

const char *cd_demo_case_officer(const cd_demo_params *p, long n)
{
    sim s;
    memset(&s, 0, sizeof s);
    sim_reset(&s, p, n);
    plan_case(&s, n);
    const char *officer = s.officer;
    cd_strbuf *bufs[] = {&s.appts, &s.tests, &s.enf, &s.reviews, &s.notes, &s.text, &s.head};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) cd_strbuf_free(bufs[i]);
    return officer;
}

int cd_demo_write_records(FILE *out, const cd_demo_params *p, cd_error *err)
{
    if (p->cases < 1 || p->cases > CD_DEMO_MAX_CASES)
        return cd_error_set(err, CD_EUSAGE, "the number of cases must be 1 to %d", CD_DEMO_MAX_CASES);
    if (p->order_months && (p->order_months < 6 || p->order_months > 36))
        return cd_error_set(err, CD_EUSAGE, "an order's length must be 6 to 36 months");
    if (p->volume < 1 || p->volume > CD_DEMO_MAX_VOLUME)
        return cd_error_set(err, CD_EUSAGE, "the volume factor must be 1 to %d", CD_DEMO_MAX_VOLUME);
    if (p->as_of < cd_date_from_ymd(2021, 1, 1) || p->as_of > cd_date_from_ymd(2099, 12, 31))
        return cd_error_set(err, CD_EUSAGE, "the export date must be between 2021-01-01 and 2099-12-31");
    char iso[11];
    cd_date_format_iso(p->as_of, iso);
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<case-records xmlns=\"urn:courtdocs:case-records:1\" exported=\"%sT08:30:00Z\" "
                 "source=\"courtdocs demo (synthetic; seed %llu)\">\n",
            iso, (unsigned long long)p->seed);
    sim s;
    memset(&s, 0, sizeof s);
    for (long n = 1; n <= p->cases && !ferror(out); n++) {
        sim_reset(&s, p, n);
        build_case(&s, n);
        write_case(&s, n, out);
    }
    fputs("</case-records>\n", out);
    cd_strbuf_free(&s.appts); cd_strbuf_free(&s.tests); cd_strbuf_free(&s.enf);
    cd_strbuf_free(&s.reviews); cd_strbuf_free(&s.notes); cd_strbuf_free(&s.text);
    cd_strbuf_free(&s.head);
    if (fflush(out) != 0 || ferror(out))
        return cd_error_set(err, CD_EGENERAL, "could not write the demo case records (disk full?)");
    return CD_OK;
}

int cd_demo_write_records_file(const char *path, const cd_demo_params *p, cd_error *err)
{
    char tmp[4096];
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) : 1;
    if (snprintf(tmp, sizeof tmp, "%.*s/.courtdocs-XXXXXX", dirlen, slash ? path : ".") >= (int)sizeof tmp)
        return cd_error_set(err, CD_EUSAGE, "%s: the path is too long", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return cd_error_set(err, CD_EGENERAL, "%s: cannot create a file in that folder: %s",
                            path, strerror(errno));
    FILE *f = fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return cd_error_set(err, CD_EGENERAL, "%s: cannot write: %s", path, strerror(e));
    }
    int rc = cd_demo_write_records(f, p, err);
    if (fclose(f) != 0 && rc == CD_OK)
        rc = cd_error_set(err, CD_EGENERAL, "%s: cannot write: %s", path, strerror(errno));
    if (rc == CD_OK && rename(tmp, path) != 0)
        rc = cd_error_set(err, CD_EGENERAL, "%s: cannot rename the new file into place: %s",
                          path, strerror(errno));
    if (rc != CD_OK) {
        unlink(tmp);
        if (err && !strstr(err->message, path)) cd_error_prefix(err, "%s: ", path);
    }
    return rc;
}
