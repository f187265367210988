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

-- Legal forms as whole words, each with the plain texts one of which any
-- match contains (its first letter, then a dot or its second letter): a
-- plain find of those spares the pattern pass for the forms a name cannot
-- hold (3,000 suppliers each pass them all; a pattern pass costs several
-- plain finds).
local legal_forms = {}
for i, f in ipairs({ { "b%.?v%.?", "b.", "bv" }, { "n%.?v%.?", "n.", "nv" }, { "v%.?o%.?f%.?", "v.", "vo" },
                     { "c%.?v%.?", "c.", "cv" }, { "holding", "holding" } }) do
  legal_forms[i] = { pattern = "%s" .. f[1] .. "%s", hint1 = f[2], hint2 = f[3] }
end
local function norm_name(s)
  if not s then return nil end
  -- punctuation but the dot (legal forms are matched with it) becomes a space
  local n = " " .. s:lower():gsub("[^%P%.]", " ") .. " "
  for _, f in ipairs(legal_forms) do
    if n:find(f.hint1, 1, true) or (f.hint2 and n:find(f.hint2, 1, true)) then
      n = n:gsub(f.pattern, " ")
    end
  end
  if n:find(".", 1, true) then
    n = n:gsub("%.", "")
  end
  -- n began and ended with a space and still does: after the runs of
  -- white space become one space, sub() drops the first and the last (as
  -- gsub("^ ", "") and gsub(" $", "") would, two pattern passes fewer a name).
  n = n:gsub("%s+", " "):sub(2, -2)
  if #n < 3 then
    return nil
  end
  return n
end

function M.new(keep_apart)
  local sup_info = {}               -- custSupID -> {name, kvk, tp}
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
    local info = sup_info[id]
    if not info then
      info = {}
      sup_info[id] = info
    end
    info.name = info.name or r.custSupName
    info.tp = info.tp or r.custSupTp
    customer[id] = info.tp == "C" or nil
    local kvk, btw, name = norm_kvk(r.commerceNr), norm_btw(r.taxRegIdent), norm_name(r.custSupName)
    info.kvk = info.kvk or kvk
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
