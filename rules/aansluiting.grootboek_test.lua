-- Test cases for aansluiting.grootboek (amounts in cents).
local L = "grootboek.xaf"
local function programma(code, realisatie)
  return { _type = "programma", code = code, naam = "Programma " .. code, lasten_primitief = realisatie,
           lasten_begroot = realisatie, lasten_realisatie = realisatie, baten_primitief = 0, baten_begroot = 0,
           baten_realisatie = 0 }
end
local function account(id, tp)
  return { _type = "xaf.ledgerAccount", accID = id, accDesc = "Rekening " .. id, accTp = tp, _file = L }
end
local function line(tr, accid, amnt, tp, date)
  return { _type = "xaf.trLine", jrnID = "70", trNr = tr, trDt = date or "2023-03-01", periodNumber = 3, nr = "1",
           accID = accid, effDate = date or "2023-03-01", amnt = amnt, amntTp = tp, _file = L }
end
local function ledger(extract)
  return { _type = "ledger", path = L, extract = extract }
end
local function rekening(nr, prog)
  return { _type = "rekening", nr = nr, programma = prog }
end
-- 4100 and 4200 are lasten, 8000 baten, 1600 a balance account.
local function ledger_records(l4100, l4200)
  return { account("1600", "B"), account("4100", "P"), account("4200", "P"), account("8000", "P"),
           line("1", "4100", l4100, "D"), line("1", "1600", l4100, "C"),
           line("2", "4200", l4200, "D"), line("2", "1600", l4200, "C"),
           line("3", "8000", 99999, "C"), line("3", "1600", 99999, "D") }
end
local function with(...)
  local out = {}
  for _, x in ipairs({ ... }) do
    if x._type then out[#out + 1] = x else for _, r in ipairs(x) do out[#out + 1] = r end end
  end
  return out
end

return {
  { name = "sluit_aan", class = "pass",
    records = with(programma("1", 30000), programma("2", 5000), ledger(false), ledger_records(30000, 5000)),
    expect = {} },

  { name = "sluit_aan_per_programma", class = "pass",
    records = with(programma("1", 30000), programma("2", 5000), rekening("4100", "1"), rekening("4200", "2"),
                   ledger_records(30000, 5000)),
    expect = {} },

  { name = "lasten_ontbreken_in_dossier", class = "fail",
    records = with(programma("1", 30000), ledger_records(30000, 5000)),
    expect = { { kind = "signalering", subject = "Totale lasten", amount = 5000 } } },

  { name = "verkeerd_programma", class = "fail",
    -- the total agrees, but 4200 belongs to programma 1 in the ledger's figures
    records = with(programma("1", 30000), programma("2", 5000), rekening("4100", "2"), rekening("4200", "1"),
                   ledger_records(30000, 5000)),
    expect = { { kind = "signalering", subject = "Programma 1 Programma 1", amount = 25000 },
               { kind = "signalering", subject = "Programma 2 Programma 2", amount = 25000 } } },

  { name = "rekening_zonder_programma", class = "fail",
    records = with(programma("1", 35000), rekening("4100", "1"), ledger_records(30000, 5000)),
    expect = { { kind = "signalering", subject = "Programma 1 Programma 1", amount = 5000 },
               { kind = "signalering", subject = "Rekeningen zonder programma", amount = 0 } } },

  { name = "extract_niet_aangesloten", class = "fail",
    records = with(programma("1", 47000000), ledger(true), ledger_records(30000, 5000)),
    expect = { { kind = "signalering", subject = "Grootboek grootboek.xaf", amount = 0 } } },

  { name = "een_cent_verschil", class = "boundary",
    records = with(programma("1", 30000), programma("2", 5000), ledger_records(30000, 5001)),
    expect = { { kind = "signalering", subject = "Totale lasten", amount = 1 } } },

  { name = "andere_jaren_en_creditboeking", class = "boundary",
    -- a line of 2022 does not count; a credit on a lasten account lowers it
    records = with(programma("1", 34000), ledger_records(30000, 5000),
                   { line("4", "4100", 7777, "D", "2022-12-31"), line("5", "4200", 1000, "C") }),
    expect = {} },
}
