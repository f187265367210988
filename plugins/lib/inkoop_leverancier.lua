-- inkoop_leverancier: who a supplier is, across the ids a ledger gives it.
--
-- Contract:
-- - new(keep_apart) makes a register; keep_apart is a set of custSupIDs never
--   merged with another (the rule's args.niet_samenvoegen).
-- - reg.add(r) takes one customerSupplier record (custSupID, custSupName,
--   custSupTp, commerceNr, taxRegIdent). Suppliers are merged on KvK number
--   (digits; 12 digits ending 0000 and 7 digits padded to 8), else btw-id
--   (NLnnnnnnnnnBnn), else normalised name (lower case, punctuation and the
--   legal forms b.v., n.v., v.o.f., c.v., holding dropped, at least 3
--   characters), never across two different KvK numbers. The first record of
--   an id gives its name and type.
-- - reg.find(id) is the id's group: the smallest custSupID merged with it (an
--   id never seen is its own group). reg.version() changes whenever a merge
--   changes a group, so a caller can cache by group.
-- - reg.customer[id] is true for a customer (custSupTp C): not a supplier.
-- - reg.label(id) is "id name"; reg.merge_lines(roots) lists every merge into
--   a group in roots ({[root] = true}) as "b samengevoegd met a op basis", in
--   the order the merges happened.
-- Never touches amounts; the same records in the same order give the same groups.

local M = {}

-- KvK: 8 digits. "271376310000" (8 digits + a vestiging suffix of zeros) and
-- 7-digit values (a leading zero lost) are normalised; anything else is no key.
local function norm_kvk(s)
  if not s then return nil end
  local d = s:gsub("%D", "")
  if #d == 12 and d:sub(9) == "0000" then
    d = d:sub(1, 8)
  elseif #d == 7 then
    d = "0" .. d
  end
  if #d ~= 8 or d == "00000000" then
    return nil
  end
  return d
end

local function norm_btw(s)
  if not s then return nil end
  local b = s:upper():gsub("[%s%.%-]", "")
  if not b:match("^NL%d%d%d%d%d%d%d%d%dB%d%d$") or b:match("^NL0+B") then
    return nil
  end
  return b
end

local str_find, str_gsub, str_lower, str_sub = string.find, string.gsub, string.lower, string.sub

-- Punctuation but the dot (legal forms are matched with it) and the white
-- space control characters (tab, newline, \v, \f, \r) become a space, in one
-- pattern pass with this table (a character the pass finds that is not in
-- it, the dot or another control character, stays): afterwards a name's
-- only white space is the space, so a plain find of two spaces tells
-- whether the runs of white space need the pass that makes them one. (The
-- legal-form patterns below match a space where they matched the control
-- character, so the names come out as before.)
local to_space = {}
for c = 0, 255 do
  local ch = string.char(c)
  if (str_find(ch, "%p") and ch ~= ".") or str_find(ch, "%s") then to_space[ch] = " " end
end

-- Legal forms as whole words (b.v., n.v., v.o.f., c.v., holding, in this
-- order), each passed only when the name holds one of the plain texts that
-- any match contains (its first letter, then its second, with or without a
-- dot between): plain finds cost a fraction of a pattern pass, and 3,000 to
-- tens of thousands of suppliers each go through all five.
local function drop_forms(n)
  local dotted, plain = str_find(n, "b.v", 1, true), str_find(n, "bv", 1, true)
  if dotted or plain then
    -- The most common form, "X B.V." or "X BV": when its hint occurs only in
    -- the last word and that word is the form, the pass would remove just that
    -- word (with the space before it): cut it off without the pass.
    local l = #n
    if dotted == l - 4 and not plain and str_find(n, " b.v. ", l - 5, true) then
      n = str_sub(n, 1, l - 6) .. " "
    elseif plain == l - 2 and not dotted and str_find(n, " bv ", l - 3, true) then
      n = str_sub(n, 1, l - 4) .. " "
    else
      n = str_gsub(n, "%sb%.?v%.?%s", " ")
    end
  end
  if str_find(n, "n.v", 1, true) or str_find(n, "nv", 1, true) then n = str_gsub(n, "%sn%.?v%.?%s", " ") end
  if str_find(n, "v.o", 1, true) or str_find(n, "vo", 1, true) then n = str_gsub(n, "%sv%.?o%.?f%.?%s", " ") end
  if str_find(n, "c.v", 1, true) or str_find(n, "cv", 1, true) then n = str_gsub(n, "%sc%.?v%.?%s", " ") end
  if str_find(n, "holding", 1, true) then n = str_gsub(n, "%sholding%s", " ") end
  return n
end

-- Every word the five passes remove (each letter of b.v., n.v., v.o.f. and
-- c.v. with or without its dot, and holding) is a word of the form
-- FORM_WORD captures, so a name without such a word goes through none of
-- them: one pattern find instead of nine plain ones. When the first such
-- word is the last one and a legal form, it is the only word any pass
-- removes, and its pass turns " word " at the end into " ": n up to the
-- space before it.
local FORM_WORD = "%s([bncvh][%.vofldign]*)%s"
local form_word = { holding = true }
local function add_dotted(letters, i, w)
  if i > #letters then
    form_word[w] = true
    return
  end
  local c = str_sub(letters, i, i)
  add_dotted(letters, i + 1, w .. c)
  add_dotted(letters, i + 1, w .. c .. ".")
end
for _, f in ipairs({ "bv", "nv", "vof", "cv" }) do add_dotted(f, 1, "") end

local function norm_name(s)
  if not s then return nil end
  local n = " " .. str_gsub(str_lower(s), "[%c%p]", to_space) .. " "
  local at, last, word = str_find(n, FORM_WORD)
  if at then
    if last == #n and form_word[word] then
      n = str_sub(n, 1, at)
    else
      n = drop_forms(n)
    end
  end
  if str_find(n, ".", 1, true) then n = str_gsub(n, "%.", "") end
  -- n began and ended with a space and still does: after the runs of
  -- spaces become one (if there is a run), sub() drops the first and the
  -- last (as gsub("^ ", "") and gsub(" $", "") would, two passes fewer).
  if str_find(n, "  ", 1, true) then n = str_gsub(n, "%s+", " ") end
  n = str_sub(n, 2, -2)
  if #n < 3 then
    return nil
  end
  return n
end

function M.new(keep_apart)
  local sup_info = {}               -- custSupID -> {name, kvk, tp, norm (the name normalised)}
  local customer = {}               -- custSupID -> true: a customer (custSupTp C), not a supplier
  local parent = {}                 -- custSupID -> custSupID (union-find)
  local merges = {}                 -- list of {a, b, basis}
  local by_kvk, by_btw, by_name = {}, {}, {}
  local merge_version = 0

  local function find(s)
    local p = parent[s]
    if p == nil or p == s then
      return s
    end
    local r = find(p)
    parent[s] = r
    return r
  end

  local function union(a, b, basis)
    if keep_apart[a] or keep_apart[b] then
      return
    end
    local ra, rb = find(a), find(b)
    if ra == rb then
      return
    end
    -- Never across two different KvK numbers: two legal persons stay two.
    local ka, kb = sup_info[ra] and sup_info[ra].kvk, sup_info[rb] and sup_info[rb].kvk
    if basis ~= "KvK" and ka and kb and ka ~= kb then
      return
    end
    if rb < ra then
      ra, rb = rb, ra
    end
    parent[rb] = ra
    if sup_info[rb] and sup_info[rb].kvk and sup_info[ra] and not sup_info[ra].kvk then
      sup_info[ra].kvk = sup_info[rb].kvk
    end
    merges[#merges + 1] = { a = ra, b = rb, basis = basis }
    merge_version = merge_version + 1
  end

  local function add(r)
    local id = r.custSupID
    if id == nil then
      return
    end
    -- (most records have no KvK number or btw-id: no call for those)
    local cnr, tax, raw = r.commerceNr, r.taxRegIdent, r.custSupName
    local info = sup_info[id]
    -- The name normalised once a supplier: each prior ledger repeats its record.
    local name
    if info and info.norm and raw == info.name then name = info.norm else name = norm_name(raw) end
    local kvk, btw = cnr and norm_kvk(cnr), tax and norm_btw(tax)
    if not info then
      -- made with its fields, not grown field by field
      info = { name = raw, tp = r.custSupTp, kvk = kvk, norm = name }
      sup_info[id] = info
    else
      if not info.name then info.name, info.norm = raw, name end
      info.tp = info.tp or r.custSupTp
      info.kvk = info.kvk or kvk
    end
    customer[id] = info.tp == "C" or nil
    if kvk then
      if by_kvk[kvk] then union(by_kvk[kvk], id, "KvK " .. kvk) else by_kvk[kvk] = id end
    end
    if btw then
      if by_btw[btw] then union(by_btw[btw], id, "btw-id " .. btw) else by_btw[btw] = id end
    end
    if name then
      if by_name[name] then union(by_name[name], id, "naam '" .. name .. "'") else by_name[name] = id end
    end
  end

  local function label(id)
    local info = sup_info[id]
    return id .. (info and info.name and (" " .. info.name) or "")
  end

  local function merge_lines(roots)
    local out = {}
    for _, m in ipairs(merges) do
      if roots[find(m.a)] then
        out[#out + 1] = string.format("%s samengevoegd met %s op %s", label(m.b), label(m.a), m.basis)
      end
    end
    return out
  end

  return { add = add, find = find, label = label, merge_lines = merge_lines, customer = customer,
           version = function() return merge_version end }
end

return M
