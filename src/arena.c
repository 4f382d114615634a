/* arena.c -- a simple chunked region allocator. Chunks are linked and freed
 * together; large requests get a chunk of their own. Used so that a loaded
 * case, its derived facts and a render each have exactly one owner. */
#include "arena.h"
#include "courtdocs.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define CHUNK_SIZE (64 * 1024)
#define ALIGN 16

typedef struct chunk { struct chunk *next; size_t used, size; } chunk;
struct cd_arena { chunk *head; size_t bytes; };

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) cd_out_of_memory();
    return p;
}

cd_arena *cd_arena_new(void)
{
    cd_arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    a->bytes = 0;
    return a;
}

void cd_arena_free(cd_arena *a)
{
    if (!a) return;
    chunk *c = a->head;
    while (c) { chunk *n = c->next; free(c); c = n; }
    free(a);
}

static size_t header_size(void) { return (sizeof(chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

void *cd_arena_alloc(cd_arena *a, size_t n)
{
    if (n == 0) n = 1;
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE / 2 ? n : CHUNK_SIZE;
        if (size > SIZE_MAX - header_size()) cd_out_of_memory();
        chunk *nc = xmalloc(header_size() + size);
        nc->used = 0;
        nc->size = size;
        a->bytes += size;
        if (c && size != CHUNK_SIZE) {      /* keep the partly used chunk current */
            nc->next = c->next;
            c->next = nc;
            nc->used = n;
            void *p = (char *)nc + header_size();
            memset(p, 0, n);
            return p;
        }
        nc->next = c;
        a->head = c = nc;
    }
    void *p = (char *)c + header_size() + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *cd_arena_strndup(cd_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *d = cd_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *cd_arena_strdup(cd_arena *a, const char *s)
{
    return s ? cd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *cd_arena_printf(cd_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *s = cd_arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

size_t cd_arena_bytes(const cd_arena *a) { return a->bytes; }

void *cd_arena_grow(cd_arena *a, void *items, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = cd_arena_alloc(a, ncap * elem);
    if (items && n) memcpy(p, items, n * elem);
    *cap = ncap;
    return p;
}
