/* rules_extra.c -- small pure rules the data document needed and rules.h
 * did not yet have (declared at the bottom of rules.h). Kept apart from
 * rules.c so that its owner's file is untouched; each function here is a
 * rule in its own right, stated in docs/rules.md's terms.
 */
#include "rules.h"

/* The opiates and cocaine results of a test summary pooled: the "negative
 * rate" of the breach guideline figures, the same pooling the caseload
 * summary uses for its negative-rate (opiates and cocaine are the
 * substances the order is made for; prescribed drugs and other substances
 * are outside it). base = negative + positive over the two substances. */
cd_substance_counts cd_rules_main_negative(const cd_test_summary *t)
{
    static const cd_substance MAIN[] = { CD_SUB_OPIATES, CD_SUB_COCAINE };
    cd_substance_counts r = { 0 };
    for (size_t k = 0; k < sizeof MAIN / sizeof MAIN[0]; k++) {
        const cd_substance_counts *s = &t->sub[MAIN[k]];
        r.base += s->base;
        r.negative += s->negative;
        r.positive += s->positive;
        r.prescribed += s->prescribed;
        r.confirmed += s->confirmed;
        r.admitted += s->admitted;
    }
    return r;
}
