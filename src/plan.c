/* plan.c -- planning: what is due, for the public API (courtdocs.h). Which
 * cases have a court review or a breach pack due in a month (what `courtdocs
 * batch` renders) and where each case's order stands on a date with its
 * next review (what `courtdocs cases` lists).
 *
 * This module only walks the store and asks the rules: every decision --
 * the next review, whether a review falls in a month, whether a breach pack
 * is due, where the order stands (cd_order_state_on), its week and end --
 * is the rules' (rules.h), so the listing, the batch plan and the documents
 * agree. Each walk reads one snapshot of the store.
 */
#include "courtdocs.h"
#include "model.h"
#include "rules.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

/* ---- documents due in a month ------------------------------------------------ */

/* What the planning walk carries from case to case. */
typedef struct {
    cd_store *store;
    cd_doc_kind kind;
    cd_date month_start, month_end, run_date;
    cd_due_document *docs;
    size_t n, cap;
} planner;

/* Adds one due document (the ref copied) to the plan. */
static int add_due(planner *pl, const char *ref, cd_date date, cd_error *err)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 256;
        cd_due_document *d = realloc(pl->docs, cap * sizeof *d);
        if (!d) return cd_error_set(err, CD_EGENERAL, "out of memory planning the documents due");
        pl->docs = d;
        pl->cap = cap;
    }
    char *copy = strdup(ref);
    if (!copy) return cd_error_set(err, CD_EGENERAL, "out of memory planning the documents due");
    cd_due_document *d = &pl->docs[pl->n++];
    d->case_ref = copy;
    cd_date_format_iso(date, d->date);
    return CD_OK;
}

/* Whether one case is due, from the store's planning walk (which selects
 * only cases whose order may be running, loaded only as far as the review
 * schedule needs). Both decisions are the rules': cd_rules_review_due_in
 * for reviews, cd_rules_breach_pack_due_by for breach packs (the whole case
 * is loaded for those). */
static int plan_case(void *ctx, const cd_case *c, cd_error *err)
{
    planner *pl = ctx;
    cd_date due = CD_DATE_NONE;
    if (pl->kind == CD_DOC_REVIEW) {
        due = cd_rules_review_due_in(c, pl->month_start, pl->month_end);
    } else {
        cd_case *full = NULL;
        int rc = cd_store_load_case(pl->store, c->ref, &full, err);
        if (rc != CD_OK) return rc;
        due = cd_rules_breach_pack_due_by(full, pl->run_date, pl->month_end);
        cd_case_free(full);
    }
    return due == CD_DATE_NONE ? CD_OK : add_due(pl, c->ref, due, err);
}

int cd_plan_due(cd_store *s, cd_doc_kind kind, const char *month, const char *run_date,
                cd_due_document **out, size_t *n, cd_error *err)
{
    *out = NULL;
    *n = 0;
    if (kind != CD_DOC_REVIEW && kind != CD_DOC_BREACH)
        return cd_error_set(err, CD_EUSAGE, "only court reviews and breach packs are planned by month");
    planner pl = { s, kind, CD_DATE_NONE, CD_DATE_NONE, CD_DATE_NONE, NULL, 0, 0 };
    if (!cd_month_parse(month, &pl.month_start, &pl.month_end))
        return cd_error_set(err, CD_EUSAGE, "the month \"%s\" is not a month (YYYY-MM)", month ? month : "");
    if (run_date) {
        if (!cd_date_parse(run_date, &pl.run_date))
            return cd_error_set(err, CD_EUSAGE, "the date \"%s\" is not a real date (YYYY-MM-DD)", run_date);
    } else {
        pl.run_date = cd_date_today();
        if (pl.run_date > pl.month_end) pl.run_date = pl.month_end;
    }
    int rc = cd_store_snapshot_begin(s, err);
    if (rc == CD_OK) {
        if (kind == CD_DOC_REVIEW)
            rc = cd_store_each_running_case(s, pl.month_start, pl.month_end, plan_case, &pl, err);
        else
            rc = cd_store_each_running_case(s, pl.run_date, pl.run_date, plan_case, &pl, err);
        cd_store_snapshot_end(s);
    }
    if (rc != CD_OK) {
        cd_due_documents_free(pl.docs, pl.n);
        return rc;
    }
    *out = pl.docs;
    *n = pl.n;
    return CD_OK;
}

void cd_due_documents_free(cd_due_document *docs, size_t n)
{
    for (size_t i = 0; docs && i < n; i++)
        free(docs[i].case_ref);
    free(docs);
}

/* ---- the caseload listing ------------------------------------------------------ */

int cd_case_statuses(cd_store *s, const char *date, const char *due_month,
                     cd_case_status_fn fn, void *ctx, cd_error *err)
{
    cd_date today = cd_date_today(), first = CD_DATE_NONE, last = CD_DATE_NONE;
    if (date && !cd_date_parse(date, &today))
        return cd_error_set(err, CD_EUSAGE, "the date \"%s\" is not a real date (YYYY-MM-DD)", date);
    if (due_month && !cd_month_parse(due_month, &first, &last))
        return cd_error_set(err, CD_EUSAGE, "the month \"%s\" is not a month (YYYY-MM)", due_month);
    char **refs = NULL;
    size_t n = 0;
    int rc = cd_store_snapshot_begin(s, err);
    if (rc == CD_OK)
        rc = cd_store_case_refs(s, &refs, &n, err);
    for (size_t i = 0; i < n && rc == CD_OK; i++) {
        cd_case *k = NULL;
        if ((rc = cd_store_load_case(s, refs[i], &k, err)) != CD_OK)
            break;
        const cd_order *o = &k->order;
        cd_case_status st;
        memset(&st, 0, sizeof st);
        st.case_ref = k->ref;
        st.name = cd_person_full_name(k);
        st.state = CD_ORDER_STATE_NONE;
        cd_date next = CD_DATE_NONE;
        if (o->present) {
            st.order_type = cd_enum_name(CD_ENUM_ORDER_TYPE, (int)o->type);
            st.intensity = cd_enum_name(CD_ENUM_INTENSITY, (int)o->intensity);
            st.state = cd_order_state_on(o, today, due_month ? first : today);
            if (st.state == CD_ORDER_STATE_RUNNING) {
                st.week = cd_order_week(o, today);
                st.total_weeks = cd_order_total_weeks(o);
            }
            next = due_month ? cd_rules_review_due_in(k, first, last) : cd_rules_next_review(k, today);
        }
        cd_date_format_iso(next, st.next_review);
        if (!due_month || next != CD_DATE_NONE)
            rc = fn(ctx, &st, err);
        cd_case_free(k);
    }
    cd_store_free_refs(refs, n);
    cd_store_snapshot_end(s);
    return rc;
}
