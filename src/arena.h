/* arena.h -- region allocator: one owner for every allocation of a case load
 * or a document render. Everything allocated from an arena is freed at once
 * by cd_arena_free(). Allocation failure aborts the process with a message
 * (out of memory is not a recoverable input error). */
#ifndef CD_ARENA_H
#define CD_ARENA_H
#include <stddef.h>

typedef struct cd_arena cd_arena;

cd_arena *cd_arena_new(void);
void      cd_arena_free(cd_arena *a);               /* NULL is fine */
void     *cd_arena_alloc(cd_arena *a, size_t n);    /* zeroed, max-aligned */
char     *cd_arena_strdup(cd_arena *a, const char *s);          /* NULL -> NULL */
char     *cd_arena_strndup(cd_arena *a, const char *s, size_t n);
char     *cd_arena_printf(cd_arena *a, const char *fmt, ...)
          __attribute__((format(printf, 2, 3)));
size_t    cd_arena_bytes(const cd_arena *a);        /* bytes reserved so far */

/* Growable array helper: ensures room for one more element in *items
 * (capacity in *cap, count in n); memory comes from the arena. */
void *cd_arena_grow(cd_arena *a, void *items, size_t n, size_t *cap, size_t elem);
#define CD_PUSH(arena, arr, count, cap) \
    ((arr) = cd_arena_grow((arena), (arr), (count), &(cap), sizeof *(arr)), &(arr)[(count)++])

#endif
