-- begroting.lasten: lasten per programma within the begroting na wijziging.
--
-- The algemeen bestuur (for a gemeente: the raad) authorises lasten per
-- programma. Realised lasten above the begroting na wijziging are an
-- overschrijding and strictly onrechtmatig. Whether it counts towards the
-- verantwoordingsgrens is the organisation's own choice: its financiele
-- verordening names Kadernota categories that are "acceptabel"
-- (begrotingscategorie with telt_mee=false). A programma without a category,
-- or with a category the organisation did not declare, counts: an overschrijding
-- is only acceptabel when a decision says so.

local rule = {
  id          = "begroting.lasten",
  title       = "Lastenoverschrijding per programma",
  description = [[Vergelijkt per programma de gerealiseerde lasten met de begroting na wijziging.
Een overschrijding is een fout ter grootte van de overschrijding. Valt het programma in een
begrotingscategorie die volgens de eigen verordening niet meetelt, dan is de fout acceptabel
(telt niet mee voor de verantwoordingsgrens).]],
  criterion   = "begrotingscriterium",
  legal_basis = {
    text   = "Gemeentewet art. 189 lid 4 (via de Wgr ook voor een gemeenschappelijke regeling); "
          .. "Kadernota Rechtmatigheid 2023 van de Commissie BBV, categorieen begrotingsafwijkingen",
    source = "https://geldrop-mierlo.jaarverslag-2017.nl/p5675/begrotingsrechtmatigheid ; "
          .. "https://apeldoorn.jaarverslag-2024.nl/p37793/nadere-toelichting-rechtmatigheidsverantwoording",
  },
  years       = { from = 2023 },
  reads       = { "programma", "begrotingscategorie" },
}

-- Records arrive in document order, but a rule must not depend on it: keep
-- what we need and decide in finish() (rhv.overschrijdingen does both).
local boven = rhv.overschrijdingen(function(p)
  return "Programma " .. p.code .. " " .. p.naam,
         "Lasten " .. rhv.format(p.over) .. " boven de begroting na wijziging" .. p.pct .. ".",
         string.format("Lasten realisatie %s -/- begroting na wijziging %s = overschrijding %s.",
           rhv.format(p.realisatie), rhv.format(p.begroot), rhv.format(p.over))
end)

rule.on_begrotingscategorie = boven.categorie

function rule.on_programma(r)
  boven.check(r, r.lasten_begroot, r.lasten_realisatie, "programma " .. r.code)
end

rule.finish = boven.finish

return rule
