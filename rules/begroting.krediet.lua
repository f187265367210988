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

local boven = rhv.overschrijdingen(function(k)
  return "Krediet " .. k.code .. " " .. k.naam,
         "Uitgaven " .. rhv.format(k.over) .. " boven het beschikbaar gestelde krediet" .. k.pct .. ".",
         string.format("Realisatie %s -/- krediet %s = overschrijding %s.",
           rhv.format(k.realisatie), rhv.format(k.begroot), rhv.format(k.over))
end)

rule.on_begrotingscategorie = boven.categorie

function rule.on_krediet(r)
  boven.check(r, r.budget, r.realisatie, "krediet " .. r.code)
end

rule.finish = boven.finish

return rule
