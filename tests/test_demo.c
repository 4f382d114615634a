/* test_demo.c -- the synthetic demo caseload (src/demo.c) and `courtdocs demo`:
 * determinism, the import format (schema when present, the importer's rules
 * checked here record by record), the variety the caseload promises, the
 * proportions DOMAIN.md describes, size and speed limits, and the command. */
#include "testutil.h"
#include "demo.h"
#include "model.h"
#include "calendar.h"
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NS "urn:courtdocs:case-records:1"
#define BAD_DATE (CD_DATE_NONE + 1)   /* an attribute that is not a real date */

/* The caseload for params p, in a malloc'd buffer (size in *len). */
static char *generate(const cd_demo_params *p, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(f);
    cd_error err = {0};
    ck_assert_int_eq(cd_demo_write_records(f, p, &err), CD_OK);
    fclose(f);
    if (len) *len = n;
    return buf;
}

static char *generate_default(size_t *len)
{
    cd_demo_params p;
    cd_demo_params_default(&p);
    return generate(&p, len);
}

/* A generated caseload read back: its XML text, the parsed document and
 * an XPath context with the records' namespace as prefix c. */
typedef struct { char *xml; xmlDocPtr doc; xmlXPathContextPtr xp; } parsed;

/* The caseload for params d, generated and parsed (free with parsed_free). */
static parsed caseload(const cd_demo_params *d)
{
    parsed p;
    size_t len;
    p.xml = generate(d, &len);
    p.doc = xmlReadMemory(p.xml, (int)len, "demo.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    ck_assert_msg(p.doc != NULL, "the demo XML is not well-formed");
    p.xp = xmlXPathNewContext(p.doc);
    xmlXPathRegisterNs(p.xp, BAD_CAST "c", BAD_CAST NS);
    return p;
}

/* The default caseload with n cases (0: the default number), parsed. */
static parsed caseload_of(int n)
{
    cd_demo_params d;
    cd_demo_params_default(&d);
    if (n)
        d.cases = n;
    return caseload(&d);
}

static void parsed_free(parsed *p)
{
    xmlXPathFreeContext(p->xp);
    xmlFreeDoc(p->doc);
    free(p->xml);
}

/* Evaluates a numeric XPath expression (count(...), sum(...)). */
static double num(parsed *p, const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, p->xp);
    ck_assert_msg(o != NULL, "bad XPath %s", expr);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    return v;
}

START_TEST(same_seed_same_bytes)
{
    size_t a_len, b_len;
    char *a = generate_default(&a_len), *b = generate_default(&b_len);
    ck_assert_uint_eq(a_len, b_len);
    ck_assert(memcmp(a, b, a_len) == 0);
    /* The first cases do not depend on how many follow. */
    cd_demo_params p;
    cd_demo_params_default(&p);
    p.cases = 10;
    size_t c_len;
    char *c = generate(&p, &c_len);
    char *end_of_10 = strstr(c, "</case-records>");
    ck_assert_ptr_nonnull(end_of_10);
    size_t prefix = (size_t)(end_of_10 - c);
    ck_assert(memcmp(a, c, prefix) == 0);
    free(a); free(b); free(c);
}
END_TEST

START_TEST(other_seed_other_bytes)
{
    cd_demo_params p;
    cd_demo_params_default(&p);
    size_t a_len, b_len;
    char *a = generate(&p, &a_len);
    p.seed = 2;
    char *b = generate(&p, &b_len);
    ck_assert(a_len != b_len || memcmp(a, b, a_len) != 0);
    free(a); free(b);
}
END_TEST

START_TEST(bad_params_refused)
{
    cd_demo_params p;
    cd_demo_params_default(&p);
    cd_error err = {0};
    FILE *f = fopen("/dev/null", "w");
    p.cases = 0;
    ck_assert_int_eq(cd_demo_write_records(f, &p, &err), CD_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "number of cases"));
    cd_demo_params_default(&p);
    p.order_months = 40;
    ck_assert_int_eq(cd_demo_write_records(f, &p, &err), CD_EUSAGE);
    cd_demo_params_default(&p);
    p.volume = 0;
    ck_assert_int_eq(cd_demo_write_records(f, &p, &err), CD_EUSAGE);
    fclose(f);
}
END_TEST

START_TEST(validates_against_schema)
{
    const char *rng = "schemas/case-records.rng";
    struct stat st;
    if (stat(rng, &st) != 0) {
        printf("test_demo: %s not in the tree yet; schema validation skipped\n", rng);
        return;
    }
    parsed p = caseload_of(0);
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(rng);
    xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
    ck_assert_msg(schema != NULL, "%s does not parse", rng);
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    int rc = xmlRelaxNGValidateDoc(vc, p.doc);
    ck_assert_msg(rc == 0, "the demo records do not validate against %s (%d)", rng, rc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pc);
    parsed_free(&p);
}
END_TEST

/* The attribute as a date, or CD_DATE_NONE. */
static cd_date date_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    cd_date d = CD_DATE_NONE;
    if (v && !cd_date_parse((const char *)v, &d)) d = BAD_DATE;
    xmlFree(v);
    return d;
}

static int attr_is(xmlNodePtr n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    int same = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return same;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
    return NULL;
}

/* Finds the element with id in the case (the importer's id scope). */
static xmlNodePtr by_id(xmlNodePtr node, const char *id)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (attr_is(c, "id", id)) return c;
        xmlNodePtr f = by_id(c, id);
        if (f) return f;
    }
    return NULL;
}

/* An unacceptable failure a warning or breach may name. */
static int is_failure(xmlNodePtr n)
{
    const char *tag = (const char *)n->name;
    if (strcmp(tag, "appointment") == 0) return attr_is(n, "outcome", "absent-unacceptable");
    if (strcmp(tag, "test") == 0)
        return attr_is(n, "status", "refused") || attr_is(n, "status", "missed") ||
               attr_is(n, "status", "adulterated") || attr_is(n, "status", "substituted");
    return strcmp(tag, "failure-decision") == 0;
}

static void check_ids_resolve(xmlNodePtr kase, xmlNodePtr rec, const char *attr, int want_failure)
{
    xmlChar *v = xmlGetProp(rec, BAD_CAST attr);
    ck_assert_ptr_nonnull(v);
    char *list = strdup((const char *)v), *save = NULL;
    for (char *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
        xmlNodePtr target = by_id(kase, id);
        ck_assert_msg(target != NULL, "%s names %s, which does not exist", rec->name, id);
        if (want_failure) ck_assert_msg(is_failure(target), "%s names %s, not an unacceptable failure", rec->name, id);
        else ck_assert_str_eq((const char *)target->name, "test");
    }
    free(list);
    xmlFree(v);
}

/* The importer's rules, checked record by record: dates real and not after
 * the export; appointments and tests inside the order; minutes 1..720;
 * months 6..36; ids unique per case; references resolve to failures. */
static void check_import_rules(parsed *p, cd_date as_of)
{
    xmlXPathObjectPtr cases = xmlXPathEvalExpression(BAD_CAST "//c:case", p->xp);
    for (int i = 0; i < cases->nodesetval->nodeNr; i++) {
        xmlNodePtr kase = cases->nodesetval->nodeTab[i];
        xmlNodePtr order = child(kase, "order");
        cd_date made = CD_DATE_NONE, end = CD_DATE_NONE;
        if (order) {
            made = date_attr(order, "made");
            xmlChar *m = xmlGetProp(order, BAD_CAST "months");
            int months = atoi((const char *)m);
            xmlFree(m);
            ck_assert(months >= 6 && months <= 36);
            end = cd_date_add_months(made, months) - 1;
            xmlNodePtr ended = child(order, "ended");
            if (ended) end = date_attr(ended, "date");
        }
        p->xp->node = kase;
        xmlXPathObjectPtr all = xmlXPathEvalExpression(BAD_CAST ".//*[@id]", p->xp);
        for (int j = 0; j < all->nodesetval->nodeNr; j++) {
            xmlNodePtr r = all->nodesetval->nodeTab[j];
            xmlChar *id = xmlGetProp(r, BAD_CAST "id");
            ck_assert_msg(by_id(kase, (const char *)id) == r, "id %s not unique in its case", id);
            xmlFree(id);
            const char *tag = (const char *)r->name;
            static const char *const dated[] = {"date", "initiated", "heard", "made", NULL};
            for (int k = 0; dated[k]; k++) {
                cd_date d = date_attr(r, dated[k]);
                if (d == CD_DATE_NONE) continue;
                ck_assert_msg(d != BAD_DATE, "%s %s: not a real date", tag, dated[k]);
                ck_assert_msg(d <= as_of, "%s dated after the export", tag);
            }
            if (strcmp(tag, "appointment") == 0 || strcmp(tag, "test") == 0) {
                cd_date d = date_attr(r, "date");
                ck_assert_msg(order && d >= made && d <= end, "%s outside the order", tag);
            }
            if (strcmp(tag, "appointment") == 0) {
                xmlChar *m = xmlGetProp(r, BAD_CAST "minutes");
                int minutes = atoi((const char *)m);
                xmlFree(m);
                ck_assert(minutes >= 1 && minutes <= 720);
            }
            if (strcmp(tag, "warning") == 0) check_ids_resolve(kase, r, "failure", 1);
            if (strcmp(tag, "breach") == 0) check_ids_resolve(kase, r, "failures", 1);
            if (strcmp(tag, "failure-decision") == 0) check_ids_resolve(kase, r, "tests", 0);
            if (strcmp(tag, "breach") == 0 || strcmp(tag, "warning") == 0 ||
                strcmp(tag, "review") == 0) {
                cd_date d = date_attr(r, strcmp(tag, "breach") == 0 ? "initiated" : "date");
                ck_assert_msg(d >= made && d <= end, "%s outside the order", tag);
            }
        }
        xmlXPathFreeObject(all);
    }
    p->xp->node = NULL;
    xmlXPathFreeObject(cases);
}

START_TEST(follows_the_import_rules)
{
    parsed p = caseload_of(0);
    cd_demo_params d;
    cd_demo_params_default(&d);
    check_import_rules(&p, d.as_of);
    parsed_free(&p);
}
END_TEST

START_TEST(covers_the_variety)
{
    parsed p = caseload_of(0);
    double cases = num(&p, "count(//c:case)");
    ck_assert_int_eq((int)cases, 72);
    /* Every order type at every intensity it has, under every profile. */
    static const char *const kinds[] = {
        "count(//c:order[@type='DTTO' and @intensity='high'])",
        "count(//c:order[@type='DTTO' and @intensity='low'])",
        "count(//c:order[@type='DRR' and @intensity='low'])",
        "count(//c:order[@type='DRR' and @intensity='medium'])",
        "count(//c:order[@type='DRR' and @intensity='high'])",
        "count(//c:order[@rules='dtto-2004'])", "count(//c:order[@rules='drr-2005'])",
        "count(//c:order[@rules='drr-2020'])",
        "count(//c:order[@type='DRR' and translate(@made, '-', '') < 20201201])",
        "count(//c:case[not(c:order)]/c:assessment)",
        "count(//c:person[not(c:ethnicity)])",
        "count(//c:accommodation[@status='homeless'])",
        "count(//c:accommodation[@status='temporary'])",
        "count(//c:test[@status='refused'])", "count(//c:test[@status='missed'])",
        "count(//c:test[@status='dilute'])", "count(//c:test[@status='adulterated'])",
        "count(//c:test[@status='substituted'])",
        "count(//c:test[@status='admitted']/c:result[@confirmation='admitted'])",
        "count(//c:result[@confirmation='laboratory'])",
        "count(//c:result[@substance='methadone' and @prescribed='true'])",
        "count(//c:result[@substance='buprenorphine' and @prescribed='true'])",
        "count(//c:warning)", "count(//c:failure-decision)",
        "count(//c:appointment[@outcome='absent-acceptable']/c:reason)",
        "count(//c:review[@kind='hearing']/c:comments)",
        "count(//c:review[@kind='paper'])", "count(//c:review[@next]/c:directions)",
        "count(//c:consent[@given='false'])",
        "count(//c:assessment[c:oasys/@drugs < 4 and c:proposal/@intensity='high'])",
        "count(//c:previous[@type='DTTO' and @outcome='revoked-non-compliance'])",
        "count(//c:assessment[not(c:health)])",
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        ck_assert_msg(num(&p, kinds[i]) >= 1, "none of: %s", kinds[i]);
    static const char *const outcomes[] = {"pending", "continued", "amended", "revoked", "warrant", "withdrawn"};
    char expr[256];
    for (size_t i = 0; i < 6; i++) {
        snprintf(expr, sizeof expr, "count(//c:breach[@outcome='%s'])", outcomes[i]);
        ck_assert_msg(num(&p, expr) >= 1, "no breach %s", outcomes[i]);
    }
    static const char *const endings[] = {"completed", "good-progress", "revoked-non-compliance",
                                          "revoked-conviction", "transferred", "other"};
    for (size_t i = 0; i < 6; i++) {
        snprintf(expr, sizeof expr, "count(//c:ended[@reason='%s'])", endings[i]);
        ck_assert_msg(num(&p, expr) >= 1, "no order ended %s", endings[i]);
    }
    static const char *const notes[] = {"supervisor-assessment", "recommendation", "provider-view",
                                        "progress", "contact-attempt", "breach-statement"};
    for (size_t i = 0; i < 6; i++) {
        snprintf(expr, sizeof expr, "count(//c:note[@kind='%s'])", notes[i]);
        ck_assert_msg(num(&p, expr) >= 1, "no %s note", notes[i]);
    }
    /* About 1 in 5 women. */
    double women = num(&p, "count(//c:sex[.='female'])") / cases;
    ck_assert_msg(women >= 0.15 && women <= 0.25, "women %.2f", women);
    /* An order expired with a breach warrant outstanding: no <ended>. */
    ck_assert(num(&p, "count(//c:case[c:enforcement/c:breach[@outcome='warrant']]"
                      "/c:order[not(c:ended) and translate(@made, '-', '') < 20251001 and @months='12'])") >= 1);
    /* A note over 5,000 characters; names beyond Latin-1; apostrophes. */
    ck_assert(num(&p, "count(//c:note[string-length(.) > 5000])") >= 1);
    ck_assert(num(&p, "count(//c:given-name[.='Анна' or .='Γιάννης'])") >= 1);
    ck_assert(num(&p, "count(//c:family-name[contains(., 'Ł') or contains(., 'ő') or contains(., 'Ş')])") >= 1);
    ck_assert(num(&p, "count(//c:family-name[contains(., \"'\")])") >= 1);
    ck_assert(num(&p, "count(//c:family-name[contains(., '-')])") >= 1);
    /* Characters special in XML, PDF and shells in free text. */
    static const char *const specials[] = {"&", "<", ">", "\"", "'", "(", ")", "\\", "$", "`"};
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        snprintf(expr, sizeof expr, specials[i][0] == '\'' ? "count(//c:note[contains(., \"%s\")])"
                                                           : "count(//c:note[contains(., '%s')])", specials[i]);
        ck_assert_msg(num(&p, expr) >= 1, "no note with %s", specials[i]);
    }
    /* Three appointments missed without excuse on one day, at least once. */
    xmlXPathObjectPtr absent = xmlXPathEvalExpression(
        BAD_CAST "//c:appointment[@outcome='absent-unacceptable']", p.xp);
    int best = 0, run = 0;
    xmlChar *prev = NULL;
    for (int i = 0; i < absent->nodesetval->nodeNr; i++) {
        xmlNodePtr a = absent->nodesetval->nodeTab[i];
        xmlChar *d = xmlGetProp(a, BAD_CAST "date");
        run = prev && xmlStrEqual(prev, d) && a->parent == absent->nodesetval->nodeTab[i - 1]->parent ? run + 1 : 1;
        if (run > best) best = run;
        xmlFree(prev);
        prev = d;
    }
    xmlFree(prev);
    xmlXPathFreeObject(absent);
    ck_assert_int_ge(best, 3);
    parsed_free(&p);
}
END_TEST

/* Whole years from dob to d. */
static int years(cd_date dob, cd_date d)
{
    int y0, m0, d0, y1, m1, d1;
    cd_date_to_ymd(dob, &y0, &m0, &d0);
    cd_date_to_ymd(d, &y1, &m1, &d1);
    return y1 - y0 - (m1 < m0 || (m1 == m0 && d1 < d0));
}

/* The nodes of expr evaluated at node ctx (caller frees with
 * xmlXPathFreeObject). */
static xmlXPathObjectPtr nodes_at(parsed *p, xmlNodePtr ctx, const char *expr)
{
    p->xp->node = ctx;
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, p->xp);
    ck_assert_msg(o && o->type == XPATH_NODESET, "bad XPath %s", expr);
    if (!o->nodesetval) o->nodesetval = xmlXPathNodeSetCreate(NULL);   /* empty */
    return o;
}

/* What a newcomer who knows the work would check first (issue 14, point 9),
 * over 600 cases: every DTTO made before the DRR replaced it (4 April 2005)
 * and ended; every order made, review held, next review fixed and breach
 * heard on a sitting day (Monday to Friday, not a bank holiday); everyone
 * 18 or over when assessed and sentenced; no first use at or after the age
 * the person is at the assessment; an earlier order made when an adult, in
 * its own era; no paragraph repeated within a note; the officer who signs
 * the demo's own notes is the case's offender manager. */
START_TEST(plausible_to_a_practitioner)
{
    cd_demo_params d;
    cd_demo_params_default(&d);
    d.cases = 600;
    parsed p = caseload(&d);
    const cd_date dtto_end = cd_date_from_ymd(2005, 4, 4);
    xmlXPathObjectPtr cases = nodes_at(&p, xmlDocGetRootElement(p.doc), "//c:case");
    int dttos = 0, orders = 0, hearings = 0, assessed = 0, first_uses = 0, previous = 0;
    for (int i = 0; i < cases->nodesetval->nodeNr; i++) {
        xmlNodePtr c = cases->nodesetval->nodeTab[i];
        xmlChar *ref = xmlGetProp(c, BAD_CAST "ref");
        xmlXPathObjectPtr o = nodes_at(&p, c, "c:person/c:date-of-birth");
        ck_assert_int_eq(o->nodesetval->nodeNr, 1);
        xmlChar *dobs = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
        cd_date dob;
        ck_assert(cd_date_parse((const char *)dobs, &dob));
        xmlFree(dobs);
        xmlXPathFreeObject(o);

        o = nodes_at(&p, c, "c:order");
        for (int k = 0; k < o->nodesetval->nodeNr; k++, orders++) {
            xmlNodePtr ord = o->nodesetval->nodeTab[k];
            cd_date made = date_attr(ord, "made");
            ck_assert_msg(cd_cal_is_sitting_day(made), "%s: order made on a day courts do not sit", ref);
            ck_assert_msg(years(dob, made) >= 18, "%s: sentenced at %d", ref, years(dob, made));
            xmlChar *type = xmlGetProp(ord, BAD_CAST "type");
            if (xmlStrEqual(type, BAD_CAST "DTTO")) {
                dttos++;
                ck_assert_msg(made < dtto_end, "%s: a DTTO made after 3 April 2005", ref);
                xmlXPathObjectPtr e = nodes_at(&p, ord, "c:ended");
                ck_assert_msg(e->nodesetval->nodeNr == 1, "%s: a DTTO not ended", ref);
                xmlXPathFreeObject(e);
            }
            xmlFree(type);
        }
        xmlXPathFreeObject(o);

        o = nodes_at(&p, c, "c:reviews/c:review");
        for (int k = 0; k < o->nodesetval->nodeNr; k++, hearings++) {
            cd_date rd = date_attr(o->nodesetval->nodeTab[k], "date");
            cd_date next = date_attr(o->nodesetval->nodeTab[k], "next");
            ck_assert_msg(cd_cal_is_sitting_day(rd), "%s: a review on a day courts do not sit", ref);
            ck_assert_msg(next == CD_DATE_NONE || cd_cal_is_sitting_day(next),
                          "%s: a next review fixed for a day courts do not sit", ref);
        }
        xmlXPathFreeObject(o);
        o = nodes_at(&p, c, "c:enforcement/c:breach[@heard]");
        for (int k = 0; k < o->nodesetval->nodeNr; k++, hearings++)
            ck_assert_msg(cd_cal_is_sitting_day(date_attr(o->nodesetval->nodeTab[k], "heard")),
                          "%s: a breach heard on a day courts do not sit", ref);
        xmlXPathFreeObject(o);

        o = nodes_at(&p, c, "c:assessment");
        for (int k = 0; k < o->nodesetval->nodeNr; k++, assessed++) {
            xmlNodePtr a = o->nodesetval->nodeTab[k];
            cd_date ad = date_attr(a, "date");
            int age = years(dob, ad);
            ck_assert_msg(age >= 18, "%s: assessed at %d", ref, age);
            xmlXPathObjectPtr u = nodes_at(&p, a, "c:drug-use[@first-age]");
            for (int j = 0; j < u->nodesetval->nodeNr; j++, first_uses++) {
                xmlChar *fa = xmlGetProp(u->nodesetval->nodeTab[j], BAD_CAST "first-age");
                ck_assert_msg(atoi((const char *)fa) < age, "%s: first use at %s, aged %d now",
                              ref, fa, age);
                xmlFree(fa);
            }
            xmlXPathFreeObject(u);
            u = nodes_at(&p, a, "c:previous-orders/c:previous");
            for (int j = 0; j < u->nodesetval->nodeNr; j++, previous++) {
                xmlNodePtr pv = u->nodesetval->nodeTab[j];
                cd_date pm = date_attr(pv, "made");
                ck_assert_msg(years(dob, pm) >= 18 && pm < ad, "%s: an earlier order at %d", ref,
                              years(dob, pm));
                xmlChar *type = xmlGetProp(pv, BAD_CAST "type");
                ck_assert_msg(xmlStrEqual(type, BAD_CAST "DTTO") ? pm < dtto_end : pm >= dtto_end,
                              "%s: an earlier %s out of its era", ref, type);
                xmlFree(type);
            }
            xmlXPathFreeObject(u);
        }
        xmlXPathFreeObject(o);

        /* No paragraph twice in one note. */
        o = nodes_at(&p, c, "c:notes/c:note");
        for (int k = 0; k < o->nodesetval->nodeNr; k++) {
            char *text = (char *)xmlNodeGetContent(o->nodesetval->nodeTab[k]);
            for (char *para = text, *end; para && *para; para = end ? end + 2 : NULL) {
                end = strstr(para, "\n\n");
                size_t plen = end ? (size_t)(end - para) : strlen(para);
                if (plen < 40) continue;
                for (char *q = strstr(para + plen, "\n\n"); q; q = strstr(q + 2, "\n\n"))
                    ck_assert_msg(strncmp(q + 2, para, plen) != 0 ||
                                  (q[2 + plen] != '\0' && q[2 + plen] != '\n'),
                                  "%s: a note repeats a paragraph", ref);
            }
            xmlFree(text);
        }
        xmlXPathFreeObject(o);
        xmlFree(ref);
    }
    xmlXPathFreeObject(cases);
    p.xp->node = NULL;
    /* the checks saw what they check */
    ck_assert_int_ge(dttos, 5);
    ck_assert_int_ge(orders, 400);
    ck_assert_int_ge(hearings, 1000);
    ck_assert_int_ge(assessed, 400);
    ck_assert_int_ge(first_uses, 400);
    ck_assert_int_ge(previous, 50);
    /* the long assessment of DEMO/0001 is over 5,000 characters without a repeat */
    ck_assert(num(&p, "count(//c:case[@ref='DEMO/0001']//c:note[string-length(.) > 5000])") == 1);
    /* the demo's own notes are signed by the case's offender manager */
    for (long n = 1; n <= 2; n++) {
        char expr[200];
        snprintf(expr, sizeof expr, "count(//c:case[@ref='DEMO/%04ld']/c:staff/"
                 "c:member[@role='offender-manager' and @name=\"%s\"])", n, cd_demo_case_officer(&d, n));
        ck_assert_msg(num(&p, expr) == 1, "DEMO/%04ld: the demo's note is not signed by the officer", n);
    }
    parsed_free(&p);
}
END_TEST

/* The showcase refs exist and show what they say. */
START_TEST(showcase_cases)
{
    size_t n;
    parsed p = caseload_of(0);
    const cd_demo_showcase *show = cd_demo_showcases(&n);
    ck_assert_uint_ge(n, 4);
    char expr[256];
    for (size_t i = 0; i < n; i++) {
        snprintf(expr, sizeof expr, "count(//c:case[@ref='%s'])", show[i].ref);
        ck_assert_int_eq((int)num(&p, expr), 1);
    }
    ck_assert_uint_ge(cd_demo_scripted_count(), 20);
    ck_assert_ptr_nonnull(strstr(cd_demo_scripted_title(1), "breach mandatory"));
    /* DEMO/0002: two failures (one warned) in 12 months, no breach yet. */
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0002']//c:warning)"), 1);
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0002']//c:breach)"), 0);
    ck_assert_int_ge((int)num(&p, "count(//c:case[@ref='DEMO/0002']//c:appointment"
                                   "[@outcome='absent-unacceptable'][translate(@date, '-', '') >= 20260903])"), 2);
    /* DEMO/0003 (drr-2020): warned, then a failure within 12 months -> breach. */
    ck_assert_int_ge((int)num(&p, "count(//c:case[@ref='DEMO/0003']//c:warning)"), 1);
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0003']//c:breach[@outcome='continued'])"), 1);
    /* DEMO/0004 and 0005: PSR stage, no order; 0005 refused consent. */
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0004']/c:order)"), 0);
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0005']//c:consent[@given='false'])"), 1);
    /* DEMO/0007: the first warning is over 12 months old. */
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0007']//c:warning[translate(@date, '-', '') < 20251001])"), 1);
    ck_assert_int_eq((int)num(&p, "count(//c:case[@ref='DEMO/0007']//c:breach)"), 0);
    parsed_free(&p);
}
END_TEST

/* The share of tests negative for opiates, across a large caseload, rises
 * from about 20% in month 1 to over 30% by month 12 (DOMAIN.md). */
START_TEST(opiates_negative_rises)
{
    parsed p = caseload_of(1500);
    xmlXPathObjectPtr orders = xmlXPathEvalExpression(BAD_CAST "//c:case[c:order]", p.xp);
    long neg[13] = {0}, all[13] = {0};
    for (int i = 0; i < orders->nodesetval->nodeNr; i++) {
        xmlNodePtr kase = orders->nodesetval->nodeTab[i];
        cd_date made = date_attr(child(kase, "order"), "made");
        xmlNodePtr tests = child(kase, "drug-tests");
        for (xmlNodePtr t = tests ? tests->children : NULL; t; t = t->next) {
            if (t->type != XML_ELEMENT_NODE || !attr_is(t, "status", "tested")) continue;
            int month = (int)((date_attr(t, "date") - made) * 12 / 365) + 1;
            if (month > 12) continue;
            for (xmlNodePtr r = t->children; r; r = r->next)
                if (r->type == XML_ELEMENT_NODE && attr_is(r, "substance", "opiates")) {
                    all[month]++;
                    neg[month] += attr_is(r, "outcome", "negative");
                }
        }
    }
    xmlXPathFreeObject(orders);
    double m1 = (double)neg[1] / (double)all[1], m12 = (double)neg[12] / (double)all[12];
    ck_assert_msg(m1 >= 0.15 && m1 <= 0.25, "month 1: %.2f", m1);
    ck_assert_msg(m12 > 0.30, "month 12: %.2f", m12);
    ck_assert_int_ge(all[12], 200);
    parsed_free(&p);
}
END_TEST

/* Endings in the proportions of the 2003 figures, roughly: about 3 in 10
 * completed, over a third revoked for non-compliance. */
START_TEST(endings_in_proportion)
{
    parsed p = caseload_of(1500);
    double ended = num(&p, "count(//c:ended)");
    double completed = num(&p, "count(//c:ended[@reason='completed'])") / ended;
    double revoked = num(&p, "count(//c:ended[@reason='revoked-non-compliance'])") / ended;
    ck_assert_msg(completed > 0.22 && completed < 0.45, "completed %.2f", completed);
    ck_assert_msg(revoked > 0.35 && revoked < 0.55, "revoked %.2f", revoked);
    parsed_free(&p);
}
END_TEST

START_TEST(ten_thousand_cases)
{
    cd_demo_params d;
    cd_demo_params_default(&d);
    d.cases = 10000;
    FILE *f = fopen("/dev/null", "w");
    cd_error err = {0};
    ck_assert_int_eq(cd_demo_write_records(f, &d, &err), CD_OK);
    fclose(f);
}
END_TEST

START_TEST(benchmark_knobs)
{
    cd_demo_params d;
    cd_demo_params_default(&d);
    d.cases = 40;
    d.order_months = 24;
    d.volume = 3;
    parsed p = caseload(&d);
    ck_assert(num(&p, "count(//c:order)") == num(&p, "count(//c:order[@months='24'])"));
    d.volume = 1;
    parsed p1 = caseload(&d);
    ck_assert(num(&p, "count(//c:appointment)") > 2 * num(&p1, "count(//c:appointment)"));
    check_import_rules(&p, d.as_of);
    parsed_free(&p);
    parsed_free(&p1);
}
END_TEST

START_TEST(command_records_only)
{
    const char *out = tu_path("big.xml");
    ck_assert_int_eq(tu_run("%s demo --records-only '%s' --cases 30 --seed 5", tu_bin(), out), 0);
    struct stat st;
    ck_assert_int_eq(stat(out, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    size_t len;
    char *file = tu_read_file(out, &len);
    cd_demo_params d;
    cd_demo_params_default(&d);
    d.cases = 30;
    d.seed = 5;
    size_t glen;
    char *gen = generate(&d, &glen);
    ck_assert_uint_eq(len, glen);
    ck_assert(memcmp(file, gen, len) == 0);
    free(file); free(gen);
    /* To standard output. */
    ck_assert_int_eq(tu_run("%s demo --records-only - --cases 2 | grep -c '<case '", tu_bin()), 0);
    ck_assert_str_eq(tu_out(), "2\n");
    /* Usage errors. */
    ck_assert_int_eq(tu_run("%s demo --cases 0 --records-only x.xml", tu_bin()), 2);
    ck_assert_ptr_nonnull(strstr(tu_err(), "--cases"));
    ck_assert_int_eq(tu_run("%s demo --volume 99 --records-only x.xml", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s demo --as-of 2026-02-30 --records-only x.xml", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s demo --bogus", tu_bin()), 2);
    ck_assert_int_eq(tu_run("%s demo --records-only '%s/no/such/dir/x.xml'", tu_bin(), tu_tmpdir()), 1);
    ck_assert_ptr_nonnull(strstr(tu_err(), "no/such/dir/x.xml"));
    ck_assert_int_eq(tu_run("%s demo --help", tu_bin()), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "--records-only"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "Exit status"));
}
END_TEST

/* The whole demo: records, store, notes, documents. Steps whose modules
 * are not built yet are reported as skipped by the command. */
START_TEST(command_full_demo)
{
    char dir[512], db[512];       /* tu_path's buffers are reused: keep copies */
    snprintf(dir, sizeof dir, "%s", tu_path("demo-out"));
    snprintf(db, sizeof db, "%s", tu_path("demo-out/demo.db"));
    int rc = tu_run("%s demo --db '%s' --out '%s'", tu_bin(), db, dir);
    ck_assert_msg(rc == 0, "demo failed (%d): %s", rc, tu_err());
    ck_assert_ptr_nonnull(strstr(tu_out(), "demo-records.xml (72 cases)"));
    struct stat st;
    ck_assert_int_eq(stat(dir, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);
    if (strstr(tu_out(), "importer is not available")) {
        printf("test_demo: the importer is not built yet; the store and documents were skipped\n");
        return;
    }
    ck_assert_ptr_nonnull(strstr(tu_out(), "imported "));
    ck_assert_int_eq(stat(db, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    /* Every document written is a whole, valid PDF, mode 0600. */
    const char *line = tu_out();
    int written = 0;
    char out_copy[65536];
    snprintf(out_copy, sizeof out_copy, "%s", tu_out());
    for (char *save = NULL, *l = strtok_r(out_copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (strncmp(l, "wrote ", 6) != 0 || !strstr(l, ".pdf")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%.*s", (int)(strstr(l, ".pdf") + 4 - (l + 6)), l + 6);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0600);
        ck_assert_msg(tu_run("qpdf --check '%s' >/dev/null", path) == 0, "%s is not a valid PDF", path);
        written++;
    }
    (void)line;
    printf("test_demo: the demo wrote %d documents\n", written);
    /* A second run refuses to replace the store without --force. */
    ck_assert_int_eq(tu_run("%s demo --db '%s' --out '%s'", tu_bin(), db, dir), 2);
    ck_assert_ptr_nonnull(strstr(tu_err(), "--force"));
    rc = tu_run("%s demo --db '%s' --out '%s' --force", tu_bin(), db, dir);
    ck_assert_msg(rc == 0, "demo --force failed (%d): %s", rc, tu_err());
    ck_assert_int_eq(tu_run("ls -a '%s' | grep -c building", dir), 1);   /* none left */
}
END_TEST

Suite *demo_suite(void)
{
    Suite *s = suite_create("demo");
    TCase *t = tcase_create("generator");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, same_seed_same_bytes);
    tcase_add_test(t, other_seed_other_bytes);
    tcase_add_test(t, bad_params_refused);
    tcase_add_test(t, validates_against_schema);
    tcase_add_test(t, follows_the_import_rules);
    tcase_add_test(t, covers_the_variety);
    tcase_add_test(t, showcase_cases);
    tcase_add_test(t, plausible_to_a_practitioner);
    tcase_add_test(t, opiates_negative_rises);
    tcase_add_test(t, endings_in_proportion);
    tcase_add_test(t, ten_thousand_cases);
    tcase_add_test(t, benchmark_knobs);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("command");
    tcase_set_timeout(c, 300);
    tcase_add_test(c, command_records_only);
    tcase_add_test(c, command_full_demo);
    suite_add_tcase(s, c);
    return s;
}
