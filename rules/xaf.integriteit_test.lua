-- Test cases for xaf.integriteit (amounts in cents).
local function header(start, stop)
  return { _type = "xaf.header", version = "3.2", fiscalYear = "2023", startDate = start or "2023-01-01",
           endDate = stop or "2023-12-31", curCode = "EUR", dateCreated = "2024-02-01" }
end
-- Builders: rhvtest (plugins/lib/testlib.lua).
local T = rhvtest
local function acc(id, tp)
  return T.ledgerAccount(id, tp or "P")
end
local sup = T.customerSupplier
local function period(n)
  return { _type = "xaf.period", periodNumber = n, startDatePeriod = "2023-01-01", endDatePeriod = "2023-12-31" }
end
local function totals(lines, debit, credit)
  return { _type = "xaf.transactions", linesCount = lines, totalDebit = debit, totalCredit = credit }
end
-- Lines in period 1 (the one period of master()).
local function line(tr, nr, accid, amnt, tp, extra)
  return T.set(T.trLine{ trNr = tr, nr = nr, accID = accid, amnt = amnt, amntTp = tp, periodNumber = 1 }, extra)
end
local function master()
  return { header(), acc("4400", "P"), acc("1520", "B"), acc("1600", "B"), sup("S001"), period(1) }
end
local with = T.records
-- A purchase invoice: expense + VAT debit, creditor credit; `extra` on every line.
local function invoice(tr, net, vat, extra)
  return T.invoice{ tr = tr, net = net, vat = vat, all = T.set({ periodNumber = 1 }, extra) }
end

return {
  { name = "sluitend", class = "pass",
    records = with(master(), totals(6, 24200, 24200), invoice("1", 10000, 2100, { custSupID = "S001" }),
                   invoice("2", 10000, 2100)),
    expect = {} },

  { name = "boeking_niet_in_evenwicht", class = "fail",
    records = with(master(), totals(3, 12100, 12000), line("7", "1", "4400", 10000, "D"),
                   line("7", "2", "1520", 2100, "D"), line("7", "3", "1600", 12000, "C")),
    expect = { { kind = "signalering", subject = "Boeking 70/7", amount = 100 } } },

  { name = "totalen_kloppen_niet", class = "fail",
    records = with(master(), totals(4, 12100, 12100), invoice("1", 10000, 2100)),
    expect = { { kind = "signalering", subject = "Transacties: aantal regels", amount = 0 } } },

  { name = "totaal_debet_credit", class = "fail",
    records = with(master(), totals(3, 12000, 12200), invoice("1", 10000, 2100)),
    expect = { { kind = "signalering", subject = "Transacties: totaal debet", amount = 100 },
               { kind = "signalering", subject = "Transacties: totaal credit", amount = 100 } } },

  { name = "onbekende_verwijzingen", class = "fail",
    records = with(master(), line("1", "1", "9999", 500, "D", { custSupID = "X1" }),
                   line("1", "2", "1600", 500, "C", { custSupID = "X1", periodNumber = 13 })),
    -- periodNumber comes from the transaction; both lines carry 1 except the override
    expect = { { kind = "signalering", subject = "Grootboekrekening 9999", amount = 0 },
               { kind = "signalering", subject = "Relatie X1", amount = 0 },
               { kind = "signalering", subject = "Periode 13", amount = 0 } } },

  { name = "stamgegevens_na_regels", class = "pass",
    -- records in another order than XAF's: a rule must not depend on it
    records = { line("1", "1", "4400", 500, "D", { custSupID = "S001", effDate = "2023-12-31" }),
                line("1", "2", "1600", 500, "C", { custSupID = "S001", effDate = "2023-01-01" }),
                acc("4400"), acc("1600", "B"), sup("S001"), period(1), header(), totals(2, 500, 500) },
    expect = {} },

  { name = "datum_buiten_boekjaar", class = "fail",
    records = with(master(), line("1", "1", "4400", 500, "D", { effDate = "2024-01-01" }),
                   line("1", "2", "1600", 500, "C", { effDate = "2022-12-31" })),
    expect = { { kind = "signalering", subject = "Mutatiedatum buiten boekjaar", amount = 0 } } },

  { name = "datum_op_grens", class = "boundary",
    records = with(master(), line("1", "1", "4400", 500, "D", { effDate = "2023-01-01" }),
                   line("1", "2", "1600", 500, "C", { effDate = "2023-12-31" })),
    expect = {} },

  { name = "een_cent_verschil", class = "boundary",
    records = with(master(), line("1", "1", "4400", 500, "D"), line("1", "2", "1600", 499, "C"),
                   line("2", "1", "4400", 1, "D"), line("2", "2", "1600", 1, "C")),
    expect = { { kind = "signalering", subject = "Boeking 70/1", amount = 1 } } },

  { name = "negatief_bedrag_telt_met_teken", class = "boundary",
    -- a credit note written as negative amounts on the usual sides still balances
    records = with(master(), line("1", "1", "4400", -500, "D"), line("1", "2", "1600", -500, "C")),
    expect = {} },

  { name = "periode_nul_zonder_periode", class = "pass",
    records = with(master(), line("0", "1", "1520", 700, "D", { periodNumber = 0 }),
                   line("0", "2", "1600", 700, "C", { periodNumber = 0 })),
    expect = {} },

  { name = "negatieve_hoeveelheid", class = "fail",
    records = with(master(), line("1", "1", "4400", 500, "D", { qntity = "-3" }),
                   line("1", "2", "1600", 500, "C", { qntity = "-1" })),
    expect = { { kind = "signalering", subject = "Negatieve hoeveelheid", amount = 0 } } },

  { name = "hoeveelheid_nul", class = "boundary",
    records = with(master(), line("1", "1", "4400", 500, "D", { qntity = "0" }),
                   line("1", "2", "1600", 500, "C", { qntity = "250" })),
    expect = {} },

  { name = "meldingen_begrensd", class = "fail",
    args = { max_meldingen = 1 },
    records = with(master(), line("1", "1", "4400", 1, "D"), line("2", "1", "4400", 2, "D"),
                   line("3", "1", "4400", 3, "D")),
    expect = { { kind = "signalering", subject = "Boeking 70/1", amount = 1 },
               { kind = "signalering", subject = "Boekingen niet in evenwicht (overige)", amount = 0 } } },
}
