-- inkoop_uitsluiting: spend that is not procurement, per legal reason, and
-- the signalering that names it (Aw 2012 art. 2.24 a-i, 2.24a-c; nothing is
-- left out silently).
--
-- Contract:
-- - new(store) makes a tally; store is an inkoop_bewijs store (evidence).
-- - tally.add(reden, grond, what, amt, own, t, line, sup) counts a line of
--   amt cents excluded for reden (a code such as "arbeid"), on legal ground
--   grond (text, may be nil), described by what ("rekening 4100 (categorie
--   x)"); t, line, sup as inkoop_bewijs book. Only own lines (fiscal year)
--   count: a prior year's exclusion is no finding of this year.
-- - tally.findings(fy) emits, per reason in sorted order with a non-zero
--   amount, one signalering (counts = false, key "uitsluiting <reden>") with
--   the grounds, the amount per what and the transactions as evidence.

local M = {}

local format, concat = string.format, table.concat

local reden_naam = {
  arbeid = "arbeidsovereenkomsten", grond = "grond en onroerende zaken", financieel = "leningen en financiele "
  .. "diensten", subsidie = "subsidies", inbesteding = "inbesteding", samenwerking = "samenwerking tussen "
  .. "overheden", geen_prestatie = "geen prestatie (belastingen, uitkeringen, verrekeningen)",
}

function M.new(store)
  local excl = {}                   -- reden -> {own, grond = {text -> true}, what = {text -> cents}}
  local b_excl = {}                 -- reden -> bucket (its transactions, for the evidence)

  local function add(reden, grond, what, amt, own, t, line, sup)
    if not own then
      return
    end
    store.book(store.bucket(b_excl, reden), t, amt, own, line, sup)
    local e = excl[reden]
    if not e then
      e = { own = 0, grond = {}, what = {} }
      excl[reden] = e
    end
    e.own = e.own + amt
    if grond then e.grond[grond] = true end
    e.what[what] = (e.what[what] or 0) + amt
  end

  local function findings(fy)
    for _, reden in ipairs(rhv.sorted_keys(excl)) do
      local e = excl[reden]
      if e.own > 0 then
        local ev = {}
        local omitted = store.evidence(ev, { b_excl[reden] }, e.own)
        local what = {}
        for _, w in ipairs(rhv.sorted_keys(e.what)) do
          what[#what + 1] = w .. " " .. rhv.format(e.what[w])
        end
        rhv.finding{ kind = "signalering", amount = e.own, counts = false,
          subject = "Geen inkoop: " .. (reden_naam[reden] or reden), key = "uitsluiting " .. reden,
          message = format("%s in %d niet als inkoop meegeteld: %s.", rhv.format(e.own), fy,
                           reden_naam[reden] or reden),
          toelichting = "Grond: " .. concat(rhv.sorted_keys(e.grond), "; ") .. ". Uitgesloten: "
                        .. concat(what, "; ") .. ".",
          evidence = ev, evidence_omitted = omitted }
      end
    end
  end

  return { add = add, findings = findings }
end

return M
