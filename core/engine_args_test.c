/* engine_args_test.c - rule arguments (--rule-arg), selectors (--rules) and
 * params tables (loading, their errors). */
#include <check.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_test_util.h"

START_TEST(rule_args)
{
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=500"), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.telt=false"), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.label=Prog"), 0);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=499"), 0); /* replaces 500 */
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.nope=1"), -1);
    ck_assert(diag_contains(&diag, "has no argument 'nope' (it has: drempel, telt, label)") ||
              diag_contains(&diag, "has no argument 'nope'"));
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.nope.drempel=1"), -1);
    ck_assert(diag_contains(&diag, "no rule with id 'fx.nope'"));
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=1.5"), -1);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.telt=ja"), -1);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel"), -1);
    ck_assert_int_eq(engine_set_rule_arg(e, "fx.alpha.drempel=99999999999999999999"), -1);
    ck_assert_uint_eq(engine_override_count(e), 3);
    ck_assert_str_eq(engine_override(e, 0), "fx.alpha.drempel=499");
    ck_assert_str_eq(engine_override(e, 1), "fx.alpha.telt=false");
    ck_assert_str_eq(engine_override(e, 2), "fx.alpha.label=Prog");
    ck_assert_int_eq(engine_start(e, 2023, SRC_DOSSIER), 0);
    programma(e, "1", "A", 1000, 1499, 1); /* 499: not above */
    programma(e, "2", "B", 1000, 1500, 2);
    engine_finish(e);
    ck_assert_uint_eq(engine_finding_count(e), 1);
    ck_assert_str_eq(engine_finding(e, 0)->subject, "Prog 2 B");
    ck_assert(!engine_finding(e, 0)->counts);
    engine_free(e);
}
END_TEST

START_TEST(selectors)
{
    static const struct {
        const char *expr;
        const char *ids; /* space separated, or NULL for an error */
    } cases[] = {
        {"fx.alpha", "fx.alpha"},
        {"fx.*", "fx.alpha fx.beta fx.gamma"},
        {"fx.* and not fx.beta", "fx.alpha fx.gamma"},
        {"voorwaardencriterium", "fx.beta"},
        {"begrotingscriterium or geen", "fx.alpha fx.gamma"},
        {"not (fx.alpha or fx.gamma)", "fx.beta"},
        {"fx.alpha, fx.beta", "fx.alpha fx.beta"},
        {"all and not geen", "fx.alpha fx.beta"},
        {"fx.nope", NULL},
        {"fx.alpha or zz.*", NULL},
        {"fx.alpha or (", NULL},
        {"fx.alpha fx.beta", NULL},
        {"fx.alpha and not fx.alpha", NULL},
        {"misbruik_oneigenlijk_gebruik", NULL},
        {"fx.alpha $", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rhv_engine *e = mk_engine();
        ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
        int rc = engine_select(e, cases[i].expr);
        if (!cases[i].ids) {
            ck_assert_msg(rc == -1, "'%s' should fail", cases[i].expr);
            ck_assert_uint_ge(diag.errors, 1);
            ck_assert_uint_eq(engine_rule_count(e), 3);
        } else {
            ck_assert_msg(rc == 0, "'%s' failed", cases[i].expr);
            char got[256] = "";
            for (size_t k = 0; k < engine_rule_count(e); k++) {
                if (k)
                    strcat(got, " ");
                strcat(got, engine_rule(e, k)->id);
            }
            ck_assert_msg(strcmp(got, cases[i].ids) == 0, "'%s' selected '%s'", cases[i].expr, got);
        }
        engine_free(e);
    }
    rhv_engine *e = mk_engine();
    ck_assert_int_eq(engine_load_dir(e, fx("ok")), 0);
    ck_assert_int_eq(engine_select(e, "fx.zz*"), -1);
    ck_assert(diag_contains(&diag, "'fx.zz*' matches no rule"));
    ck_assert_int_eq(engine_select(e, "fx.alpha"), 0);
    ck_assert_uint_eq(engine_param_count(e), 0); /* beta's table no longer used */
    engine_free(e);
}
END_TEST

/* ---- params ------------------------------------------------------------- */

START_TEST(params_tables)
{
    diag_free(&diag);
    diag_init(&diag, NULL);
    rhv_param_table *t = params_load_named(pardir, "fx_drempel", &diag, NULL);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "fx_drempel");
    ck_assert_str_eq(t->unit, "cents");
    ck_assert_uint_eq(strlen(t->sha256), 64);
    ck_assert_uint_eq(t->n, 2);
    ck_assert_int_eq(t->periods[0].from, 2022); /* sorted */
    char *err = NULL;
    const rhv_param_period *p = params_resolve(t, 2023, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->source, "fixture 2022");
    ck_assert_int_eq(p->value.kind, PV_TABLE);
    ck_assert_int_eq(p->value.entries[0].val.i, 21500000);
    p = params_resolve(t, 2099, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert(p->open);
    ck_assert_ptr_null(params_resolve(t, 2021, &err));
    ck_assert_msg(strstr(err, "'fx_drempel'") && strstr(err, "2021"), "%s", err);
    free(err);
    params_free(t);

    static const struct {
        const char *name, *needle;
    } bad[] = {
        {"fx_overlap", "overlaps"},
        {"fx_float", "value.x: 1.5 is not an integer"},
        {"fx_wrongname", "field 'name'"},
        {"fx_unknown", "values[1]: unknown field 'note'"},
        {"fx_code", "global 'string'"},
        {"fx_missing", "cannot read"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *why = NULL;
        ck_assert_ptr_null(params_load_named(pardir, bad[i].name, &diag, &why));
        ck_assert_msg(diag_contains(&diag, bad[i].needle), "%s: no '%s' in diag", bad[i].name, bad[i].needle);
        /* The reason comes back to the caller too, the same text as the diag's. */
        ck_assert_msg(why && strstr(why, bad[i].needle), "%s: reason '%s'", bad[i].name, why ? why : "(none)");
        ck_assert_str_eq(why, diag.msgs[diag.n - 1].message);
        free(why);
        ck_assert_msg(diag_contains(&diag, bad[i].name), "%s not named", bad[i].name);
    }
}
END_TEST

/* A params value's path in a message has a 512-byte buffer: a longer one
 * (a 600-character key) is cut and ends in "...", one level down too, and
 * the message still says what is wrong. */
START_TEST(long_key_path_cut_with_dots)
{
    lua_State *L = luaL_newstate();
    ck_assert_ptr_nonnull(L);
    char key[601];
    memset(key, 'k', 600);
    key[600] = '\0';
    lua_newtable(L);
    lua_newtable(L);
    lua_pushnumber(L, 1.5);
    lua_setfield(L, -2, "x");
    lua_setfield(L, -2, key);
    rhv_pvalue v;
    char *err = NULL;
    ck_assert_int_eq(pvalue_from_lua(L, -1, "value", &v, &err), -1);
    ck_assert_ptr_nonnull(err);
    const char *colon = strstr(err, ": 1.5 is not an integer");
    ck_assert_msg(colon, "%s", err);
    ck_assert_int_eq((int)(colon - err), 511); /* the buffer's 511 characters */
    ck_assert_msg(strncmp(err, "value.kkkk", 10) == 0 && strncmp(colon - 3, "...", 3) == 0, "%s", err);
    free(err);
    lua_close(L);
}
END_TEST

int main(void)
{
    engine_test_setup();
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rule_args);
    tcase_add_test(tc, selectors);
    tcase_add_test(tc, params_tables);
    tcase_add_test(tc, long_key_path_cut_with_dots);
    return engine_test_run(tc);
}
