-- rhv.lua - the helper library every rule sees as the global `rhv`
-- (docs/rule-api.md). The engine loads it into each rule's own Lua state before
-- the rule, passing the C functions as the chunk's argument, and seals the
-- globals afterwards. Library functions are captured as locals here so that a
-- rule that overwrites string.format or table.sort cannot change what rhv does.
local C = ...

local error, type, tostring, setmetatable, next, rawget = error, type, tostring, setmetatable, next, rawget
local math_type, sort = math.type, table.sort

local rhv = {}

rhv.finding = C.finding       -- validates and copies the finding into the host
rhv.format = C.format         -- 123456 -> "€ 1.234,56"
rhv.plain = C.plain           -- 123456 -> "1234.56"
rhv.cents = C.cents           -- "1.234,56" / "1234.56" -> 123456
rhv.round_div = C.round_div   -- a / b rounded half away from zero
rhv.pct = C.pct               -- part, whole [, decimals] -> "12,35%"
rhv.scaled = C.scaled         -- 8462, 2 [, decimals] -> "84,62"
rhv.log = C.log               -- a line on the host's log
rhv.groups = C.groups         -- the groups of a declared aggregation (rule field aggregate)
rhv.skip = C.skip             -- rhv.skip(name, value, on): a seen aggregation leaves out runs with that value
rhv.keyset = C.keyset         -- compact set of string keys: s:add(key, int) -> nil | first int; s:count()
rhv.evidence_lists = C.evidence_lists -- capped evidence lists per bucket: ls.new(), ls.add(...), ls.entries(id)

-- Typed rule arguments (docs/rule-api.md, Arguments): in a rule's `args`
-- table, rhv.arg.amount(cents) is an amount, written in euros ("125000.00")
-- in a dossier's <regelargument> and on the command line, and integer cents
-- in ctx.args; rhv.arg.list{ "a", "b" } is a list of strings, written
-- "a,b", and a list in ctx.args. The host reads the tag when the rule loads.
rhv.arg = {
  amount = function(cents)
    if math.type(cents) ~= "integer" then error("rhv.arg.amount: the default must be integer cents", 2) end
    return { _arg = "amount", default = cents }
  end,
  list = function(items)
    if type(items) ~= "table" then error("rhv.arg.list: the default must be a list of strings", 2) end
    for i, v in ipairs(items) do
      if type(v) ~= "string" or v:find(",", 1, true) or not v:match("%S") then
        error("rhv.arg.list: item " .. i .. " must be a non-blank string without a comma", 2)
      end
    end
    return { _arg = "list", default = table.concat(items, ",") }
  end,
}

--- Evidence pointing at the record `r` (a fresh table: records are reused).
function rhv.evidence(r, key)
  if type(r) ~= "table" then
    error("rhv.evidence: expects a record table, got " .. type(r), 2)
  end
  if key ~= nil and type(key) ~= "string" then
    error("rhv.evidence: key must be a string, got " .. type(key), 2)
  end
  return { file = r._file, line = r._line, key = key }
end

-- Integers and floats first (by value), then strings (byte order); other keys
-- have no stable order and are refused.
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    return ta == "number"
  end
  return a < b
end

--- The keys of t in a fixed order. pairs() visits keys in an order that
--- differs between runs (string hashes are seeded per state), so a rule that
--- emits findings or builds text from a pairs() loop must sort first.
function rhv.sorted_keys(t)
  local keys, n = {}, 0
  for k in next, t do
    local tk = type(k)
    if tk ~= "number" and tk ~= "string" then
      error("rhv.sorted_keys: cannot order a key of type " .. tk, 2)
    end
    n = n + 1
    keys[n] = k
  end
  sort(keys, key_less)
  return keys
end

--- Like pairs(t), in the order of rhv.sorted_keys(t).
function rhv.sorted_pairs(t)
  local keys = rhv.sorted_keys(t)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then
      return k, t[k]
    end
  end
end

--- Integer sum of a list of integers; errors on a float (amounts are exact).
function rhv.sum(list)
  local s = 0
  for i = 1, #list do
    local v = list[i]
    if math_type(v) ~= "integer" then
      error("rhv.sum: element " .. i .. " is not an integer", 2)
    end
    s = s + v
  end
  return s
end

--- The organisation's Kadernota categories (begrotingscategorie records) and
--- whether an overschrijding in one counts. Shared by the begroting.* rules so
--- they weigh alike: no category, or one the verordening does not declare,
--- counts; only a declared telt_mee = false makes it acceptabel.
---   local cats = rhv.categorieen()
---   rule.on_begrotingscategorie = cats.add
---   local counts, why = cats.weging(r.categorie)   -- boolean, Dutch sentence
function rhv.categorieen()
  local telt_mee = {}
  local c = {}
  function c.add(r)
    telt_mee[r.categorie] = r.telt_mee
  end
  function c.weging(categorie)
    if categorie == nil then
      return true, "Geen begrotingscategorie opgegeven: telt mee."
    end
    local telt = telt_mee[categorie]
    if telt == nil then
      return true, "Categorie '" .. categorie .. "' is niet vastgesteld in de verordening: telt mee."
    elseif telt then
      return true, "Categorie '" .. categorie .. "' telt volgens de verordening mee."
    end
    return false, "Categorie '" .. categorie .. "' is volgens de verordening acceptabel: telt niet mee."
  end
  return c
end

--- Realisatie above budget, for the begroting.* rules: each record whose
--- realisatie exceeds its budget is kept, and finish emits one fout of the
--- excess for it, weighed by the verordening's Kadernota categories
--- (rhv.categorieen). `describe(x)` gives the finding's subject, message and
--- the calculation that opens the toelichting; x has code, naam, begroot,
--- realisatie, over (the excess), pct (" (12,35%)": the excess as a share of
--- the budget, "" for a budget of 0) and soort (check's fifth argument).
---   local boven = rhv.overschrijdingen(describe)
---   rule.on_begrotingscategorie = boven.categorie
---   function rule.on_krediet(r) boven.check(r, r.budget, r.realisatie, "krediet " .. r.code) end
---   rule.finish = boven.finish
function rhv.overschrijdingen(describe)
  if type(describe) ~= "function" then
    error("rhv.overschrijdingen: expects a function (x) -> subject, message, berekening, got " .. type(describe), 2)
  end
  local cats = rhv.categorieen()
  local kept = {}
  local b = { categorie = cats.add }
  --- Keep r when realisatie > begroot; `key` names it in the evidence.
  function b.check(r, begroot, realisatie, key, soort)
    if realisatie > begroot then
      kept[#kept + 1] = {
        code = r.code, naam = r.naam, soort = soort, begroot = begroot, realisatie = realisatie,
        over = realisatie - begroot, categorie = r.categorie, toelichting = r.toelichting,
        pct = begroot > 0 and " (" .. C.pct(realisatie - begroot, begroot) .. ")" or "",
        -- The finding's key: one record can exceed on two soorten (a
        -- reserve's toevoeging and onttrekking), two findings, two names.
        ev = rhv.evidence(r, key), key = soort and (key .. " " .. soort) or key,
      }
    end
  end
  function b.finish()
    for i = 1, #kept do
      local x = kept[i]
      local counts, reden = cats.weging(x.categorie)
      local subject, message, berekening = describe(x)
      local toel = berekening .. " " .. reden
      if x.toelichting then
        toel = toel .. " Toelichting: " .. x.toelichting
      end
      rhv.finding{
        kind = "fout", amount = x.over, subject = subject, message = message, toelichting = toel,
        counts = counts, evidence = { x.ev }, key = x.key,
      }
    end
  end
  return b
end

--- XAF ledger lines grouped into transactions, each line attributed to the
--- customer or supplier (custSupID) its transaction names. Packages put the
--- relation on the payable or receivable line only, not on the cost or
--- revenue line: a rule that reads custSupID from a cost line finds nothing,
--- so it asks the transaction instead.
---   local tx = rhv.transactions(function(t)   -- once per transaction, when it is complete
---     for i = 1, t.n do                       -- its kept lines, in order
---       local sup = t.custSupID(i)            -- nil: the transaction names none, or several
---     end                                     -- also t.jrnID, t.trNr, t.file
---   end)
---   function rule.on_xaf_trLine(r)
---     local i = tx.line(r, keep)              -- keep: a line of yours; i its index, else nil
---     if i then amounts[i] = r.amnt end       -- your per-line data, by index (arrays reused)
---   end
---   function rule.finish() tx.close() end     -- the last transaction
--- Kept line i is attributed to its own custSupID, else to the one custSupID
--- the other lines of its transaction name; when they name several (a payment
--- batch, a memo booking) a line without its own is not attributed.
--- A transaction is a run of consecutive lines passed in with the same _file,
--- jrnID and trNr (the lines of one transaction are contiguous in XAF). Pass
--- every line: one that names no relation and is not kept costs a single
--- field read (custSupID) and changes nothing, so leaving such lines out is
--- the same; leaving out a line that names a relation loses its attribution.
function rhv.transactions(close)
  if type(close) ~= "function" then
    error("rhv.transactions: expects a function (t) called per transaction, got " .. type(close), 2)
  end
  local own = {}              -- kept line -> its own custSupID or false
  local n, first, several = 0, nil, false
  local cur_jrn, cur_tr, cur_file   -- the open transaction's key (upvalues: read on every line)
  local t = { n = 0 }
  function t.custSupID(i)
    local sup = own[i]
    if sup then
      return sup
    end
    if several then
      return nil
    end
    return first
  end
  function t.close()
    if cur_tr ~= nil then
      t.n = n
      close(t)
    end
    n, first, several, cur_jrn, cur_tr, cur_file = 0, nil, false, nil, nil, nil
    t.n, t.jrnID, t.trNr, t.file = 0, nil, nil, nil
  end
  function t.line(r, keep)
    local sup = r.custSupID
    if sup == nil and not keep then
      return nil
    end
    local jrn, tr, file = r.jrnID or "", r.trNr or "", r._file  -- nil only for an empty required element
    if tr ~= cur_tr or jrn ~= cur_jrn or file ~= cur_file then
      t.close()
      cur_jrn, cur_tr, cur_file = jrn, tr, file
      t.jrnID, t.trNr, t.file = jrn, tr, file
    end
    if sup ~= nil then
      if first == nil then
        first = sup
      elseif sup ~= first then
        several = true
      end
    end
    if keep then
      n = n + 1
      own[n] = sup or false
      return n
    end
    return nil
  end
  return t
end

-- Read-only view of a host-built table (ctx and what it holds). Nested tables
-- are wrapped first. With `what`, reading a missing key is an error that
-- names it, so a typo in ctx.args.x or ctx.params.x is caught at once.
local proxies = setmetatable({}, { __mode = "k" })

local function readonly(t, what)
  for k, v in next, t do
    if type(v) == "table" and not proxies[v] then
      t[k] = readonly(v, nil)
    end
  end
  local index = t
  if what then
    index = function(_, k)
      local v = rawget(t, k)
      if v == nil then
        error(what .. ": no field '" .. tostring(k) .. "'", 2)
      end
      return v
    end
  end
  local proxy = setmetatable({}, {
    __index = index,
    __newindex = function(_, k)
      error((what or "this table") .. " is read-only (tried to set '" .. tostring(k) .. "')", 2)
    end,
    __pairs = function()
      return next, t, nil
    end,
    __len = function()
      return #t
    end,
    __metatable = false,
  })
  proxies[proxy] = true
  return proxy
end

-- Only for the host: not reachable from rules.
local host = { readonly = readonly }

return rhv, host
