/* sha256.c -- a self-contained SHA-256 (FIPS 180-4): a streaming context
 * used by the buffer and file functions declared in sha256.h. Every
 * rendered PDF is hashed for its audit row, so the block function matters:
 * on x86-64 processors with the SHA extensions (Intel since 2016's Goldmont
 * and 2021's Ice Lake servers, AMD since Zen) the blocks go through the
 * SHA-NI instructions, about eight times as fast as the portable C, chosen
 * at run time from CPUID; elsewhere (and under valgrind, whose CPU does not
 * offer them) the portable C below. */
#include "sha256.h"
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(sha256_ctx *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3],
             e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g; g = f; f = e; e = d + t1; d = cc; cc = b; b = a; a = t1 + t2;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
    c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

/* The portable block function, over n consecutive 64-byte blocks. */
static void blocks_portable(uint32_t h[8], const unsigned char *p, size_t n)
{
    sha256_ctx c;
    memcpy(c.h, h, sizeof c.h);
    for (; n > 0; n--, p += 64) compress(&c, p);
    memcpy(h, c.h, sizeof c.h);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

/* The same with the SHA extensions: the message schedule by sha256msg1/2,
 * four rounds per two sha256rnds2, the state kept as ABEF and CDGH (the
 * layout Intel's "SHA extensions" white paper, 2013, describes). */
__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_shani(uint32_t h[8], const unsigned char *p, size_t n)
{
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&h[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                    /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);                      /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);              /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);                   /* CDGH */
    for (; n > 0; n--, p += 64) {
        __m128i abef = s0, cdgh = s1, m[16];
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
            } else {
                __m128i t = _mm_sha256msg1_epu32(m[g - 4], m[g - 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(m[g - 1], m[g - 2], 4));
                m[g] = _mm_sha256msg2_epu32(t, m[g - 1]);
            }
            __m128i msg = _mm_add_epi32(m[g], _mm_loadu_si128((const __m128i *)&K[4 * g]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);                     /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);                      /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);                   /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);                      /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}

/* Whether the processor offers SHA (CPUID 7.0 EBX bit 29), SSE4.1 and SSSE3. */
static bool have_shani(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3)) return false;
    if (__get_cpuid_max(0, NULL) < 7) return false;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;
}
#endif

static bool force_portable;

void cd_sha256_portable(bool on) { force_portable = on; }

/* The block function for this processor. */
static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
    static int shani = -1;
    if (shani < 0) shani = have_shani();
    if (shani && !force_portable) { blocks_shani(h, p, n); return; }
#endif
    blocks_portable(h, p, n);
}

static void init(sha256_ctx *c)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, h0, sizeof h0);
    c->bytes = 0;
    c->used = 0;
}

static void update(sha256_ctx *c, const unsigned char *p, size_t n)
{
    c->bytes += n;
    if (c->used) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->block + c->used, p, take);
        c->used += take; p += take; n -= take;
        if (c->used < 64) return;
        blocks(c->h, c->block, 1);
        c->used = 0;
    }
    blocks(c->h, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    memcpy(c->block, p, n);
    c->used = n;
}

static void finish(sha256_ctx *c, char hex[65])
{
    uint64_t bits = c->bytes * 8;
    unsigned char pad[72] = {0x80};
    size_t padlen = (c->used < 56 ? 56 : 120) - c->used;
    for (int i = 0; i < 8; i++) pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
    update(c, pad, padlen + 8);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        unsigned v = c->h[i / 4] >> (24 - 8 * (i % 4)) & 0xFF;
        hex[2 * i] = digits[v >> 4];
        hex[2 * i + 1] = digits[v & 15];
    }
    hex[64] = '\0';
}

void cd_sha256(const void *data, size_t len, char hex[65])
{
    sha256_ctx c;
    init(&c);
    update(&c, data, len);
    finish(&c, hex);
}

int cd_sha256_file(const char *path, char hex[65], cd_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return cd_error_set(err, CD_EGENERAL, "%s: cannot open it: %s", path, strerror(errno));
    sha256_ctx c;
    init(&c);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) update(&c, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return cd_error_set(err, CD_EGENERAL, "%s: read error", path);
    finish(&c, hex);
    return CD_OK;
}
