/* sha256.h -- SHA-256 (FIPS 180-4) of a buffer or a file, as lowercase hex.
 * Used to record what was written (the sha256 of each rendered PDF). */
#ifndef CD_SHA256_H
#define CD_SHA256_H
#include <stdbool.h>
#include <stddef.h>
#include "courtdocs.h"

/* hex receives 64 lowercase hex digits and a NUL. */
void cd_sha256(const void *data, size_t len, char hex[65]);
/* Tests only: when on, the portable C is used even where the processor has
 * the SHA extensions, so that both block functions are checked. */
void cd_sha256_portable(bool on);
/* Hashes a whole file; errors (CD_EGENERAL) name the file. */
int  cd_sha256_file(const char *path, char hex[65], cd_error *err);
#endif
