-- inkoop_bewijs: spend totals per bucket (an opdracht, a supplier, a
-- category, a reason) with the transactions behind them as evidence, in
-- little memory.
--
-- Contract:
-- - new(max_bewijs) makes a store; at most max_bewijs evidence entries are
--   kept per bucket, the rest counted.
-- - store.bucket(tbl, key) is tbl[key], made when absent: { own (the fiscal
--   year's cents), total (all years read), years = {year -> cents}, more
--   (entries not kept) }.
-- - store.book(b, t, amt, own, line, sup) adds a line's amount (cents) to b;
--   t is its transaction ({serial, year, file, jrnID, trNr}). Only own lines
--   (fiscal year) are evidence; the lines of one transaction in one bucket
--   make one entry: line (of the first), summed amount, where (file, journal,
--   supplier). store.pack(t) closes the entries of transaction t: call it
--   once after booking all its lines.
-- - store.each_entry(b, f) calls f(file, line, key, amount) per kept entry,
--   in booking order; key is "custSupID S, jrnID J, trNr N" (no custSupID
--   part without a supplier).
-- - store.evidence(ev, buckets, amount) appends the non-zero entries of the
--   buckets to ev (at most max_bewijs + 16 in ev) and returns the finding's
--   evidence_omitted: {count, amount = amount - the listed amounts}.
-- - M.years_text(years) lists a bucket's years ("2023: € 1,00; 2024: ...");
--   M.first_year(years) is the first with a non-zero amount (nil: none).
--
-- Memory: entries are packed (string.pack EV_FMT: line, amount, where,
-- trNr) into one string per EV_BATCH entries, so that 3,000 suppliers x 100
-- entries take a few MiB, not a table and a text each; the text of a key is
-- made only for the findings. An entry waits in the bucket's batch (a flat
-- list, four values an entry) until EV_BATCH are there: one string.pack per
-- batch, not per entry (a transaction closes an entry, so this is per
-- transaction work). `where` numbers the (file, journal, supplier) an entry
-- is of (bounded by journals and suppliers, not by lines).

local M = {}

local concat, str_pack, unpack = table.concat, string.pack, table.unpack
local EV_FMT, EV_BATCH = "<jji4s4", 32
local BATCH_FMT = "<" .. EV_FMT:sub(2):rep(EV_BATCH) -- a full batch in one string.pack

-- "2023: € 1,00; 2024: € 2,00" for a bucket's years.
function M.years_text(years)
  local parts = {}
  for _, y in ipairs(rhv.sorted_keys(years)) do
    parts[#parts + 1] = string.format("%d: %s", y, rhv.format(years[y]))
  end
  return concat(parts, "; ")
end

-- The first year with a non-zero amount, or nil.
function M.first_year(years)
  local first
  for y, a in pairs(years) do
    if a ~= 0 and (first == nil or y < first) then first = y end
  end
  return first
end

function M.new(max_bewijs)
  local where_of, where_list = {}, {} -- file -> jrnID -> supplier (false: none) -> n; n -> {file, prefix}

  local function where(file, jrn, sup)
    local by_jrn = where_of[file or false]
    if not by_jrn then
      by_jrn = {}
      where_of[file or false] = by_jrn
    end
    local by_sup = by_jrn[jrn]
    if not by_sup then
      by_sup = {}
      by_jrn[jrn] = by_sup
    end
    local k = sup or false
    local n = by_sup[k]
    if not n then
      n = #where_list + 1
      where_list[n] = { file = file, prefix = (sup and ("custSupID " .. sup .. ", ") or "") .. "jrnID " .. jrn
                                               .. ", trNr " }
      by_sup[k] = n
    end
    return n
  end

  local function bucket(tbl, key)
    local b = tbl[key]
    if not b then
      b = { own = 0, total = 0, years = {}, nev = 0, blob = "", batch = {}, nbatch = 0, more = 0, cur_t = nil,
            cur = false, cur_line = 0, cur_amt = 0, cur_where = 0 }
      tbl[key] = b
    end
    return b
  end

  -- The buckets whose evidence entry for the transaction being processed is
  -- open: packed when the transaction is done (its lines add to one entry).
  local touched, ntouched = {}, 0

  local function book(b, t, amt, own, line, sup)
    b.total = b.total + amt
    local years, y = b.years, t.year
    years[y] = (years[y] or 0) + amt
    if own then
      b.own = b.own + amt
      local serial = t.serial
      if b.cur_t == serial then
        -- a further line of t in b: its entry (if kept) takes the amount too
        if b.cur then
          b.cur_amt = b.cur_amt + amt
        end
      elseif b.nev < max_bewijs then
        b.cur_t, b.nev, b.cur, b.cur_line, b.cur_amt = serial, b.nev + 1, true, line, amt
        b.cur_where = where(t.file, t.jrnID, sup)
        ntouched = ntouched + 1
        touched[ntouched] = b
      else
        b.cur_t, b.cur, b.more = serial, false, b.more + 1
      end
    end
  end

  local function pack(t)
    local trnr = t.trNr
    for k = 1, ntouched do
      local b = touched[k]
      local batch, nb = b.batch, b.nbatch
      local at = nb * 4
      batch[at + 1], batch[at + 2], batch[at + 3], batch[at + 4] = b.cur_line, b.cur_amt, b.cur_where, trnr
      if nb + 1 == EV_BATCH then
        b.blob = b.blob .. str_pack(BATCH_FMT, unpack(batch, 1, 4 * EV_BATCH))
        nb = -1
      end
      b.nbatch = nb + 1
      b.cur = false
      touched[k] = nil
    end
    ntouched = 0
  end

  local function each_entry(b, f)
    local nb = b.nbatch
    local blob = nb > 0 and (b.blob .. str_pack("<" .. EV_FMT:sub(2):rep(nb), unpack(b.batch, 1, 4 * nb))) or b.blob
    local pos = 1
    while pos <= #blob do
      local line, amt, w, trnr
      line, amt, w, trnr, pos = string.unpack(EV_FMT, blob, pos)
      local wh = where_list[w]
      f(wh.file, line, wh.prefix .. trnr, amt)
    end
  end

  local function evidence(ev, buckets, amount)
    local listed, more = 0, 0
    for _, b in ipairs(buckets) do
      each_entry(b, function(file, at_line, key, amt)
        if amt ~= 0 and #ev < max_bewijs + 16 then
          ev[#ev + 1] = { file = file, line = at_line, key = key, amount = amt }
          listed = listed + amt
        elseif amt ~= 0 then
          more = more + 1
        end
      end)
      more = more + b.more
    end
    return { count = more, amount = amount - listed }
  end

  return { bucket = bucket, book = book, pack = pack, each_entry = each_entry, evidence = evidence }
end

return M
