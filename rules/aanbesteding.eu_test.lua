-- Test cases for aanbesteding.eu (amounts in cents). Thresholds 2022-2023 (params/eu_drempels):
-- leveringen_diensten 21500000, werken 538200000, sociale_diensten 75000000; 2024-2025: 22100000 and
-- 553800000. The method and these cases: docs/procurement.md.
-- Builders: rhvtest (plugins/lib/testlib.lua).
local T = rhvtest
local acc = T.ledgerAccount
local function line(tr, nr, accid, amnt, tp, sup)
  return T.trLine{ trNr = tr, nr = nr, accID = accid, amnt = amnt, amntTp = tp, custSupID = sup }
end
-- A purchase invoice as most packages book it: only the creditor line names the supplier.
local function invoice(tr, sup, net)
  return T.invoice{ tr = tr, net = net, creditor = { custSupID = sup } }
end
local function register()
  return { _type = "contractregister", peildatum = "2023-12-31" }
end
local function contract(sup, id, procedure, soort, begin, einde, extra)
  return T.set({ _type = "contract", leverancier = sup, contract_id = id, procedure = procedure, soort = soort,
                 begin = begin, einde = einde, waarde = 100000000 }, extra)
end
-- An invoice on date `date` (effDate), with `extra` fields on every line.
local function dated(tr, sup, net, date, extra)
  return T.invoice{ tr = tr, net = net, creditor = { custSupID = sup }, all = T.set({ effDate = date }, extra) }
end
-- The same invoice in a prior ledger (xaf.prior.trLine), booked in `date`'s year.
local function prior(tr, sup, net, date)
  return dated(tr, sup, net, date, { _type = "xaf.prior.trLine", trDt = date })
end
local function ledger2023()
  return { _type = "ledger", path = "grootboek-2023.xaf", boekjaar = 2023 }
end
local function inkoop(fields)
  return T.set({ _type = "inkoop" }, fields)
end
-- A three-year diensten contract of 3 x EUR 80.000 signed in 2023, not European.
local function diensten3()
  return contract("S1", "D-3", "meervoudig_onderhands", "diensten", "2023-01-01", "2025-12-31",
                  { waarde = 24000000, raming_datum = "2022-11-15" })
end
local function with(...)
  return T.records({ acc("4400", "P"), acc("1520", "B"), acc("1600", "B"), T.vatCode("H", "1520"),
                     T.customerSupplier("S1", "Bouw B.V.") },
                   ...)
end

return {
  { name = "onder_drempel", class = "pass",
    records = with(register(), invoice("1", "S1", 10000000), invoice("2", "S1", 11499999)),
    expect = {} },

  { name = "europees_aanbesteed", class = "pass",
    records = with(register(), contract("S1", "C-1", "europees", "leveringen_diensten", "2021-01-01", "2024-12-31"),
                   invoice("1", "S1", 30000000)),
    expect = {} },

  { name = "geen_contract", class = "fail",
    -- a supplier total without an opdracht: is there one above the threshold? An onzekerheid, not a fout
    records = with(register(), invoice("1", "S1", 20000000), invoice("2", "S1", 2000000)),
    expect = { { kind = "onzekerheid", subject = "Leverancier S1 Bouw B.V.", amount = 22000000 } } },

  { name = "nationaal_is_niet_genoeg", class = "fail",
    records = with(register(), contract("S1", "C-2", "nationaal", "leveringen_diensten", "2023-01-01"),
                   invoice("1", "S1", 25000000)),
    expect = { { kind = "fout", subject = "Opdracht C-2 (S1 Bouw B.V.)", amount = 25000000 } } },

  { name = "contract_verlopen", class = "fail",
    -- spend after the end of an opdracht above the threshold is a fout of its own
    records = with(register(), contract("S1", "C-3", "europees", "leveringen_diensten", "2018-01-01", "2022-12-31",
                                        { waarde = 30000000 }),
                   invoice("1", "S1", 25000000)),
    expect = { { kind = "fout", subject = "Opdracht C-3 (S1 Bouw B.V.)", amount = 25000000 } } },

  { name = "na_einde_onder_drempel", class = "pass",
    -- after the end of a small opdracht: a signalering
    records = with(register(), contract("S1", "C-3", "enkelvoudig_onderhands", "leveringen_diensten", "2020-01-01",
                                        "2023-06-30", { waarde = 5000000 }),
                   dated("1", "S1", 1000000, "2023-09-01")),
    expect = { { kind = "signalering", subject = "Opdracht C-3 (S1 Bouw B.V.)", amount = 1000000 } } },

  { name = "zonder_contractregister", class = "fail",
    records = with(invoice("1", "S2", 25000000)),
    expect = { { kind = "onzekerheid", subject = "Leverancier S2", amount = 25000000 } } },

  { name = "precies_drempel", class = "boundary",
    records = with(register(), contract("S1", "C-9", "nationaal", "diensten", "2023-01-01", "2023-12-31",
                                        { waarde = 21500000 }), invoice("1", "S1", 100)),
    expect = { { kind = "fout", subject = "Opdracht C-9 (S1 Bouw B.V.)", amount = 100 } } },

  { name = "een_cent_onder_drempel_opdracht", class = "boundary",
    records = with(register(), contract("S1", "C-9", "nationaal", "diensten", "2023-01-01", "2023-12-31",
                                        { waarde = 21499999 }), invoice("1", "S1", 100)),
    expect = {} },

  { name = "een_cent_onder_drempel", class = "boundary",
    records = with(register(), invoice("1", "S1", 21499999)),
    expect = {} },

  { name = "creditnota_verlaagt", class = "boundary",
    -- credit on the expense account lowers the spend below the threshold
    records = with(register(), invoice("1", "S1", 21500000),
                   { line("2", "1", "1600", 1, "D", "S1"), line("2", "2", "4400", 1, "C") }),
    expect = {} },

  { name = "werken_hogere_drempel", class = "pass",
    records = with(register(), contract("S1", "C-4", "meervoudig_onderhands", "werken", "2023-01-01", "2023-12-31"),
                   invoice("1", "S1", 500000000)),
    expect = {} },

  { name = "werken_boven_drempel", class = "fail",
    records = with(register(), contract("S1", "C-4", "meervoudig_onderhands", "werken", "2023-01-01", "2023-12-31"),
                   invoice("1", "S1", 538200000)),
    expect = { { kind = "fout", subject = "Opdracht C-4 (S1 Bouw B.V.)", amount = 538200000 } } },

  { name = "drempel_2024", class = "boundary", year = 2024,
    records = with(register(), invoice("1", "S1", 22099999)),
    expect = {} },

  { name = "stamgegevens_na_regels", class = "fail",
    -- account types arrive after the lines: the spend is still counted
    records = { invoice("1", "S3", 30000000)[1], invoice("1", "S3", 30000000)[2], invoice("1", "S3", 30000000)[3],
                acc("4400", "P"), acc("1520", "B"), acc("1600", "B"), T.vatCode("H", "1520"), register() },
    expect = { { kind = "onzekerheid", subject = "Leverancier S3", amount = 30000000 } } },

  { name = "verzamelboeking_per_regel", class = "fail",
    -- one memo booking for two suppliers: each P line counts for its own custSupID
    records = with(register(), { line("9", "1", "4400", 25000000, "D", "S1"), line("9", "2", "4400", 100, "D", "S2"),
                                 line("9", "3", "1600", 25000100, "C") }),
    expect = { { kind = "onzekerheid", subject = "Leverancier S1 Bouw B.V.", amount = 25000000 } } },

  { name = "verzamelboeking_regel_zonder_leverancier", class = "pass",
    -- two suppliers in one booking: a P line without its own custSupID belongs to neither
    records = with(register(), { line("9", "1", "4400", 100, "D", "S1"), line("9", "2", "4400", 100, "D", "S2"),
                                 line("9", "3", "4400", 30000000, "D"), line("9", "4", "1600", 30000200, "C") }),
    expect = {} },

  { name = "leverancier_op_kostenregel", class = "fail",
    -- the supplier named on the cost line instead of the creditor line: the same spend
    records = with(register(), { line("5", "1", "4400", 25000000, "D", "S1"), line("5", "2", "1600", 25000000, "C") }),
    expect = { { kind = "onzekerheid", subject = "Leverancier S1 Bouw B.V.", amount = 25000000 } } },

  -- ---- 1. spend that is procurement ----------------------------------------------------------------

  { name = "werk_op_balansrekening", class = "fail", year = 2024,
    -- an investment booked on balance account 0300 Gebouwen, the creditor leg on 1600, btw on 1520
    records = with(acc("0300", "B"), register(),
                   contract("S1", "W-1", "nationaal", "werken", "2024-02-01", "2025-06-30",
                            { waarde = 560000000, raming_datum = "2024-01-15" }),
                   T.invoice{ tr = "1", net = 560000000, creditor = { custSupID = "S1" }, cost = { accID = "0300" },
                              all = { effDate = "2024-05-01", trDt = "2024-05-01" } }),
    expect = { { kind = "fout", subject = "Opdracht W-1 (S1 Bouw B.V.)", amount = 560000000 } } },

  { name = "werk_onder_drempel_2024", class = "boundary", year = 2024,
    -- EUR 5.537.999,99 under the 2024-2025 threshold of EUR 5.538.000
    records = with(acc("0300", "B"), register(),
                   contract("S1", "W-1", "nationaal", "werken", "2024-02-01", "2025-06-30",
                            { waarde = 553799999, raming_datum = "2024-01-15" }),
                   T.invoice{ tr = "1", net = 100000000, creditor = { custSupID = "S1" }, cost = { accID = "0300" },
                              all = { effDate = "2024-05-01" } }),
    expect = {} },

  { name = "subsidie_geen_inkoop", class = "pass", year = 2024,
    -- the same amount on a P account the dossier maps to Iv3 4.2 (subsidies): excluded, with its reason
    records = with(acc("4910", "P"), register(), inkoop(), { _type = "inkooprekening", nr = "4910", categorie = "4.2" },
                   T.invoice{ tr = "1", net = 560000000, vat = 0, creditor = { custSupID = "S1" },
                              cost = { accID = "4910" }, all = { effDate = "2024-05-01" } }),
    expect = { { kind = "signalering", subject = "Geen inkoop: subsidies", amount = 560000000 } } },

  { name = "inbesteding_uitgesloten", class = "pass",
    records = with(register(), { _type = "uitsluiting", leverancier = "S1", reden = "inbesteding",
                                 grond = "Aw 2012 art. 2.24a", toelichting = "GR, 100% eigendom, > 80% voor ons" },
                   invoice("1", "S1", 30000000)),
    expect = { { kind = "signalering", subject = "Geen inkoop: inbesteding", amount = 30000000 } } },

  { name = "betaling_telt_niet", class = "pass",
    -- a bank journal: the payment of an invoice (creditor and bank legs) is not spend again
    records = with(register(), acc("1110", "B"), T.journal("20", "B"), T.journal("60", "P"),
                   T.invoice{ tr = "1", net = 20000000, creditor = { custSupID = "S1" }, all = { jrnID = "60" } },
                   { T.trLine{ jrnID = "20", trNr = "7", nr = "1", accID = "1600", amnt = 24200000, amntTp = "D",
                               custSupID = "S1" },
                     T.trLine{ jrnID = "20", trNr = "7", nr = "2", accID = "1110", amnt = 24200000, amntTp = "C" } }),
    expect = {} },

  -- ---- 2. the opdracht ---------------------------------------------------------------------------

  { name = "contractnummer_in_omschrijving", class = "fail",
    -- the line names the opdracht: attributed to it, also when the supplier has another opdracht
    records = with(register(), contract("S1", "A-1", "europees", "diensten", "2021-01-01", "2025-12-31",
                                        { waarde = 90000000 }),
                   contract("S1", "B-2", "enkelvoudig_onderhands", "diensten", "2023-01-01", "2023-12-31",
                            { waarde = 2000000 }),
                   T.invoice{ tr = "1", net = 25000000, creditor = { custSupID = "S1" },
                              cost = { desc = "termijn 3 contract B-2" } }),
    expect = { { kind = "fout", subject = "Opdracht B-2 (S1 Bouw B.V.)", amount = 25000000 } } },

  { name = "raamovereenkomst_vijf_jaar", class = "fail",
    records = with(register(), contract("S1", "R-5", "europees", "leveringen", "2023-01-01", "2027-12-31",
                                        { waarde = 50000000, raamovereenkomst = true }),
                   invoice("1", "S1", 9000000)),
    expect = { { kind = "fout", subject = "Opdracht R-5 (S1 Bouw B.V.)", amount = 9000000 } } },

  { name = "raamovereenkomst_vier_jaar", class = "boundary",
    records = with(register(), contract("S1", "R-4", "europees", "leveringen", "2023-01-01", "2026-12-31",
                                        { waarde = 50000000, raamovereenkomst = true }),
                   invoice("1", "S1", 9000000)),
    expect = {} },

  { name = "groei_boven_marge", class = "fail",
    -- European, raming EUR 300.000: 10% growth is allowed, EUR 340.000 is EUR 10.000 beyond
    records = with(register(), contract("S1", "G-1", "europees", "diensten", "2023-01-01", "2023-12-31",
                                        { waarde = 30000000 }),
                   invoice("1", "S1", 34000000)),
    expect = { { kind = "fout", subject = "Opdracht G-1 (S1 Bouw B.V.)", amount = 1000000 } } },

  { name = "groei_binnen_marge", class = "boundary",
    records = with(register(), contract("S1", "G-1", "europees", "diensten", "2023-01-01", "2023-12-31",
                                        { waarde = 30000000 }),
                   invoice("1", "S1", 33000000)),
    expect = {} },

  { name = "opties_tellen_mee", class = "fail",
    -- raming EUR 150.000 plus options EUR 80.000: EUR 230.000 is above the threshold
    records = with(register(), contract("S1", "O-1", "meervoudig_onderhands", "diensten", "2023-01-01",
                                        "2023-12-31", { waarde = 15000000, opties = 8000000 }),
                   invoice("1", "S1", 5000000)),
    expect = { { kind = "fout", subject = "Opdracht O-1 (S1 Bouw B.V.)", amount = 5000000 } } },

  { name = "zonder_totaalprijs_48_maanden", class = "fail",
    -- services without a total price, no end: 48 x the monthly amount (EUR 60.000 a year: EUR 240.000)
    records = with(register(), contract("S1", "Z-1", "enkelvoudig_onderhands", "diensten", "2023-01-01", nil,
                                        { waarde = 1000000, totaalprijs = false }),
                   invoice("1", "S1", 6000000)),
    expect = { { kind = "fout", subject = "Opdracht Z-1 (S1 Bouw B.V.)", amount = 6000000 } } },

  { name = "formeel_gemeld", class = "fail",
    records = with(register(), inkoop{ formeel = "melden" },
                   contract("S1", "F-1", "nationaal", "diensten", "2023-01-01", "2023-12-31",
                            { waarde = 30000000, formeel = true }),
                   invoice("1", "S1", 25000000)),
    expect = { { kind = "fout", subject = "Opdracht F-1 (S1 Bouw B.V.)", amount = 25000000, counts = false } } },

  { name = "eigen_beleid_meetellen", class = "fail",
    records = with(register(), inkoop{ eigen_beleid = "meetellen" },
                   { _type = "inkoopdrempel", soort = "diensten", bedrag = 5000000, procedure = "meervoudig_onderhands" },
                   contract("S1", "E-1", "enkelvoudig_onderhands", "diensten", "2023-01-01", "2023-12-31",
                            { waarde = 6000000 }),
                   invoice("1", "S1", 6000000)),
    expect = { { kind = "fout", subject = "Opdracht E-1 (S1 Bouw B.V.)", amount = 6000000 } } },

  { name = "eigen_beleid_standaard_niet", class = "pass",
    records = with(register(),
                   { _type = "inkoopdrempel", soort = "diensten", bedrag = 5000000, procedure = "meervoudig_onderhands" },
                   contract("S1", "E-1", "enkelvoudig_onderhands", "diensten", "2023-01-01", "2023-12-31",
                            { waarde = 6000000 }),
                   invoice("1", "S1", 6000000)),
    expect = {} },

  -- ---- 3. over several years ------------------------------------------------------------------------

  { name = "driejarig_2023_per_jaar", class = "fail",
    -- 3 x EUR 80.000 = EUR 240.000 >= EUR 215.000 (threshold 2022-2023 on the raming date): each year's spend
    records = with(register(), diensten3(), dated("1", "S1", 8000000, "2023-03-01")),
    expect = { { kind = "fout", subject = "Opdracht D-3 (S1 Bouw B.V.)", amount = 8000000 } } },

  { name = "driejarig_2024_per_jaar", class = "fail", year = 2024,
    records = with(ledger2023(), register(), diensten3(), prior("1", "S1", 8000000, "2023-03-01"),
                   dated("2", "S1", 8000000, "2024-03-01")),
    expect = { { kind = "fout", subject = "Opdracht D-3 (S1 Bouw B.V.)", amount = 8000000 } } },

  { name = "driejarig_2023_eenmalig", class = "fail",
    -- disclosed as niet uit de balans blijkende verplichting: the full value once, in the first year
    records = with(register(), inkoop{ telling = "eenmalig" }, diensten3(), dated("1", "S1", 8000000, "2023-03-01")),
    expect = { { kind = "fout", subject = "Opdracht D-3 (S1 Bouw B.V.)", amount = 24000000 } } },

  { name = "driejarig_2024_eenmalig", class = "pass", year = 2024,
    records = with(ledger2023(), register(), inkoop{ telling = "eenmalig" }, diensten3(),
                   prior("1", "S1", 8000000, "2023-03-01"), dated("2", "S1", 8000000, "2024-03-01")),
    expect = { { kind = "signalering", subject = "Opdracht D-3 (S1 Bouw B.V.)", amount = 8000000 } } },

  { name = "vorig_jaar_telt_niet_in_rhv", class = "pass", year = 2024,
    -- a prior year's spend adds to the horizon but is never the fiscal year's own
    records = with(ledger2023(), register(), prior("1", "S1", 30000000, "2023-03-01")),
    expect = {} },

  { name = "leverancier_over_jaren", class = "fail", year = 2024,
    -- no opdracht: EUR 150.000 in 2023 and EUR 100.000 in 2024 reach the threshold together
    records = with(ledger2023(), register(), prior("1", "S1", 15000000, "2023-03-01"),
                   dated("2", "S1", 10000000, "2024-03-01")),
    expect = { { kind = "onzekerheid", subject = "Leverancier S1 Bouw B.V.", amount = 10000000 } } },

  -- ---- 4. who the supplier is -----------------------------------------------------------------------

  { name = "twee_ids_een_kvk", class = "fail",
    -- KvK 12345678 as 8 digits and padded to 12: one supplier, EUR 300.000 together
    records = with(register(), { _type = "xaf.customerSupplier", custSupID = "S7", custSupName = "Wegenbouw Noord",
                                 commerceNr = "12345678" },
                   { _type = "xaf.customerSupplier", custSupID = "S8", custSupName = "Wegenbouw Noord Infra",
                     commerceNr = "123456780000" },
                   invoice("1", "S7", 15000000), invoice("2", "S8", 15000000)),
    expect = { { kind = "onzekerheid", subject = "Leverancier S7 Wegenbouw Noord", amount = 30000000 } } },

  { name = "samenvoeging_ongedaan", class = "pass", args = { niet_samenvoegen = "S8" },
    records = with(register(), { _type = "xaf.customerSupplier", custSupID = "S7", custSupName = "Wegenbouw Noord",
                                 commerceNr = "12345678" },
                   { _type = "xaf.customerSupplier", custSupID = "S8", custSupName = "Wegenbouw Noord Infra",
                     commerceNr = "123456780000" },
                   invoice("1", "S7", 15000000), invoice("2", "S8", 15000000)),
    expect = {} },

  { name = "zeven_cijfers_kvk", class = "fail",
    records = with(register(), { _type = "xaf.customerSupplier", custSupID = "S7", commerceNr = "01234567" },
                   { _type = "xaf.customerSupplier", custSupID = "S8", commerceNr = "1234567" },
                   invoice("1", "S7", 15000000), invoice("2", "S8", 15000000)),
    expect = { { kind = "onzekerheid", subject = "Leverancier S7", amount = 30000000 } } },

  { name = "btw_id_niet_over_twee_kvk", class = "pass",
    -- one btw-id (a fiscale eenheid) on two legal persons with their own KvK numbers: not merged
    records = with(register(), { _type = "xaf.customerSupplier", custSupID = "S7", commerceNr = "12345678",
                                 taxRegIdent = "NL123456789B01" },
                   { _type = "xaf.customerSupplier", custSupID = "S8", commerceNr = "87654321",
                     taxRegIdent = "NL123456789B01" },
                   invoice("1", "S7", 15000000), invoice("2", "S8", 15000000)),
    expect = {} },

  { name = "naam_per_record", class = "fail",
    -- a prior ledger names S7 otherwise: that name is normalised too, and S9 with it is merged into S7
    records = with(register(),
                   { _type = "xaf.customerSupplier", custSupID = "S7", custSupName = "Wegenbouw Noord B.V." },
                   { _type = "xaf.prior.customerSupplier", custSupID = "S7", custSupName = "Wegenbouw Noord B.V." },
                   { _type = "xaf.prior.customerSupplier", custSupID = "S7", custSupName = "Grondwerk Zuid" },
                   { _type = "xaf.prior.customerSupplier", custSupID = "S9", custSupName = "Grondwerk Zuid BV" },
                   invoice("1", "S7", 15000000), invoice("2", "S9", 15000000)),
    expect = { { kind = "onzekerheid", subject = "Leverancier S7 Wegenbouw Noord B.V.", amount = 30000000 } } },

  { name = "opdracht_via_samengevoegde_id", class = "fail",
    -- the contract names S7; invoices come under S8 with the same KvK: attributed to the opdracht
    records = with(register(), { _type = "xaf.customerSupplier", custSupID = "S7", commerceNr = "12345678" },
                   { _type = "xaf.customerSupplier", custSupID = "S8", commerceNr = "123456780000" },
                   contract("S7", "K-1", "nationaal", "diensten", "2023-01-01", "2023-12-31", { waarde = 30000000 }),
                   invoice("1", "S8", 12000000)),
    expect = { { kind = "fout", subject = "Opdracht K-1 (S7)", amount = 12000000 } } },
}
