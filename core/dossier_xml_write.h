/* dossier_xml_write.h - a collected dossier (dossier_collect.h) as an XML
 * dossier (docs/dossier.md) that reads back into the same records.
 * Values are written in the canonical form (amounts 1234.56, dates
 * YYYY-MM-DD, scaled values with all their decimals). 0 ok, -1 write error. */
#ifndef RHV_DOSSIER_XML_WRITE_H
#define RHV_DOSSIER_XML_WRITE_H

#include <stdio.h>

#include "dossier_collect.h"

int dossier_xml_write(FILE *f, const dc_dossier *c);

#endif
