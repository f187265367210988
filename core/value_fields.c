/* value_fields.c - what each field allows beyond its kind (contract in value.h).
 *
 * Why it exists: these are facts of the input formats (an enum, an amount
 * that is a size, a percentage, a plausible year), and both the reader of
 * the format and `rhv test` must apply them; so they stand here once, as
 * data. A field not listed allows its whole kind, except that a string the
 * reader insists on is never blank: a required dossier attribute, and any
 * XAF element (an empty one reaches a rule as nil, not as "").
 */
#include <string.h>

#include "register_decl.h"
#include "value.h"

static const char *const v_soort[] = {"gemeente", "provincie", "gemeenschappelijke regeling", "waterschap", NULL};
static const char *const v_wijze[] = {"gecombineerd", "gescheiden", NULL};
static const char *const v_basis[] = {"realisatie", "begroting", NULL};
static const char *const v_mw_cat[] = {"Wsw", "PW", "Beschut", "Regulier", NULL};
static const char *const v_maat[] = {"personen", "fte", "plaatsen", "percentage", "bedrag", NULL};
static const char *const v_afronding[] = {"half_up", "down", "grootste_rest", NULL};
static const char *const v_criterium[] = {"begrotingscriterium", "voorwaardencriterium",
                                          "misbruik_oneigenlijk_gebruik", NULL};
static const char *const v_afw_soort[] = {"fout", "onzekerheid", NULL};
static const char *const v_status[] = {"open", "hersteld", "definitief", NULL};
static const char *const v_procedure[] = {"europees", "nationaal", "meervoudig_onderhands",
                                          "enkelvoudig_onderhands", NULL};
static const char *const v_ct_soort[] = {"leveringen_diensten", "leveringen", "diensten", "werken",
                                         "sociale_diensten", NULL};
static const char *const v_telling[] = {"per_jaar", "eenmalig", NULL};
static const char *const v_schakelaar[] = {"meetellen", "melden", "niet", NULL};
static const char *const v_reden[] = {"arbeid", "grond", "financieel", "subsidie", "inbesteding", "samenwerking",
                                      "geen_prestatie", "tussenrekening", NULL};
static const char *const v_amnttp[] = {"C", "D", NULL};

#define ENUM(v) (&(const value_domain){.values = (v)})
#define SIZE (&(const value_domain){.non_negative = true})
#define PERCENTAGE (&(const value_domain){.percentage = true})
static const value_domain non_empty = {.non_empty = true};
static const value_domain any = {0};

const value_domain value_xaf_integer = {.bounded = true, .min = 0, .max = 999999999999999999,
                                        .range_why = "is not a non-negative integer of at most 18 digits"};
const value_domain value_xaf_amnttp = {.values = v_amnttp};

/* A negative size (rapportagegrens, bedrag, waarde) is a typo; so is a
 * percentage above 100. */
static const struct {
    const char *type, *field;
    const value_domain *d;
} fields[] = {
    {"organisation", "soort", ENUM(v_soort)},
    {"organisation", "boekjaar",
     &(const value_domain){.bounded = true, .min = 1900, .max = 2999,
                           .range_why = "is not a plausible fiscal year"}},
    {"organisation", "grens_wijze", ENUM(v_wijze)},
    {"organisation", "grens_basis", ENUM(v_basis)},
    {"organisation", "rapportagegrens", SIZE},
    {"organisation", "grens_percentage", PERCENTAGE},
    {"organisation", "grens_fouten_percentage", PERCENTAGE},
    {"organisation", "grens_onzekerheden_percentage", PERCENTAGE},
    {"medewerker", "categorie", ENUM(v_mw_cat)},
    {"medewerker", "loonwaarde", PERCENTAGE},
    {"medewerker", "geboortejaar",
     &(const value_domain){.bounded = true, .min = 1900, .max = 2099,
                           .range_why = "is not a plausible year of birth (1900-2099)"}},
    {"cijfer", "maat", ENUM(v_maat)},
    {"cijfer", "decimalen",
     &(const value_domain){.bounded = true, .min = 0, .max = 2,
                           .range_why = "must be 0, 1 or 2 (waarde has two decimals at most)"}},
    {"cijfer", "afronding", ENUM(v_afronding)},
    {"afwijking", "criterium", ENUM(v_criterium)},
    {"afwijking", "soort", ENUM(v_afw_soort)},
    {"afwijking", "status", ENUM(v_status)},
    {"afwijking", "bedrag", SIZE},
    {"contract", "procedure", ENUM(v_procedure)},
    {"contract", "soort", ENUM(v_ct_soort)},
    {"contract", "waarde", SIZE},
    {"contract", "opties", SIZE},
    {"inkoop", "telling", ENUM(v_telling)},
    {"inkoop", "eigen_beleid", ENUM(v_schakelaar)},
    {"inkoop", "formeel", ENUM(v_schakelaar)},
    {"inkoopcategorie", "reden", ENUM(v_reden)},
    {"uitsluiting", "reden", ENUM(v_reden)},
    {"inkoopdrempel", "soort", ENUM(v_ct_soort)},
    {"inkoopdrempel", "procedure", ENUM(v_procedure)},
    {"inkoopdrempel", "bedrag", SIZE},
    {"xaf.trLine", "amntTp", &value_xaf_amnttp},
};

const value_domain *value_domain_of(const rhv_record_type *t, const rhv_field_def *f)
{
    if (t->decl)
        return register_domain_of(t, f);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].type, t->name) == 0 && strcmp(fields[i].field, f->name) == 0)
            return fields[i].d;
    if (t->source == SRC_LEDGER && f->kind == VAL_INT)
        return &value_xaf_integer;
    if (f->kind == VAL_STR && (t->source == SRC_LEDGER || f->required))
        return &non_empty;
    return &any;
}
