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
-- Memory grows with the number of distinct invoices: each is remembered in
-- rhv.keyset (a C set of 64-bit fingerprints with the location of the first
-- booking, about 20 bytes an invoice), so a 5-million-line ledger (1.7 million
-- invoices) fits in the rule's 64 MiB. Two different invoices share a
-- fingerprint with a chance of about 1 in 10 million at that size; every
-- match is reported with both bookings as evidence, for a person to confirm.
-- So that a still larger ledger cannot push the rule over its memory limit
-- (and lose every finding), at most max_facturen invoices are remembered;
-- later ones are still compared with those, and the check says it is
-- incomplete.

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
  -- ledger name none). The host collects those lines per transaction (lines
  -- in a row with the same file, journal and number) and hands the rule one
  -- transaction at a time (on_boekingen), not every line.
  aggregate   = {
    boekingen = { records = "xaf.trLine", runs = { "_file", "jrnID", "trNr" }, where = { custSupID = true },
                  collect = { "custSupID", "invRef", "docRef", "amnt", "amntTp" } },
  },
  args        = {
    max_meldingen = 100,     -- individual findings; the rest are summarised
    max_facturen = 1750000,  -- invoices remembered: about 34 MiB, 50 MiB while the set grows
  },
}

local format = string.format

local LINE_BITS = 1 << 40         -- a location is file index * LINE_BITS + line
local skip_tp = { B = true, C = true, O = true }

local jrn_tp = {}                 -- jrnID -> jrnTp
local seen = rhv.keyset()         -- invoice key -> location of its first booking (C, ~20 bytes a key)
local files, file_idx = {}, {}    -- index <-> file name
local dups = {}                   -- first max_meldingen duplicates
local ndups = 0
local max_meldingen, max_facturen
local first_unlisted              -- second booking of the first duplicate beyond max_meldingen
local nkeys, not_kept = 0, 0      -- invoices remembered; new invoices after the cap
local first_not_kept              -- location of the first one not remembered

-- The invoices of one transaction (arrays reused between transactions).
local g_n = 0
local g_sup, g_ref, g_inv, g_amt, g_side, g_line = {}, {}, {}, {}, {}, {}

local function location(file, line)
  local i = file_idx[file]
  if not i then
    i = #files + 1
    files[i] = file
    file_idx[file] = i
  end
  return i * LINE_BITS + line
end

-- Does supplier `sup` have an invRef in the transaction?
local function has_inv(sup)
  for i = 1, g_n do
    if g_inv[i] and g_sup[i] == sup then
      return true
    end
  end
  return false
end

-- The transaction's invoices: per relation and reference (invRef, else
-- docRef) the line with the largest amount.
local function invoices(t)
  g_n = 0
  local sups, invs, docs, amts, tps, lines = t.custSupID, t.invRef, t.docRef, t.amnt, t.amntTp, t._lines
  for k = 1, t._n do
    local sup = sups[k]
    local ref, inv = invs[k], true
    if ref == nil then
      ref, inv = docs[k], false
    end
    if ref ~= nil then
      local amt = amts[k]
      local a = amt < 0 and -amt or amt
      local found = false
      for i = 1, g_n do
        if g_ref[i] == ref and g_sup[i] == sup and g_inv[i] == inv then
          local b = g_amt[i] < 0 and -g_amt[i] or g_amt[i]
          if a > b then
            g_amt[i], g_side[i], g_line[i] = amt, tps[k], lines[k]
          end
          found = true
          break
        end
      end
      if not found then
        local n = g_n + 1
        g_n = n
        g_sup[n], g_ref[n], g_inv[n], g_amt[n], g_side[n], g_line[n] = sup, ref, inv, amt, tps[k], lines[k]
      end
    end
  end
end

-- Each invoice against those seen before.
local function remember(jrn, tr, base)
  for i = 1, g_n do
    local sup, ref, amt = g_sup[i], g_ref[i], g_amt[i]
    if g_inv[i] or not has_inv(sup) then
      local key = sup .. "\31" .. ref .. "\31" .. g_side[i] .. amt
      local here = base + g_line[i]
      local first
      if nkeys < max_facturen then
        first = seen:add(key, here)
        if first == nil then
          nkeys = nkeys + 1
        end
      else
        first = seen:find(key)
        if first == nil then
          not_kept = not_kept + 1
          first_not_kept = first_not_kept or here
        end
      end
      if first ~= nil then
        ndups = ndups + 1
        if #dups < max_meldingen then
          dups[#dups + 1] = { sup = sup, ref = ref, amt = amt, first = first, second = here, jrn = jrn, tr = tr }
        else
          first_unlisted = first_unlisted or here
        end
      end
    end
  end
end

function rule.on_xaf_journal(r)
  if r.jrnID ~= nil then -- an empty required jrnID reaches a rule as nil
    jrn_tp[r.jrnID] = r.jrnTp or false
  end
end

-- One transaction's lines that name a relation, from the host.
function rule.on_boekingen(t, ctx)
  if not max_meldingen then
    max_meldingen, max_facturen = ctx.args.max_meldingen, ctx.args.max_facturen
  end
  local jrn = t.jrnID or ""  -- nil only for an empty required element
  if skip_tp[jrn_tp[jrn]] then
    return
  end
  invoices(t)
  if g_n > 0 then
    remember(jrn, t.trNr or "", location(t._file, 0))
  end
end

local function ev(loc, key)
  return { file = files[loc // LINE_BITS], line = loc % LINE_BITS, key = key }
end

function rule.finish(ctx)
  if not max_meldingen then
    max_meldingen, max_facturen = ctx.args.max_meldingen, ctx.args.max_facturen
  end
  if not_kept > 0 then
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Controle dubbele facturen onvolledig",
      message = format("Meer dan %d facturen: %d latere facturen zijn alleen vergeleken met de eerste %d, "
                       .. "niet met elkaar.", max_facturen, not_kept, max_facturen),
      toelichting = "Verhoog zo nodig het argument max_facturen (--rule-arg facturen.dubbel.max_facturen=N); "
                 .. "het geheugen van de regel groeit met ongeveer 100-200 bytes per factuur.",
      evidence = { ev(first_not_kept, "eerste niet onthouden factuur") },
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
      evidence = { ev(d.first, "eerste boeking"), ev(d.second, "jrnID=" .. d.jrn .. " nr=" .. d.tr) },
    }
  end
  if ndups > #dups then
    local last = dups[#dups]  -- nil with max_meldingen = 0
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Dubbel geboekte facturen (overige)",
      message = format("%s%d dubbel geboekte facturen (niet afzonderlijk vermeld).", last and "Nog " or "",
                       ndups - #dups),
      evidence = { last and ev(last.second, "laatst vermelde") or ev(first_unlisted, "eerste niet vermelde") },
    }
  end
end

return rule
