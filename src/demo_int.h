/* demo_int.h -- internal to the demo generator: the word and phrase tables
 * of src/demo_names.c that src/demo.c draws from. Every table is
 * NULL-terminated; demo_count() gives its length. Not for other modules. */
#ifndef CD_DEMO_INT_H
#define CD_DEMO_INT_H
#include <stddef.h>

typedef struct demo_area {
    const char *area, *team, *crown_court, *magistrates_court, *provider;
    const char *sentencers[3];
} demo_area;

extern const demo_area demo_areas[];   /* terminated by area == NULL */

extern const char *const demo_given_male[], *const demo_given_female[], *const demo_family[];
extern const char *const demo_ethnicity[], *const demo_officers[], *const demo_keyworkers[];
extern const char *const demo_offences[];
extern const char *const demo_reason_acceptable[], *const demo_reason_unacceptable[];
extern const char *const demo_warning_complete[], *const demo_warning_incomplete[];
extern const char *const demo_decision_text[];
extern const char *const demo_comments[3][4];
extern const char *const demo_directions[3][3];
extern const char *const demo_note_progress[3][3];
extern const char *const demo_note_provider[3][2];
extern const char *const demo_note_assessment[3][2];
extern const char *const demo_note_recommendation[3][2];
extern const char *const demo_note_contact[], *const demo_note_breach[];
extern const char demo_special_text[];
extern const char *const demo_long_paragraphs[];
extern const char *const demo_offending_link[], *const demo_dependency[], *const demo_motivation[];
extern const char *const demo_health_mental[], *const demo_health_physical[];
extern const char *const demo_episode_kind[], *const demo_episode_outcome[];
extern const char *const demo_proposal_text[];

size_t demo_count(const char *const *table);

#endif
