-- aansluiting.grootboek: do the ledger's lasten add up to the dossier's?
--
-- The dossier's exploitatie (programma lasten_realisatie) is what the
-- verantwoordingsgrens rests on; the ledger is where those lasten are booked.
-- If the two do not meet, one of them is incomplete or wrong, and so is the
-- grens. This rule totals the ledger's lasten for the fiscal year and sets
-- them against the dossier's total realisatie lasten:
--   * ledger lasten: per profit-and-loss account (accTp P), debit minus
--     credit of its lines dated (trDt) in the fiscal year; an account with a
--     net debit is a lasten account (one with a net credit holds baten).
--     Every ledger of the run counts, except extracts.
--   * when the dossier assigns accounts to programma's (<rekening nr=
--     programma=>), the reconciliation is per programma too: the net of the
--     accounts of a programma against its lasten_realisatie, and lasten
--     accounts with no programma are named.
--   * a ledger the dossier marks as an extract (<ledger extract="true">) is
--     not the whole administration: it is not reconciled, and the rule says
--     so in a signalering, so that an auditor does not read silence as "it
--     agrees".
-- Every difference of a cent or more is a signalering with both figures and
-- both sources as evidence: it does not count towards the grens, it says the
-- figures have to be explained.

local rule = {
  id          = "aansluiting.grootboek",
  title       = "Aansluiting grootboek en exploitatie",
  description = [[Zet de lasten in het grootboek (per winst-en-verliesrekening debet min credit over het
boekjaar; rekeningen met een debetsaldo) af tegen de totale lasten realisatie van de programma's in het
dossier, en per programma wanneer het dossier rekeningen aan programma's toewijst. Een grootboek dat het
dossier als extract aanmerkt wordt niet aangesloten; dat wordt gemeld. Verschillen zijn signaleringen.]],
  criterion   = "geen",
  legal_basis = {
    text   = "BBV art. 17 en 28 (overzicht van baten en lasten in de jaarrekening); de "
          .. "verantwoordingsgrens rust op de totale lasten van de jaarrekening",
    source = "https://wetten.overheid.nl/BWBR0014606",
  },
  years       = { from = 2023 },
  reads       = { "programma", "rekening", "ledger", "xaf.ledgerAccount", "xaf.trLine" },
  requires    = { "programma", "xaf.trLine" },
}

local programmas = {}   -- code -> { naam =, lasten =, ev = }
local order = {}        -- programma codes in dossier order
local dossier_ev = nil  -- the first programma: where the dossier's lasten are
local programma_of = {} -- accID -> programma code
local nrekening = 0
local extract = {}      -- path -> evidence of its <ledger extract="true">
local files = {}        -- path -> { pl = {accID = true}, net = {accID = cents}, ev = }
local file_order = {}

function rule.on_programma(r)
  programmas[r.code] = { naam = r.naam, lasten = r.lasten_realisatie,
                         ev = rhv.evidence(r, "programma " .. r.code) }
  order[#order + 1] = r.code
  if not dossier_ev then dossier_ev = rhv.evidence(r, "exploitatie") end
end

function rule.on_rekening(r)
  programma_of[r.nr] = r.programma
  nrekening = nrekening + 1
end

function rule.on_ledger(r)
  if r.extract then extract[r.path] = rhv.evidence(r, "ledger " .. r.path) end
end

local function file_state(path)
  local f = files[path]
  if not f then
    f = { pl = {}, net = {}, ev = nil }
    files[path] = f
    file_order[#file_order + 1] = path
  end
  return f
end

function rule.on_xaf_ledgerAccount(r)
  if r.accTp == "P" then file_state(r._file).pl[r.accID] = true end
end

local year_prefix
function rule.on_xaf_trLine(r, ctx)
  year_prefix = year_prefix or string.format("%04d", ctx.year)
  local f = file_state(r._file)
  if not f.ev then f.ev = rhv.evidence(r, "grootboek") end
  if extract[r._file] or not f.pl[r.accID] or r.trDt:sub(1, 4) ~= year_prefix then return end
  local amount = r.amntTp == "C" and -r.amnt or r.amnt
  f.net[r.accID] = (f.net[r.accID] or 0) + amount
end

-- key: the finding's stable name (docs/handled.md): a programma's code, not
-- its name, which the dossier may correct.
local function verschil(subject, key, grootboek, dossier, evidence, toelichting)
  if grootboek == dossier then return end
  local d = grootboek - dossier
  rhv.finding{
    kind = "signalering", amount = d < 0 and -d or d, criterion = "geen",
    subject = subject, key = key,
    message = string.format("Lasten grootboek %s, lasten realisatie dossier %s: verschil %s.",
      rhv.format(grootboek), rhv.format(dossier), rhv.format(d)),
    toelichting = toelichting,
    evidence = evidence,
  }
end

function rule.finish(ctx)
  -- Extracts first: each one said once, whether or not other ledgers are reconciled.
  -- Keyed by file name, not path: the same extract read from another folder
  -- (or named relative or absolute) is the same finding; a second extract
  -- with that name gets its number.
  local named = {}
  for _, path in ipairs(file_order) do
    if extract[path] then
      local name = path:match("([^/]*)$")
      named[name] = (named[name] or 0) + 1
      rhv.finding{
        kind = "signalering", amount = 0, criterion = "geen",
        subject = "Grootboek " .. path,
        key = "extract " .. name .. (named[name] > 1 and (" " .. named[name]) or ""),
        message = "Het grootboek is volgens het dossier een extract: niet aangesloten op de lasten van de "
          .. "exploitatie.",
        toelichting = "Lever het volledige grootboek van " .. ctx.year .. " aan om de lasten aan te sluiten.",
        evidence = { extract[path] },
      }
    end
  end

  -- The whole ledgers, together (one administration may come in several files).
  local per_acc, ev, any = {}, {}, false
  for _, path in ipairs(file_order) do
    local f = files[path]
    if not extract[path] then
      any = true
      if f.ev then ev[#ev + 1] = f.ev end
      for acc, net in pairs(f.net) do per_acc[acc] = (per_acc[acc] or 0) + net end
    end
  end
  if not any then return end

  local dossier_total = 0
  for _, code in ipairs(order) do dossier_total = dossier_total + programmas[code].lasten end
  local per_prog, unassigned, total = {}, {}, 0
  for acc, net in rhv.sorted_pairs(per_acc) do
    local code = programma_of[acc]
    if code then
      per_prog[code] = (per_prog[code] or 0) + net
      total = total + net
    elseif net > 0 then
      total = total + net
      if nrekening > 0 then unassigned[#unassigned + 1] = acc end
    end
  end

  local both = { dossier_ev }
  for _, e in ipairs(ev) do both[#both + 1] = e end
  verschil("Totale lasten", "totaal", total, dossier_total, both,
    "Grootboek: som van debet min credit van de winst-en-verliesrekeningen met een debetsaldo"
    .. (nrekening > 0 and " en van de aan programma's toegewezen rekeningen" or "") .. " over " .. ctx.year
    .. "; dossier: som van lasten_realisatie van " .. #order .. " programma's.")

  if nrekening == 0 then return end
  for _, code in ipairs(order) do
    local p = programmas[code]
    local e = { p.ev }
    for _, x in ipairs(ev) do e[#e + 1] = x end
    verschil("Programma " .. code .. " " .. p.naam, "programma " .. code, per_prog[code] or 0, p.lasten, e,
      "Grootboek: de rekeningen die het dossier aan programma " .. code .. " toewijst.")
  end
  for code, net in rhv.sorted_pairs(per_prog) do
    if not programmas[code] then
      verschil("Programma " .. code .. " (onbekend)", "programma " .. code .. " onbekend", net, 0, ev,
        "Het dossier wijst rekeningen toe aan programma " .. code .. ", dat niet in de exploitatie staat.")
    end
  end
  if #unassigned > 0 then
    rhv.finding{
      kind = "signalering", amount = 0, criterion = "geen",
      subject = "Rekeningen zonder programma",
      message = "Lastenrekeningen zonder programma in het dossier: " .. table.concat(unassigned, ", ") .. ".",
      evidence = ev,
    }
  end
end

return rule
