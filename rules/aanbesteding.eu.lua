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
--    (plugins/lib/inkoop_leverancier.lua; opdrachten and attribution:
--    inkoop_opdracht.lua; the threshold on a date: aanbesteding_drempel.lua.)
-- 5. Evidence: the opdracht's contracts, every transaction behind the amount
--    (at most args.max_bewijs, the rest counted in evidence_omitted), the
--    merges; the toelichting names raming, threshold and its source, method,
--    counting mode, first year found and the exclusions applied.
--
-- Memory: flat in lines. Per supplier, opdracht and category a few totals and
-- at most max_bewijs evidence entries, in C (plugins/lib/inkoop_bewijs.lua); the lines of the
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
                  collect = { "accID", "amnt", "amntTp", "effDate", "custSupID", "desc", "invRef" },
                  on_read = { "effDate", "desc", "invRef" } },
    vorige    = { records = "xaf.prior.trLine", runs = { "_file", "jrnID", "trNr" }, where = { accID = true },
                  collect = { "accID", "amnt", "amntTp", "effDate", "custSupID", "desc", "invRef" },
                  on_read = { "effDate", "desc", "invRef" } },
  },
  params      = { "eu_drempels", "inkoop_categorieen" },
  uses        = { "inkoop_leverancier", "inkoop_opdracht", "inkoop_bewijs", "inkoop_uitsluiting",
                  "aanbesteding_drempel", "grootboek_stamgegevens" },
  args        = {
    max_bewijs = 100,          -- transactions listed as evidence per finding; the rest are counted
    niet_samenvoegen = "",     -- custSupIDs (separated by spaces) never merged with another supplier
  },
}

local format, concat = string.format, table.concat
-- The parts with a contract of their own, each in plugins/lib/<name>.lua (uses above).
local leverancier, opdracht = rhv.lib.inkoop_leverancier, rhv.lib.inkoop_opdracht
local bewijs, eu_drempel = rhv.lib.inkoop_bewijs, rhv.lib.aanbesteding_drempel
local uitsluiting, stamgegevens = rhv.lib.inkoop_uitsluiting, rhv.lib.grootboek_stamgegevens
local threshold, short_source, drempel_key = eu_drempel.threshold, eu_drempel.short_source, eu_drempel.drempel_key
local soort_naam, proc_rank = opdracht.soort_naam, opdracht.proc_rank

-- ---- state -----------------------------------------------------------------

local fy                          -- the fiscal year (ctx.year)
local keep_apart, started = {}, false -- custSupID -> true: never merged (args.niet_samenvoegen)
local suppliers = leverancier.new(keep_apart) -- suppliers and their merges
local opd = opdracht.new(suppliers) -- the opdrachten of the contract register
local store                       -- spend per bucket with its evidence (made in init)
local ledger = stamgegevens.new() -- account types, btw accounts, journal types
local acc_tp, acc_prior_tp, vat_acc = ledger.acc_tp, ledger.acc_prior_tp, ledger.vat_acc
local creditor_acc = {}           -- accID -> true: a B/M account that named a supplier
local file_year = {}              -- prior ledger file -> its boekjaar
local acc_cat = {}                -- accID -> category code (dossier)
local own_cat = {}                -- category code -> {inkoop, reden, grond, naam} (dossier)
local uitsl = {}                  -- custSupID -> {reden, grond, toelichting, ev}
local drempels_eigen = {}         -- list of {soort, bedrag, procedure, ev}
local settings = { telling = "per_jaar", eigen_beleid = "niet", formeel = "meetellen" }
local has_register = false

-- Buckets.
local b_opdr = {}                 -- opdracht id -> bucket (in term)
local b_after = {}                -- opdracht id -> bucket (after its end)
local b_sup = {}                  -- custSupID -> bucket (no opdracht)
local b_cat = {}                  -- category -> bucket (no opdracht, own year only)
local excluded                    -- spend that is not procurement, per reason (made in init)
local default_cats                -- ctx.params.inkoop_categorieen
local pending = {}                -- transactions with an account of unknown type

-- ---- helpers ---------------------------------------------------------------

local function cents_min(a, b) return a < b and a or b end

local function year_of(date) return tonumber(date:sub(1, 4)) end

-- ---- transactions ------------------------------------------------------------
--
-- A transaction t: year, file, jrnID, trNr and serial, what the store keeps
-- of it; the host's lists g (accID, amnt, amntTp, effDate, custSupID (the
-- line's own), desc, invRef, _lines), n, prior and texts go to process() as
-- arguments, and are t's fields only while t waits for finish (g then
-- copies). This runs once a transaction, so the common case makes no table
-- and calls no function but to book the spend; the lookups are in local
-- tables.

local serial = 0
local cur = {}                    -- the transaction processed now (reused, like the host's g)
local refs = false                -- opd.has_refs(): contract ids to look for in the texts (on_contract)
local customer = suppliers.customer
local jrn_tp = ledger.jrn_tp      -- file -> jrnID -> jrnTp
local book, bucket                -- store.book, store.bucket (the store is made in init)

-- Classifies and books the lines of transaction t (g, n, prior, texts,
-- file and jrnID: t's, as arguments, so that they are read once, not once a
-- line). Until finish (final false) a transaction with an account of unknown
-- type is left alone: process returns false and t waits; otherwise true.
local function process(t, g, n, prior, texts, file, jrn, final)
  local types = prior and acc_prior_tp or acc_tp
  local acc, osup, amnt, amnt_tp = g.accID, g.custSupID, g.amnt, g.amntTp
  -- A line without its own custSupID gets the one the transaction's other
  -- lines name (shared; none when they name several: a payment batch, a memo
  -- booking). A purchase: a purchase journal, or a line naming a supplier
  -- that is not a customer.
  -- (Types and ids are strings or nil: tested as such, `not tp` rather than
  -- `tp == nil`, a comparison the VM makes with a call.)
  local first, several, unknown = nil, false, false
  local named, named_on_balance = false, false
  local first_named -- (most lines repeat the first one's supplier: asked once)
  for i = 1, n do
    local tp, sup = types[acc[i]], osup[i]
    if not tp then unknown = true end
    if sup then
      local supplier
      if sup == first then
        supplier = first_named
      elseif not first then
        first = sup
        supplier = not customer[sup]
        first_named = supplier
      else
        several = true
        supplier = not customer[sup]
      end
      if supplier then
        named = true
        if tp ~= "P" then named_on_balance = true end
      end
    end
  end
  if unknown and not final then return false end
  local per_file = jrn_tp[file]
  local jtp = per_file and per_file[jrn]
  if jtp == "S" or not (named or jtp == "P") then return true end
  local payment = jtp == "B" or jtp == "C"
  -- Without a line that names the supplier on a balance account, the
  -- creditor leg is the largest B/M line (ties: the credit one).
  local balancing
  if not named_on_balance and not payment then
    local best
    for i = 1, n do
      local a_id = acc[i]
      if types[a_id] ~= "P" and not vat_acc[a_id] and not creditor_acc[a_id] then
        local v = amnt_tp[i] == "D" and amnt[i] or -amnt[i]
        local a = v < 0 and -v or v
        if best == nil or a > best or (a == best and v < 0) then best, balancing = a, i end
      end
    end
  end
  serial = serial + 1
  t.serial = serial
  local own, shared, lines = not prior, not several and first or nil, g._lines
  for i = 1, n do
    local a_id, own_sup = acc[i], osup[i]
    local tp = types[a_id]
    local balance = tp ~= "P"
    if balance and own_sup then
      -- The creditor leg: a B/M line that names the supplier. Its account is
      -- a creditor account from now on (once its type is known).
      if tp then creditor_acc[a_id] = true end
    else
      local code = acc_cat[a_id]
      local cat = code and (own_cat[code] or default_cats[code])
      local leg = (cat and cat.reden == "tussenrekening") or vat_acc[a_id]
        or (balance and (creditor_acc[a_id] or i == balancing))
        or (payment and balance and not (cat and cat.inkoop))
      local sup = own_sup or shared
      if not leg and not customer[sup] then
        local v, line = amnt_tp[i] == "D" and amnt[i] or -amnt[i], lines[i]
        if cat and not cat.inkoop then
          excluded.add(cat.reden or "geen_prestatie", cat.grond, "rekening " .. a_id .. " (categorie " .. code .. ")",
                  v, own, t, line, sup)
        elseif sup and uitsl[sup] then
          local u = uitsl[sup]
          excluded.add(u.reden, u.grond, "leverancier " .. suppliers.label(sup), v, own, t, line, sup)
        else
          local o, na
          if refs then -- else opd.attribute() finds nothing: not called
            o, na = opd.attribute(sup, texts and g.desc[i], texts and g.invRef[i], g.effDate[i])
          end
          if o then
            book(bucket(na and b_after or b_opdr, o.id), t, v, own, line, sup)
          elseif sup then
            book(b_sup[sup] or bucket(b_sup, sup), t, v, own, line, sup)
            if code then book(b_cat[code] or bucket(b_cat, code), t, v, own, line, sup) end
          elseif code then
            book(b_cat[code] or bucket(b_cat, code), t, v, own, line, nil)
          end
        end
      end
    end
  end
  return true
end

local init -- (with the handlers, below)

-- The handler of one transaction from the host (aggregations boekingen,
-- prior false, and vorige, prior true): its lines with an account. The host
-- reuses its lists: a transaction processed now is read in place, one that
-- waits for finish (master data after the lines) gets copies.
local copied = { "accID", "amnt", "amntTp", "effDate", "custSupID", "desc", "invRef", "_lines" }
local function booking(prior)
  return function(g, ctx)
    if not started then init(ctx) end
    local t, n, file, jrn = cur, g._n, g._file, g.jrnID or ""
    local year = prior and (file_year[file] or year_of(g.effDate[1])) or fy
    t.year, t.file, t.jrnID, t.trNr = year, file, jrn, g.trNr or ""
    -- The texts opd.attribute() searches for a contract id (refs), only when
    -- there are contracts: `rhv check` streams the dossier (its register)
    -- before every ledger, so without contracts then there are none.
    if not process(t, g, n, prior, refs, file, jrn, false) then
      local copy = {}
      for _, k in ipairs(copied) do
        local from, to = g[k], {}
        for i = 1, n do to[i] = from[i] end
        copy[k] = to
      end
      pending[#pending + 1] = { g = copy, n = n, prior = prior, year = year, file = file, jrnID = jrn,
                                trNr = t.trNr, texts = refs }
    end
  end
end

-- ---- handlers ----------------------------------------------------------------

function init(ctx)
  if started then return end
  started = true
  for s in ctx.args.niet_samenvoegen:gmatch("%S+") do
    keep_apart[s] = true
  end
  fy = ctx.year
  default_cats = ctx.params.inkoop_categorieen
  store = bewijs.new(ctx.args.max_bewijs)
  book, bucket = store.book, store.bucket
  excluded = uitsluiting.new(store)
end

function rule.on_xaf_header(_, ctx) init(ctx) end

function rule.on_xaf_prior_header(r, ctx)
  init(ctx)
  file_year[r._file] = file_year[r._file] or year_of(r.startDate)
end

function rule.on_ledger(r, ctx)
  init(ctx)
  if r.boekjaar then file_year[r.path] = r.boekjaar end
end

function rule.on_xaf_customerSupplier(r, ctx) init(ctx); suppliers.add(r) end
rule.on_xaf_prior_customerSupplier = rule.on_xaf_customerSupplier

rule.on_xaf_ledgerAccount, rule.on_xaf_prior_ledgerAccount = ledger.ledger_account, ledger.prior_ledger_account
rule.on_xaf_vatCode, rule.on_xaf_prior_vatCode = ledger.vat_code, ledger.vat_code
rule.on_xaf_journal, rule.on_xaf_prior_journal = ledger.journal, ledger.journal

rule.on_boekingen, rule.on_vorige = booking(false), booking(true)

function rule.on_contractregister() has_register = true end
function rule.on_contract(r) opd.add(r); refs = opd.has_refs() end

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

-- Kind and counts of a breach under a switch (meetellen | melden | niet).
local function switched(mode)
  if mode == "niet" then return nil end
  return mode == "meetellen"
end

local function opdracht_findings(drempels)
  local telling_txt = settings.telling == "eenmalig"
    and "Telling: eenmalig (volledige contractwaarde als niet uit de balans blijkende verplichting in het eerste jaar)"
    or "Telling: per jaar (standaard: de besteding van elk jaar telt)"
  for _, oid in ipairs(opd.ids) do
    local o = opd.by_id[oid]
    local b = b_opdr[oid] or store.bucket({}, oid)
    local after = b_after[oid]
    local raming = o.waarde + o.opties
    local drempel, periode, bron = threshold(drempels, o.soort, o.raming_datum)
    local eind = o.einde_opties
    local value, method = raming, "raming incl. opties en verlengingen (art. 2.15 lid 2)"
    if b.total > value then
      value, method = b.total, "besteding over de looptijd in de ingelezen jaren (hoger dan de raming)"
    end
    local services = o.soort ~= "werken" and o.soort ~= "leveringen"
    if o.zonder_totaalprijs and services and (eind == nil or opdracht.months(o.begin, eind) > 48) then
      local top = 0
      for _, a in pairs(b.years) do if a > top then top = a end end
      local v48 = top // 12 * 48
      if v48 > value then
        value, method = v48, "48 x maandbedrag (art. 2.17 sub e; maandbedrag = hoogste jaarbesteding / 12)"
      end
    end
    local roots = {}
    for _, s in ipairs(o.suppliers) do roots[suppliers.find(s)] = true end
    local ml = suppliers.merge_lines(roots)
    local subject = "Opdracht " .. oid .. " (" .. suppliers.label(o.suppliers[1]) .. ")"
    local function base_toel()
      return format("Opdracht %s, %s, %s (%s), %s t/m %s; contracten %s; leveranciers %s. Raming %s "
                    .. "(waarde %s + opties %s) op %s; opdrachtwaarde %s: %s. Drempel %s voor %s (%s: %s). "
                    .. "Methode: per opdracht. Besteding per jaar: %s.%s",
                    oid, soort_naam[o.soort] or o.soort, o.procedure, o.cpv and ("CPV " .. o.cpv) or "geen CPV",
                    o.begin, eind or "open", concat(o.contracts, ", "), concat(o.suppliers, ", "),
                    rhv.format(raming), rhv.format(o.waarde), rhv.format(o.opties), o.raming_datum,
                    rhv.format(value), method, rhv.format(drempel), soort_naam[o.soort] or o.soort, periode,
                    short_source(bron), bewijs.years_text(b.years),
                    #ml > 0 and (" Samengevoegd: " .. concat(ml, "; ") .. ".") or "")
    end
    -- what: which breach of the opdracht, for the finding's key (one opdracht
    -- can have several findings; its id and the breach stay, a name may not).
    local function emit(what, kind, amount, counts, message, extra, buckets)
      local ev = {}
      for _, e in ipairs(o.ev) do ev[#ev + 1] = e end
      for _, m in ipairs(ml) do ev[#ev + 1] = { file = o.ev[1].file, line = o.ev[1].line, key = m } end
      local omitted = store.evidence(ev, buckets, amount)
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
      local first = bewijs.first_year(b.years) or fy
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
    if above and o.raam and not onrechtmatig and b.own > 0 and (eind == nil or opdracht.months(o.begin, eind) > 48) then
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
  local drempel = drempels.leveringen_diensten
  -- custSupIDs are texts: table.sort's own order is rhv.sorted_keys' (byte
  -- order), without a Lua comparison call per step (thousands of suppliers).
  local sups = {}
  for sup in next, b_sup do sups[#sups + 1] = sup end
  table.sort(sups)
  -- The spend per merged supplier first: only those at or above the
  -- threshold (few of thousands) need their buckets gathered.
  local total, own = {}, {}
  for _, sup in ipairs(sups) do
    local root, b = suppliers.find(sup), b_sup[sup]
    total[root], own[root] = (total[root] or 0) + b.total, (own[root] or 0) + b.own
  end
  -- Group the supplier buckets by merged supplier.
  local groups, order = {}, {}
  for _, sup in ipairs(sups) do
    local root = suppliers.find(sup)
    if total[root] >= drempel and own[root] > 0 then
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
  end
  table.sort(order)
  local bron = short_source(drempels._source)
  for _, root in ipairs(order) do
    local g = groups[root]
    if g.total >= drempel and g.own > 0 then
      local roots = { [root] = true }
      local ml = suppliers.merge_lines(roots)
      local has_opdr = opd.of(root) ~= nil
      local ev = {}
      local at
      store.each_entry(g.buckets[1], function(file, at_line) at = at or { file = file, line = at_line } end)
      if at then
        for _, m in ipairs(ml) do ev[#ev + 1] = { file = at.file, line = at.line, key = m } end
      end
      local omitted = store.evidence(ev, g.buckets, g.own)
      local toel = format("Methode: leverancier over de ingelezen jaren (geen opdracht in het contractregister). "
                          .. "Besteding per jaar: %s; samen %s. Drempel %s voor leveringen en diensten (%s).%s",
                          bewijs.years_text(g.years), rhv.format(g.total), rhv.format(drempel), bron,
                          #ml > 0 and (" Samengevoegd: " .. concat(ml, "; ") .. ".") or "")
      local subject = "Leverancier " .. suppliers.label(root)
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
      local omitted = store.evidence(ev, { b }, b.own)
      rhv.finding{ kind = "signalering", amount = b.own, counts = false, subject = "Categorie " .. code,
        message = format("Besteding %s in categorie %s zonder opdracht, op of boven de Europese drempel van %s.",
                         rhv.format(b.own), code, rhv.format(drempel)),
        toelichting = "Methode: categorie (inkooppakket). Een signaal, geen fout: of dit een opdracht is, beslist "
                      .. "de opdracht, niet de categorie (Aw art. 2.13-2.14).",
        evidence = ev, evidence_omitted = omitted }
    end
  end
end

function rule.finish(ctx)
  init(ctx)
  for _, t in ipairs(pending) do
    process(t, t.g, t.n, t.prior, t.texts, t.file, t.jrnID, true)
  end
  local drempels = ctx.params.eu_drempels
  excluded.findings(fy)
  opdracht_findings(drempels)
  supplier_findings(drempels)
end

return rule
