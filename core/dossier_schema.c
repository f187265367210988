/* dossier_schema.c - what the dossier format says beyond record_types.c
 * (contract in dossier_internal.h).
 *
 * Why it exists: record_types.c gives each field a kind and says whether it
 * is required, and value_fields.c what values it allows; the dossier also
 * knows which keys are unique and which element holds which records. Those
 * are facts of the format, not of the reading, so they stand here as data
 * that the record and structure code look up.
 */
#include "dossier_internal.h"

#include <stdio.h>
#include <string.h>

/* Each record type has at most one unique key, which ds_record relies on
 * for the order of its messages. */
const ds_field_rule ds_field_rules[] = {
    {"begrotingscategorie", "categorie", DS_KEY_CATEGORIE},
    {"programma", "code", 'p'},
    {"reserve", "code", 'r'},
    {"krediet", "code", 'k'},
    {"rekening", "nr", 'n'},
    {"medewerker", "id", 'm'},
    {"afwijking", "id", 'a'},
    {"inkooprekening", "nr", 'i'},
    {"inkoopcategorie", "code", 'c'},
    {"uitsluiting", "leverancier", 'u'},
};
const size_t ds_nfield_rules = sizeof ds_field_rules / sizeof ds_field_rules[0];

static const char *const c_org[] = {"begrotingscategorie", "regelargument", NULL};
static const char *const c_expl[] = {"programma", "reserve", "krediet", "taakveld", "rekening", NULL};
static const char *const c_pers[] = {"medewerker", "topfunctionaris", NULL};
static const char *const c_cijf[] = {"cijfer", NULL};
static const char *const c_afw[] = {"afwijking", NULL};
static const char *const c_creg[] = {"contract", NULL};
static const char *const c_inkoop[] = {"inkooprekening", "inkoopcategorie", "uitsluiting", "inkoopdrempel", NULL};

const ds_container ds_sections[DS_SEC_COUNT] = {
    {"exploitatie", c_expl}, {"personeel", c_pers}, {"cijfers", c_cijf},
    {"afwijkingen", c_afw}, {"contractregister", c_creg}, {"inkoop", c_inkoop},
};
const ds_container ds_org_container = {"organisation", c_org};

const char *const ds_top_children =
    "organisation, exploitatie, personeel, cijfers, afwijkingen, contractregister, inkoop, register, ledger or "
    "beoordelingen";

const char *const dossier_register_builtin_types[] = {
    "regelargument", "programma", "reserve", "krediet", "taakveld", "rekening", "medewerker", "topfunctionaris",
    "cijfer", "afwijking", "contract", "inkooprekening", "inkoopcategorie", "uitsluiting", "inkoopdrempel", NULL};

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
