-- facturen.dubbel: the same invoice booked twice.
--
-- An invoice is identified by supplier (custSupID), invoice reference and
-- amount, on the lines that name the supplier themselves (the creditor or
-- debtor line; a transaction is the run of its lines, collected by the host). Within one transaction,
-- the reference for a supplier is the invRef on its lines; only when none of
-- its lines has an invRef does docRef serve (a voucher number that exporters
-- often repeat on every line). The lines
-- with the same supplier and reference make one invoice; its amount is the
-- largest line amount among them (for a purchase invoice the gross amount on
-- the creditor line), with that line's side (D/C), so that an invoice and its
-- credit note do not match each other. The same invoice in two different
-- transactions is a signalering with both as evidence: it may have been paid
-- twice.
--
-- Transactions in bank (B), cash (C) and opening-balance (O) journals are left
-- out: a payment repeats its invoice's reference and amount by design.
--
-- The host does this in C (aggregate kind seen, docs/rule-api.md): per
-- transaction the invoices as above, each against those of earlier
-- transactions; only a repeat reaches the rule (on_facturen). Memory grows
-- with the number of distinct invoices: each is a 64-bit fingerprint with the
-- location of the first booking, about 20 bytes an invoice (32 MiB for
-- 1.75 million; the set doubles in place), so a 5-million-line ledger fits
-- in the rule's 64 MiB. Two different invoices share a fingerprint with a
-- chance of about 1 in 10 million at that size; every match is reported with
-- both bookings as evidence, for a person to confirm. So that a still larger
-- ledger cannot push the rule over its memory limit (and lose every finding),
-- at most max_facturen invoices are remembered; later ones are still compared
-- with those, and the check says it is incomplete.

local rule = {
  id          = "facturen.dubbel",
  title       = "Dubbel geboekte facturen",
  description = [[Signaleert facturen die twee keer zijn geboekt: dezelfde leverancier (of klant),
hetzelfde factuurnummer (invRef, anders docRef) en hetzelfde bedrag in twee verschillende boekingen.
Boekingen in bank-, kas- en openingsbalansdagboeken tellen niet mee, want een betaling herhaalt
factuurnummer en bedrag.]],
  criterion   = "geen",
  legal_basis = {
    text   = "Interne beheersing: voorkomen van dubbele betalingen (misbruik en oneigenlijk gebruik, "
          .. "rechtmatigheid van de lasten); XAF 3.2 trLine/invRef en docRef",
    source = "https://www.softwarepakketten.nl/upload/auditfiles/xaf/20140402_AuditfileFinancieelVersie_3_2.zip",
  },
  years       = { from = 2000 },
  reads       = { "xaf.journal", "xaf.trLine" },
  -- An invoice is on a line that names the relation itself (most lines of a
  -- ledger name none). The host takes those lines per transaction (lines in a
  -- row with the same file, journal and number): per relation and reference
  -- (invRef, else docRef) the line with the largest amount, keyed with its
  -- side and amount, against the invoices of earlier transactions. Journals
  -- the rule marks (rhv.skip: bank, cash, opening balance) are left out.
  aggregate   = {
    facturen = { records = "xaf.trLine", runs = { "_file", "jrnID", "trNr" }, where = { custSupID = true },
                 seen = { "custSupID", { "invRef", "docRef" } }, largest = "amnt", match = { "amntTp", "amnt" },
                 skip = "jrnID", max = "max_facturen" },
  },
  args        = {
    max_meldingen = 100,     -- individual findings; the rest are summarised
    max_facturen = 1750000,  -- invoices remembered: a set of 2^21 slots of 16 bytes (32 MiB)
  },
}

local format = string.format

local skip_tp = { B = true, C = true, O = true }

local dups = {}                   -- first max_meldingen duplicates
local ndups = 0
local max_meldingen
local first_unlisted              -- { file, line }: second booking of the first duplicate beyond max_meldingen

-- A journal's type decides for the transactions that follow it (the last
-- journal with that jrnID wins).
function rule.on_xaf_journal(r)
  if r.jrnID ~= nil then -- an empty required jrnID reaches a rule as nil
    rhv.skip("facturen", r.jrnID, skip_tp[r.jrnTp] == true)
  end
end

-- An invoice booked before: d the second booking, first the first's place.
function rule.on_facturen(d, first, ctx)
  max_meldingen = max_meldingen or ctx.args.max_meldingen
  ndups = ndups + 1
  if #dups < max_meldingen then
    dups[#dups + 1] = { sup = d.custSupID, ref = d.invRef or d.docRef, amt = d.amnt, jrn = d.jrnID or "",
                        tr = d.trNr or "", file1 = first._file, line1 = first._line, file2 = d._file,
                        line2 = d._line }
  else
    first_unlisted = first_unlisted or { d._file, d._line }
  end
end

local function ev(file, line, key)
  return { file = file, line = line, key = key }
end

function rule.finish(ctx)
  max_meldingen = max_meldingen or ctx.args.max_meldingen
  local max_facturen = ctx.args.max_facturen
  local seen = rhv.groups("facturen")
  local not_kept = seen._not_kept
  if not_kept > 0 then
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Controle dubbele facturen onvolledig",
      message = format("Meer dan %d facturen: %d latere facturen zijn alleen vergeleken met de eerste %d, "
                       .. "niet met elkaar.", max_facturen, not_kept, max_facturen),
      toelichting = "Verhoog zo nodig het argument max_facturen (--rule-arg facturen.dubbel.max_facturen=N); "
                 .. "het geheugen van de regel groeit met ongeveer 20 tot 40 bytes per factuur.",
      evidence = { ev(seen._not_kept_file, seen._not_kept_line, "eerste niet onthouden factuur") },
    }
  end
  for _, d in ipairs(dups) do
    local sup, ref = d.sup, d.ref
    rhv.finding{
      kind = "signalering", amount = d.amt < 0 and -d.amt or d.amt,
      subject = "Factuur " .. ref .. " van " .. sup,
      -- The same invoice can be booked more than twice: the second booking
      -- (journal and number, which do not change) tells the findings apart.
      key = "factuur " .. ref .. " van " .. sup .. ", boeking " .. d.jrn .. "/" .. d.tr,
      message = format("Factuur %s van relatie %s (%s) is twee keer geboekt; de tweede keer in boeking %s/%s.",
                       ref, sup, rhv.format(d.amt), d.jrn, d.tr),
      evidence = { ev(d.file1, d.line1, "eerste boeking"), ev(d.file2, d.line2, "jrnID=" .. d.jrn .. " nr=" .. d.tr) },
    }
  end
  if ndups > #dups then
    local last = dups[#dups]  -- nil with max_meldingen = 0
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Dubbel geboekte facturen (overige)",
      message = format("%s%d dubbel geboekte facturen (niet afzonderlijk vermeld).", last and "Nog " or "",
                       ndups - #dups),
      evidence = { last and ev(last.file2, last.line2, "laatst vermelde")
                   or ev(first_unlisted[1], first_unlisted[2], "eerste niet vermelde") },
    }
  end
end

return rule
