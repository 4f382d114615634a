/* test_pdf.c -- the PDF writer and its helpers: SHA-256 test vectors, UTF-8
 * decoding, font metrics from the embedded DejaVu Sans, encryption and
 * permissions, file mode, the temporary file and its clean-up on errors. */
#include "testutil.h"
#include "pdf.h"
#include "sha256.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* FIPS 180-4's examples by both block functions (the SHA extensions where
 * the processor has them, and the portable rounds); the million a's also
 * from a file; a file that is not there is named. */
START_TEST(sha256_vectors)
{
    char hex[65];
    char *a = malloc(1000000);
    ck_assert_ptr_nonnull(a);
    memset(a, 'a', 1000000);
    for (int portable = 0; portable < 2; portable++) {
        cd_sha256_portable(portable);
        cd_sha256("abc", 3, hex);
        ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        cd_sha256("", 0, hex);
        ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        cd_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
        ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        cd_sha256(a, 1000000, hex);
        ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    cd_sha256_portable(false);
    tu_write_file(tu_path("million.txt"), "");
    FILE *f = fopen(tu_path("million.txt"), "wb");
    fwrite(a, 1, 1000000, f);
    fclose(f);
    free(a);
    cd_error err = {0};
    ck_assert_int_eq(cd_sha256_file(tu_path("million.txt"), hex, &err), 0);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    ck_assert_int_eq(cd_sha256_file(tu_path("no-such-file"), hex, &err), CD_EGENERAL);
    ck_assert_ptr_nonnull(strstr(err.message, "no-such-file"));
}
END_TEST

/* Every length around the block and padding boundaries, and a buffer that
 * starts off alignment, hashes as sha256sum(1) does (on a machine with the
 * SHA extensions this checks them; elsewhere the portable rounds). */
START_TEST(sha256_lengths)
{
    static const size_t lengths[] = {1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191,
                                     192, 1000, 4095, 4096, 4097, 65599};
    unsigned char *buf = malloc(65600 + 1);
    unsigned x = 2026;
    for (size_t i = 0; i < 65601; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
        size_t n = lengths[k];
        FILE *f = fopen(tu_path("bytes.bin"), "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(buf + 1, 1, n, f), n);
        fclose(f);
        ck_assert_int_eq(tu_run("sha256sum '%s' | cut -c1-64", tu_path("bytes.bin")), 0);
        char hex[65], file_hex[65];
        cd_sha256(buf + 1, n, hex);
        ck_assert_msg(!strncmp(hex, tu_out(), 64), "length %zu: %s, sha256sum %.64s", n, hex, tu_out());
        cd_error err = {0};
        ck_assert_int_eq(cd_sha256_file(tu_path("bytes.bin"), file_hex, &err), 0);
        ck_assert_str_eq(file_hex, hex);
    }
    free(buf);
}
END_TEST

/* The two block functions agree on 400 lengths of the same bytes (0 to
 * ~1.3 MB, every remainder mod 64). */
START_TEST(sha256_block_functions_agree)
{
    char h[65], h2[65];
    size_t max = 1300000;
    unsigned char *b = malloc(max);
    ck_assert_ptr_nonnull(b);
    for (size_t i = 0; i < max; i++) b[i] = (unsigned char)(i * 7919 + i / 13);
    for (size_t k = 0; k < 400; k++) {
        size_t n = k < 130 ? k : (k * 3331) % max;
        cd_sha256_portable(false);
        cd_sha256(b, n, h);
        cd_sha256_portable(true);
        cd_sha256(b, n, h2);
        ck_assert_msg(strcmp(h, h2) == 0, "the block functions differ for %zu bytes", n);
    }
    cd_sha256_portable(false);
    free(b);
}
END_TEST

START_TEST(utf8_decoding)
{
    uint32_t cp;
    ck_assert_uint_eq(cd_utf8_decode("\xc3\xab", 2, &cp), 2);      /* ë */
    ck_assert_uint_eq(cp, 0xEB);
    ck_assert_uint_eq(cd_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1F600);
    ck_assert_uint_eq(cd_utf8_decode("\xc0\xaf", 2, &cp), 1);      /* overlong */
    ck_assert_uint_eq(cp, 0xFFFD);
    ck_assert_uint_eq(cd_utf8_decode("\xed\xa0\x80", 3, &cp), 1);  /* surrogate */
    ck_assert_uint_eq(cp, 0xFFFD);
    ck_assert_uint_eq(cd_utf8_decode("\xe2\x82", 2, &cp), 1);      /* truncated */
    ck_assert_uint_eq(cp, 0xFFFD);
    ck_assert_uint_eq(cd_utf8_decode("\xff", 1, &cp), 1);
    ck_assert_uint_eq(cp, 0xFFFD);
    char out[4];
    ck_assert_uint_eq(cd_utf8_encode(0x20AC, out), 3);             /* € */
    ck_assert(memcmp(out, "\xe2\x82\xac", 3) == 0);
}
END_TEST

START_TEST(font_metrics)
{
    cd_error err = {0};
    cd_font_family *f;
    ck_assert_int_eq(cd_font_family_get("fonts", "DejaVuSans", &f, &err), 0);
    /* DejaVu Sans advances (units per em 2048): H 1540, e 1260, l 569, o 1253 */
    double w = cd_font_text_width(f, CD_FACE_REGULAR, 10, "Hello", 5);
    double expect = (1540 + 1260 + 569 * 2 + 1253) * 10.0 / 2048;
    ck_assert_double_eq_tol(w, expect, 0.01);
    ck_assert_int_eq(cd_font_face_ready(f, CD_FACE_BOLD_ITALIC, &err), 0);
    ck_assert(cd_font_has_glyph(f, CD_FACE_REGULAR, 0x0414));    /* Д */
    ck_assert(cd_font_has_glyph(f, CD_FACE_BOLD_ITALIC, 0x03B3));/* γ */
    ck_assert(cd_font_has_glyph(f, CD_FACE_REGULAR, 0x0141));    /* Ł */
    ck_assert(cd_font_has_glyph(f, CD_FACE_REGULAR, 0xFFFD));
    ck_assert(!cd_font_has_glyph(f, CD_FACE_REGULAR, 0x4E2D));   /* CJK */
    ck_assert(!cd_font_has_glyph(f, CD_FACE_REGULAR, 0x1F600));  /* emoji */
    cd_font_family *again;
    ck_assert_int_eq(cd_font_family_get("fonts", "DejaVuSans", &again, &err), 0);
    ck_assert_ptr_eq(f, again);                                  /* cached */
    ck_assert_int_eq(cd_font_family_get("fonts", "NoSuchFont", &again, &err), CD_EGENERAL);
    ck_assert_ptr_nonnull(strstr(err.message, "fonts/NoSuchFont.ttf"));
    cd_font_cache_clear();
}
END_TEST

/* A one-page PDF with a line of text. */
static cd_pdf *one_page(void)
{
    cd_error err = {0};
    cd_font_family *f;
    ck_assert_int_eq(cd_font_family_get("fonts", "DejaVuSans", &f, &err), 0);
    cd_pdf *p;
    ck_assert_int_eq(cd_pdf_new(f, &p, &err), 0);
    cd_pdf_add_page(p, 595.28, 841.89);
    const char *s = "Plain text for the writer";
    cd_pdf_text(p, 0, 12, (cd_rgb){0, 0, 0}, 72, 100, s, strlen(s));
    return p;
}

/* Number of entries in a directory, not counting . and .. */
static int dir_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) n++;
    closedir(d);
    return n;
}

START_TEST(save_mode_encryption)
{
    cd_pdf *p = one_page();
    cd_error err = {0};
    cd_pdf_meta m = {"Writer test", "Tester", "Subject", "k1 k2", "s3cret"};
    mkdir(tu_path("enc"), 0700);
    char out[512];
    snprintf(out, sizeof out, "%s", tu_path("enc/out.pdf"));
    ck_assert_int_eq(cd_pdf_save(p, &m, out, &err), 0);
    cd_pdf_free(p);
    struct stat st;
    ck_assert_int_eq(stat(out, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(dir_entries(tu_path("enc"), ".courtdocs-"), 0);
    ck_assert_int_eq(tu_run("pdfinfo -upw s3cret '%s'", out), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "Title:           Writer test"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "Creator:         courtdocs"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "print:yes copy:no"));
    ck_assert_int_eq(tu_run("qpdf --password=s3cret --show-encryption '%s'", out), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "R = 6"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "stream encryption method: AESv3"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "extract for accessibility: allowed"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "print high resolution: allowed"));
    ck_assert_ptr_nonnull(strstr(tu_out(), "extract for any purpose: not allowed"));
    ck_assert_int_eq(tu_run("qpdf --check --password=s3cret '%s'", out), 0);
    ck_assert_int_ne(tu_run("pdftotext '%s' -", out), 0);    /* no password, no text */
    cd_font_cache_clear();
}
END_TEST

START_TEST(save_reproducible_date)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    cd_error err = {0};
    unsigned char *a, *b;
    size_t na, nb;
    cd_pdf *p = one_page();
    ck_assert_int_eq(cd_pdf_save_buffer(p, NULL, &a, &na, &err), 0);
    cd_pdf_free(p);
    p = one_page();
    ck_assert_int_eq(cd_pdf_save_buffer(p, NULL, &b, &nb, &err), 0);
    cd_pdf_free(p);
    unsetenv("SOURCE_DATE_EPOCH");
    ck_assert(na > 1000 && memcmp(a, "%PDF-", 5) == 0);
    ck_assert_uint_eq(na, nb);
    ck_assert(memcmp(a, b, na) == 0);
    FILE *f = fopen(tu_path("sde.pdf"), "wb");
    fwrite(a, 1, na, f);
    fclose(f);
    free(a);
    free(b);
    ck_assert_int_eq(tu_run("pdfinfo '%s'", tu_path("sde.pdf")), 0);
    ck_assert_ptr_nonnull(strstr(tu_out(), "Nov 14 22:13:20 2023 UTC"));
    cd_font_cache_clear();
}
END_TEST

START_TEST(save_missing_folder)
{
    cd_pdf *p = one_page();
    cd_error err = {0};
    char out[512];
    snprintf(out, sizeof out, "%s", tu_path("no/such/folder/out.pdf"));
    ck_assert_int_eq(cd_pdf_save(p, NULL, out, &err), CD_EGENERAL);
    ck_assert_ptr_nonnull(strstr(err.message, "does not exist"));
    ck_assert_ptr_nonnull(strstr(err.message, "no/such/folder"));
    cd_pdf_free(p);
    cd_font_cache_clear();
}
END_TEST

START_TEST(png_checks)
{
    cd_error err = {0};
    unsigned w, h;
    tu_write_file(tu_path("fake.png"), "GIF89a not a png at all, long enough");
    ck_assert_int_eq(cd_pdf_png_size(tu_path("fake.png"), &w, &h, &err), CD_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "fake.png: not a PNG"));
    ck_assert_int_eq(cd_pdf_png_size(tu_path("absent.png"), &w, &h, &err), CD_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.message, "absent.png: cannot open"));
}
END_TEST

Suite *pdf_suite(void)
{
    Suite *s = suite_create("pdf");
    TCase *tc = tcase_create("pdf");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sha256_vectors);
    tcase_add_test(tc, sha256_lengths);
    tcase_add_test(tc, sha256_block_functions_agree);
    tcase_add_test(tc, utf8_decoding);
    tcase_add_test(tc, font_metrics);
    tcase_add_test(tc, save_mode_encryption);
    tcase_add_test(tc, save_reproducible_date);
    tcase_add_test(tc, save_missing_folder);
    tcase_add_test(tc, png_checks);
    suite_add_tcase(s, tc);
    return s;
}
