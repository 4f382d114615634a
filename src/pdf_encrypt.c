/* pdf_encrypt.c -- encrypting a finished PDF with AES-256 (security handler
 * revision 6, PDF 2.0) through qpdf's C API (libqpdf), so the program holds
 * no cryptography of its own. The unencrypted document never leaves memory:
 * qpdf reads it from the buffer the PDF writer built and writes the
 * encrypted copy to another buffer, which cd_pdf_save puts on disk.
 *
 * Permissions: printing (high quality) allowed; copying and extracting text
 * denied, except the extraction for accessibility that screen readers rely
 * on; no changes, no form filling, no assembly. The owner password is 32
 * random hex digits nobody knows, so the restrictions cannot be lifted with
 * a password. Metadata (the title names the case) is encrypted too. */
#include "pdf_a11y.h"
#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

int cd_pdf_encrypt(const unsigned char *in, size_t in_len, const char *password,
                   unsigned char **out, size_t *out_len, cd_error *err)
{
    *out = NULL;
    *out_len = 0;
    unsigned char rnd[16];
    char owner[33];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        return cd_error_set(err, CD_EGENERAL, "cannot get random bytes for the owner password: %s",
                            strerror(errno));
    for (int i = 0; i < 16; i++) snprintf(owner + 2 * i, 3, "%02x", rnd[i]);

    qpdf_data q = qpdf_init();
    if (!q) return cd_error_set(err, CD_EGENERAL, "encrypting the PDF: qpdf could not start");
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int rc = CD_OK;
    const char *step = "reading the document";
    if (!(qpdf_read_memory(q, "courtdocs PDF", (const char *)in, in_len, NULL) & QPDF_ERRORS)) {
        step = "writing the encrypted document";
        if (!(qpdf_init_write_memory(q) & QPDF_ERRORS)) {
            qpdf_set_r6_encryption_parameters2(q, password, owner,
                                               QPDF_TRUE,    /* accessibility extraction */
                                               QPDF_FALSE,   /* copying / extraction */
                                               QPDF_FALSE,   /* assembly */
                                               QPDF_FALSE,   /* annotations and forms */
                                               QPDF_FALSE,   /* form filling */
                                               QPDF_FALSE,   /* other changes */
                                               qpdf_r3p_full, QPDF_TRUE);
            if (!qpdf_has_error(q)) qpdf_write(q);
        }
    }
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        const char *why = e ? qpdf_get_error_full_text(q, e) : "unknown error";
        rc = cd_error_set(err, CD_EGENERAL, "encrypting the PDF (%s): %s", step, why);
    } else {
        size_t n = qpdf_get_buffer_length(q);
        const unsigned char *b = qpdf_get_buffer(q);
        unsigned char *copy = b && n ? malloc(n) : NULL;
        if (!copy) rc = cd_error_set(err, CD_EGENERAL, "encrypting the PDF: out of memory");
        else {
            memcpy(copy, b, n);
            *out = copy;
            *out_len = n;
        }
    }
    qpdf_cleanup(&q);
    return rc;
}
