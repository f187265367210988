/* dossier_schema.c - what the dossier format says beyond record_types.c
 * (contract in dossier_internal.h).
 *
 * Why it exists: record_types.c gives each field a kind and says whether it
 * is required; the dossier also knows which strings are enums, which amounts
 * and percentages have limits, which keys are unique, and which element holds
 * which records. Those are facts of the format, not of the reading, so they
 * stand here as data that the value, record and structure code look up.
 */
#include "dossier_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const v_soort[] = {"gemeente", "provincie", "gemeenschappelijke regeling", "waterschap", NULL};
static const char *const v_wijze[] = {"gecombineerd", "gescheiden", NULL};
static const char *const v_basis[] = {"realisatie", "begroting", NULL};
static const char *const v_mw_cat[] = {"Wsw", "PW", "Beschut", "Regulier", NULL};
static const char *const v_maat[] = {"personen", "fte", "plaatsen", NULL};
static const char *const v_afronding[] = {"half_up", "down", NULL};
static const char *const v_criterium[] = {"begrotingscriterium", "voorwaardencriterium",
                                          "misbruik_oneigenlijk_gebruik", NULL};
static const char *const v_afw_soort[] = {"fout", "onzekerheid", NULL};
static const char *const v_status[] = {"open", "hersteld", "definitief", NULL};
static const char *const v_procedure[] = {"europees", "nationaal", "meervoudig_onderhands",
                                          "enkelvoudig_onderhands", NULL};
static const char *const v_ct_soort[] = {"leveringen_diensten", "werken", "sociale_diensten", NULL};

/* A negative size (rapportagegrens, bedrag, waarde) is a typo; so is a
 * percentage above 100. Each record type has at most one unique key, which
 * ds_record relies on for the order of its messages. */
const ds_field_rule ds_field_rules[] = {
    {"organisation", "soort", v_soort, 0, 0, 0},
    {"organisation", "grens_wijze", v_wijze, 0, 0, 0},
    {"organisation", "grens_basis", v_basis, 0, 0, 0},
    {"organisation", "rapportagegrens", NULL, 1, 0, 0},
    {"organisation", "grens_percentage", NULL, 0, 1, 0},
    {"organisation", "grens_fouten_percentage", NULL, 0, 1, 0},
    {"organisation", "grens_onzekerheden_percentage", NULL, 0, 1, 0},
    {"begrotingscategorie", "categorie", NULL, 0, 0, DS_KEY_CATEGORIE},
    {"programma", "code", NULL, 0, 0, 'p'},
    {"reserve", "code", NULL, 0, 0, 'r'},
    {"krediet", "code", NULL, 0, 0, 'k'},
    {"rekening", "nr", NULL, 0, 0, 'n'},
    {"medewerker", "id", NULL, 0, 0, 'm'},
    {"medewerker", "categorie", v_mw_cat, 0, 0, 0},
    {"medewerker", "loonwaarde", NULL, 0, 1, 0},
    {"cijfer", "maat", v_maat, 0, 0, 0},
    {"cijfer", "afronding", v_afronding, 0, 0, 0},
    {"afwijking", "id", NULL, 0, 0, 'a'},
    {"afwijking", "criterium", v_criterium, 0, 0, 0},
    {"afwijking", "soort", v_afw_soort, 0, 0, 0},
    {"afwijking", "status", v_status, 0, 0, 0},
    {"afwijking", "bedrag", NULL, 1, 0, 0},
    {"contract", "procedure", v_procedure, 0, 0, 0},
    {"contract", "soort", v_ct_soort, 0, 0, 0},
    {"contract", "waarde", NULL, 1, 0, 0},
};
const size_t ds_nfield_rules = sizeof ds_field_rules / sizeof ds_field_rules[0];

static const ds_field_rule *find(const char *type, const char *field)
{
    for (size_t i = 0; i < ds_nfield_rules; i++)
        if (strcmp(ds_field_rules[i].type, type) == 0 && strcmp(ds_field_rules[i].field, field) == 0)
            return &ds_field_rules[i];
    return NULL;
}

const char *const *ds_field_enum(const char *type, const char *field)
{
    const ds_field_rule *fr = find(type, field);
    return fr ? fr->values : NULL;
}

int ds_field_non_negative(const char *type, const char *field)
{
    const ds_field_rule *fr = find(type, field);
    return fr && fr->non_negative;
}

int ds_field_percentage(const char *type, const char *field)
{
    const ds_field_rule *fr = find(type, field);
    return fr && fr->percentage;
}

static const char *const c_org[] = {"begrotingscategorie", NULL};
static const char *const c_expl[] = {"programma", "reserve", "krediet", "rekening", NULL};
static const char *const c_pers[] = {"medewerker", "topfunctionaris", NULL};
static const char *const c_cijf[] = {"cijfer", NULL};
static const char *const c_afw[] = {"afwijking", NULL};
static const char *const c_creg[] = {"contract", NULL};

const ds_container ds_sections[DS_SEC_COUNT] = {
    {"exploitatie", c_expl}, {"personeel", c_pers}, {"cijfers", c_cijf},
    {"afwijkingen", c_afw}, {"contractregister", c_creg},
};
const ds_container ds_org_container = {"organisation", c_org};

const char *const ds_top_children =
    "organisation, exploitatie, personeel, cijfers, afwijkingen, contractregister or ledger";

static int holds(const ds_container *c, const char *name)
{
    for (int j = 0; c->children[j]; j++)
        if (strcmp(c->children[j], name) == 0)
            return 1;
    return 0;
}

const char *ds_home_of(const char *name)
{
    if (holds(&ds_org_container, name))
        return ds_org_container.name;
    for (int i = 0; i < DS_SEC_COUNT; i++)
        if (holds(&ds_sections[i], name))
            return ds_sections[i].name;
    return NULL;
}

void ds_list_values(char *buf, size_t n, const char *const *v)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; v[i] && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", v[i]);
}
