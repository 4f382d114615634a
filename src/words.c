/* words.c -- counts and plurals (words.h): the one place the documents get
 * "1 absence" / "2 absences" / "no absences" from, so no template or fact
 * ever prints "absence(s)" or "1 absences". English plural rules cover the
 * nouns the documents use; an irregular noun passes its plural. */
#include "words.h"
#include <stdio.h>
#include <string.h>

static int ends_with(const char *s, size_t n, const char *tail)
{
    size_t k = strlen(tail);
    return n >= k && memcmp(s + n - k, tail, k) == 0;
}

static int is_vowel(char c)
{
    return c && strchr("aeiouAEIOU", c) != NULL;
}

const char *cd_words_plural(cd_arena *a, const char *noun, const char *plural)
{
    if (!noun)
        return NULL;
    if (plural)
        return plural;
    size_t n = strlen(noun);
    if (n == 0)
        return noun;
    if (ends_with(noun, n, "s") || ends_with(noun, n, "x") || ends_with(noun, n, "z") ||
        ends_with(noun, n, "ch") || ends_with(noun, n, "sh"))
        return cd_arena_printf(a, "%ses", noun);
    if (n >= 2 && noun[n - 1] == 'y' && !is_vowel(noun[n - 2]))
        return cd_arena_printf(a, "%.*sies", (int)(n - 1), noun);
    return cd_arena_printf(a, "%ss", noun);
}

const char *cd_words_noun(cd_arena *a, long n, const char *noun, const char *plural)
{
    return n == 1 || n == -1 ? noun : cd_words_plural(a, noun, plural);
}

/* n with thousands separators ("1,250"). */
static const char *grouped(cd_arena *a, long n)
{
    char digits[32], out[48];
    unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
    snprintf(digits, sizeof digits, "%lu", u);
    size_t len = strlen(digits), k = 0;
    if (n < 0)
        out[k++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return cd_arena_strdup(a, out);
}

const char *cd_words_count(cd_arena *a, long n, const char *noun, const char *plural,
                           const char *none)
{
    if (!noun)
        return NULL;
    if (n == 0)
        return none ? none : cd_arena_printf(a, "no %s", cd_words_plural(a, noun, plural));
    return cd_arena_printf(a, "%s %s", grouped(a, n), cd_words_noun(a, n, noun, plural));
}
