/* engine_test_util.c - see engine_test_util.h */
#include "engine_test_util.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "paths.h"

char fixdir[2048], plugdir[2048], pardir[2048], homedir[2048];
rhv_diag diag;

const char *fx(const char *rel)
{
    static char buf[8][4096];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, 4096, "%s/%s", fixdir, rel);
    return b;
}

rhv_engine *mk_engine_threads(int threads)
{
    diag_free(&diag);
    diag_init(&diag, NULL);
    rhv_engine_opts o = {.mem_limit = 8u * 1024 * 1024, .instr_budget = 2000000,
                         .plugins_dir = plugdir, .params_dir = pardir, .diag = &diag, .threads = threads};
    rhv_engine *e = engine_new(&o);
    ck_assert_ptr_nonnull(e);
    return e;
}

const rhv_rule_info *rule_by_id(rhv_engine *e, const char *id)
{
    for (size_t i = 0; i < engine_rule_count(e); i++)
        if (strcmp(engine_rule(e, i)->id, id) == 0)
            return engine_rule(e, i);
    return NULL;
}

rhv_engine *mk_engine(void)
{
    return mk_engine_threads(0);
}

/* ---- records ------------------------------------------------------------ */

rhv_value pv[16];

void programma(rhv_engine *e, const char *code, const char *naam, int64_t begroot, int64_t real,
                      long line)
{
    const rhv_record_type *t = record_type_find("programma");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "code")], code, strlen(code));
    val_str(&pv[record_field_index(t, "naam")], naam, strlen(naam));
    val_int(&pv[record_field_index(t, "lasten_primitief")], VAL_MONEY, begroot);
    val_int(&pv[record_field_index(t, "lasten_begroot")], VAL_MONEY, begroot);
    val_int(&pv[record_field_index(t, "lasten_realisatie")], VAL_MONEY, real);
    val_int(&pv[record_field_index(t, "baten_primitief")], VAL_MONEY, 0);
    val_int(&pv[record_field_index(t, "baten_begroot")], VAL_MONEY, 0);
    val_int(&pv[record_field_index(t, "baten_realisatie")], VAL_MONEY, 0);
    rhv_record rec = {t, "dossier.xml", line, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

void programma_cat(rhv_engine *e, const char *code, const char *cat)
{
    const rhv_record_type *t = record_type_find("programma");
    for (int i = 0; i < t->nfields; i++)
        val_int(&pv[i], VAL_MONEY, 0);
    val_str(&pv[record_field_index(t, "code")], code, strlen(code));
    val_str(&pv[record_field_index(t, "naam")], "N", 1);
    val_none(&pv[record_field_index(t, "toelichting")]);
    if (cat)
        val_str(&pv[record_field_index(t, "categorie")], cat, strlen(cat));
    else
        val_none(&pv[record_field_index(t, "categorie")]);
    rhv_record rec = {t, "dossier.xml", 1, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

void trline(rhv_engine *e, const char *sup, int64_t amnt, const char *tp)
{
    const rhv_record_type *t = record_type_find("xaf.trLine");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    if (sup)
        val_str(&pv[record_field_index(t, "custSupID")], sup, strlen(sup));
    val_int(&pv[record_field_index(t, "amnt")], VAL_MONEY, amnt);
    val_str(&pv[record_field_index(t, "amntTp")], tp, 1);
    val_str(&pv[record_field_index(t, "jrnID")], "70", 2);
    rhv_record rec = {t, "ledger.xaf", 100, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

void organisation(rhv_engine *e, const char *naam)
{
    const rhv_record_type *t = record_type_find("organisation");
    for (int i = 0; i < t->nfields; i++)
        val_none(&pv[i]);
    val_str(&pv[record_field_index(t, "naam")], naam, strlen(naam));
    rhv_record rec = {t, "dossier.xml", 3, pv};
    ck_assert_int_eq(engine_dispatch(e, &rec), 0);
}

void engine_test_setup(void)
{
    const char *home = rhv_home();
    snprintf(homedir, sizeof homedir, "%s", home);
    snprintf(fixdir, sizeof fixdir, "%s/tests/fixtures/rules", home);
    snprintf(plugdir, sizeof plugdir, "%s/plugins", home);
    snprintf(pardir, sizeof pardir, "%s/tests/fixtures/rules/params", home);
    diag_init(&diag, NULL);
}

int engine_test_run(TCase *tc)
{
    Suite *s = suite_create("engine");
    suite_add_tcase(s, tc);
    const int rc = check_run(s);
    diag_free(&diag);
    return rc;
}
