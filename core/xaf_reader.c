/* xaf_reader.c - setting up the XAF reader (xaf_internal.h): the element
 * names as small tokens, one reusable slot per record type with the fields
 * mapped to tokens, and the capped messages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "xaf_internal.h"

const xaf_rec_def xaf_rec_defs[R_COUNT] = {
    [R_HEADER] = {"xaf.header", "header"},
    [R_COMPANY] = {"xaf.company", "company"},
    [R_CUSTSUP] = {"xaf.customerSupplier", "customerSupplier"},
    [R_LEDGER] = {"xaf.ledgerAccount", "ledgerAccount"},
    [R_VAT] = {"xaf.vatCode", "vatCode"},
    [R_PERIOD] = {"xaf.period", "period"},
    [R_TRANSACTIONS] = {"xaf.transactions", "transactions"},
    [R_JOURNAL] = {"xaf.journal", "journal"},
    [R_TRANSACTION] = {"xaf.transaction", "transaction"},
    [R_TRLINE] = {"xaf.trLine", "trLine"},
};

/* Fields filled by the reader rather than from an element of the same name. */
static const struct {
    int rec;
    const char *field;
} externals[] = {
    {R_HEADER, "version"},
    {R_TRANSACTION, "jrnID"}, {R_TRANSACTION, "lines"},
    {R_TRLINE, "jrnID"}, {R_TRLINE, "trNr"}, {R_TRLINE, "trDt"}, {R_TRLINE, "periodNumber"},
};

const xaf_list_def xaf_list_defs[L_COUNT] = {
    [L_CUSTSUPS] = {"customersSuppliers", R_CUSTSUP},
    [L_LEDGER] = {"generalLedger", R_LEDGER},
    [L_VATCODES] = {"vatCodes", R_VAT},
    [L_PERIODS] = {"periods", R_PERIOD},
};

void xaf_report(reader *rd, int code, bool error, long line, const char *fmt, ...)
{
    if (error)
        rd->errors++;
    rd->msg_error[code] |= error;
    if (++rd->msg_count[code] > MSG_CAP)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (error)
        diag_error(rd->d, rd->path, line, "%s", buf);
    else
        diag_warning(rd->d, rd->path, line, "%s", buf);
}
int xaf_tok_miss(reader *rd, const char *s, unsigned slot)
{
    int t = xaf_tok_find(rd, s);
    rd->tcache[slot].p = s;
    rd->tcache[slot].tok = t;
    return t;
}

static int tok_add(reader *rd, const char *s)
{
    int t = xaf_tok_find(rd, s);
    if (t >= 0)
        return t;
    if (rd->ntok == MAXTOK)
        return -1;
    t = rd->ntok++;
    rd->tok_name[t] = s;
    uint32_t h = xaf_hash_name(s) & (HSIZE - 1);
    while (rd->htab[h])
        h = (h + 1) & (HSIZE - 1);
    rd->htab[h] = (int16_t)(t + 1);
    return t;
}

static const char *const struct_names[T_NSTRUCT] = {
    [T_AUDITFILE] = "auditfile", [T_HEADER] = "header", [T_COMPANY] = "company",
    [T_CUSTSUPS] = "customersSuppliers", [T_CUSTSUP] = "customerSupplier", [T_GL] = "generalLedger",
    [T_LEDGER] = "ledgerAccount", [T_VATCODES] = "vatCodes", [T_VATCODE] = "vatCode", [T_PERIODS] = "periods",
    [T_PERIOD] = "period", [T_TRANSACTIONS] = "transactions", [T_JOURNAL] = "journal",
    [T_TRANSACTION] = "transaction", [T_TRLINE] = "trLine",
};

int xaf_reader_init(reader *rd)
{
    for (int i = 0; i < T_NSTRUCT; i++)
        if (tok_add(rd, struct_names[i]) != i)
            return -1;
    memset(rd->tok_list, -1, sizeof rd->tok_list);
    memset(rd->tok_rec, -1, sizeof rd->tok_rec);
    memset(rd->fmap, -1, sizeof rd->fmap);
    for (int l = 0; l < L_COUNT; l++)
        rd->tok_list[xaf_tok_find(rd, xaf_list_defs[l].element)] = (int8_t)l;
    for (int k = 0; k < R_COUNT; k++) {
        xrec *x = &rd->r[k];
        rd->tok_rec[xaf_tok_find(rd, xaf_rec_defs[k].element)] = (int8_t)k;
        x->type = record_type_find(xaf_rec_defs[k].type);
        if (!x->type || x->type->nfields > MAXF)
            return -1;
        x->nf = x->type->nfields;
        for (size_t e = 0; e < sizeof externals / sizeof externals[0]; e++) {
            if (externals[e].rec != k)
                continue;
            int fi = record_field_index(x->type, externals[e].field);
            if (fi < 0)
                return -1;
            x->ext |= 1u << fi;
        }
        for (int f = 0; f < x->nf; f++) {
            if (xaf_external(x, f))
                continue;
            if (x->type->fields[f].required)
                x->req |= 1u << f;
            int t = tok_add(rd, x->type->fields[f].name);
            if (t < 0)
                return -1;
            rd->fmap[k][t] = (int8_t)f;
        }
        x->acap = 1024;
        x->arena = malloc(x->acap);
        if (!x->arena)
            return -1;
        x->rec.type = x->type;
        x->rec.file = rd->path;
        x->rec.v = x->v;
    }
    /* The three text fields with a check of their own (fhow below). */
    const int f_qntity = record_field_index(rd->r[R_TRLINE].type, "qntity");
    const int f_amntTp = record_field_index(rd->r[R_TRLINE].type, "amntTp");
    const int f_accTp = record_field_index(rd->r[R_LEDGER].type, "accTp");
    const rhv_record_type *lt = rd->r[R_TRLINE].type, *tt = rd->r[R_TRANSACTION].type;
    rd->f_line_jrn = record_field_index(lt, "jrnID");
    rd->f_line_trnr = record_field_index(lt, "trNr");
    rd->f_line_trdt = record_field_index(lt, "trDt");
    rd->f_line_period = record_field_index(lt, "periodNumber");
    rd->f_jrn_id = record_field_index(rd->r[R_JOURNAL].type, "jrnID");
    rd->f_tx_nr = record_field_index(tt, "nr");
    rd->f_tx_trdt = record_field_index(tt, "trDt");
    rd->f_tx_period = record_field_index(tt, "periodNumber");
    rd->f_tx_jrn = record_field_index(tt, "jrnID");
    rd->f_tx_lines = record_field_index(tt, "lines");
    if (f_qntity < 0 || f_amntTp < 0 || f_accTp < 0 || rd->f_line_jrn < 0 || rd->f_line_trnr < 0 ||
        rd->f_line_trdt < 0 || rd->f_line_period < 0 || rd->f_jrn_id < 0 || rd->f_tx_nr < 0 || rd->f_tx_trdt < 0 ||
        rd->f_tx_period < 0 || rd->f_tx_jrn < 0 || rd->f_tx_lines < 0)
        return -1;
    for (int k = 0; k < R_COUNT; k++) {
        for (int f = 0; f < rd->r[k].nf; f++) {
            val_kind kind = rd->r[k].type->fields[f].kind;
            rd->fhow[k][f] = kind == VAL_MONEY ? H_MONEY : kind == VAL_INT ? H_INT : kind == VAL_DATE ? H_DATE : H_STR;
        }
    }
    rd->fhow[R_TRLINE][f_amntTp] = H_AMNTTP;
    rd->fhow[R_TRLINE][f_qntity] = H_QNTITY;
    rd->fhow[R_LEDGER][f_accTp] = H_ACCTP;
    for (const char *const *v = value_xaf_amnttp.values; *v; v++)
        if ((*v)[0] && !(*v)[1])
            rd->amnttp1[(uint8_t)(*v)[0]] = true;
    return 0;
}

void xaf_reader_free(reader *rd)
{
    for (int k = 0; k < R_COUNT; k++)
        free(rd->r[k].arena);
    free(rd->ns);
}
