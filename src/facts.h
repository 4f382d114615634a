/* facts.h -- the data document: everything a document template may read
 * about a case, as XML (libxml2), built from the case model by asking the
 * rules module for every figure. Templates reach the case only through
 * XPath over this document; `courtdocs facts` prints it. Element and
 * attribute names are documented in docs/facts.md and kept stable (added
 * to, never renamed). Facts never compute a rule: they select, arrange and
 * format (ISO dates, plain numbers) what rules.h decides.
 */
#ifndef CD_FACTS_H
#define CD_FACTS_H
#include <libxml/tree.h>
#include "courtdocs.h"
#include "model.h"
#include "arena.h"

typedef struct {
    cd_doc_kind kind;          /* which document the facts are for */
    cd_date date;              /* review hearing date / pack date / report date */
    const char *doc_id;        /* the document id printed on every page; NULL = none */
    const char *generated;     /* "YYYY-MM-DD HH:MM" the document was made; NULL = none */
    int attach_psr;            /* review: the PSR section is appended */
} cd_facts_opts;

/* Builds the data document for case c. The review section (kind review),
 * the enforcement section (review and breach) and the assessment (psr, or
 * review with attach_psr) are built as the kind needs; the person, the
 * order, the staff and the notes always. Errors (CD_EINPUT) when the date
 * does not fit the order: a review before the order was made or after it
 * ended; CD_ENOTFOUND when a review or breach pack is asked of a case with
 * no order. Messages name only the case ref. *out is freed with xmlFreeDoc. */
int cd_facts_build(const cd_case *c, const cd_facts_opts *o, xmlDocPtr *out, cd_error *err);

/* The date a document is made for when none is given: a review, the next
 * review due on or after today (CD_DATE_NONE when none is due); any other
 * document, today. */
cd_date cd_facts_default_date(const cd_case *c, cd_doc_kind kind, cd_date today);

/* The caseload summary's data document (src/facts_summary.c): orders in
 * force between o->from and o->to (default the 12 months to today),
 * filtered by o->court and o->team, aggregated and broken down by sex, age
 * band and ethnicity with small groups suppressed. */
int cd_facts_build_summary(cd_store *s, const cd_render_opts *o, xmlDocPtr *out, cd_error *err);

/* Attribute writers shared by the facts files: a string (nothing when v is
 * NULL), a whole number, an ISO date (nothing when d is CD_DATE_NONE). */
void cd_facts_attr(xmlNodePtr n, const char *name, const char *v);
void cd_facts_attr_int(xmlNodePtr n, const char *name, long v);
void cd_facts_attr_date(xmlNodePtr n, const char *name, cd_date d);
/* Records a part the law or the standard requires that the document lacks:
 * docnode (/facts/document) gets draft="true" and a gap (part: a stable
 * word; what: the words for the reader). The document is then a DRAFT. */
void cd_facts_draft_gap(xmlNodePtr docnode, const char *part, const char *what);

/* The breach pack's own part (src/facts_breach.c), under root: <pack> with
 * the allegations, the history, the warnings read against their failures,
 * the exhibits and the witness statement (docs/facts.md). What the pack
 * lacks is a gap of docnode (cd_facts_draft_gap); sentences for the author
 * go to warnings. */
struct cd_profile;
void cd_facts_put_breach_pack(xmlNodePtr root, xmlNodePtr docnode, xmlNodePtr warnings, const cd_case *c,
                              const struct cd_profile *p, cd_date date, cd_arena *a);

#endif
