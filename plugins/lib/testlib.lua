-- testlib.lua - record builders shared by the rules' test files, which see it
-- as the global `rhvtest` (docs/rule-api.md, "Tests"). `rhv test` loads it
-- into each test file's own sandbox before the file; rules never see it.
-- Every builder returns a fresh table, written as a reader would produce the
-- record (docs/records.md): every required field, amounts in integer cents.
-- Defaults are for the fiscal year 2023, a case's default year.

local T = {}

--- Records and lists of records, flattened in order into one new list:
---   records = rhvtest.records(master(), rhvtest.invoice{ ... }, one_line)
function T.records(...)
  local out = {}
  for _, x in ipairs({ ... }) do
    if x._type then
      out[#out + 1] = x
    else
      for _, r in ipairs(x) do
        out[#out + 1] = r
      end
    end
  end
  return out
end

--- r with the fields of `extra` (may be nil) set on it; returns r.
function T.set(r, extra)
  for k, v in pairs(extra or {}) do
    r[k] = v
  end
  return r
end

-- ---- ledger (xaf.*) --------------------------------------------------------

--- An xaf.trLine: journal "70", transaction "1", line "1", 2023-03-01 in
--- period 3, debit 0 on account 4400, unless `fields` says otherwise.
function T.trLine(fields)
  return T.set({ _type = "xaf.trLine", jrnID = "70", trNr = "1", trDt = "2023-03-01", periodNumber = 3, nr = "1",
                 accID = "4400", effDate = "2023-03-01", amnt = 0, amntTp = "D" }, fields)
end

--- A purchase invoice as most packages book it, three lines of transaction
--- `tr`: cost on 4400 and VAT on 1520 debit, the creditor on 1600 credit for
--- the gross amount. `vat` defaults to 21 % of `net` (rounded down). Fields in
--- `all` go on every line, those in `cost` and `creditor` on that line only:
---   rhvtest.invoice{ tr = "1", net = 10000, creditor = { custSupID = "S1" } }
function T.invoice(o)
  local vat = o.vat or o.net * 21 // 100
  local function line(nr, acc, amnt, tp, own)
    return T.set(T.set(T.trLine{ trNr = o.tr, nr = nr, accID = acc, amnt = amnt, amntTp = tp }, o.all), own)
  end
  return { line("1", "4400", o.net, "D", o.cost), line("2", "1520", vat, "D", nil),
           line("3", "1600", o.net + vat, "C", o.creditor) }
end

--- An xaf.ledgerAccount "Rekening <id>"; accTp B, M or P.
function T.ledgerAccount(id, tp)
  return { _type = "xaf.ledgerAccount", accID = id, accDesc = "Rekening " .. id, accTp = tp }
end

--- An xaf.vatCode "Btw <id>" whose btw to claim (voorbelasting) is booked on
--- account `claim` (may be nil) and btw to pay on `pay` (may be nil).
function T.vatCode(id, claim, pay)
  return { _type = "xaf.vatCode", vatID = id, vatDesc = "Btw " .. id, vatToClaimAccID = claim, vatToPayAccID = pay }
end

--- An xaf.journal "Dagboek <id>"; jrnTp (B bank, C cash, P purchases, ...) may be nil.
function T.journal(id, tp)
  return { _type = "xaf.journal", jrnID = id, desc = "Dagboek " .. id, jrnTp = tp }
end

--- An xaf.customerSupplier; the name may be nil.
function T.customerSupplier(id, name)
  return { _type = "xaf.customerSupplier", custSupID = id, custSupName = name }
end

-- ---- begroting -------------------------------------------------------------

--- A programma with only lasten: primitief = begroot, baten 0.
function T.programma(code, naam, begroot, realisatie, categorie)
  return { _type = "programma", code = code, naam = naam,
           lasten_primitief = begroot, lasten_begroot = begroot, lasten_realisatie = realisatie,
           baten_primitief = 0, baten_begroot = 0, baten_realisatie = 0, categorie = categorie }
end

function T.krediet(code, naam, budget, realisatie, categorie)
  return { _type = "krediet", code = code, naam = naam, budget = budget, realisatie = realisatie,
           categorie = categorie }
end

--- A reserve: toevoeging begroot and realisatie, onttrekking begroot and realisatie.
function T.reserve(code, naam, tb, tr, ob, orr, categorie)
  return { _type = "reserve", code = code, naam = naam, toevoeging_begroot = tb, toevoeging_realisatie = tr,
           onttrekking_begroot = ob, onttrekking_realisatie = orr, categorie = categorie }
end

--- A Kadernota category of the verordening; telt_mee false: acceptabel.
function T.begrotingscategorie(categorie, telt_mee)
  return { _type = "begrotingscategorie", categorie = categorie, telt_mee = telt_mee }
end

return T
