/* dossier_xml_write.c - a collected dossier written as XML (contract in
 * dossier_xml_write.h). The order is docs/dossier.md's tree: organisation
 * with its begrotingscategorieen and regelargumenten, then each section with
 * its records in the order read, the contractregister with its contracts, the
 * inkoop section with its records, a <register> per declared register with
 * its rows written out, then the ledgers and the CSV registers (their rows
 * stay in their CSV files). */
#include "dossier_xml_write.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

static void esc(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\t': fputs("&#9;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        default: fputc(c, f);
        }
    }
}

static void attrs(FILE *f, const dc_record *r)
{
    const rhv_record_type *t = r->type;
    for (int k = 0; k < t->nfields; k++) {
        const rhv_value *v = &r->v[k];
        const rhv_field_def *fd = &t->fields[k];
        char buf[MONEY_FMT_MAX];
        if (v->kind == VAL_NONE)
            continue;
        fprintf(f, " %s=\"", fd->name);
        switch (v->kind) {
        case VAL_STR:
        case VAL_DATE:
            esc(f, v->s, v->len);
            break;
        case VAL_MONEY:
            fputs(money_format_plain(v->i, buf), f);
            break;
        case VAL_INT:
            fprintf(f, "%" PRId64, v->i);
            break;
        case VAL_BOOL:
            fputs(v->i ? "true" : "false", f);
            break;
        case VAL_SCALED: {
            int64_t pw = 1;
            for (int s = 0; s < fd->scale; s++)
                pw *= 10;
            if (fd->scale == 0)
                fprintf(f, "%" PRId64, v->i);
            else
                fprintf(f, "%" PRId64 ".%0*" PRId64, v->i / pw, fd->scale, v->i % pw);
            break;
        }
        case VAL_NONE:
            break;
        }
        fputc('"', f);
    }
}

static void records_of(FILE *f, const dc_dossier *c, const char *type, const char *indent)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->recs[i].type->name, type) == 0) {
            fprintf(f, "%s<%s", indent, type);
            attrs(f, &c->recs[i]);
            fputs("/>\n", f);
        }
}

static size_t count(const dc_dossier *c, const char *const *types)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        for (int k = 0; types[k]; k++)
            n += strcmp(c->recs[i].type->name, types[k]) == 0;
    return n;
}

/* A section that is a record itself (contractregister, inkoop): its element
 * with its own attributes, holding the records of `children`. */
static void record_section(FILE *f, const dc_dossier *c, const char *name, const char *const *children)
{
    size_t n = count(c, children);
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->recs[i].type->name, name) == 0) {
            fprintf(f, "  <%s", name);
            attrs(f, &c->recs[i]);
            if (n == 0) {
                fputs("/>\n", f);
            } else {
                fputs(">\n", f);
                for (int k = 0; children[k]; k++)
                    records_of(f, c, children[k], "    ");
                fprintf(f, "  </%s>\n", name);
            }
        }
}

int dossier_xml_write(FILE *f, const dc_dossier *c)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dossier xmlns=\"urn:rhv:dossier:1\">\n", f);
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->recs[i].type->name, "organisation") == 0) {
            fputs("  <organisation", f);
            attrs(f, &c->recs[i]);
            static const char *const org[] = {"begrotingscategorie", "regelargument", NULL};
            if (count(c, org) == 0) {
                fputs("/>\n", f);
            } else {
                fputs(">\n", f);
                for (int k = 0; org[k]; k++)
                    records_of(f, c, org[k], "    ");
                fputs("  </organisation>\n", f);
            }
        }
    static const char *const expl[] = {"programma", "reserve", "krediet", "taakveld", "rekening", NULL};
    static const char *const pers[] = {"medewerker", "topfunctionaris", NULL};
    static const char *const cijf[] = {"cijfer", NULL};
    static const char *const afw[] = {"afwijking", NULL};
    static const struct {
        const char *name;
        const char *const *types;
    } sections[] = {{"exploitatie", expl}, {"personeel", pers}, {"cijfers", cijf}, {"afwijkingen", afw}};
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        if (count(c, sections[s].types) == 0)
            continue;
        fprintf(f, "  <%s>\n", sections[s].name);
        for (int k = 0; sections[s].types[k]; k++)
            records_of(f, c, sections[s].types[k], "    ");
        fprintf(f, "  </%s>\n", sections[s].name);
    }
    static const char *const ctr[] = {"contract", NULL};
    static const char *const inkoop[] = {"inkooprekening", "inkoopcategorie", "uitsluiting", "inkoopdrempel", NULL};
    record_section(f, c, "contractregister", ctr);
    record_section(f, c, "inkoop", inkoop);
    for (int k = 0; k < rhv_record_type_count; k++) {
        const rhv_record_type *t = rhv_record_types[k];
        const char *const one[] = {t->name, NULL};
        if (!t->decl || count(c, one) == 0)
            continue;
        fprintf(f, "  <register type=\"%s\">\n", t->name);
        records_of(f, c, t->name, "    ");
        fputs("  </register>\n", f);
    }
    for (size_t i = 0; i < c->ds.nledgers; i++) {
        fputs("  <ledger path=\"", f);
        esc(f, c->ledgers[i], strlen(c->ledgers[i]));
        fputs(c->ds.ledger_extract[i] ? "\" extract=\"true\"" : "\"", f);
        if (c->ds.ledger_fiscal_year[i])
            fprintf(f, " boekjaar=\"%d\"", c->ds.ledger_fiscal_year[i]);
        fputs("/>\n", f);
    }
    for (size_t i = 0; i < c->ds.nregisters; i++) {
        const rhv_register *g = &c->ds.registers[i];
        fprintf(f, "  <register type=\"%s\" path=\"", g->type);
        esc(f, c->registers[i], strlen(c->registers[i]));
        fputc('"', f);
        if (g->sep)
            fprintf(f, " scheiding=\"%c\"", g->sep);
        if (g->cp1252)
            fputs(" codering=\"windows-1252\"", f);
        if (g->nl_numbers)
            fputs(" getallen=\"nl\"", f);
        fputs("/>\n", f);
    }
    fputs("</dossier>\n", f);
    return ferror(f) ? -1 : 0;
}
