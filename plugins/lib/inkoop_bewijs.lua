-- inkoop_bewijs: spend totals per bucket (an opdracht, a supplier, a
-- category, a reason) with the transactions behind them as evidence, in
-- little memory.
--
-- Contract:
-- - new(max_bewijs) makes a store; at most max_bewijs evidence entries are
--   kept per bucket, the rest counted.
-- - store.bucket(tbl, key) is tbl[key], made when absent: { own (the fiscal
--   year's cents), total (all years read), years = {year -> cents}, more
--   (entries not kept), id (its evidence list) }.
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
-- Memory: the entries are kept in C, in one rhv.evidence_lists per store
-- (a list per bucket, docs/rule-api.md): about 12 bytes plus the trNr's
-- length an entry, so that 3,000 suppliers x 100 entries take a few MiB, and
-- one C call per booked own line, no table, string or string.pack; the text
-- of a key is made only for the findings. The (file, journal, supplier) an
-- entry is of is kept once per distinct one (bounded by journals and
-- suppliers, not by lines). A bucket's own, total and years stay in Lua:
-- cheaper there than a call.

local M = {}

local concat = table.concat

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
  local lists = rhv.evidence_lists(max_bewijs)
  local new_list, add, entries, count = lists.new, lists.add, lists.entries, lists.count

  -- The key of an entry: "custSupID S, jrnID J, trNr N" (no custSupID part without a supplier).
  local function key_of(trnr, jrn, sup)
    return (sup and ("custSupID " .. sup .. ", ") or "") .. "jrnID " .. jrn .. ", trNr " .. trnr
  end

  -- b.more (the transactions not kept) is asked of the list, when read.
  local bucket_mt = { __index = function(b, k)
    if k == "more" then
      local _, omitted = count(b.id)
      return omitted
    end
  end }

  local function bucket(tbl, key)
    local b = tbl[key]
    if not b then
      b = setmetatable({ own = 0, total = 0, years = {}, id = new_list() }, bucket_mt)
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
      add(b.id, t.serial, line, amt, t.trNr, t.file, t.jrnID, sup)
    end
  end

  local function each_entry(b, f)
    for line, amt, trnr, file, jrn, sup in entries(b.id) do
      f(file, line, key_of(trnr, jrn, sup), amt)
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
