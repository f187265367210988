-- begroting.reserves: reserve mutations only as far as the begroting allows.
--
-- From 2023 a toevoeging to or onttrekking from a reserve that the algemeen
-- bestuur did not authorise ("reservemutatie niet geautoriseerd") is a
-- begrotingsonrechtmatigheid in its own right (Zwolle/Helmond row A3,
-- Apeldoorn kind 2). We compare each side separately: a larger toevoeging is
-- not made good by a smaller onttrekking, because each mutation needs its own
-- authorisation. Category logic as for programma's.

local rule = {
  id          = "begroting.reserves",
  title       = "Niet geautoriseerde reservemutaties",
  description = [[Vergelijkt per reserve de gerealiseerde toevoeging en onttrekking met de begroting
na wijziging. Elk meerdere is een fout (reservemutatie niet geautoriseerd); acceptabel als de
begrotingscategorie volgens de eigen verordening niet meetelt.]],
  criterion   = "begrotingscriterium",
  legal_basis = {
    text   = "Begrotingscriterium: toevoegingen en onttrekkingen aan reserves die niet door het "
          .. "algemeen bestuur zijn vastgesteld (Kadernota Rechtmatigheid 2023 van de Commissie BBV)",
    source = "https://apeldoorn.jaarverslag-2024.nl/p37793/nadere-toelichting-rechtmatigheidsverantwoording ; "
          .. "https://helmond.jaarverslag-2023.nl/p7461/rechtmatigheidsverantwoording",
  },
  years       = { from = 2023 },
  reads       = { "reserve", "begrotingscategorie" },
}

local boven = rhv.overschrijdingen(function(x)
  return "Reserve " .. x.code .. " " .. x.naam .. ", " .. x.soort,
         "Reservemutatie niet geautoriseerd: " .. x.soort .. " " .. rhv.format(x.over) .. " hoger dan begroot.",
         string.format("%s realisatie %s -/- begroot %s = niet geautoriseerd %s.",
           x.soort == "toevoeging" and "Toevoeging" or "Onttrekking",
           rhv.format(x.realisatie), rhv.format(x.begroot), rhv.format(x.over))
end)

rule.on_begrotingscategorie = boven.categorie

-- Each side on its own: a smaller onttrekking does not make good a larger toevoeging.
function rule.on_reserve(r)
  boven.check(r, r.toevoeging_begroot, r.toevoeging_realisatie, "reserve " .. r.code, "toevoeging")
  boven.check(r, r.onttrekking_begroot, r.onttrekking_realisatie, "reserve " .. r.code, "onttrekking")
end

rule.finish = boven.finish

return rule
