/* datadir.c -- finds the shipped data directory (templates/, fonts/,
 * schemas/) so that the program works from the source tree, from an
 * installed prefix (the folder `make install` compiled in, or the same
 * layout found beside the program when the tree was moved, as under a
 * DESTDIR) and under tests that point CD_DATA_DIR elsewhere. */
#include "datadir.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CD_INSTALL_DATADIR
#define CD_INSTALL_DATADIR "/usr/local/share/courtdocs"
#endif

static char g_dir[PATH_MAX];

/* True when dir/schemas is a directory. */
static int has_schemas(const char *dir)
{
    char p[PATH_MAX + 16];
    struct stat st;
    size_t n = strlen(dir);
    if (n + 9 >= sizeof p)
        return 0;
    memcpy(p, dir, n);
    memcpy(p + n, "/schemas", 9);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Copies dir into g_dir when it holds schemas/ and fits; returns 1 then. */
static int take_if_data(const char *dir)
{
    if (strlen(dir) >= sizeof g_dir || !has_schemas(dir))
        return 0;
    strcpy(g_dir, dir);
    return 1;
}

/* Contract in datadir.h. Not thread-safe on the first call; courtdocs
 * calls it from one thread (batch workers are processes). */
const char *cd_data_dir(void)
{
    if (g_dir[0])
        return g_dir;
    const char *e = getenv("CD_DATA_DIR");
    if (e && *e && strlen(e) < sizeof g_dir) {
        strcpy(g_dir, e);
        return g_dir;
    }
    char exe[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';                            /* the program's folder */
        char *up = strrchr(exe, '/');
        if (up) {
            *up = '\0';                           /* the folder above it */
            if (take_if_data(exe[0] ? exe : "/"))  /* source tree: build/courtdocs */
                return g_dir;
        }
        if (take_if_data(CD_INSTALL_DATADIR))
            return g_dir;
        if (up) {                                 /* PREFIX/bin -> PREFIX/share/courtdocs */
            strcpy(up, "/share/courtdocs");
            if (take_if_data(exe))
                return g_dir;
        }
    } else if (take_if_data(CD_INSTALL_DATADIR)) {
        return g_dir;
    }
    if (!take_if_data("."))
        snprintf(g_dir, sizeof g_dir, "%s", CD_INSTALL_DATADIR);
    return g_dir;
}
