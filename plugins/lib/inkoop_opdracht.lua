-- inkoop_opdracht: opdrachten from the contract register, and which opdracht
-- a ledger line belongs to (Aw 2012 art. 2.13, 2.14: the opdracht is the unit).
--
-- Contract:
-- - new(suppliers) makes a register; suppliers is an inkoop_leverancier
--   register (find, version): an opdracht's suppliers are matched by group.
-- - reg.add(r) takes one contract record. Contracts sharing an `opdracht` id
--   are one opdracht (else the contract_id is its id). The opdracht keeps: its
--   contracts and their evidence, its suppliers (leverancier and the
--   space-separated leveranciers), the largest raming (waarde + opties) of
--   its contracts, the first soort, the weakest procedure, the earliest begin
--   and raming_datum (default begin), the latest einde and einde_opties
--   (default einde; nil when any contract is open), and raam,
--   zonder_totaalprijs, formeel (any contract) and the first cpv.
-- - reg.ids lists the opdracht ids in register order; reg.by_id[id] is the
--   opdracht; reg.has_refs() tells whether any contract was read.
-- - reg.of(sup) lists the opdrachten of sup's supplier group (nil: none).
-- - reg.attribute(sup, desc, inv, date): the opdracht a line belongs to: a
--   contract or opdracht id as a token of desc or inv, else the opdracht of
--   the supplier whose term (begin to einde_opties) covers the date. Second
--   result "na_einde" when the date is after the opdracht's einde_opties (for
--   the supplier: after the end of its last opdracht). nil: none.
-- - M.proc_rank orders the procedures (enkelvoudig_onderhands 1 .. europees
--   4); M.soort_naam names a soort in Dutch; M.months(a, b) is the term from
--   date a to date b (b after a) in months, a started month counting as one.

local M = {}

M.soort_naam = {
  leveringen_diensten = "leveringen en diensten", leveringen = "leveringen", diensten = "diensten",
  werken = "werken", sociale_diensten = "sociale en andere specifieke diensten",
}
M.proc_rank = { enkelvoudig_onderhands = 1, meervoudig_onderhands = 2, nationaal = 3, europees = 4 }
local proc_rank = M.proc_rank

function M.months(a, b)
  local ya, ma, da = a:match("^(%d+)-(%d+)-(%d+)")
  local yb, mb, db = b:match("^(%d+)-(%d+)-(%d+)")
  local m = (tonumber(yb) - tonumber(ya)) * 12 + tonumber(mb) - tonumber(ma)
  if tonumber(db) >= tonumber(da) then
    m = m + 1
  end
  return m
end

function M.new(suppliers)
  local find = suppliers.find
  local opdr = {}                   -- id -> opdracht
  local opdr_ids = {}               -- in register order
  local by_ref = {}                 -- contract_id or opdracht id -> opdracht id

  local function add(r)
    local oid = r.opdracht or r.contract_id
    local o = opdr[oid]
    if not o then
      o = { id = oid, suppliers = {}, contracts = {}, waarde = 0, opties = 0, ev = {} }
      opdr[oid] = o
      opdr_ids[#opdr_ids + 1] = oid
    end
    o.contracts[#o.contracts + 1] = r.contract_id
    o.ev[#o.ev + 1] = rhv.evidence(r, "contract " .. r.contract_id)
    o.suppliers[#o.suppliers + 1] = r.leverancier
    for s in (r.leveranciers or ""):gmatch("%S+") do
      o.suppliers[#o.suppliers + 1] = s
    end
    -- Contracts of one opdracht state its raming; the largest is taken.
    if r.waarde + (r.opties or 0) > o.waarde + o.opties then
      o.waarde, o.opties = r.waarde, r.opties or 0
    end
    local einde_opties = r.einde_opties or r.einde
    o.soort = o.soort or r.soort
    if not o.procedure or proc_rank[r.procedure] < proc_rank[o.procedure] then
      o.procedure = r.procedure -- the weakest procedure among its contracts
    end
    if not o.begin or r.begin < o.begin then o.begin = r.begin end
    local rd = r.raming_datum or r.begin
    if not o.raming_datum or rd < o.raming_datum then o.raming_datum = rd end
    if o.open or r.einde == nil then o.open, o.einde = true, nil
    elseif not o.einde or r.einde > o.einde then o.einde = r.einde end
    if o.open_opties or einde_opties == nil then o.open_opties, o.einde_opties = true, nil
    elseif not o.einde_opties or einde_opties > o.einde_opties then o.einde_opties = einde_opties end
    o.raam = o.raam or r.raamovereenkomst == true
    o.zonder_totaalprijs = o.zonder_totaalprijs or r.totaalprijs == false
    o.formeel = o.formeel or r.formeel == true
    o.cpv = o.cpv or r.cpv
    by_ref[r.contract_id] = oid
    by_ref[oid] = oid
  end

  -- Opdrachten per supplier root, rebuilt when a merge changed the roots.
  local idx_version, idx = -1, {}
  local function of(sup)
    if idx_version ~= suppliers.version() then
      idx = {}
      for _, oid in ipairs(opdr_ids) do
        local seen = {}
        for _, s in ipairs(opdr[oid].suppliers) do
          local root = find(s)
          if not seen[root] then
            seen[root] = true
            idx[root] = idx[root] or {}
            idx[root][#idx[root] + 1] = opdr[oid]
          end
        end
      end
      idx_version = suppliers.version()
    end
    return idx[find(sup)]
  end

  -- Without any opdracht (no contract register) nothing can be attributed:
  -- return before building the line's text and splitting it into tokens.
  local function attribute(sup, desc, inv, date)
    if next(by_ref) == nil then
      return nil
    end
    do
      local text = (desc or "") .. " " .. (inv or "")
      for tok in text:gmatch("[%w][%w%-%./_]*[%w]") do
        local oid = by_ref[tok]
        if oid then
          local o = opdr[oid]
          if o.einde_opties and date > o.einde_opties then
            return o, "na_einde"
          end
          return o
        end
      end
    end
    if not sup then
      return nil
    end
    local list = of(sup)
    if not list then
      return nil
    end
    local last
    for _, o in ipairs(list) do
      if o.begin <= date and (o.einde_opties == nil or date <= o.einde_opties) then
        return o
      end
      if o.einde_opties and date > o.einde_opties and (last == nil or o.einde_opties > last.einde_opties) then
        last = o
      end
    end
    if last then
      return last, "na_einde"
    end
    return nil
  end

  return { add = add, of = of, attribute = attribute, ids = opdr_ids, by_id = opdr,
           has_refs = function() return next(by_ref) ~= nil end }
end

return M
