/* fuzz_import.c -- libFuzzer target for the case-record importer: each
 * input is written to a file and imported (cd_import_files) into one store
 * kept for the process. Whatever the input, the importer must refuse it
 * cleanly or store it: no crash, no leak, no undefined behaviour, no hang.
 * Built and run by `make fuzz` / `make fuzz-replay` (tests/fuzz/README.md). */
#include "courtdocs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cd_store *store;
static char input_path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("CD_DATA_DIR", ".", 0);              /* run from the top of the tree */
    char dir[] = "/tmp/cdfuzz-import-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char db[300];
    snprintf(db, sizeof db, "%s/store.db", dir);
    snprintf(input_path, sizeof input_path, "%s/input.xml", dir);
    cd_error err = {0};
    if (cd_store_open(db, CD_STORE_CREATE, &store, &err) != CD_OK) {
        fprintf(stderr, "fuzz_import: %s\n", err.message);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(input_path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    const char *paths[] = { input_path };
    cd_import_report rep;
    memset(&rep, 0, sizeof rep);
    cd_error err = {0};
    cd_import_files(store, paths, 1, &rep, &err);
    cd_import_report_free(&rep);
    return 0;
}
