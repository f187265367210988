-- Test cases for aanbesteding.eu (amounts in cents). Thresholds 2023 (params/eu_drempels):
-- leveringen_diensten 21500000, werken 538200000, sociale_diensten 75000000; 2024: 22100000.
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
local function contract(sup, id, procedure, soort, begin, einde)
  return { _type = "contract", leverancier = sup, contract_id = id, procedure = procedure, soort = soort,
           begin = begin, einde = einde, waarde = 100000000 }
end
local function with(...)
  return T.records({ acc("4400", "P"), acc("1520", "B"), acc("1600", "B"), T.customerSupplier("S1", "Bouw B.V.") },
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
    records = with(register(), invoice("1", "S1", 20000000), invoice("2", "S1", 2000000)),
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 22000000 } } },

  { name = "nationaal_is_niet_genoeg", class = "fail",
    records = with(register(), contract("S1", "C-2", "nationaal", "leveringen_diensten", "2023-01-01"),
                   invoice("1", "S1", 25000000)),
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 25000000 } } },

  { name = "contract_verlopen", class = "fail",
    records = with(register(), contract("S1", "C-3", "europees", "leveringen_diensten", "2018-01-01", "2022-12-31"),
                   invoice("1", "S1", 25000000)),
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 25000000 } } },

  { name = "zonder_contractregister", class = "fail",
    records = with(invoice("1", "S2", 25000000)),
    expect = { { kind = "onzekerheid", subject = "Leverancier S2", amount = 25000000 } } },

  { name = "precies_drempel", class = "boundary",
    records = with(register(), invoice("1", "S1", 21500000)),
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 21500000 } } },

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
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 538200000 } } },

  { name = "drempel_2024", class = "boundary", year = 2024,
    records = with(register(), invoice("1", "S1", 22099999)),
    expect = {} },

  { name = "stamgegevens_na_regels", class = "fail",
    -- account types arrive after the lines: the spend is still counted
    records = { invoice("1", "S3", 30000000)[1], invoice("1", "S3", 30000000)[2], invoice("1", "S3", 30000000)[3],
                acc("4400", "P"), acc("1520", "B"), acc("1600", "B"), register() },
    expect = { { kind = "fout", subject = "Leverancier S3", amount = 30000000 } } },

  { name = "verzamelboeking_per_regel", class = "fail",
    -- one memo booking for two suppliers: each P line counts for its own custSupID
    records = with(register(), { line("9", "1", "4400", 25000000, "D", "S1"), line("9", "2", "4400", 100, "D", "S2"),
                                 line("9", "3", "1600", 25000100, "C") }),
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 25000000 } } },

  { name = "verzamelboeking_regel_zonder_leverancier", class = "pass",
    -- two suppliers in one booking: a P line without its own custSupID belongs to neither
    records = with(register(), { line("9", "1", "4400", 100, "D", "S1"), line("9", "2", "4400", 100, "D", "S2"),
                                 line("9", "3", "4400", 30000000, "D"), line("9", "4", "1600", 30000200, "C") }),
    expect = {} },

  { name = "leverancier_op_kostenregel", class = "fail",
    -- the supplier named on the cost line instead of the creditor line: the same spend
    records = with(register(), { line("5", "1", "4400", 25000000, "D", "S1"), line("5", "2", "1600", 25000000, "C") }),
    expect = { { kind = "fout", subject = "Leverancier S1 Bouw B.V.", amount = 25000000 } } },
}
