/* report_text_test.c - the Dutch text report on hand-made reports: within
 * and above the grens, roles, gescheiden grenzen, without a verdict. */
#include "report.h"
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "report_test_util.h"

/* ---- text ---------------------------------------------------------------- */

/* The text report wraps its paragraphs; phrases are matched with every run
 * of white space turned into one space. */
static char *flat(char *t)
{
    char *o = t;
    for (const char *p = t; *p; p++) {
        if (*p == ' ' || *p == '\n') {
            if (o > t && o[-1] == ' ')
                continue;
            *o++ = ' ';
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return t;
}

static char *render_flat(const rhv_report *r)
{
    return flat(render(report_text, r));
}

#define HAS(text, needle) ck_assert_msg(strstr(text, needle) != NULL, "missing in text: %s", needle)
#define HASNT(text, needle) ck_assert_msg(strstr(text, needle) == NULL, "unexpected in text: %s", needle)

START_TEST(text_binnen_gr)
{
    fixture x;
    fixture_init(&x, "gemeenschappelijke regeling", 0, false);
    char *t = render(report_text, &x.r);
    HAS(t, "Rechtmatigheidsverantwoording 2023 — GR Westrom\n====");
    char *again = render(report_text, &x.r);
    ck_assert_str_eq(t, again); /* deterministic */
    free(again);
    flat(t);
    HAS(t, "Verantwoordelijkheid dagelijks bestuur");
    HAS(t, "Het dagelijks bestuur is verantwoordelijk");
    HAS(t, "begrotingscriterium");
    HAS(t, "voorwaardencriterium");
    HAS(t, "misbruik en oneigenlijk gebruik");
    HAS(t, "16 november 2023");
    HAS(t, "door het algemeen bestuur bepaald op 3% van de totale lasten inclusief toevoegingen aan de");
    HAS(t, "(basis: realisatie € 60.000.000,00)");
    HAS(t, "vastgesteld op € 1.800.000,00");
    HAS(t, "rechtmatig tot stand zijn gekomen binnen de door het algemeen bestuur gestelde");
    HASNT(t, "niet rechtmatig");
    HAS(t, "Uitkomst: binnen de verantwoordingsgrens.");
    HAS(t, "€ 123.456,78");
    HAS(t, "€ 1.676.538,22");      /* ruimte = 1.800.000,00 - 123.461,78 */
    HAS(t, "A Begrotingscriterium");
    HAS(t, "B Voorwaardencriterium");
    HAS(t, "C Misbruik en oneigenlijk gebruik");
    HASNT(t, "D Geen criterium");
    HAS(t, "Toelichting (afwijkingen vanaf de rapportagegrens van € 100.000,00)");
    HAS(t, "Realisatie € 1.123.456,78 min begroot € 1.000.000,00.");
    HAS(t, "Bron: dossier.xml:12 (programma 2)");
    HAS(t, "Acceptabel volgens verordening (telt niet mee)");
    HAS(t, "Programma 3 Inkomen: € 777.777,00");
    HAS(t, "Signaleringen");
    HAS(t, "Grootboek 4000");
    HAS(t, "Bijlage: afwijkingen onder de rapportagegrens");
    HAS(t, "Leverancier Klein BV: € 5,00");
    HAS(t, "rules/begroting.lasten.lua:17: attempt to index nil");
    HAS(t, "geen topfunctionaris in de invoer");
    HAS(t, "overgeslagen");
    HAS(t, "mislukt");
    HAS(t, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    HAS(t, "rhv 9.9.9");
    HAS(t, "grootboek.xaf:88: waarschuwing: onbekend dagboek 70");
    HASNT(t, "LET OP");
    /* The reportable afwijking comes before the small one, in its own section. */
    const char *toel = strstr(t, "Toelichting (");
    const char *bijl = strstr(t, "Bijlage:");
    ck_assert(strstr(toel, "Programma 2 Werk") < bijl);
    ck_assert(strstr(bijl, "Leverancier Klein BV") != NULL);
    ck_assert(strstr(toel, "Leverancier Klein BV") > bijl);
    free(t);
    fixture_free(&x);
}
END_TEST

START_TEST(text_boven_and_roles)
{
    fixture x;
    /* € 1.800.000,00 grens; total = 123.456,78 + 5,00 + extra: 1 cent over. */
    fixture_init(&x, "gemeente", 180000001 - 12345678 - 500, false);
    ck_assert(x.r.vres.boven);
    char *t = render_flat(&x.r);
    HAS(t, "Verantwoordelijkheid college");
    HAS(t, "door de raad bepaald op 3%");
    HAS(t, "Het college verklaart dat de in de jaarrekening 2023 verantwoorde baten, lasten en");
    HAS(t, "niet rechtmatig");
    HAS(t, "dat is € 0,01 boven de verantwoordingsgrens van € 1.800.000,00");
    HAS(t, "Uitkomst: boven de verantwoordingsgrens.");
    HAS(t, "€ -0,01");
    free(t);
    fixture_free(&x);

    fixture_init(&x, "provincie", 0, false);
    x.r.vin.grens_bp = 350;
    ck_assert_int_eq(verdict_compute(&x.r.vin, x.f, 5, &x.r.vres, NULL), 0);
    ck_assert(x.r.vres.pct_warning);
    t = render_flat(&x.r);
    HAS(t, "Verantwoordelijkheid Gedeputeerde Staten");
    HAS(t, "Gedeputeerde Staten zijn verantwoordelijk");
    HAS(t, "Gedeputeerde Staten verklaren");
    HAS(t, "door Provinciale Staten bepaald op 3,50%");
    HAS(t, "LET OP: een percentage van de verantwoordingsgrens ligt buiten 0,5% tot 3%");
    free(t);
    fixture_free(&x);
}
END_TEST

START_TEST(text_gescheiden_and_without_verdict)
{
    fixture x;
    fixture_init(&x, "waterschap", 0, true);
    char *t = render_flat(&x.r);
    HAS(t, "bepaald op 1% (fouten) en 3% (onzekerheden)");
    HAS(t, "vastgesteld op € 600.000,00 voor fouten en € 1.800.000,00 voor onzekerheden");
    HAS(t, "Verantwoordingsgrenzen");
    HAS(t, "De fouten bedragen € 123.456,78; dat is € 476.543,22 binnen de grens van € 600.000,00.");
    HAS(t, "Uitkomst: binnen de verantwoordingsgrenzen.");
    free(t);
    fixture_free(&x);

    fixture_init(&x, NULL, 0, false);
    x.r.have_verdict = false;
    x.r.have_dossier = false;
    x.r.grens_basis = x.r.grens_besluit = x.r.grens_bron = x.r.normenkader_datum = NULL;
    x.r.exit_code = 2;
    t = render_flat(&x.r);
    HAS(t, "geen verantwoordingsgrens");
    HAS(t, "LET OP: bij het lezen van de invoer");
    HASNT(t, "Uitkomst:");
    HASNT(t, "Bijlage:");
    HAS(t, "€ 123.456,78");
    HAS(t, "Leverancier Klein BV: € 5,00"); /* listed one by one: no rapportagegrens known */
    free(t);
    fixture_free(&x);
}
END_TEST

int main(void)
{
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, text_binnen_gr);
    tcase_add_test(tc, text_boven_and_roles);
    tcase_add_test(tc, text_gescheiden_and_without_verdict);
    return report_test_run(tc);
}
