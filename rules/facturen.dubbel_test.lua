-- Test cases for facturen.dubbel (amounts in cents).
-- Builders: rhvtest (plugins/lib/testlib.lua).
local T = rhvtest
local journal = T.journal
local function line(jrn, tr, nr, accid, amnt, tp, sup, inv, doc)
  return T.trLine{ jrnID = jrn, trNr = tr, nr = nr, accID = accid, amnt = amnt, amntTp = tp, custSupID = sup,
                   invRef = inv, docRef = doc }
end
-- A purchase invoice: expense and VAT debit, creditor credit with the invoice number; the
-- supplier and the invoice number also on the expense line, the voucher number on every line.
local function invoice(jrn, tr, sup, inv, net, doc)
  local own = { custSupID = sup, invRef = inv }
  return T.invoice{ tr = tr, net = net, all = { jrnID = jrn, docRef = doc }, cost = own, creditor = own }
end
local function with(...)
  return T.records({ journal("70", "P"), journal("20", "B") }, ...)
end
-- Two invoices, each booked twice.
local function twee_dubbele()
  return with(invoice("70", "1", "S1", "F-1", 300), invoice("70", "2", "S1", "F-1", 300),
              invoice("70", "3", "S2", "F-2", 300), invoice("70", "4", "S2", "F-2", 300))
end

return {
  { name = "verschillende_facturen", class = "pass",
    records = with(invoice("70", "1", "S1", "F-1", 10000), invoice("70", "2", "S1", "F-2", 10000),
                   invoice("70", "3", "S2", "F-1", 10000)),
    expect = {} },

  { name = "betaling_is_geen_dubbele", class = "pass",
    -- the bank journal repeats invoice number and amount by design
    records = with(invoice("70", "1", "S1", "F-1", 10000),
                   { line("20", "5", "1", "1600", 12100, "D", "S1", "F-1"), line("20", "5", "2", "1100", 12100, "C") }),
    expect = {} },

  { name = "twee_keer_geboekt", class = "fail",
    records = with(invoice("70", "1", "S1", "F-1", 10000), invoice("70", "2", "S2", "F-9", 500),
                   invoice("70", "8", "S1", "F-1", 10000)),
    expect = { { kind = "signalering", subject = "Factuur F-1 van S1", amount = 12100 } } },

  { name = "docref_als_factuurnummer", class = "fail",
    records = with(invoice("70", "1", "S1", nil, 10000, "D-77"), invoice("70", "2", "S1", nil, 10000, "D-77")),
    expect = { { kind = "signalering", subject = "Factuur D-77 van S1", amount = 12100 } } },

  { name = "een_cent_verschil", class = "boundary",
    records = with(invoice("70", "1", "S1", "F-1", 10000), invoice("70", "2", "S1", "F-1", 10001)),
    expect = {} },

  { name = "zelfde_bedrag_zelfde_nummer", class = "boundary",
    -- exactly equal amounts, in different journals that are both not payments
    records = with(journal("71", nil), invoice("70", "1", "S1", "F-1", 1), invoice("71", "1", "S1", "F-1", 1)),
    expect = { { kind = "signalering", subject = "Factuur F-1 van S1", amount = 1 } } },

  { name = "creditnota_is_geen_dubbele", class = "boundary",
    -- a credit note with the same number reverses the sides
    records = with(invoice("70", "1", "S1", "F-1", 10000),
                   { line("70", "2", "1", "4400", 10000, "C", "S1", "F-1"), line("70", "2", "2", "1520", 2100, "C"),
                     line("70", "2", "3", "1600", 12100, "D", "S1", "F-1") }),
    expect = {} },

  { name = "drie_keer", class = "fail",
    records = with(invoice("70", "1", "S1", "F-1", 300), invoice("70", "2", "S1", "F-1", 300),
                   invoice("70", "3", "S1", "F-1", 300)),
    expect = { { kind = "signalering", subject = "Factuur F-1 van S1", amount = 363 },
               { kind = "signalering", subject = "Factuur F-1 van S1", amount = 363 } } },

  { name = "docref_telt_niet_naast_invref", class = "pass",
    -- the VAT line has only the voucher number: it is not a second invoice
    records = with({ line("70", "1", "1", "4400", 100, "D", "S1", "F-1"),
                     line("70", "1", "2", "1520", 21, "D", "S1", nil, "V-1"),
                     line("70", "1", "3", "1600", 121, "C", "S1", "F-1") },
                   { line("70", "2", "1", "4400", 500, "D", "S1", "F-2"),
                     line("70", "2", "2", "1520", 21, "D", "S1", nil, "V-1"),
                     line("70", "2", "3", "1600", 521, "C", "S1", "F-2") }),
    expect = {} },

  { name = "geheugen_begrensd", class = "boundary",
    -- only two invoices are remembered: F-3 is compared with them but not kept, so its
    -- second booking goes unnoticed, and the rule says the check is incomplete
    args = { max_facturen = 2 },
    records = with(invoice("70", "1", "S1", "F-1", 300), invoice("70", "2", "S1", "F-2", 300),
                   invoice("70", "3", "S1", "F-3", 300), invoice("70", "4", "S1", "F-3", 300),
                   invoice("70", "5", "S1", "F-1", 300)),
    expect = { { kind = "signalering", subject = "Factuur F-1 van S1", amount = 363 },
               { kind = "signalering", subject = "Controle dubbele facturen onvolledig", amount = 0 } } },

  { name = "meldingen_begrensd", class = "fail",
    args = { max_meldingen = 1 },
    records = twee_dubbele(),
    expect = { { kind = "signalering", subject = "Factuur F-1 van S1", amount = 363 },
               { kind = "signalering", subject = "Dubbel geboekte facturen (overige)", amount = 0 } } },

  { name = "meldingen_nul", class = "boundary",
    -- --rule-arg facturen.dubbel.max_meldingen=0: no duplicate listed, only the count
    args = { max_meldingen = 0 },
    records = twee_dubbele(),
    expect = { { kind = "signalering", subject = "Dubbel geboekte facturen (overige)", amount = 0 } } },
}
