/* words.h -- counts and plurals in plain English, in one place for every
 * document and every module: "no absences", "1 absence", "2 absences",
 * "1,250 tests". Templates reach it through format="count" (template
 * language), the facts through these functions. Strings live in an arena. */
#ifndef CD_WORDS_H
#define CD_WORDS_H
#include "arena.h"

/* The plural of noun: plural when given (irregular nouns: "person" ->
 * "people"), else the English rule on the last letters: -s, -x, -z, -ch,
 * -sh add "es" ("breach" -> "breaches"), a consonant then -y becomes "ies"
 * ("delivery" -> "deliveries"), anything else adds "s" ("working day" ->
 * "working days"). NULL noun gives NULL. */
const char *cd_words_plural(cd_arena *a, const char *noun, const char *plural);

/* noun or its plural, as n asks: the singular for 1 (and -1), the plural
 * otherwise. For a figure printed apart ("3 of 8 test results"). */
const char *cd_words_noun(cd_arena *a, long n, const char *noun, const char *plural);

/* The count in words: "1 absence", "2 absences", thousands separated
 * ("1,250 tests"), and for 0 "none" when given, else "no absences". */
const char *cd_words_count(cd_arena *a, long n, const char *noun, const char *plural,
                           const char *none);

#endif
