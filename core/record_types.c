/* record_types.c - the schema of every record type rules can read.
 *
 * This table is the single source of truth for field names and kinds: the
 * dossier reader validates against it, the XAF reader fills it, the Lua
 * marshalling walks it, `rhv test` checks inline test records against it and
 * docs/records.md describes it. Add a field here first.
 * Dossier field names equal the XML attribute names of docs/dossier.md.
 */
#include "record.h"

#include <string.h>

#define F(n, k, req, d) {n, k, 0, req, d}
#define FS(n, sc, req, d) {n, VAL_SCALED, sc, req, d}
#define T(name, src, arr, d) {name, src, arr, (int)(sizeof arr / sizeof arr[0]), d, NULL}

/* ---- dossier ---------------------------------------------------------- */

static const rhv_field_def organisation_f[] = {
    F("naam", VAL_STR, true, "name of the organisation"),
    F("soort", VAL_STR, true, "gemeente | provincie | gemeenschappelijke regeling | waterschap"),
    F("boekjaar", VAL_INT, true, "fiscal year, e.g. 2023"),
    FS("grens_percentage", 2, false, "verantwoordingsgrens in percent x100 = basis points (3% = 300); "
                                     "required with grens_wijze gecombineerd"),
    FS("grens_fouten_percentage", 2, false, "separate grens for fouten, basis points (wijze gescheiden)"),
    FS("grens_onzekerheden_percentage", 2, false, "separate grens for onzekerheden, basis points (wijze gescheiden)"),
    F("grens_wijze", VAL_STR, true, "gecombineerd (one grens for the sum) | gescheiden (fouten and onzekerheden each)"),
    F("grens_basis", VAL_STR, true, "realisatie | begroting: which totale lasten incl. toevoegingen reserves"),
    F("grens_besluit", VAL_DATE, true, "date of the decision that set the grens"),
    F("grens_bron", VAL_STR, false, "document that sets the grens (financiele verordening, controleprotocol)"),
    F("rapportagegrens", VAL_MONEY, true, "rapportagegrens per afwijking, cents"),
    F("normenkader_datum", VAL_DATE, true, "date the normenkader was set"),
};

static const rhv_field_def begrotingscategorie_f[] = {
    F("categorie", VAL_STR, true, "Kadernota category by meaning, e.g. direct_gerelateerde_baten, open_einde"),
    F("telt_mee", VAL_BOOL, true, "true if an overschrijding in this category counts towards the grens"),
    F("omschrijving", VAL_STR, false, "the organisation's own wording"),
};

static const rhv_field_def regelargument_f[] = {
    F("regel", VAL_STR, true, "the rule's id, e.g. subsidies.verantwoording"),
    F("naam", VAL_STR, true, "the argument's name in the rule's args"),
    F("waarde", VAL_STR, true, "the value as the rule declares it: an amount in euros (125000.00), a list a,b"),
};

static const rhv_field_def programma_f[] = {
    F("code", VAL_STR, true, "programma number or code"),
    F("naam", VAL_STR, true, "programma name"),
    F("lasten_primitief", VAL_MONEY, true, "lasten, begroting primitief"),
    F("lasten_begroot", VAL_MONEY, true, "lasten, begroting na wijziging"),
    F("lasten_realisatie", VAL_MONEY, true, "lasten, realisatie"),
    F("baten_primitief", VAL_MONEY, true, "baten, begroting primitief"),
    F("baten_begroot", VAL_MONEY, true, "baten, begroting na wijziging"),
    F("baten_realisatie", VAL_MONEY, true, "baten, realisatie"),
    F("categorie", VAL_STR, false, "Kadernota category of an overschrijding (begrotingscategorie)"),
    F("toelichting", VAL_STR, false, "explanation of the overschrijding"),
};

static const rhv_field_def reserve_f[] = {
    F("code", VAL_STR, true, "reserve code"),
    F("naam", VAL_STR, true, "reserve name"),
    F("toevoeging_begroot", VAL_MONEY, true, "toevoeging authorised in the begroting na wijziging"),
    F("toevoeging_realisatie", VAL_MONEY, true, "toevoeging realised"),
    F("onttrekking_begroot", VAL_MONEY, true, "onttrekking authorised"),
    F("onttrekking_realisatie", VAL_MONEY, true, "onttrekking realised"),
    F("categorie", VAL_STR, false, "Kadernota category of an overschrijding"),
    F("toelichting", VAL_STR, false, "explanation"),
};

static const rhv_field_def krediet_f[] = {
    F("code", VAL_STR, true, "investeringskrediet code"),
    F("naam", VAL_STR, true, "name"),
    F("budget", VAL_MONEY, true, "authorised krediet"),
    F("realisatie", VAL_MONEY, true, "spent against it (cumulative)"),
    F("categorie", VAL_STR, false, "Kadernota category of an overschrijding"),
    F("toelichting", VAL_STR, false, "explanation"),
};

static const rhv_field_def taakveld_f[] = {
    F("programma", VAL_STR, true, "code of the programma the taakveld's lasten are part of"),
    F("code", VAL_STR, true, "Iv3 taakveld code, e.g. 0.1 or 6.71 (params/iv3_taakvelden)"),
    F("naam", VAL_STR, false, "the taakveld's name as published"),
    F("lasten_begroot", VAL_MONEY, true, "lasten, begroting na wijziging"),
    F("lasten_realisatie", VAL_MONEY, true, "lasten, realisatie"),
};

static const rhv_field_def rekening_f[] = {
    F("nr", VAL_STR, true, "ledger account (accID in the ledger)"),
    F("programma", VAL_STR, true, "code of the programma whose lasten the account holds"),
};

static const rhv_field_def medewerker_f[] = {
    F("id", VAL_STR, true, "personnel number (a string: leading zeros kept)"),
    F("categorie", VAL_STR, true, "Wsw | PW | Beschut | Regulier"),
    F("woongemeente", VAL_STR, true, "gemeente of residence"),
    F("betaalgemeente", VAL_STR, false, "gemeente that pays, for those living elsewhere"),
    FS("uren", 2, true, "contract hours a week x100 (32,5 h = 3250)"),
    F("begin", VAL_DATE, true, "start of employment"),
    F("einde", VAL_DATE, false, "end of employment (absent: open)"),
    FS("loonwaarde", 2, false, "loonwaarde in percent x100"),
    F("geboortejaar", VAL_INT, false, "year of birth, for age tables: the age is the one reached in the peildatum's "
                                      "year (exact on 31 December; personeel.aansluiting)"),
};

static const rhv_field_def topfunctionaris_f[] = {
    F("id", VAL_STR, true, "person id; two functions in a year share the id"),
    F("naam", VAL_STR, true, "name as published"),
    F("functie", VAL_STR, true, "function, e.g. directeur, secretaris"),
    FS("fte", 4, true, "omvang dienstverband x10000 (1,0 = 10000)"),
    F("begin", VAL_DATE, true, "first day in the function in the fiscal year"),
    F("einde", VAL_DATE, true, "last day in the function in the fiscal year"),
    F("beloning", VAL_MONEY, true, "beloning"),
    F("onkosten", VAL_MONEY, true, "belastbare onkostenvergoedingen"),
    F("termijn", VAL_MONEY, true, "beloningen betaalbaar op termijn"),
    F("dienstbetrekking", VAL_BOOL, false, "in dienstbetrekking (default true)"),
};

static const rhv_field_def cijfer_f[] = {
    F("tabel", VAL_STR, true, "table as numbered in the published report, e.g. 3.2"),
    F("rij", VAL_STR, true, "row label (a gemeente, 'Totaal')"),
    F("kolom", VAL_STR, true, "column label (a category, 'Totaal')"),
    F("maat", VAL_STR, true, "personen | fte | plaatsen | percentage (persons as a share of the column's "
                              "Totaal) | bedrag (an amount in euros, docs/aansluiting.md)"),
    F("peildatum", VAL_DATE, true, "the date the figure is about"),
    FS("waarde", 2, true, "published value x100 (84,62 = 8462; 685 = 68500; a bedrag in cents)"),
    F("decimalen", VAL_INT, true, "decimals shown in the published cell (0 or 2)"),
    F("afronding", VAL_STR, true, "how the cell was rounded: half_up | down | grootste_rest (a column of "
                                   "percentages made to sum to 100 by largest remainder; maat percentage only)"),
};

static const rhv_field_def afwijking_f[] = {
    F("id", VAL_STR, true, "the controller's reference"),
    F("criterium", VAL_STR, true, "begrotingscriterium | voorwaardencriterium | misbruik_oneigenlijk_gebruik"),
    F("soort", VAL_STR, true, "fout | onzekerheid"),
    F("bedrag", VAL_MONEY, true, "amount, cents"),
    F("onderwerp", VAL_STR, true, "what it concerns (programma, supplier, process)"),
    F("omschrijving", VAL_STR, true, "description in Dutch"),
    F("status", VAL_STR, true, "open | hersteld | definitief"),
    F("bron", VAL_STR, false, "who found it: accountant, interne controle, ..."),
    F("categorie", VAL_STR, false, "Kadernota category (begrotingscategorie): telt_mee false makes it acceptabel"),
};

static const rhv_field_def contractregister_f[] = {
    F("peildatum", VAL_DATE, false, "date the register was extracted"),
    F("bron", VAL_STR, false, "where the register comes from"),
};

static const rhv_field_def contract_f[] = {
    F("leverancier", VAL_STR, true, "supplier id as in the ledger (custSupID)"),
    F("contract_id", VAL_STR, true, "contract reference"),
    F("procedure", VAL_STR, true, "europees | nationaal | meervoudig_onderhands | enkelvoudig_onderhands"),
    F("soort", VAL_STR, true,
      "leveringen_diensten | leveringen | diensten | werken | sociale_diensten (sociale en andere specifieke diensten)"),
    F("begin", VAL_DATE, true, "start"),
    F("einde", VAL_DATE, false, "end of the initial term (absent: open)"),
    F("waarde", VAL_MONEY, true, "estimated total value excl. btw (opdrachtraming), without options and extensions"),
    F("opdracht", VAL_STR, false, "opdracht id; contracts sharing it are one opdracht (default: contract_id)"),
    F("leveranciers", VAL_STR, false, "further custSupIDs of the opdracht, separated by spaces"),
    F("cpv", VAL_STR, false, "CPV code"),
    F("raming_datum", VAL_DATE, false, "date of the raming (start of the procedure; default: begin)"),
    F("opties", VAL_MONEY, false, "value of the options and extensions in the aanbestedingsstukken"),
    F("einde_opties", VAL_DATE, false, "end including every extension (default: einde)"),
    F("raamovereenkomst", VAL_BOOL, false, "true: a raamovereenkomst (max. four years, Aw art. 2.140)"),
    F("totaalprijs", VAL_BOOL, false, "false: services without a total price (Aw art. 2.17 sub d/e); default true"),
    F("formeel", VAL_BOOL, false, "true: the controller classes a breach as formeel (special reasons stated)"),
};

static const rhv_field_def ledger_f[] = {
    F("path", VAL_STR, true, "the ledger file, resolved against the dossier's folder (= _file of its records)"),
    F("extract", VAL_BOOL, false, "true: an extract, not the whole ledger (not reconciled with the dossier)"),
    F("boekjaar", VAL_INT, false, "the ledger's fiscal year; an earlier year than the dossier's makes it a prior "
                                  "ledger (records xaf.prior.*)"),
};

static const rhv_field_def inkoop_f[] = {
    F("telling", VAL_STR, false, "per_jaar (default: each year's spend on an onrechtmatige opdracht counts) | "
                                 "eenmalig (the full value was disclosed as niet uit de balans blijkende "
                                 "verplichting in the first year)"),
    F("eigen_beleid", VAL_STR, false, "breaches of the own inkoopbeleid: meetellen | melden | niet (default)"),
    F("formeel", VAL_STR, false, "formele breaches: meetellen (default) | melden | niet"),
};

static const rhv_field_def inkooprekening_f[] = {
    F("nr", VAL_STR, true, "ledger account (accID)"),
    F("categorie", VAL_STR, true, "Iv3 economische categorie (3.8) or the organisation's own code"),
};

static const rhv_field_def inkoopcategorie_f[] = {
    F("code", VAL_STR, true, "category code (own, or an Iv3 code to override the default map)"),
    F("inkoop", VAL_BOOL, true, "true: spend on it is procurement"),
    F("reden", VAL_STR, false, "why not: arbeid | grond | financieel | subsidie | inbesteding | samenwerking | "
                               "geen_prestatie | tussenrekening"),
    F("grond", VAL_STR, false, "legal ground, e.g. Aw 2012 art. 2.24 sub b"),
    F("omschrijving", VAL_STR, false, "the category's name"),
};

static const rhv_field_def uitsluiting_f[] = {
    F("leverancier", VAL_STR, true, "custSupID whose spend is not procurement"),
    F("reden", VAL_STR, true, "arbeid | grond | financieel | subsidie | inbesteding | samenwerking | geen_prestatie"),
    F("grond", VAL_STR, false, "legal ground, e.g. Aw 2012 art. 2.24a (inbesteding)"),
    F("toelichting", VAL_STR, false, "why the conditions are met"),
};

static const rhv_field_def inkoopdrempel_f[] = {
    F("soort", VAL_STR, true, "leveringen_diensten | leveringen | diensten | werken | sociale_diensten"),
    F("bedrag", VAL_MONEY, true, "own threshold excl. btw"),
    F("procedure", VAL_STR, true, "the procedure the own policy requires from that amount on"),
};

/* ---- XAF 3.x ledger ---------------------------------------------------- */

static const rhv_field_def xaf_header_f[] = {
    F("version", VAL_STR, true, "XAF version from the namespace: 3.1 | 3.2"),
    F("fiscalYear", VAL_STR, true, "fiscalYear as written ('2016', '2008-2009')"),
    F("startDate", VAL_DATE, true, "first day of the fiscal year"),
    F("endDate", VAL_DATE, true, "last day"),
    F("curCode", VAL_STR, true, "currency"),
    F("dateCreated", VAL_DATE, true, "export date"),
    F("softwareDesc", VAL_STR, false, "exporting package"),
    F("softwareVersion", VAL_STR, false, "its version"),
};

static const rhv_field_def xaf_company_f[] = {
    F("companyIdent", VAL_STR, false, "company id"),
    F("companyName", VAL_STR, true, "company name"),
    F("taxRegistrationCountry", VAL_STR, true, "country"),
    F("taxRegIdent", VAL_STR, true, "VAT/tax number"),
};

static const rhv_field_def xaf_custsup_f[] = {
    F("custSupID", VAL_STR, true, "customer/supplier id"),
    F("custSupName", VAL_STR, false, "name"),
    F("custSupTp", VAL_STR, false, "B both | C customer | O other | S supplier"),
    F("commerceNr", VAL_STR, false, "KvK number"),
    F("taxRegIdent", VAL_STR, false, "VAT number"),
    F("relationshipID", VAL_STR, false, "relationship id"),
};

static const rhv_field_def xaf_ledger_f[] = {
    F("accID", VAL_STR, true, "account id (string, leading zeros kept)"),
    F("accDesc", VAL_STR, true, "description"),
    F("accTp", VAL_STR, true, "B balance | M mixed | P profit and loss"),
    F("leadCode", VAL_STR, false, "lead code"),
};

static const rhv_field_def xaf_vat_f[] = {
    F("vatID", VAL_STR, true, "VAT code"),
    F("vatDesc", VAL_STR, true, "description"),
    F("vatToPayAccID", VAL_STR, false, "account of btw to pay"),
    F("vatToClaimAccID", VAL_STR, false, "account of btw to claim (voorbelasting)"),
};

static const rhv_field_def xaf_period_f[] = {
    F("periodNumber", VAL_INT, true, "period number"),
    F("periodDesc", VAL_STR, false, "description"),
    F("startDatePeriod", VAL_DATE, true, "first day"),
    F("endDatePeriod", VAL_DATE, true, "last day"),
};

static const rhv_field_def xaf_transactions_f[] = {
    F("linesCount", VAL_INT, true, "number of trLine elements stated by the exporter"),
    F("totalDebit", VAL_MONEY, true, "stated debit total, cents"),
    F("totalCredit", VAL_MONEY, true, "stated credit total, cents"),
};

static const rhv_field_def xaf_journal_f[] = {
    F("jrnID", VAL_STR, true, "journal id"),
    F("desc", VAL_STR, true, "description"),
    F("jrnTp", VAL_STR, false, "B bank C cash G goods M memo O opening P purchases S sales T production Y payroll Z other"),
};

static const rhv_field_def xaf_trline_f[] = {
    F("jrnID", VAL_STR, true, "journal of the transaction"),
    F("trNr", VAL_STR, true, "transaction nr (unique within its journal)"),
    F("trDt", VAL_DATE, true, "transaction booking date"),
    F("periodNumber", VAL_INT, true, "transaction period"),
    F("nr", VAL_STR, true, "line nr (unique within the transaction)"),
    F("accID", VAL_STR, true, "account"),
    F("docRef", VAL_STR, false, "document reference (Exact writes it empty: nil)"),
    F("effDate", VAL_DATE, true, "date of the event"),
    F("desc", VAL_STR, false, "description"),
    F("amnt", VAL_MONEY, true, "amount as written, cents (normally positive)"),
    F("amntTp", VAL_STR, true, "D debit | C credit"),
    F("custSupID", VAL_STR, false, "customer/supplier"),
    F("invRef", VAL_STR, false, "invoice number"),
    F("costID", VAL_STR, false, "cost centre"),
    F("projID", VAL_STR, false, "project"),
    F("qntity", VAL_STR, false, "quantity as written"),
};

static const rhv_field_def xaf_transaction_f[] = {
    F("jrnID", VAL_STR, true, "journal"),
    F("nr", VAL_STR, true, "transaction nr"),
    F("desc", VAL_STR, false, "description"),
    F("periodNumber", VAL_INT, true, "period"),
    F("trDt", VAL_DATE, true, "booking date"),
    F("lines", VAL_INT, true, "number of trLine elements read (emitted after the lines)"),
};

static const rhv_record_type t_organisation = T("organisation", SRC_DOSSIER, organisation_f,
    "the organisation and its grenzen; always the first dossier record");
static const rhv_record_type t_begrotingscategorie = T("begrotingscategorie", SRC_DOSSIER, begrotingscategorie_f,
    "a Kadernota category and whether the organisation counts it");
static const rhv_record_type t_regelargument = T("regelargument", SRC_DOSSIER, regelargument_f,
    "a rule argument the organisation sets, typed by the rule (docs/rule-api.md, Arguments), before the command line");
static const rhv_record_type t_programma = T("programma", SRC_DOSSIER, programma_f, "exploitatie per programma");
static const rhv_record_type t_reserve = T("reserve", SRC_DOSSIER, reserve_f, "mutations of one reserve");
static const rhv_record_type t_krediet = T("krediet", SRC_DOSSIER, krediet_f, "an investeringskrediet");
static const rhv_record_type t_taakveld = T("taakveld", SRC_DOSSIER, taakveld_f,
    "the lasten of one Iv3 taakveld within a programma, for reconciling with the programma");
static const rhv_record_type t_rekening = T("rekening", SRC_DOSSIER, rekening_f,
    "a ledger account assigned to a programma, for reconciling ledger and dossier");
static const rhv_record_type t_ledger = T("ledger", SRC_DOSSIER, ledger_f,
    "a ledger the dossier names (its ledger element), before the ledger's own records");
static const rhv_record_type t_medewerker = T("medewerker", SRC_DOSSIER, medewerker_f, "an employee");
static const rhv_record_type t_topfunctionaris = T("topfunctionaris", SRC_DOSSIER, topfunctionaris_f,
    "a topfunctionaris (WNT), one record per function");
static const rhv_record_type t_cijfer = T("cijfer", SRC_DOSSIER, cijfer_f, "one cell of a published table");
static const rhv_record_type t_afwijking = T("afwijking", SRC_DOSSIER, afwijking_f,
    "a deviation the controller has registered");
static const rhv_record_type t_contractregister = T("contractregister", SRC_DOSSIER, contractregister_f,
    "present (once) when the dossier has a contract register, even an empty one; comes before its contracts");
static const rhv_record_type t_contract = T("contract", SRC_DOSSIER, contract_f, "a contract of the contract register");
static const rhv_record_type t_inkoop = T("inkoop", SRC_DOSSIER, inkoop_f,
    "present (once) when the dossier has an inkoop section: how procurement breaches count; before its records");
static const rhv_record_type t_inkooprekening = T("inkooprekening", SRC_DOSSIER, inkooprekening_f,
    "a ledger account's procurement category");
static const rhv_record_type t_inkoopcategorie = T("inkoopcategorie", SRC_DOSSIER, inkoopcategorie_f,
    "an own category, or an override of the default map (params/inkoop_categorieen)");
static const rhv_record_type t_uitsluiting = T("uitsluiting", SRC_DOSSIER, uitsluiting_f,
    "a supplier whose spend is not procurement, with its legal reason");
static const rhv_record_type t_inkoopdrempel = T("inkoopdrempel", SRC_DOSSIER, inkoopdrempel_f,
    "a threshold of the organisation's own inkoopbeleid");
static const rhv_record_type t_xaf_header = T("xaf.header", SRC_LEDGER, xaf_header_f, "XAF header");
static const rhv_record_type t_xaf_company = T("xaf.company", SRC_LEDGER, xaf_company_f, "XAF company");
static const rhv_record_type t_xaf_custsup = T("xaf.customerSupplier", SRC_LEDGER, xaf_custsup_f,
    "a customer or supplier");
static const rhv_record_type t_xaf_ledger = T("xaf.ledgerAccount", SRC_LEDGER, xaf_ledger_f, "a general ledger account");
static const rhv_record_type t_xaf_vat = T("xaf.vatCode", SRC_LEDGER, xaf_vat_f, "a VAT code");
static const rhv_record_type t_xaf_period = T("xaf.period", SRC_LEDGER, xaf_period_f, "a period");
static const rhv_record_type t_xaf_transactions = T("xaf.transactions", SRC_LEDGER, xaf_transactions_f,
    "the totals stated for the transactions block (comes before its journals)");
static const rhv_record_type t_xaf_journal = T("xaf.journal", SRC_LEDGER, xaf_journal_f, "a journal");
static const rhv_record_type t_xaf_trline = T("xaf.trLine", SRC_LEDGER, xaf_trline_f,
    "a transaction line, with its transaction's keys");
static const rhv_record_type t_xaf_transaction = T("xaf.transaction", SRC_LEDGER, xaf_transaction_f,
    "a transaction, emitted after its lines");

/* A prior ledger (<ledger boekjaar=...> before the dossier's year) reaches
 * rules as these twins, so that a rule sees an earlier year only when it asks. */
static const rhv_record_type t_prior_header = T("xaf.prior.header", SRC_LEDGER, xaf_header_f,
    "XAF header of a prior ledger");
static const rhv_record_type t_prior_custsup = T("xaf.prior.customerSupplier", SRC_LEDGER, xaf_custsup_f,
    "a customer or supplier of a prior ledger");
static const rhv_record_type t_prior_ledger = T("xaf.prior.ledgerAccount", SRC_LEDGER, xaf_ledger_f,
    "a general ledger account of a prior ledger");
static const rhv_record_type t_prior_vat = T("xaf.prior.vatCode", SRC_LEDGER, xaf_vat_f, "a VAT code of a prior ledger");
static const rhv_record_type t_prior_journal = T("xaf.prior.journal", SRC_LEDGER, xaf_journal_f,
    "a journal of a prior ledger");
static const rhv_record_type t_prior_trline = T("xaf.prior.trLine", SRC_LEDGER, xaf_trline_f,
    "a transaction line of a prior ledger");

const rhv_record_type *record_type_prior(const rhv_record_type *t)
{
    static const rhv_record_type *const map[][2] = {
        {&t_xaf_header, &t_prior_header}, {&t_xaf_custsup, &t_prior_custsup}, {&t_xaf_ledger, &t_prior_ledger},
        {&t_xaf_vat, &t_prior_vat}, {&t_xaf_journal, &t_prior_journal}, {&t_xaf_trline, &t_prior_trline},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i][0] == t)
            return map[i][1];
    return NULL;
}

#define BUILTIN_TYPES \
    &t_organisation, &t_begrotingscategorie, &t_regelargument, &t_programma, &t_reserve, &t_krediet, &t_taakveld, &t_rekening, \
    &t_medewerker, &t_topfunctionaris, &t_cijfer, &t_afwijking, &t_contractregister, &t_contract, &t_ledger, \
    &t_inkoop, &t_inkooprekening, &t_inkoopcategorie, &t_uitsluiting, &t_inkoopdrempel, \
    &t_xaf_header, &t_xaf_company, &t_xaf_custsup, &t_xaf_ledger, &t_xaf_vat, \
    &t_xaf_period, &t_xaf_transactions, &t_xaf_journal, &t_xaf_trline, &t_xaf_transaction, \
    &t_prior_header, &t_prior_custsup, &t_prior_ledger, &t_prior_vat, &t_prior_journal, &t_prior_trline,

#define NBUILTIN (sizeof((const rhv_record_type *const[]){BUILTIN_TYPES}) / sizeof(const rhv_record_type *))
const int rhv_record_type_builtin_count = (int)NBUILTIN;
/* The built-in types, then room for the declared registers. */
const rhv_record_type *rhv_record_types[RHV_MAX_RECORD_TYPES] = {BUILTIN_TYPES};
int rhv_record_type_count = (int)NBUILTIN;
_Static_assert(NBUILTIN <= RHV_MAX_RECORD_TYPES, "too many built-in record types");

int record_types_add(const rhv_record_type *t)
{
    if (rhv_record_type_count >= RHV_MAX_RECORD_TYPES)
        return -1;
    rhv_record_types[rhv_record_type_count++] = t;
    return 0;
}

void record_types_reset(void)
{
    for (int i = rhv_record_type_builtin_count; i < rhv_record_type_count; i++)
        rhv_record_types[i] = NULL;
    rhv_record_type_count = rhv_record_type_builtin_count;
}

const rhv_record_type *record_type_find(const char *name)
{
    for (int i = 0; i < rhv_record_type_count; i++)
        if (strcmp(rhv_record_types[i]->name, name) == 0)
            return rhv_record_types[i];
    return NULL;
}

int record_field_index(const rhv_record_type *t, const char *name)
{
    for (int i = 0; i < t->nfields; i++)
        if (strcmp(t->fields[i].name, name) == 0)
            return i;
    return -1;
}
