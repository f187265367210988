/* xlsx_book_internal.h - what the workbook reader's files share; not for other modules.
 *
 * The reader (xlsx_book.h) is split by the part of the workbook each file reads:
 *   xlsx_book.c     the book: open/close, workbook.xml and its relationships
 *                   (sheet names, their parts, date1904)
 *   xlsx_part.c     one part read from the zip and walked with an xmlReader;
 *                   the growing text buffer
 *   xlsx_strings.c  xl/sharedStrings.xml
 *   xlsx_styles.c   xl/styles.xml: which cell formats show a percentage
 *   xlsx_rows.c     a sheet's rows and cells, handed to the callback
 *
 * Names shared between these files start with xb_.
 *
 * Contract of struct xlsx_book: xlsx_book_open() fills it completely before
 * it returns (sheets from workbook.xml, then sst, then xfpct), and nothing
 * changes it afterwards, so xlsx_book_rows() only reads it. Every pointer is
 * owned by the book and freed by xlsx_book_close(); a part that is absent
 * (no shared strings, no styles) leaves its array NULL with count 0.
 */
#ifndef RHV_XLSX_BOOK_INTERNAL_H
#define RHV_XLSX_BOOK_INTERNAL_H

#include <stddef.h>
#include <libxml/xmlreader.h>

#include "xlsx_book.h"
#include "xlsx_zip.h"

typedef struct {
    char *name;
    char *part; /* "xl/worksheets/sheet1.xml" */
} xb_sheet;

struct xlsx_book {
    xlsx_zip *zip;
    xb_sheet *sheets;
    int nsheets;
    int date1904;
    char **sst;           /* shared strings, by index */
    size_t nsst;
    unsigned char *xfpct; /* per cellXfs index: percentage format */
    size_t nxf;
};

/* A growing text buffer; s is NUL-terminated once anything was added. */
typedef struct {
    char *s;
    size_t len, cap;
} xb_buf;

/* Appends n bytes of s; -1 out of memory. */
int xb_buf_add(xb_buf *b, const char *s, size_t n);

/* Reads a part from the zip and opens an xmlReader over it (no network, no
 * entities): 1 with *buf and *rd, which the caller frees (xmlFreeTextReader,
 * then free); 0 when a part that is not required is absent; -1 with err. */
int xb_part_open(xlsx_book *b, const char *part, int required, char **buf, xmlTextReaderPtr *rd, char *err,
                 size_t errn);
/* Steps the reader; 1 at a node, 0 at the end, -1 with err when malformed or at a DTD. */
int xb_step(xmlTextReaderPtr rd, const char *part, char *err, size_t errn);
/* At the start (xb_is_elem) or end (xb_is_end) of an element with this local name, or at text. */
int xb_is_elem(xmlTextReaderPtr rd, const char *name);
int xb_is_end(xmlTextReaderPtr rd, const char *name);
int xb_is_text(xmlTextReaderPtr rd);

/* Fill b->sst and b->xfpct; an absent part is no error. 0, or -1 with err. */
int xb_read_strings(xlsx_book *b, char *err, size_t errn);
int xb_read_styles(xlsx_book *b, char *err, size_t errn);

#endif
