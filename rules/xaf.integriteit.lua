-- xaf.integriteit: does the ledger hold together?
--
-- An auditfile states its own totals (transactions/linesCount, totalDebit,
-- totalCredit) and refers from every line to master data (accounts,
-- customers/suppliers, periods). The XSD's key/keyref constraints cannot
-- enforce any of this (their XPaths lack the namespace, so they match
-- nothing), so a file can "validate" and still be inconsistent. Before any
-- other ledger rule is trusted, this rule checks:
--   1. linesCount, totalDebit and totalCredit against the lines read;
--   2. every transaction balances: debit = credit (amounts as written, a
--      negative amount counts with its sign on its own side);
--   3. every accID, custSupID and periodNumber on a line is defined in the
--      file's generalLedger, customersSuppliers and periods (periodNumber 0,
--      the opening balance booked as transactions, needs no period; a file
--      without any <period> is not checked for periods);
--   4. every line's effDate lies within the header's startDate..endDate;
--   5. no line has a negative qntity (the XSD allows only non-negative
--      quantities; Exact Online writes negative ones for returns). The
--      reader warns per line; this makes it a finding with evidence too.
-- Findings are signaleringen: they say the data cannot be relied on, not that
-- anything was onrechtmatig.
--
-- The lines are not handed to the rule one by one: the host counts them in C
-- (`aggregate`, docs/rule-api.md) and the rule reads the groups in finish.
-- Memory stays bounded by the master data, never by the number of lines:
-- groups are per file and account, relation, period or date; the lines of
-- one transaction are contiguous, so one run at a time suffices and only an
-- unbalanced one reaches the rule (on_boekingen).
-- Several ledgers in one run are kept apart by file.

local rule = {
  id          = "xaf.integriteit",
  title       = "Integriteit van de auditfile",
  description = [[Controleert of de auditfile (XAF) intern klopt: opgegeven aantal regels en totalen
debet/credit tegen de gelezen regels, debet = credit per boeking, elke grootboekrekening, relatie en
periode op een regel is gedefinieerd, elke mutatiedatum valt binnen het boekjaar en geen hoeveelheid
(qntity) is negatief. Afwijkingen zijn signaleringen: de administratie is dan geen betrouwbare basis
voor de andere controles.]],
  criterion   = "geen",
  legal_basis = {
    text   = "XML Auditfile Financieel 3.2 (XSD en Toelichting, XML Platform 2014/2017): transactions/"
          .. "linesCount, totalDebit, totalCredit; sleutels accID, custSupID, periodNumber",
    source = "https://www.softwarepakketten.nl/upload/auditfiles/xaf/20140402_AuditfileFinancieelVersie_3_2.zip",
  },
  years       = { from = 2000 },
  reads       = { "xaf.header", "xaf.ledgerAccount", "xaf.customerSupplier", "xaf.period",
                  "xaf.transactions", "xaf.trLine" },
  args        = { max_meldingen = 25 },  -- individual findings per kind; the rest are summarised
  -- Counted by the host per line, without calling the rule (amntTp is D or
  -- C: the reader refuses a line with any other).
  aggregate   = {
    totalen    = { records = "xaf.trLine", per = { "_file", "amntTp" }, sum = "amnt" },
    rekeningen = { records = "xaf.trLine", per = { "_file", "accID" } },
    relaties   = { records = "xaf.trLine", per = { "_file", "custSupID" }, where = { custSupID = true } },
    perioden   = { records = "xaf.trLine", per = { "_file", "periodNumber" } },
    datums     = { records = "xaf.trLine", per = { "_file", "effDate" }, lines = 5 },
    negatief   = { records = "xaf.trLine", per = { "_file" }, where = { qntity = { prefix = "-" } }, lines = 5 },
    -- debit minus credit per transaction; only an unbalanced one reaches on_boekingen
    boekingen  = { records = "xaf.trLine", runs = { "_file", "jrnID", "trNr" }, sum = "amnt",
                   minus = { amntTp = "C" }, nonzero = true },
  },
}

local format = string.format

-- Per file: defined master data, stated totals, what the lines add up to.
local files = {}      -- _file -> state
local file_order = {} -- first-seen order of files (deterministic output)

local function state(file)
  local s = files[file]
  if not s then
    s = {
      file = file,
      acc = {}, sup = {}, per = {}, nper = 0,
      stated = nil,                    -- {lines=, debit=, credit=, ev=}
      lines = 0, debit = 0, credit = 0,
      start = nil, stop = nil,         -- header dates
      header_ev = nil,
      out_dates = 0, out_first = {},   -- lines outside the year, first few lines
      unknown = { acc = {}, sup = {}, per = {} },  -- id -> {n=, line=}
      unbalanced = {},                 -- {jrn=, tr=, diff=, line=}, first max_meldingen
      nunbalanced = 0,
    }
    files[file] = s
    file_order[#file_order + 1] = file
  end
  return s
end

local max_meldingen

function rule.on_xaf_header(r)
  local s = state(r._file)
  s.start, s.stop = r.startDate, r.endDate
  s.header_ev = rhv.evidence(r, "header")
end

-- An empty required text element reaches a rule as nil (the reader warns):
-- such master data defines nothing, and a line's empty id is the id "".
function rule.on_xaf_ledgerAccount(r)
  if r.accID ~= nil then
    state(r._file).acc[r.accID] = true
  end
end

function rule.on_xaf_customerSupplier(r)
  if r.custSupID ~= nil then
    state(r._file).sup[r.custSupID] = true
  end
end

function rule.on_xaf_period(r)
  local s = state(r._file)
  if not s.per[r.periodNumber] then
    s.per[r.periodNumber] = true
    s.nper = s.nper + 1
  end
end

function rule.on_xaf_transactions(r)
  state(r._file).stated = { lines = r.linesCount, debit = r.totalDebit, credit = r.totalCredit,
                            ev = rhv.evidence(r, "transactions") }
end

-- A transaction whose debit and credit differ (a run of lines of one
-- transaction, counted by the host).
function rule.on_boekingen(t, ctx)
  max_meldingen = max_meldingen or ctx.args.max_meldingen
  local s = state(t._file)
  s.nunbalanced = s.nunbalanced + 1
  if #s.unbalanced < max_meldingen then
    s.unbalanced[#s.unbalanced + 1] = { jrn = t.jrnID or "", tr = t.trNr or "", diff = t._sum, line = t._line }
  end
end

-- The host's groups into each file's state: totals, ids met on lines.
local function note_unknown(tbl, id, g)
  local u = tbl[id]
  if u then
    u.n = u.n + g._n
    u.line = math.min(u.line, g._line)
  else
    tbl[id] = { n = g._n, line = g._line }
  end
end

local function take_groups()
  for _, g in ipairs(rhv.groups("totalen")) do
    local s = state(g._file)
    s.lines = s.lines + g._n
    if g.amntTp == "D" then
      s.debit = s.debit + g._sum
    else
      s.credit = s.credit + g._sum
    end
  end
  for _, g in ipairs(rhv.groups("rekeningen")) do
    local s, id = state(g._file), g.accID or ""
    if not s.acc[id] then
      note_unknown(s.unknown.acc, id, g)
    end
  end
  for _, g in ipairs(rhv.groups("relaties")) do
    local s = state(g._file)
    if not s.sup[g.custSupID] then
      note_unknown(s.unknown.sup, g.custSupID, g)
    end
  end
  for _, g in ipairs(rhv.groups("perioden")) do
    local s, p = state(g._file), g.periodNumber
    if p ~= nil and p ~= 0 and not s.per[p] then
      note_unknown(s.unknown.per, p, g)
    end
  end
end

local function ev(file, line, key)
  return { file = file, line = line, key = key }
end

-- Emit up to max_meldingen findings of one kind, then one summary finding.
local function capped(list, emit_one, summary)
  local n = #list
  for i = 1, math.min(n, max_meldingen) do
    emit_one(list[i])
  end
  if n > max_meldingen then
    summary(n - max_meldingen)
  end
end

local function check_totals(s)
  local st = s.stated
  if not st then
    return
  end
  if st.lines ~= s.lines then
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Transacties: aantal regels",
      message = format("De auditfile vermeldt %d transactieregels (linesCount), er zijn er %d gelezen.",
                       st.lines, s.lines),
      evidence = { st.ev },
    }
  end
  local function total(label, stated, read)
    if stated ~= read then
      rhv.finding{
        kind = "signalering", amount = math.abs(stated - read),
        subject = "Transacties: totaal " .. label,
        message = format("Opgegeven totaal %s %s, som van de regels %s.", label, rhv.format(stated),
                         rhv.format(read)),
        toelichting = format("Verschil %s.", rhv.format(stated - read)),
        evidence = { st.ev },
      }
    end
  end
  total("debet", st.debit, s.debit)
  total("credit", st.credit, s.credit)
end

local function check_unbalanced(s)
  local extra = s.nunbalanced - #s.unbalanced
  for _, u in ipairs(s.unbalanced) do
    local key = "jrnID=" .. u.jrn .. " nr=" .. u.tr
    rhv.finding{
      kind = "signalering", amount = math.abs(u.diff),
      subject = "Boeking " .. u.jrn .. "/" .. u.tr,
      message = format("Boeking %s in dagboek %s is niet in evenwicht: debet min credit is %s.", u.tr, u.jrn,
                       rhv.format(u.diff)),
      evidence = { ev(s.file, u.line, key) },
    }
  end
  if extra > 0 then
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Boekingen niet in evenwicht (overige)",
      message = format("Nog %d boekingen waarin debet en credit niet gelijk zijn (niet afzonderlijk vermeld).",
                       extra),
      evidence = { ev(s.file, 0) },
    }
  end
end

local what = {
  acc = { "Grootboekrekening", "grootboekrekening", "in het grootboek (generalLedger)" },
  sup = { "Relatie", "relatie", "bij de klanten en leveranciers (customersSuppliers)" },
  per = { "Periode", "periode", "bij de perioden (periods)" },
}

local function check_refs(s)
  local defined = { acc = s.acc, sup = s.sup, per = s.per }
  for _, kind in ipairs({ "acc", "sup", "per" }) do
    if not (kind == "per" and s.nper == 0) then
      local missing = {}
      for _, id in ipairs(rhv.sorted_keys(s.unknown[kind])) do
        if not defined[kind][id] then
          missing[#missing + 1] = id
        end
      end
      local w = what[kind]
      capped(missing, function(id)
        local u = s.unknown[kind][id]
        rhv.finding{
          kind = "signalering", amount = 0,
          subject = w[1] .. " " .. tostring(id),
          message = format("De %s %s komt voor op %d transactieregel(s) maar staat niet %s.", w[2], tostring(id),
                           u.n, w[3]),
          evidence = { ev(s.file, u.line, w[2] .. " " .. tostring(id)) },
        }
      end, function(extra)
        rhv.finding{
          kind = "signalering", amount = 0,
          subject = w[1] .. " onbekend (overige)",
          message = format("Nog %d onbekende %s-codes op transactieregels (niet afzonderlijk vermeld).", extra,
                           w[2]),
          evidence = { ev(s.file, 0) },
        }
      end)
    end
  end
end

-- Dates per file from the host's groups, against the header's year: the
-- count, and the first five lines outside it in line order.
local function check_dates(s, dates)
  if not s.start then
    return -- no header: nothing to compare with (the reader already reports a missing header)
  end
  local lines = {}
  for _, g in ipairs(dates) do
    local d = g.effDate
    if d ~= nil and (d < s.start or d > s.stop) then
      s.out_dates = s.out_dates + g._n
      for _, l in ipairs(g._lines) do
        lines[#lines + 1] = l
      end
    end
  end
  table.sort(lines)
  for i = 1, math.min(5, #lines) do
    s.out_first[i] = lines[i]
  end
  if s.out_dates > 0 then
    local evs = { s.header_ev }
    for _, l in ipairs(s.out_first) do
      evs[#evs + 1] = ev(s.file, l, "effDate")
    end
    rhv.finding{
      kind = "signalering", amount = 0,
      subject = "Mutatiedatum buiten boekjaar",
      message = format("%d transactieregel(s) hebben een mutatiedatum (effDate) buiten het boekjaar %s t/m %s.",
                       s.out_dates, s.start, s.stop),
      evidence = evs,
    }
  end
end

local function check_quantities(s, g)
  if not g then
    return
  end
  local evs = {}
  for _, l in ipairs(g._lines) do
    evs[#evs + 1] = ev(s.file, l, "qntity")
  end
  rhv.finding{
    kind = "signalering", amount = 0,
    subject = "Negatieve hoeveelheid",
    message = format("%d transactieregel(s) hebben een negatieve hoeveelheid (qntity); de XAF-standaard "
                     .. "staat alleen niet-negatieve hoeveelheden toe.", g._n),
    evidence = evs,
  }
end

-- The groups of one aggregation per file.
local function by_file(name)
  local t = {}
  for _, g in ipairs(rhv.groups(name)) do
    local l = t[g._file]
    if not l then
      l = {}
      t[g._file] = l
    end
    l[#l + 1] = g
  end
  return t
end

function rule.finish(ctx)
  max_meldingen = max_meldingen or ctx.args.max_meldingen
  take_groups()
  local dates, negative = by_file("datums"), by_file("negatief")
  for _, file in ipairs(file_order) do
    local s = files[file]
    check_totals(s)
    check_unbalanced(s)
    check_refs(s)
    check_dates(s, dates[file] or {})
    check_quantities(s, negative[file] and negative[file][1])
  end
end

return rule
