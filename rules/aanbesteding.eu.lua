-- aanbesteding.eu: European procurement as auditors check it: per opdracht,
-- over the contract term, on all spend that is procurement.
-- Method and examples: docs/procurement.md. Law: Aanbestedingswet 2012
-- (BWBR0032203, text in force 01-09-2025), cited per article below; notes in
-- shared/domain/procurement.md ([V] primary, [S] secondary, [U] inference).
--
-- 1. Spend that is procurement. Purchase transactions are those of a
--    purchase journal (jrnTp P) or any other journal whose lines name a
--    supplier (custSupID not of a customer, custSupTp C); sales journals (S)
--    are not. Their lines count on P *and* B accounts (investments are booked
--    on balance accounts, procurement.md section 5), less the legs that are
--    not spend: the creditor leg (a B/M line that names the supplier, or on
--    an account that did so before; failing both, the transaction's largest
--    B/M line: an invoice's gross amount balances all its other lines), the
--    btw leg (an account of a vatCode, vatToClaimAccID/vatToPayAccID) and in
--    bank or cash journals (jrnTp B, C) every B/M line the dossier does not
--    map to a procurement category (the bank leg). Lines on accounts the
--    dossier maps to category `tussenrekening` are legs too. Spend that is not
--    procurement is excluded with its legal reason, never silently: by
--    account category (dossier <inkooprekening>, default map
--    params/inkoop_categorieen, Aw art. 2.24 a-i, 2.24a-c) or by supplier
--    (<uitsluiting>). Each reason is a signalering with its amount.
-- 2. The opdracht is the unit (art. 2.13, 2.14). Contracts sharing an
--    `opdracht` id are one opdracht. A line is attributed to an opdracht by a
--    contract or opdracht id in its description or invRef, else by supplier and
--    date (the opdracht of the supplier whose term covers the date; after the
--    end of the supplier's last opdracht: spend after the end). Spend is
--    pooled over every ledger of the run (art. 2.15a). The opdracht's value is
--    the larger of its raming (waarde + opties, art. 2.15 lid 2) and the spend
--    over its term in all years read; services without a total price that run
--    indefinitely or longer than 48 months take 48 x the monthly amount (art.
--    2.17 sub e; the monthly amount: the highest year's spend / 12). The
--    threshold is the one in force on the date of the raming (art. 2.15 lid 1;
--    params/eu_drempels._periods). Value >= threshold without procedure
--    europees: a fout of the fiscal year's spend on it. Its own findings:
--    a raamovereenkomst above the threshold running beyond four years (art.
--    2.140 lid 3), spend after the end of an opdracht above the threshold,
--    growth beyond the margins of art. 2.163b (10% leveringen/diensten, 15%
--    werken, and below the threshold). A supplier without any opdracht whose
--    spend over the years read reaches the threshold is an onzekerheid (is there
--    an opdracht?); spend of a supplier with opdrachten that none covers, and
--    category totals without opdracht, are signaleringen.
-- 3. Over several years: prior ledgers (<ledger boekjaar=..>) reach the rule
--    as xaf.prior.*; only the fiscal year's own spend is a fout. Counting mode
--    (<inkoop telling>): per_jaar (default) or eenmalig (the full value once,
--    in the first year the opdracht was found). Own inkoopbeleid
--    (<inkoopdrempel>) and formele breaches (contract formeel="true") are
--    switches: meetellen, melden (listed, not counted) or niet.
-- 4. Suppliers are merged on KvK number (digits; 12 digits ending 0000 and
--    7 digits padded to 8), else btw-id, else normalised name, never across
--    two different KvK numbers; every merge is listed in the evidence, and
--    args.niet_samenvoegen (custSupIDs separated by spaces) undoes one.
-- 5. Evidence: the opdracht's contracts, every transaction behind the amount
--    (at most args.max_bewijs, the rest counted in evidence_omitted), the
--    merges; the toelichting names raming, threshold and its source, method,
--    counting mode, first year found and the exclusions applied.
--
-- Memory: flat in lines. Per supplier, opdracht and category a few totals and
-- at most max_bewijs evidence entries, packed (see buckets); the lines of the
-- open transaction (held by the host: aggregations boekingen and vorige hand
-- the rule one transaction at a time, no Lua call per line); whole
-- transactions only while an account's type is still unknown. Own and prior
-- transactions come in two runs of their own: the last one of a ledger is
-- handed over when the next line of its kind comes, or before finish.

local rule = {
  id          = "aanbesteding.eu",
  title       = "Europese aanbestedingsplicht per opdracht",
  description = [[Telt de inkoopuitgaven (inkoopregels op resultaat- en balansrekeningen, zonder
crediteuren-, btw- en bankboekingen, zonder wat geen inkoop is, met de reden) per opdracht uit het
contractregister over de looptijd, over alle administraties en de ingelezen boekjaren, en vergelijkt
de opdrachtwaarde met de Europese drempel op de datum van de raming. Zonder Europese procedure is de
besteding van het boekjaar een fout. Ook: raamovereenkomsten langer dan vier jaar, besteding na het
einde van een opdracht, groei boven de wijzigingsmarges. Leveranciers zonder opdracht: onzekerheid.]],
  criterion   = "voorwaardencriterium",
  legal_basis = {
    text   = "Aanbestedingswet 2012 art. 2.1, 2.3, 2.6a, 2.13-2.22 (raming), 2.24-2.24c (uitzonderingen), "
          .. "2.140 (raamovereenkomst), 2.163a-g (wijzigingen); drempels: Gedelegeerde Verordeningen (EU) "
          .. "2021/1952, 2023/2495, 2025/2152 (params/eu_drempels)",
    source = "https://wetten.overheid.nl/BWBR0032203 ; "
          .. "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32021R1952",
  },
  years       = { from = 2022 },
  reads       = { "xaf.header", "xaf.customerSupplier", "xaf.ledgerAccount", "xaf.vatCode", "xaf.journal",
                  "xaf.trLine", "xaf.prior.header", "xaf.prior.customerSupplier", "xaf.prior.ledgerAccount",
                  "xaf.prior.vatCode", "xaf.prior.journal", "xaf.prior.trLine", "ledger",
                  "contractregister", "contract", "inkoop", "inkooprekening", "inkoopcategorie", "uitsluiting",
                  "inkoopdrempel" },
  -- Without ledger lines there is no spend: with a dossier alone the rule would
  -- run and find nothing, a pass a controller could misread. Skipped instead.
  requires    = { "xaf.trLine" },
  -- The host gathers the lines with an account per transaction (a run of
  -- lines with the same file, journal and number) and hands the rule one
  -- transaction at a time: on_boekingen (own ledgers), on_vorige (prior).
  aggregate   = {
    boekingen = { records = "xaf.trLine", runs = { "_file", "jrnID", "trNr" }, where = { accID = true },
                  collect = { "accID", "amnt", "amntTp", "effDate", "custSupID", "desc", "invRef" } },
    vorige    = { records = "xaf.prior.trLine", runs = { "_file", "jrnID", "trNr" }, where = { accID = true },
                  collect = { "accID", "amnt", "amntTp", "effDate", "custSupID", "desc", "invRef" } },
  },
  params      = { "eu_drempels", "inkoop_categorieen" },
  args        = {
    max_bewijs = 100,          -- transactions listed as evidence per finding; the rest are counted
    niet_samenvoegen = "",     -- custSupIDs (separated by spaces) never merged with another supplier
  },
}

local format, concat = string.format, table.concat

-- ---- state -----------------------------------------------------------------

local fy                          -- the fiscal year (ctx.year)
local max_bewijs, keep_apart      -- from ctx.args, on the first record that needs them
local acc_tp, acc_prior_tp = {}, {} -- accID -> accTp (own ledgers / prior ledgers)
local vat_acc = {}                -- accID -> true: a btw account of a vatCode
local creditor_acc = {}           -- accID -> true: a B/M account that named a supplier
local jrn_tp = {}                 -- file -> jrnID -> jrnTp
local file_year = {}              -- prior ledger file -> its boekjaar
local acc_cat = {}                -- accID -> category code (dossier)
local own_cat = {}                -- category code -> {inkoop, reden, grond, naam} (dossier)
local uitsl = {}                  -- custSupID -> {reden, grond, toelichting, ev}
local drempels_eigen = {}         -- list of {soort, bedrag, procedure, ev}
local settings = { telling = "per_jaar", eigen_beleid = "niet", formeel = "meetellen" }
local has_register = false

-- Suppliers: master data and the merge (union-find).
local sup_info = {}               -- custSupID -> {name, kvk, btw, tp}
local customer = {}               -- custSupID -> true: a customer (custSupTp C), not a supplier
local parent = {}                 -- custSupID -> custSupID (union-find)
local merges = {}                 -- list of {a, b, basis}
local by_kvk, by_btw, by_name = {}, {}, {}
local merge_version = 0

-- Opdrachten.
local opdr = {}                   -- id -> opdracht
local opdr_ids = {}               -- in register order
local by_ref = {}                 -- contract_id or opdracht id -> opdracht id

-- Buckets.
local b_opdr = {}                 -- opdracht id -> bucket (in term)
local b_after = {}                -- opdracht id -> bucket (after its end)
local b_sup = {}                  -- custSupID -> bucket (no opdracht)
local b_cat = {}                  -- category -> bucket (no opdracht, own year only)
local excl = {}                   -- reden -> {own, grond = {text -> true}, what = {text -> cents}}
local b_excl = {}                 -- reden -> bucket (its transactions, for the evidence)
local default_cats                -- ctx.params.inkoop_categorieen
local pending = {}                -- transactions with an account of unknown type

-- ---- helpers ---------------------------------------------------------------

local function cents_min(a, b) return a < b and a or b end

local function year_of(date) return tonumber(date:sub(1, 4)) end

-- Months from date a to date b (b after a), counting a started month as one.
local function months(a, b)
  local ya, ma, da = a:match("^(%d+)-(%d+)-(%d+)")
  local yb, mb, db = b:match("^(%d+)-(%d+)-(%d+)")
  local m = (tonumber(yb) - tonumber(ya)) * 12 + tonumber(mb) - tonumber(ma)
  if tonumber(db) >= tonumber(da) then
    m = m + 1
  end
  return m
end

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

-- Legal forms as whole words; patterns made once (3,000 suppliers each pass them all).
local legal_forms = {}
for i, f in ipairs({ "b%.?v%.?", "n%.?v%.?", "v%.?o%.?f%.?", "c%.?v%.?", "holding" }) do
  legal_forms[i] = "%s" .. f .. "%s"
end
local function norm_name(s)
  if not s then return nil end
  -- punctuation but the dot (legal forms are matched with it) becomes a space
  local n = " " .. s:lower():gsub("[^%P%.]", " ") .. " "
  for _, f in ipairs(legal_forms) do
    n = n:gsub(f, " ")
  end
  n = n:gsub("%.", ""):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  if #n < 3 then
    return nil
  end
  return n
end

local function add_supplier(r)
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

local function sup_label(id)
  local info = sup_info[id]
  return id .. (info and info.name and (" " .. info.name) or "")
end

-- ---- opdrachten --------------------------------------------------------------

local soort_naam = {
  leveringen_diensten = "leveringen en diensten", leveringen = "leveringen", diensten = "diensten",
  werken = "werken", sociale_diensten = "sociale en andere specifieke diensten",
}
local drempel_key = {
  leveringen_diensten = "leveringen_diensten", leveringen = "leveringen_diensten", diensten = "leveringen_diensten",
  werken = "werken", sociale_diensten = "sociale_diensten",
}
local proc_rank = { enkelvoudig_onderhands = 1, meervoudig_onderhands = 2, nationaal = 3, europees = 4 }

local function add_contract(r)
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
local function opdrachten_of(sup)
  if idx_version ~= merge_version then
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
    idx_version = merge_version
  end
  return idx[find(sup)]
end

-- The opdracht a line belongs to: a reference in its text, else the
-- supplier's opdracht whose term covers the date. Second result: "na_einde"
-- when the date is after the end of the supplier's last opdracht.
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
  local list = opdrachten_of(sup)
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

-- ---- buckets -----------------------------------------------------------------
--
-- A bucket's evidence: at most max_bewijs entries, one a transaction, kept
-- as packed strings (string.pack EV_FMT: line, amount, where, trNr) and
-- joined into one string per EV_BATCH, so that 3,000 suppliers x 100
-- entries take a few MiB, not a table and a text each; the text of a key
-- ("custSupID S, jrnID J, trNr N") is made in finish, for the findings only.
-- `where` numbers the (file, journal, supplier) an entry is of (bounded by
-- journals and suppliers, not by lines).

local EV_FMT, EV_BATCH = "<jji4s4", 32
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
    b = { own = 0, total = 0, years = {}, nev = 0, blob = "", batch = {}, more = 0, cur_t = nil,
          cur = false, cur_line = 0, cur_amt = 0, cur_where = 0 }
    tbl[key] = b
  end
  return b
end

-- The buckets whose evidence entry for the transaction being processed is
-- open: packed when the transaction is done (its lines add to one entry).
local touched, ntouched = {}, 0

-- Adds a line's amount to bucket b; its transaction t is one evidence entry.
local function book(b, t, amt, own, line, sup)
  b.total = b.total + amt
  local y = t.year
  b.years[y] = (b.years[y] or 0) + amt
  if own then
    b.own = b.own + amt
    if b.cur_t ~= t.serial then
      b.cur_t = t.serial
      if b.nev < max_bewijs then
        b.nev = b.nev + 1
        b.cur, b.cur_line, b.cur_amt, b.cur_where = true, line, 0, where(t.file, t.jrnID, sup)
        ntouched = ntouched + 1
        touched[ntouched] = b
      else
        b.cur = false
        b.more = b.more + 1
      end
    end
    if b.cur then
      b.cur_amt = b.cur_amt + amt
    end
  end
end

-- Packs the open entries of transaction t.
local function pack_entries(t)
  for k = 1, ntouched do
    local b = touched[k]
    local batch = b.batch
    batch[#batch + 1] = string.pack(EV_FMT, b.cur_line, b.cur_amt, b.cur_where, t.trNr)
    if #batch == EV_BATCH then
      b.blob = b.blob .. concat(batch)
      b.batch = {}
    end
    b.cur = false
    touched[k] = nil
  end
  ntouched = 0
end

-- Calls f(file, line, key, amount) for each evidence entry of b, in order.
local function each_entry(b, f)
  local blob = #b.batch > 0 and (b.blob .. concat(b.batch)) or b.blob
  local pos = 1
  while pos <= #blob do
    local line, amt, w, trnr
    line, amt, w, trnr, pos = string.unpack(EV_FMT, blob, pos)
    local wh = where_list[w]
    f(wh.file, line, wh.prefix .. trnr, amt)
  end
end

local function exclude(reden, grond, what, amt, own, t, line, sup)
  if not own then
    return
  end
  book(bucket(b_excl, reden), t, amt, own, line, sup)
  local e = excl[reden]
  if not e then
    e = { own = 0, grond = {}, what = {} }
    excl[reden] = e
  end
  e.own = e.own + amt
  if grond then e.grond[grond] = true end
  e.what[what] = (e.what[what] or 0) + amt
end

-- ---- transactions ------------------------------------------------------------
--
-- A transaction's lines in parallel arrays (cheaper than a table a line):
-- acc, ln, date, osup (the line's own custSupID), desc, inv (invRef) are the
-- host's lists (see booking); amt (signed) and sup (the supplier the
-- transaction gives the line) the rule's own, reused.

local serial = 0
local function new_tx()
  return { n = 0, amt = {}, sup = {} }
end
local cur = new_tx()

-- Classifies and books the lines of one complete transaction snapshot t.
local function process(t)
  local types = t.prior and acc_prior_tp or acc_tp
  local per_file = jrn_tp[t.file]
  local jtp = per_file and per_file[t.jrnID]
  if jtp == "S" then
    return
  end
  local n, acc, amt, osup, sups = t.n, t.acc, t.amt, t.osup, t.sup
  local payment = jtp == "B" or jtp == "C"
  local purchase, named_on_balance = jtp == "P", false
  for i = 1, n do
    local sup = sups[i]
    if sup and not customer[sup] then
      purchase = true
      if osup[i] and types[acc[i]] ~= "P" then
        named_on_balance = true
      end
    end
  end
  if not purchase then
    return
  end
  -- Without a line that names the supplier on a balance account, the
  -- creditor leg is the largest B/M line (ties: the credit one).
  local balancing
  if not named_on_balance and not payment then
    local best
    for i = 1, n do
      local a_id = acc[i]
      if types[a_id] ~= "P" and not vat_acc[a_id] and not creditor_acc[a_id] then
        local v = amt[i]
        local a = v < 0 and -v or v
        if best == nil or a > best or (a == best and v < 0) then
          best, balancing = a, i
        end
      end
    end
  end
  serial = serial + 1
  t.serial = serial
  local own = not t.prior
  local refs = next(by_ref) ~= nil -- else attribute() finds nothing: not called
  for i = 1, n do
    local a_id = acc[i]
    local tp = types[a_id]
    local code, cat = acc_cat[a_id], nil
    if code then
      cat = own_cat[code] or default_cats[code]
    end
    local balance = tp ~= "P"
    local leg = (cat and cat.reden == "tussenrekening") or vat_acc[a_id]
      or (balance and (osup[i] or creditor_acc[a_id] or i == balancing))
      or (payment and balance and not (cat and cat.inkoop))
    local sup = sups[i]
    if not leg and not customer[sup] then
      local v, line = amt[i], t.ln[i]
      if cat and not cat.inkoop then
        exclude(cat.reden or "geen_prestatie", cat.grond, "rekening " .. a_id .. " (categorie " .. code .. ")",
                v, own, t, line, sup)
      elseif sup and uitsl[sup] then
        local u = uitsl[sup]
        exclude(u.reden, u.grond, "leverancier " .. sup_label(sup), v, own, t, line, sup)
      else
        local o, na
        if refs then
          local texts = t.texts
          o, na = attribute(sup, texts and t.desc[i], texts and t.inv[i], t.date[i])
        end
        if o then
          book(bucket(na and b_after or b_opdr, o.id), t, v, own, line, sup)
        elseif sup then
          book(bucket(b_sup, sup), t, v, own, line, sup)
          if code then book(bucket(b_cat, code), t, v, own, line, sup) end
        elseif code then
          book(bucket(b_cat, code), t, v, own, line, nil)
        end
      end
    end
    -- A B/M account that names a supplier is a creditor account from now on.
    if osup[i] and tp ~= nil and balance then
      creditor_acc[a_id] = true
    end
  end
  pack_entries(t)
end

local init -- (with the handlers, below)

-- One transaction from the host (aggregations boekingen and vorige): its
-- lines with an account. A line without its own custSupID gets the one the
-- transaction's other lines name (none when they name several: a payment
-- batch, a memo booking). The host reuses its lists: a transaction that
-- waits for finish gets copies, one processed now is read in place.
local copied = { "acc", "ln", "date", "osup", "desc", "inv" }
local function booking(g, ctx, prior)
  init(ctx)
  local n = g._n
  local g_acc, g_sup = g.accID, g.custSupID
  local types = prior and acc_prior_tp or acc_tp
  local first, several, unknown = nil, false, false
  for i = 1, n do
    local s = g_sup[i]
    if s ~= nil then
      if first == nil then first = s elseif s ~= first then several = true end
    end
    if types[g_acc[i]] == nil then
      unknown = true
    end
  end
  local t = unknown and new_tx() or cur
  t.prior, t.n = prior, n
  t.year = prior and (file_year[g._file] or year_of(g.effDate[1])) or fy
  t.file, t.jrnID, t.trNr = g._file, g.jrnID or "", g.trNr or ""
  -- The texts attribute() searches for a contract id, only when there are
  -- contracts: `rhv check` streams the dossier (its register) before every
  -- ledger, so without contracts then there are none.
  t.texts = next(by_ref) ~= nil
  t.acc, t.ln, t.date, t.osup, t.desc, t.inv = g_acc, g._lines, g.effDate, g_sup, g.desc, g.invRef
  local amt, sups, g_amnt, g_tp = t.amt, t.sup, g.amnt, g.amntTp
  local shared = not several and first or nil
  for i = 1, n do
    amt[i] = g_tp[i] == "D" and g_amnt[i] or -g_amnt[i]
    sups[i] = g_sup[i] or shared
  end
  if unknown then
    -- Master data after the lines: decide in finish, when it is known.
    for _, k in ipairs(copied) do
      local from, to = t[k], {}
      for i = 1, n do to[i] = from[i] end
      t[k] = to
    end
    pending[#pending + 1] = t
  else
    process(t)
  end
end

-- ---- handlers ----------------------------------------------------------------

function init(ctx)
  if keep_apart then
    return
  end
  keep_apart = {}
  for s in ctx.args.niet_samenvoegen:gmatch("%S+") do
    keep_apart[s] = true
  end
  fy = ctx.year
  default_cats = ctx.params.inkoop_categorieen
  max_bewijs = ctx.args.max_bewijs
end

function rule.on_xaf_header(_, ctx)
  init(ctx)
end

function rule.on_xaf_prior_header(r, ctx)
  init(ctx)
  file_year[r._file] = file_year[r._file] or year_of(r.startDate)
end

function rule.on_ledger(r, ctx)
  init(ctx)
  if r.boekjaar then
    file_year[r.path] = r.boekjaar
  end
end

function rule.on_xaf_customerSupplier(r, ctx) init(ctx); add_supplier(r) end
rule.on_xaf_prior_customerSupplier = rule.on_xaf_customerSupplier

-- A ledger without vatCodes still names its btw accounts in their description.
local function btw_named(r)
  local d = (r.accDesc or ""):lower()
  if r.accTp ~= "P" and (d:find("btw", 1, true) or d:find("omzetbelasting", 1, true)
                         or d:find("voorbelasting", 1, true)) then
    vat_acc[r.accID] = true
  end
end
function rule.on_xaf_ledgerAccount(r)
  if r.accID ~= nil then acc_tp[r.accID] = r.accTp; btw_named(r) end
end
function rule.on_xaf_prior_ledgerAccount(r)
  if r.accID ~= nil then acc_prior_tp[r.accID] = r.accTp; btw_named(r) end
end

function rule.on_xaf_vatCode(r)
  if r.vatToClaimAccID then vat_acc[r.vatToClaimAccID] = true end
  if r.vatToPayAccID then vat_acc[r.vatToPayAccID] = true end
end
rule.on_xaf_prior_vatCode = rule.on_xaf_vatCode

function rule.on_xaf_journal(r)
  if r.jrnID then
    local per_file = jrn_tp[r._file]
    if not per_file then
      per_file = {}
      jrn_tp[r._file] = per_file
    end
    per_file[r.jrnID] = r.jrnTp
  end
end
rule.on_xaf_prior_journal = rule.on_xaf_journal

function rule.on_boekingen(g, ctx) booking(g, ctx, false) end
function rule.on_vorige(g, ctx) booking(g, ctx, true) end

function rule.on_contractregister() has_register = true end
function rule.on_contract(r) add_contract(r) end

function rule.on_inkoop(r)
  settings.telling = r.telling or settings.telling
  settings.eigen_beleid = r.eigen_beleid or settings.eigen_beleid
  settings.formeel = r.formeel or settings.formeel
end
function rule.on_inkooprekening(r) acc_cat[r.nr] = r.categorie end
function rule.on_inkoopcategorie(r)
  own_cat[r.code] = { inkoop = r.inkoop, reden = r.reden, grond = r.grond, naam = r.omschrijving }
end
function rule.on_uitsluiting(r)
  uitsl[r.leverancier] = { reden = r.reden, grond = r.grond, toelichting = r.toelichting }
end
function rule.on_inkoopdrempel(r)
  drempels_eigen[#drempels_eigen + 1] = { soort = r.soort, bedrag = r.bedrag, procedure = r.procedure,
                                          ev = rhv.evidence(r, "inkoopdrempel " .. r.soort) }
end

-- ---- finish ------------------------------------------------------------------

-- The threshold for soort on date: value, period "2022-2023", source.
local function threshold(drempels, soort, date)
  local y = year_of(date)
  local key = drempel_key[soort] or "leveringen_diensten"
  for _, p in ipairs(drempels._periods) do
    if p.from <= y and (p.to == nil or y <= p.to) then
      return p.value[key], p.from .. "-" .. (p.to or ""), p.source
    end
  end
  -- A raming before the table's first period: the earliest period is the
  -- nearest known amount, and the toelichting says so.
  local p = drempels._periods[1]
  return p.value[key], p.from .. "-" .. (p.to or "") .. " (raming van " .. y .. " valt ervoor)", p.source
end

local function short_source(s)
  return s:match("^(.-)%s;%s") or s
end

-- Evidence of buckets: their transactions with amounts, and what was not kept.
local function bucket_evidence(ev, buckets, amount)
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

-- The merges that touch a supplier group, as evidence keys and text.
local function merge_lines(roots)
  local out = {}
  for _, m in ipairs(merges) do
    if roots[find(m.a)] then
      out[#out + 1] = format("%s samengevoegd met %s op %s", sup_label(m.b), sup_label(m.a), m.basis)
    end
  end
  return out
end

local function years_text(years)
  local parts = {}
  for _, y in ipairs(rhv.sorted_keys(years)) do
    parts[#parts + 1] = format("%d: %s", y, rhv.format(years[y]))
  end
  return concat(parts, "; ")
end

local function first_year(years)
  local first
  for y, a in pairs(years) do
    if a ~= 0 and (first == nil or y < first) then first = y end
  end
  return first
end

-- Kind and counts of a breach under a switch (meetellen | melden | niet).
local function switched(mode)
  if mode == "niet" then return nil end
  return mode == "meetellen"
end

local function opdracht_findings(drempels)
  local telling_txt = settings.telling == "eenmalig"
    and "Telling: eenmalig (volledige contractwaarde als niet uit de balans blijkende verplichting in het eerste jaar)"
    or "Telling: per jaar (standaard: de besteding van elk jaar telt)"
  for _, oid in ipairs(opdr_ids) do
    local o = opdr[oid]
    local b = b_opdr[oid] or bucket({}, oid)
    local after = b_after[oid]
    local raming = o.waarde + o.opties
    local drempel, periode, bron = threshold(drempels, o.soort, o.raming_datum)
    local eind = o.einde_opties
    local value, method = raming, "raming incl. opties en verlengingen (art. 2.15 lid 2)"
    if b.total > value then
      value, method = b.total, "besteding over de looptijd in de ingelezen jaren (hoger dan de raming)"
    end
    local services = o.soort ~= "werken" and o.soort ~= "leveringen"
    if o.zonder_totaalprijs and services and (eind == nil or months(o.begin, eind) > 48) then
      local top = 0
      for _, a in pairs(b.years) do if a > top then top = a end end
      local v48 = top // 12 * 48
      if v48 > value then
        value, method = v48, "48 x maandbedrag (art. 2.17 sub e; maandbedrag = hoogste jaarbesteding / 12)"
      end
    end
    local roots = {}
    for _, s in ipairs(o.suppliers) do roots[find(s)] = true end
    local ml = merge_lines(roots)
    local subject = "Opdracht " .. oid .. " (" .. sup_label(o.suppliers[1]) .. ")"
    local function base_toel()
      return format("Opdracht %s, %s, %s (%s), %s t/m %s; contracten %s; leveranciers %s. Raming %s "
                    .. "(waarde %s + opties %s) op %s; opdrachtwaarde %s: %s. Drempel %s voor %s (%s: %s). "
                    .. "Methode: per opdracht. Besteding per jaar: %s.%s",
                    oid, soort_naam[o.soort] or o.soort, o.procedure, o.cpv and ("CPV " .. o.cpv) or "geen CPV",
                    o.begin, eind or "open", concat(o.contracts, ", "), concat(o.suppliers, ", "),
                    rhv.format(raming), rhv.format(o.waarde), rhv.format(o.opties), o.raming_datum,
                    rhv.format(value), method, rhv.format(drempel), soort_naam[o.soort] or o.soort, periode,
                    short_source(bron), years_text(b.years),
                    #ml > 0 and (" Samengevoegd: " .. concat(ml, "; ") .. ".") or "")
    end
    -- what: which breach of the opdracht, for the finding's key (one opdracht
    -- can have several findings; its id and the breach stay, a name may not).
    local function emit(what, kind, amount, counts, message, extra, buckets)
      local ev = {}
      for _, e in ipairs(o.ev) do ev[#ev + 1] = e end
      for _, m in ipairs(ml) do ev[#ev + 1] = { file = o.ev[1].file, line = o.ev[1].line, key = m } end
      local omitted = bucket_evidence(ev, buckets, amount)
      rhv.finding{ kind = kind, amount = amount, counts = counts, subject = subject, message = message,
                   toelichting = base_toel() .. " " .. extra, evidence = ev, evidence_omitted = omitted,
                   key = "opdracht " .. oid .. " " .. what }
    end
    local above = value >= drempel
    local onrechtmatig = above and o.procedure ~= "europees"
    local counts = true
    if onrechtmatig and o.formeel then
      counts = switched(settings.formeel)
    end
    if onrechtmatig and counts ~= nil then
      local first = first_year(b.years) or fy
      local fy_spend = b.own
      if settings.telling == "eenmalig" then
        if first == fy and fy_spend > 0 then
          emit("europees", "fout", value, counts,
               format("Opdracht %s met een waarde van %s op of boven de Europese drempel "
               .. "van %s zonder Europese aanbesteding; de volledige contractwaarde telt eenmalig.", oid,
               rhv.format(value), rhv.format(drempel)),
               telling_txt .. "; eerst gevonden in " .. first .. "." .. (o.formeel and " Formeel." or ""), { b })
        elseif fy_spend > 0 then
          emit("europees eerder", "signalering", fy_spend, false,
               format("Opdracht %s is in %d al als fout aangemerkt via de totale "
               .. "contractwaarde; de besteding %s in %d telt niet opnieuw.", oid, first, rhv.format(fy_spend), fy),
               telling_txt .. "; eerst gevonden in " .. first .. ".", { b })
        end
      elseif fy_spend > 0 then
        emit("europees", "fout", fy_spend, counts,
             format("Besteding %s in %d op opdracht %s (waarde %s) op of boven de "
             .. "Europese drempel van %s zonder Europese aanbesteding.", rhv.format(fy_spend), fy, oid,
             rhv.format(value), rhv.format(drempel)),
             telling_txt .. "; eerst gevonden in " .. first .. "." .. (o.formeel and " Formeel (telt "
             .. (counts and "mee" or "niet mee") .. ")." or ""), { b })
      end
    end
    -- A raamovereenkomst subject to the Aw that runs beyond four years.
    if above and o.raam and not onrechtmatig and b.own > 0 and (eind == nil or months(o.begin, eind) > 48) then
      emit("raamovereenkomst", "fout", b.own, true,
           format("Raamovereenkomst %s loopt %s, langer dan vier jaar (Aw art. 2.140 lid 3); "
           .. "besteding %s in %d.", oid, eind and ("van " .. o.begin .. " tot " .. eind) or "zonder einde",
           rhv.format(b.own), fy),
           "Alleen in uitzonderingsgevallen, naar behoren gemotiveerd, mag een raamovereenkomst langer dan vier "
           .. "jaar lopen; dan vervalt deze fout.", { b })
    end
    -- Growth beyond art. 2.163b: below the threshold and < 10% (15% werken).
    if above and not onrechtmatig and b.own > 0 then
      local pct = o.soort == "werken" and 15 or 10
      local margin = cents_min(raming * pct // 100, drempel - 1)
      local allowed = raming + margin
      if b.total > allowed then
        local excess = cents_min(b.total - allowed, b.own)
        emit("wijziging", "fout", excess, true,
             format("Besteding op opdracht %s (%s over de looptijd) groeit boven de raming %s "
             .. "plus de wijzigingsmarge van %d%% (Aw art. 2.163b): %s boven %s.", oid, rhv.format(b.total),
             rhv.format(raming), pct, rhv.format(b.total - allowed), rhv.format(allowed)),
             "De overschrijding in " .. fy .. " telt, tot ten hoogste de besteding van dat jaar.", { b })
      end
    end
    -- Spend after the end of the opdracht.
    if after and after.own > 0 then
      if above then
        emit("na einde", "fout", after.own, true, format("Besteding %s na het einde (%s) van opdracht %s, die boven de "
             .. "Europese drempel ligt.", rhv.format(after.own), eind, oid),
             "Na het einde van de looptijd incl. verlengingen is er geen opdracht: een nieuwe opdracht zonder "
             .. "procedure.", { after })
      else
        emit("na einde", "signalering", after.own, false, format("Besteding %s na het einde (%s) van opdracht %s.",
             rhv.format(after.own), eind, oid),
             "De opdracht ligt onder de Europese drempel; na het einde is er geen contract.", { after })
      end
    end
    -- The own inkoopbeleid: a weaker procedure than the policy requires.
    local mode = switched(settings.eigen_beleid)
    if mode ~= nil and not onrechtmatig and b.own > 0 then
      for _, d in ipairs(drempels_eigen) do
        if (drempel_key[d.soort] == drempel_key[o.soort]) and value >= d.bedrag
           and proc_rank[o.procedure] < proc_rank[d.procedure] then
          emit("eigen beleid", "fout", b.own, mode,
               format("Opdracht %s (waarde %s) is %s gegund; het eigen inkoopbeleid vraagt "
               .. "vanaf %s %s.", oid, rhv.format(value), o.procedure, rhv.format(d.bedrag), d.procedure),
               "Eigen inkoopbeleid: " .. (mode and "telt mee" or "gemeld, telt niet mee") .. ".", { b })
          break
        end
      end
    end
  end
end

local function supplier_findings(drempels)
  -- Group the supplier buckets by merged supplier.
  local groups, order = {}, {}
  for _, sup in ipairs(rhv.sorted_keys(b_sup)) do
    local root = find(sup)
    if not groups[root] then
      groups[root] = { members = {}, buckets = {}, own = 0, total = 0, years = {} }
      order[#order + 1] = root
    end
    local g = groups[root]
    local b = b_sup[sup]
    g.members[#g.members + 1] = sup
    g.buckets[#g.buckets + 1] = b
    g.own, g.total = g.own + b.own, g.total + b.total
    for y, a in pairs(b.years) do g.years[y] = (g.years[y] or 0) + a end
  end
  table.sort(order)
  local drempel = drempels.leveringen_diensten
  local bron = short_source(drempels._source)
  for _, root in ipairs(order) do
    local g = groups[root]
    if g.total >= drempel and g.own > 0 then
      local roots = { [root] = true }
      local ml = merge_lines(roots)
      local has_opdr = opdrachten_of(root) ~= nil
      local ev = {}
      local at
      each_entry(g.buckets[1], function(file, at_line) at = at or { file = file, line = at_line } end)
      if at then
        for _, m in ipairs(ml) do ev[#ev + 1] = { file = at.file, line = at.line, key = m } end
      end
      local omitted = bucket_evidence(ev, g.buckets, g.own)
      local toel = format("Methode: leverancier over de ingelezen jaren (geen opdracht in het contractregister). "
                          .. "Besteding per jaar: %s; samen %s. Drempel %s voor leveringen en diensten (%s).%s",
                          years_text(g.years), rhv.format(g.total), rhv.format(drempel), bron,
                          #ml > 0 and (" Samengevoegd: " .. concat(ml, "; ") .. ".") or "")
      local subject = "Leverancier " .. sup_label(root)
      -- The name in the ledger may change, the id does not (the group's smallest id).
      local key = "custSupID " .. root
      if has_opdr then
        rhv.finding{ kind = "signalering", amount = g.own, counts = false, subject = subject,
          message = format("Besteding %s bij %s buiten de looptijd van elke opdracht van deze leverancier; "
                           .. "samen %s over de ingelezen jaren.", rhv.format(g.own), root, rhv.format(g.total)),
          toelichting = toel, evidence = ev, evidence_omitted = omitted, key = key }
      elseif has_register then
        rhv.finding{ kind = "onzekerheid", amount = g.own, subject = subject,
          message = format("Besteding %s bij %s (samen %s over de ingelezen jaren) op of boven de Europese drempel "
                           .. "van %s zonder opdracht in het contractregister; niet vast te stellen of er een "
                           .. "opdracht boven de drempel is.", rhv.format(g.own), root, rhv.format(g.total),
                           rhv.format(drempel)),
          toelichting = toel, evidence = ev, evidence_omitted = omitted, key = key }
      else
        rhv.finding{ kind = "onzekerheid", amount = g.own, subject = subject,
          message = format("Besteding %s bij %s op of boven de Europese drempel van %s; zonder contractregister "
                           .. "is niet vast te stellen of Europees is aanbesteed.", rhv.format(g.own), root,
                           rhv.format(drempel)),
          toelichting = toel .. " Het dossier bevat geen contractregister.", evidence = ev,
          evidence_omitted = omitted, key = key }
      end
    end
  end
  for _, code in ipairs(rhv.sorted_keys(b_cat)) do
    local b = b_cat[code]
    if b.own >= drempel then
      local ev = {}
      local omitted = bucket_evidence(ev, { b }, b.own)
      rhv.finding{ kind = "signalering", amount = b.own, counts = false, subject = "Categorie " .. code,
        message = format("Besteding %s in categorie %s zonder opdracht, op of boven de Europese drempel van %s.",
                         rhv.format(b.own), code, rhv.format(drempel)),
        toelichting = "Methode: categorie (inkooppakket). Een signaal, geen fout: of dit een opdracht is, beslist "
                      .. "de opdracht, niet de categorie (Aw art. 2.13-2.14).",
        evidence = ev, evidence_omitted = omitted }
    end
  end
end

local reden_naam = {
  arbeid = "arbeidsovereenkomsten", grond = "grond en onroerende zaken", financieel = "leningen en financiele "
  .. "diensten", subsidie = "subsidies", inbesteding = "inbesteding", samenwerking = "samenwerking tussen "
  .. "overheden", geen_prestatie = "geen prestatie (belastingen, uitkeringen, verrekeningen)",
}

local function exclusion_findings()
  for _, reden in ipairs(rhv.sorted_keys(excl)) do
    local e = excl[reden]
    if e.own > 0 then
      local ev = {}
      local omitted = bucket_evidence(ev, { b_excl[reden] }, e.own)
      local what = {}
      for _, w in ipairs(rhv.sorted_keys(e.what)) do
        what[#what + 1] = w .. " " .. rhv.format(e.what[w])
      end
      rhv.finding{ kind = "signalering", amount = e.own, counts = false,
        subject = "Geen inkoop: " .. (reden_naam[reden] or reden), key = "uitsluiting " .. reden,
        message = format("%s in %d niet als inkoop meegeteld: %s.", rhv.format(e.own), fy, reden_naam[reden] or reden),
        toelichting = "Grond: " .. concat(rhv.sorted_keys(e.grond), "; ") .. ". Uitgesloten: " .. concat(what, "; ")
                      .. ".",
        evidence = ev, evidence_omitted = omitted }
    end
  end
end

function rule.finish(ctx)
  init(ctx)
  for _, t in ipairs(pending) do
    process(t)
  end
  local drempels = ctx.params.eu_drempels
  exclusion_findings()
  opdracht_findings(drempels)
  supplier_findings(drempels)
end

return rule
