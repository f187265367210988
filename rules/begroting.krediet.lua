-- begroting.krediet: spending on an investeringskrediet within the krediet.
--
-- The algemeen bestuur authorises an investment by voting a krediet; spending
-- above it was not authorised, so the excess is an overschrijding under the
-- begrotingscriterium (Zwolle/Helmond row A2 "Overschrijding
-- investeringsbudgetten"). As for programma's, the organisation's verordening
-- decides per Kadernota category whether the excess counts; no category or an
-- undeclared one counts.

local rule = {
  id          = "begroting.krediet",
  title       = "Overschrijding investeringskrediet",
  description = [[Vergelijkt per investeringskrediet de realisatie (cumulatief) met het door het
algemeen bestuur beschikbaar gestelde krediet. Het meerdere is een fout; acceptabel (telt niet mee)
als de begrotingscategorie volgens de eigen verordening niet meetelt.]],
  criterion   = "begrotingscriterium",
  legal_basis = {
    text   = "Begrotingscriterium: overschrijding investeringsbudgetten (Kadernota Rechtmatigheid 2023 "
          .. "van de Commissie BBV; Gemeentewet art. 189 lid 4 via de Wgr)",
    source = "https://apeldoorn.jaarverslag-2024.nl/p37793/nadere-toelichting-rechtmatigheidsverantwoording ; "
          .. "https://zwolle.jaarverslag-2023.nl/p48801/rechtmatigheidsverantwoording",
  },
  years       = { from = 2023 },
  reads       = { "krediet", "begrotingscategorie" },
}

local categorie_telt = {}
local kredieten = {}

function rule.on_begrotingscategorie(r)
  categorie_telt[r.categorie] = r.telt_mee
end

function rule.on_krediet(r)
  if r.realisatie > r.budget then
    kredieten[#kredieten + 1] = {
      code = r.code, naam = r.naam, budget = r.budget, realisatie = r.realisatie,
      categorie = r.categorie, toelichting = r.toelichting, ev = rhv.evidence(r, "krediet " .. r.code),
    }
  end
end

-- counts + a sentence on why (same logic as begroting.lasten).
local function weging(categorie)
  if categorie == nil then
    return true, "Geen begrotingscategorie opgegeven: telt mee."
  end
  local telt = categorie_telt[categorie]
  if telt == nil then
    return true, "Categorie '" .. categorie .. "' is niet vastgesteld in de verordening: telt mee."
  elseif telt then
    return true, "Categorie '" .. categorie .. "' telt volgens de verordening mee."
  end
  return false, "Categorie '" .. categorie .. "' is volgens de verordening acceptabel: telt niet mee."
end

function rule.finish()
  for _, k in ipairs(kredieten) do
    local over = k.realisatie - k.budget
    local counts, reden = weging(k.categorie)
    local toel = string.format("Realisatie %s -/- krediet %s = overschrijding %s. %s",
      rhv.format(k.realisatie), rhv.format(k.budget), rhv.format(over), reden)
    if k.toelichting then
      toel = toel .. " Toelichting: " .. k.toelichting
    end
    rhv.finding{
      kind = "fout",
      amount = over,
      subject = "Krediet " .. k.code .. " " .. k.naam,
      message = "Uitgaven " .. rhv.format(over) .. " boven het beschikbaar gestelde krediet"
             .. (k.budget > 0 and " (" .. rhv.pct(over, k.budget) .. ")." or "."),
      toelichting = toel,
      counts = counts,
      evidence = { k.ev },
    }
  end
end

return rule
