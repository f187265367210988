/* workbook_sheets.c - which sheet holds which record type (contract in workbook.h).
 *
 * Only the sheet names and a line per sheet live here; the columns are the
 * record type's fields from record_types.c, so a new field appears in the
 * template and is read from a workbook without a change here.
 */
#include <string.h>

#include "workbook.h"

static const struct {
    const char *type, *sheet, *doc;
} sheets[] = {
    {"organisation", "Organisatie", "De organisatie en haar verantwoordingsgrens: precies een rij."},
    {"begrotingscategorie", "Begrotingscategorieen", "Kadernota-categorieen van overschrijdingen en of ze meetellen."},
    {"regelargument", "Regelargumenten", "Argumenten die de organisatie aan een regel meegeeft (regel, naam, waarde)."},
    {"programma", "Programma's", "De exploitatie per programma: lasten en baten, begroot en gerealiseerd."},
    {"reserve", "Reserves", "Toevoegingen en onttrekkingen per reserve."},
    {"krediet", "Kredieten", "Investeringskredieten: budget en realisatie."},
    {"taakveld", "Taakvelden", "De lasten per Iv3-taakveld binnen een programma, begroot en gerealiseerd."},
    {"rekening", "Rekeningen", "Grootboekrekeningen en het programma waarvan ze de lasten dragen."},
    {"medewerker", "Medewerkers", "Medewerkers (Wsw, Participatiewet, beschut, regulier)."},
    {"topfunctionaris", "Topfunctionarissen", "Topfunctionarissen (WNT), een rij per functie."},
    {"cijfer", "Cijfers", "Gepubliceerde cellen van tabellen, om na te rekenen."},
    {"afwijking", "Afwijkingen", "Door de controller geregistreerde afwijkingen."},
    {"contractregister", "Contractregister", "Het contractregister zelf: hoogstens een rij (peildatum, bron)."},
    {"contract", "Contracten", "De contracten van het contractregister."},
    {"inkoop", "Inkoop", "Hoe inkoopfouten meetellen: hoogstens een rij (telling, eigen_beleid, formeel)."},
    {"inkooprekening", "Inkooprekeningen", "De inkoopcategorie van een grootboekrekening."},
    {"inkoopcategorie", "Inkoopcategorieen", "Eigen inkoopcategorieen, of een afwijking van de standaardindeling."},
    {"uitsluiting", "Uitsluitingen", "Leveranciers waarvan de uitgaven geen inkoop zijn, met de reden."},
    {"inkoopdrempel", "Inkoopdrempels", "De drempels van het eigen inkoopbeleid."},
};

const char *const wb_files_cols[] = {"element",   "path",     "extract",  "type",
                                     "scheiding", "codering", "getallen", "boekjaar", NULL};

static int find(const char *type)
{
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++)
        if (strcmp(sheets[i].type, type) == 0)
            return (int)i;
    return -1;
}

const char *wb_sheet_name(const rhv_record_type *t)
{
    int i = find(t->name);
    return i < 0 ? t->name : sheets[i].sheet;
}

const char *wb_sheet_doc(const rhv_record_type *t)
{
    int i = find(t->name);
    return i < 0 ? t->doc : sheets[i].doc;
}

bool wb_has_sheet(const rhv_record_type *t)
{
    /* A ledger is a file the dossier names, not a row of data: Bestanden holds it.
     * A declared register is named by its author, and Excel allows 31 characters. */
    return t->source == SRC_DOSSIER && strcmp(t->name, "ledger") != 0 && strlen(wb_sheet_name(t)) <= WB_SHEET_NAME_MAX;
}

const rhv_record_type *wb_sheet_type(const char *name)
{
    for (int i = 0; i < rhv_record_type_count; i++) {
        const rhv_record_type *t = rhv_record_types[i];
        if (wb_has_sheet(t) && strcmp(wb_sheet_name(t), name) == 0)
            return t;
    }
    return NULL;
}

bool wb_single_row(const rhv_record_type *t)
{
    return strcmp(t->name, "organisation") == 0 || strcmp(t->name, "contractregister") == 0 ||
           strcmp(t->name, "inkoop") == 0;
}
