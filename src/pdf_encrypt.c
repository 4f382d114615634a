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
 * a password. Metadata (the title names the case) is encrypted too.
 *
 * libqpdf is opened (dlopen) the first time a document is encrypted, not
 * linked: it and the ten libraries it brings (GnuTLS, nettle, GMP, libjpeg
 * and more) cost every courtdocs process about 2.5 ms of loading and
 * relocation, while only documents with a password use them. Its soname (CD_QPDF_SONAME) is
 * the one the build found (the Makefile reads it from libqpdf.so); the
 * function types come from qpdf's own header, so a changed API fails the
 * build, not a run. */
#define _GNU_SOURCE                     /* asprintf */
#include "pdf_a11y.h"
#include <dlfcn.h>
#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#ifndef CD_QPDF_SONAME
#define CD_QPDF_SONAME "libqpdf.so.29"
#endif

/* The libqpdf functions used here, looked up once per process. */
#define QPDF_FUNCTIONS(X) \
    X(qpdf_init) X(qpdf_silence_errors) X(qpdf_set_suppress_warnings) X(qpdf_read_memory) \
    X(qpdf_init_write_memory) X(qpdf_set_r6_encryption_parameters2) X(qpdf_has_error) \
    X(qpdf_write) X(qpdf_get_error) X(qpdf_get_error_full_text) X(qpdf_get_buffer_length) \
    X(qpdf_get_buffer) X(qpdf_cleanup)

static struct {
#define QPDF_SLOT(f) __typeof__(f) *f;
    QPDF_FUNCTIONS(QPDF_SLOT)
#undef QPDF_SLOT
} qp;

/* Opens libqpdf and finds every function above (once; later calls return
 * the first outcome). An error names the library and what went wrong. */
static int qpdf_open(cd_error *err)
{
    static int state;                   /* 0 not tried, 1 ready, -1 failed */
    static char *why;                   /* when failed: dlerror()'s words, or the missing function */
    if (state == 0) {
        void *h = dlopen(CD_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
        const char *missing = NULL;
        if (h) {
#define QPDF_FIND(f) if (!missing && !(qp.f = (__typeof__(qp.f))dlsym(h, #f))) missing = #f;
            QPDF_FUNCTIONS(QPDF_FIND)
#undef QPDF_FIND
        }
        state = h && !missing ? 1 : -1;
        if (!h) why = strdup(dlerror());
        else if (missing && asprintf(&why, "it has no %s()", missing) < 0) why = NULL;
    }
    if (state < 0)
        return cd_error_set(err, CD_EGENERAL, "encrypting the PDF needs the qpdf library (%s), "
                            "which could not be loaded: %s", CD_QPDF_SONAME,
                            why ? why : "out of memory");
    return CD_OK;
}

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
    int opened = qpdf_open(err);
    if (opened != CD_OK) return opened;

    qpdf_data q = qp.qpdf_init();
    if (!q) return cd_error_set(err, CD_EGENERAL, "encrypting the PDF: qpdf could not start");
    qp.qpdf_silence_errors(q);
    qp.qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int rc = CD_OK;
    const char *step = "reading the document";
    if (!(qp.qpdf_read_memory(q, "courtdocs PDF", (const char *)in, in_len, NULL) & QPDF_ERRORS)) {
        step = "writing the encrypted document";
        if (!(qp.qpdf_init_write_memory(q) & QPDF_ERRORS)) {
            qp.qpdf_set_r6_encryption_parameters2(q, password, owner,
                                                  QPDF_TRUE,    /* accessibility extraction */
                                                  QPDF_FALSE,   /* copying / extraction */
                                                  QPDF_FALSE,   /* assembly */
                                                  QPDF_FALSE,   /* annotations and forms */
                                                  QPDF_FALSE,   /* form filling */
                                                  QPDF_FALSE,   /* other changes */
                                                  qpdf_r3p_full, QPDF_TRUE);
            if (!qp.qpdf_has_error(q)) qp.qpdf_write(q);
        }
    }
    if (qp.qpdf_has_error(q)) {
        qpdf_error e = qp.qpdf_get_error(q);
        const char *why = e ? qp.qpdf_get_error_full_text(q, e) : "unknown error";
        rc = cd_error_set(err, CD_EGENERAL, "encrypting the PDF (%s): %s", step, why);
    } else {
        size_t n = qp.qpdf_get_buffer_length(q);
        const unsigned char *b = qp.qpdf_get_buffer(q);
        unsigned char *copy = b && n ? malloc(n) : NULL;
        if (!copy) rc = cd_error_set(err, CD_EGENERAL, "encrypting the PDF: out of memory");
        else {
            memcpy(copy, b, n);
            *out = copy;
            *out_len = n;
        }
    }
    qp.qpdf_cleanup(&q);
    return rc;
}
