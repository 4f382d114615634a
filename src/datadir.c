/* datadir.c -- finds the shipped data directory (templates/, fonts/,
 * schemas/) so that the program works from the source tree, from an
 * installed prefix and under tests that point CD_DATA_DIR elsewhere. */
#include "datadir.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 2; up++) {      /* drop the file name, then build/ */
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
        }
        if (exe[0] && has_schemas(exe)) {
            strcpy(g_dir, exe);
            return g_dir;
        }
    }
    if (has_schemas("."))
        strcpy(g_dir, ".");
    else
        strcpy(g_dir, "/usr/share/courtdocs");
    return g_dir;
}
