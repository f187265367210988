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

local cats = rhv.categorieen()   -- the verordening's Kadernota categories
local excesses = {}

rule.on_begrotingscategorie = cats.add

local function keep(r, soort, begroot, realisatie)
  if realisatie > begroot then
    excesses[#excesses + 1] = {
      code = r.code, naam = r.naam, soort = soort, begroot = begroot, realisatie = realisatie,
      categorie = r.categorie, toelichting = r.toelichting, ev = rhv.evidence(r, "reserve " .. r.code),
    }
  end
end

function rule.on_reserve(r)
  keep(r, "toevoeging", r.toevoeging_begroot, r.toevoeging_realisatie)
  keep(r, "onttrekking", r.onttrekking_begroot, r.onttrekking_realisatie)
end


function rule.finish()
  for _, x in ipairs(excesses) do
    local over = x.realisatie - x.begroot
    local counts, reden = cats.weging(x.categorie)
    local toel = string.format("%s realisatie %s -/- begroot %s = niet geautoriseerd %s. %s",
      x.soort == "toevoeging" and "Toevoeging" or "Onttrekking",
      rhv.format(x.realisatie), rhv.format(x.begroot), rhv.format(over), reden)
    if x.toelichting then
      toel = toel .. " Toelichting: " .. x.toelichting
    end
    rhv.finding{
      kind = "fout",
      amount = over,
      subject = "Reserve " .. x.code .. " " .. x.naam .. ", " .. x.soort,
      message = "Reservemutatie niet geautoriseerd: " .. x.soort .. " " .. rhv.format(over)
             .. " hoger dan begroot.",
      toelichting = toel,
      counts = counts,
      evidence = { x.ev },
    }
  end
end

return rule
