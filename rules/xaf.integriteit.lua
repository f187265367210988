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
-- Memory stays bounded by the master data, never by the number of lines:
-- the lines of one transaction are contiguous, so one running balance
-- suffices; an unknown reference is remembered once per distinct id; dates
-- are compared as they come once the header is known.
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
}

local format, byte = string.format, string.byte

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
      pending_dates = {},              -- date -> {n=, line=} while the header is unknown
      out_dates = 0, out_first = {},   -- lines outside the year, first few lines
      neg_qty = 0, neg_first = {},     -- lines with a negative qntity, first few lines
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
local g_jrn, g_tr, g_sum, g_line, g_state = nil, nil, 0, 0, nil  -- the open transaction

-- The file of the last line, with its tables and running sums in locals: the
-- per-line path touches no state table (sums are written back by flush()).
local cur_name, cur
local c_acc, c_sup, c_per, u_acc, u_sup, u_per, c_start, c_stop
local c_lines, c_debit, c_credit = 0, 0, 0

local function flush()
  if cur then
    cur.lines, cur.debit, cur.credit = c_lines, c_debit, c_credit
  end
end

local function switch(file)
  flush()
  local s = state(file)
  cur_name, cur = file, s
  c_acc, c_sup, c_per = s.acc, s.sup, s.per
  u_acc, u_sup, u_per = s.unknown.acc, s.unknown.sup, s.unknown.per
  c_start, c_stop = s.start, s.stop
  c_lines, c_debit, c_credit = s.lines, s.debit, s.credit
end

local function close_tx()
  if g_tr ~= nil and g_sum ~= 0 then
    local s = g_state
    s.nunbalanced = s.nunbalanced + 1
    if #s.unbalanced < max_meldingen then
      s.unbalanced[#s.unbalanced + 1] = { jrn = g_jrn, tr = g_tr, diff = g_sum, line = g_line }
    end
  end
  g_jrn, g_tr, g_sum = nil, nil, 0
end

function rule.on_xaf_header(r)
  local s = state(r._file)
  s.start, s.stop = r.startDate, r.endDate
  s.header_ev = rhv.evidence(r, "header")
  if s == cur then
    c_start, c_stop = s.start, s.stop
  end
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

local function note_unknown(tbl, id, line)
  local u = tbl[id]
  if u then
    u.n = u.n + 1
  else
    tbl[id] = { n = 1, line = line }
  end
end

function rule.on_xaf_trLine(r, ctx)
  if r._file ~= cur_name then
    max_meldingen = max_meldingen or ctx.args.max_meldingen
    switch(r._file)
  end
  local line = r._line

  -- 2. balance per transaction (contiguous lines)
  local jrn, tr = r.jrnID or "", r.trNr or ""
  if tr ~= g_tr or jrn ~= g_jrn or cur ~= g_state then
    close_tx()
    g_jrn, g_tr, g_line, g_state = jrn, tr, line, cur
  end
  local amnt = r.amnt
  if r.amntTp == "D" then
    c_debit = c_debit + amnt
    g_sum = g_sum + amnt
  else
    c_credit = c_credit + amnt
    g_sum = g_sum - amnt
  end
  c_lines = c_lines + 1

  -- 3. references; an id unknown now may still be defined later in the file
  local acc = r.accID or ""
  if not c_acc[acc] then
    note_unknown(u_acc, acc, line)
  end
  local sup = r.custSupID
  if sup ~= nil and not c_sup[sup] then
    note_unknown(u_sup, sup, line)
  end
  local p = r.periodNumber
  if p ~= 0 and not c_per[p] then
    note_unknown(u_per, p, line)
  end

  -- 5. quantity not negative (a string as written: look at its sign)
  local q = r.qntity
  if q ~= nil and byte(q) == 45 then
    local s = cur
    s.neg_qty = s.neg_qty + 1
    if #s.neg_first < 5 then
      s.neg_first[#s.neg_first + 1] = line
    end
  end

  -- 4. effDate within the fiscal year
  local d = r.effDate
  if c_start then
    if d < c_start or d > c_stop then
      local s = cur
      s.out_dates = s.out_dates + 1
      if #s.out_first < 5 then
        s.out_first[#s.out_first + 1] = line
      end
    end
  else
    local pd = cur.pending_dates[d]
    if pd then
      pd.n = pd.n + 1
    else
      cur.pending_dates[d] = { n = 1, line = line }
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

local function check_dates(s)
  if not s.start then
    return -- no header: nothing to compare with (the reader already reports a missing header)
  end
  for _, d in ipairs(rhv.sorted_keys(s.pending_dates)) do
    if d < s.start or d > s.stop then
      local pd = s.pending_dates[d]
      s.out_dates = s.out_dates + pd.n
      if #s.out_first < 5 then
        s.out_first[#s.out_first + 1] = pd.line
      end
    end
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

local function check_quantities(s)
  if s.neg_qty == 0 then
    return
  end
  local evs = {}
  for _, l in ipairs(s.neg_first) do
    evs[#evs + 1] = ev(s.file, l, "qntity")
  end
  rhv.finding{
    kind = "signalering", amount = 0,
    subject = "Negatieve hoeveelheid",
    message = format("%d transactieregel(s) hebben een negatieve hoeveelheid (qntity); de XAF-standaard "
                     .. "staat alleen niet-negatieve hoeveelheden toe.", s.neg_qty),
    evidence = evs,
  }
end

function rule.finish(ctx)
  max_meldingen = max_meldingen or ctx.args.max_meldingen
  close_tx()
  flush()
  for _, file in ipairs(file_order) do
    local s = files[file]
    check_totals(s)
    check_unbalanced(s)
    check_refs(s)
    check_dates(s)
    check_quantities(s)
  end
end

return rule
