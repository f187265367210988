-- aanbesteding.eu: spend per supplier at or above the EU threshold without a
-- European procurement.
--
-- Spend: for each transaction the supplier is the custSupID on its lines
-- (rhv.transactions: packages name it on the creditor line only); its
-- spend is the net debit minus credit on profit-and-loss accounts (accTp P),
-- excl. VAT because VAT is booked on balance accounts. Mixed accounts (M) and
-- balance accounts do not count. When the lines of one transaction carry
-- different custSupIDs (a payment batch, a memo booking), a P line counts for
-- its own custSupID and a P line without one is not attributed. The ledger is
-- taken as the fiscal year's: its lines all count.
--
-- Threshold: params/eu_drempels for the fiscal year, by soort. A supplier's
-- soort comes from its contracts in the contract register (leveringen_diensten
-- when it has none). When its contracts have different soorten, the lowest
-- threshold among them applies: for the controller the careful reading.
--
-- Spend at or above the threshold is a fout (amount: the spend) unless a
-- contract with procedure "europees" for that supplier overlaps the fiscal
-- year. Without a contract register in the run nothing can be shown either
-- way: then it is an onzekerheid of the same amount.
--
-- Evidence: every transaction behind a supplier's spend, with its share
-- (amount), so that the listed amounts add up to the finding. At most
-- args.max_bewijs per supplier are kept; the rest are counted and their
-- amount is the remainder (evidence_omitted, docs/rule-api.md).
--
-- Memory: per supplier one total and at most max_bewijs transactions; per
-- account its type; the P lines of the open transaction only
-- (rhv.transactions: lines of one transaction are contiguous).

local rule = {
  id          = "aanbesteding.eu",
  title       = "Europese aanbestedingsplicht per leverancier",
  description = [[Telt per leverancier de lasten in het boekjaar (netto debet min credit op
resultatenrekeningen, dus exclusief btw) en vergelijkt die met de Europese aanbestedingsdrempel van
het jaar en de soort opdracht. Ligt de besteding op of boven de drempel zonder een Europees
aanbesteed contract dat het boekjaar dekt, dan is dat een fout ter grootte van de besteding. Zonder
contractregister is het een onzekerheid.]],
  criterion   = "voorwaardencriterium",
  legal_basis = {
    text   = "Aanbestedingswet 2012 art. 2.1 e.v. (Richtlijn 2014/24/EU); drempelbedragen per twee jaar "
          .. "vastgesteld door de Europese Commissie (params/eu_drempels)",
    source = "https://wetten.overheid.nl/BWBR0032203 ; "
          .. "https://europadecentraal.nl/onderwerp/aanbesteden/aanbestedingsplicht/drempelwaarden/",
  },
  years       = { from = 2022 },
  reads       = { "xaf.header", "xaf.customerSupplier", "xaf.ledgerAccount", "xaf.trLine",
                  "contractregister", "contract" },
  -- Without ledger lines there is no spend: with a dossier alone the rule would
  -- run and find nothing, a pass a controller could misread. Skipped instead.
  requires    = { "xaf.trLine" },
  params      = { "eu_drempels" },
  args        = {
    max_bewijs = 100,        -- transactions listed as evidence per supplier; the rest are counted
  },
}

local format = string.format

local acc_tp = {}        -- accID -> accTp
local spend = {}         -- custSupID -> cents
local pending = {}       -- custSupID -> { accID -> cents } for accounts whose type was unknown
local names = {}         -- custSupID -> name
local contracts = {}     -- leverancier -> list of {id, procedure, soort, begin, einde}
local has_register = false
local fy_start, fy_end   -- from the first xaf.header, else the calendar year of ctx.year
local max_bewijs          -- ctx.args.max_bewijs, from the first trLine
local tx_ev = {}         -- custSupID -> list of {file, line, key, amt, pend = {accID -> cents} | nil}
local tx_more = {}       -- custSupID -> transactions beyond max_bewijs
local tx_cur = {}        -- custSupID -> its entry in the open transaction (false: not kept); reused

-- The P lines of the open transaction (arrays reused, indexed as rhv.transactions numbers them).
local g_acc, g_amt, g_line = {}, {}, {}

local function add_spend(sup, acc, amt)
  local tp = acc_tp[acc]
  if tp == "P" then
    spend[sup] = (spend[sup] or 0) + amt
  elseif tp == nil then
    local p = pending[sup]
    if not p then
      p = {}
      pending[sup] = p
    end
    p[acc] = (p[acc] or 0) + amt
  end
end

-- The supplier's entry for the open transaction t, made on its first line.
local function tx_entry(sup, t, line)
  local e = tx_cur[sup]
  if e == nil then
    local list = tx_ev[sup]
    if not list then
      list = {}
      tx_ev[sup] = list
    end
    if #list < max_bewijs then
      e = { file = t.file, line = line, key = "custSupID " .. sup .. ", jrnID " .. t.jrnID .. ", trNr " .. t.trNr,
            amt = 0 }
      list[#list + 1] = e
    else
      e = false
      tx_more[sup] = (tx_more[sup] or 0) + 1
    end
    tx_cur[sup] = e
  end
  return e
end

-- A P line counts for the supplier its transaction attributes it to.
local tx = rhv.transactions(function(t)
  for i = 1, t.n do
    local sup = t.custSupID(i)
    if sup ~= nil then
      local acc, amt = g_acc[i], g_amt[i]
      add_spend(sup, acc, amt)
      local e = tx_entry(sup, t, g_line[i])
      if e then
        local tp = acc_tp[acc]
        if tp == "P" then
          e.amt = e.amt + amt
        elseif tp == nil then
          e.pend = e.pend or {}
          e.pend[acc] = (e.pend[acc] or 0) + amt
        end
      end
    end
  end
  for k in next, tx_cur do
    tx_cur[k] = nil
  end
end)

-- The transactions behind sup's spend amt as evidence with their amounts, and
-- what was not kept: {count, amount} with amount the remainder of amt.
local function spend_evidence(sup, amt)
  local ev, listed = {}, 0
  for _, e in ipairs(tx_ev[sup] or {}) do
    local a = e.amt
    for acc, v in pairs(e.pend or {}) do
      if acc_tp[acc] == "P" then
        a = a + v
      end
    end
    if a ~= 0 then
      ev[#ev + 1] = { file = e.file, line = e.line, key = e.key, amount = a }
      listed = listed + a
    end
  end
  return ev, { count = tx_more[sup] or 0, amount = amt - listed }
end

function rule.on_xaf_header(r)
  if not fy_start then
    fy_start, fy_end = r.startDate, r.endDate
  end
end

-- An empty required text element reaches a rule as nil (the reader warns).
function rule.on_xaf_customerSupplier(r)
  if r.custSupID ~= nil then
    names[r.custSupID] = r.custSupName
  end
end

function rule.on_xaf_ledgerAccount(r)
  if r.accID ~= nil then
    acc_tp[r.accID] = r.accTp
  end
end

function rule.on_xaf_trLine(r, ctx)
  max_bewijs = max_bewijs or ctx.args.max_bewijs
  -- Kept: lines on a P account (or one whose type is not known yet). Others
  -- (VAT, bank, balance accounts) matter only for the supplier they name.
  local acc = r.accID
  local tp = acc and acc_tp[acc]
  local i = tx.line(r, acc ~= nil and (tp == "P" or tp == nil))
  if i then
    g_acc[i] = acc
    g_amt[i] = r.amntTp == "D" and r.amnt or -r.amnt
    g_line[i] = r._line
  end
end

function rule.on_contractregister()
  has_register = true
end

function rule.on_contract(r)
  local l = contracts[r.leverancier]
  if not l then
    l = {}
    contracts[r.leverancier] = l
  end
  l[#l + 1] = { id = r.contract_id, procedure = r.procedure, soort = r.soort, begin = r.begin, einde = r.einde,
                ev = rhv.evidence(r, "contract " .. r.contract_id) }
end

local function overlaps(c)
  return c.begin <= fy_end and (c.einde == nil or c.einde >= fy_start)
end

local soort_naam = {
  leveringen_diensten = "leveringen en diensten",
  werken = "werken",
  sociale_diensten = "sociale en andere specifieke diensten",
}

-- The soort and threshold for a supplier: the lowest threshold among its
-- contracts' soorten (those overlapping the year first), default leveringen_diensten.
local function threshold_for(list, drempels)
  local best_soort, best
  local function consider(c)
    local t = soort_naam[c.soort] and drempels[c.soort]
    if t == nil then
      return -- not a soort the thresholds know: the default applies
    end
    if best == nil or t < best or (t == best and c.soort < best_soort) then
      best_soort, best = c.soort, t
    end
  end
  for _, c in ipairs(list or {}) do
    if overlaps(c) then
      consider(c)
    end
  end
  if best == nil then
    for _, c in ipairs(list or {}) do
      consider(c)
    end
  end
  if best == nil then
    return "leveringen_diensten", drempels.leveringen_diensten
  end
  return best_soort, best
end

function rule.finish(ctx)
  tx.close()
  if not fy_start then
    fy_start, fy_end = format("%04d-01-01", ctx.year), format("%04d-12-31", ctx.year)
  end
  for sup, accs in pairs(pending) do
    for acc, amt in pairs(accs) do
      if acc_tp[acc] == "P" then
        spend[sup] = (spend[sup] or 0) + amt
      end
    end
  end
  local drempels = ctx.params.eu_drempels
  -- The first of the table's sources keeps each toelichting short; the report
  -- lists the parameter table itself with its digest.
  local bron = drempels._source or "params/eu_drempels"
  bron = bron:match("^(.-)%s;%s") or bron
  for _, sup in ipairs(rhv.sorted_keys(spend)) do
    local amt = spend[sup]
    local list = contracts[sup]
    local soort, drempel = threshold_for(list, drempels)
    if amt >= drempel then
      local covering
      for _, c in ipairs(list or {}) do
        if c.procedure == "europees" and overlaps(c) and (covering == nil or c.id < covering.id) then
          covering = c
        end
      end
      if not covering then
        local subject = "Leverancier " .. sup .. (names[sup] and (" " .. names[sup]) or "")
        -- The contracts first, then the transactions: a reader of the first
        -- lines sees the contract and the largest part of the spend's sources.
        local ev, others = {}, {}
        for _, c in ipairs(list or {}) do
          ev[#ev + 1] = c.ev
          others[#others + 1] = c.id .. " (" .. c.procedure .. ", " .. c.begin .. " t/m " .. (c.einde or "open") .. ")"
        end
        local txs, omitted = spend_evidence(sup, amt)
        for _, e in ipairs(txs) do
          ev[#ev + 1] = e
        end
        local toel = format("Besteding %s excl. btw in %s t/m %s; drempel %s voor %s (%s). ",
                            rhv.format(amt), fy_start, fy_end, rhv.format(drempel), soort_naam[soort] or soort,
                            bron)
        if has_register then
          toel = toel .. (#others > 0 and ("Contracten in het register, geen Europees aanbesteed dat het boekjaar "
                                            .. "dekt: " .. table.concat(others, "; ") .. ".")
                                       or "Geen contract met deze leverancier in het contractregister.")
          rhv.finding{
            kind = "fout", amount = amt, subject = subject,
            message = format("Besteding %s bij %s op of boven de Europese drempel van %s zonder Europese "
                             .. "aanbesteding.", rhv.format(amt), sup, rhv.format(drempel)),
            toelichting = toel, evidence = ev, evidence_omitted = omitted,
            key = "custSupID " .. sup,  -- the supplier's name in the ledger may change; its id does not
          }
        else
          rhv.finding{
            kind = "onzekerheid", amount = amt, subject = subject,
            message = format("Besteding %s bij %s op of boven de Europese drempel van %s; zonder "
                             .. "contractregister is niet vast te stellen of Europees is aanbesteed.",
                             rhv.format(amt), sup, rhv.format(drempel)),
            toelichting = toel .. "Het dossier bevat geen contractregister.", evidence = ev,
            evidence_omitted = omitted,
            key = "custSupID " .. sup,
          }
        end
      end
    end
  end
end

return rule
