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

local cats = rhv.categorieen()   -- the verordening's Kadernota categories
local kredieten = {}

rule.on_begrotingscategorie = cats.add

function rule.on_krediet(r)
  if r.realisatie > r.budget then
    kredieten[#kredieten + 1] = {
      code = r.code, naam = r.naam, budget = r.budget, realisatie = r.realisatie,
      categorie = r.categorie, toelichting = r.toelichting, ev = rhv.evidence(r, "krediet " .. r.code),
    }
  end
end


function rule.finish()
  for _, k in ipairs(kredieten) do
    local over = k.realisatie - k.budget
    local counts, reden = cats.weging(k.categorie)
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
