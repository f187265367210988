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
--   supplier). Book a transaction's lines one after the other: its entries
--   close when another transaction books (t.serial differs).
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
-- made only for the findings. An entry is written into the bucket's batch (a
-- flat list, four values an entry; its amount grows while the transaction's
-- lines come) and the batch is packed when it is full and another entry
-- comes: one string.pack per EV_BATCH entries, nothing more per transaction.
-- A waiting entry holds four slots and its trNr text, more than a packed
-- one: EV_BATCH 16 (not more) keeps the peak below that of an entry packed
-- at once (1M ledger lines, 3,000 suppliers: 27.5 MB against 29.4 MB RSS).
-- `where` numbers the (file, journal, supplier) an entry is of (bounded by
-- journals and suppliers, not by lines).

local M = {}

local concat, str_pack, unpack = table.concat, string.pack, table.unpack
local EV_FMT, EV_BATCH = "<jji4s4", 16
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

-- A new batch, made with room for 16 slots (four entries) rather than
-- growing slot by slot from none; a batch of three or more entries takes
-- that much anyway.
local function new_batch()
  return { nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil }
end

function M.new(max_bewijs)
  local where_of, where_list = {}, {} -- file -> jrnID -> supplier (false: none) -> n; n -> {file, prefix}

  -- supplier (false: none) -> n for a file and journal
  local function by_sup_of(file, jrn)
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
    return by_sup
  end
  local w_file, w_jrn, w_by_sup -- the last entry's file and journal, and by_sup_of() them

  local function where(file, jrn, sup)
    local by_sup = by_sup_of(file, jrn)
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
      -- nev: entries kept, the last (nev - 1) % EV_BATCH + 1 of them in
      -- batch; cur_t: the serial of the last transaction booked, negated when
      -- its entry was not kept (max_bewijs reached)
      b = { own = 0, total = 0, years = {}, nev = 0, blob = "", batch = new_batch(), more = 0, cur_t = nil }
      tbl[key] = b
    end
    return b
  end

  local function book(b, t, amt, own, line, sup)
    b.total = b.total + amt
    local years, y = b.years, t.year
    years[y] = (years[y] or 0) + amt
    if own then
      b.own = b.own + amt
      local serial, cur_t, nev = t.serial, b.cur_t, b.nev
      if cur_t == serial then
        -- a further line of t in b: its entry, the last one, takes the amount too
        local batch, at = b.batch, (nev - 1) % EV_BATCH * 4 + 2
        batch[at] = batch[at] + amt
      elseif cur_t == -serial then
        return -- a further line of t in b, whose entry was not kept
      elseif nev < max_bewijs then
        local batch, nb = b.batch, nev % EV_BATCH
        if nb == 0 and nev > 0 then
          -- packed; a new list, so that a bucket holds no more than its last batch's slots
          b.blob = b.blob .. str_pack(BATCH_FMT, unpack(batch, 1, 4 * EV_BATCH))
          batch = new_batch()
          b.batch = batch
        end
        local at = nb * 4
        -- where(), without the call and two of its lookups while the file and journal stay those of
        -- the last entry (a ledger's transactions come journal by journal)
        local file, jrn = t.file, t.jrnID
        if file ~= w_file or jrn ~= w_jrn or not w_by_sup then
          w_file, w_jrn = file, jrn
          w_by_sup = by_sup_of(file, jrn)
        end
        batch[at + 1], batch[at + 2], batch[at + 3], batch[at + 4] = line, amt,
          w_by_sup[sup or false] or where(file, jrn, sup), t.trNr
        b.cur_t, b.nev = serial, nev + 1
      else
        b.cur_t, b.more = -serial, b.more + 1
      end
    end
  end

  local function each_entry(b, f)
    local nev = b.nev
    local nb = nev == 0 and 0 or (nev - 1) % EV_BATCH + 1
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

  return { bucket = bucket, book = book, each_entry = each_entry, evidence = evidence }
end

return M
