/* pdf.h -- the PDF writer: the only module that talks to libharu. It knows
 * nothing of cases, templates or layout rules: it draws text, lines, shapes
 * and images on pages, measures text with the embedded TrueType family's real
 * metrics, and writes the file (metadata, compression, encryption). */
#ifndef CD_PDF_H
#define CD_PDF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "courtdocs.h"

#endif
