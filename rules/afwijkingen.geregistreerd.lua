-- afwijkingen.geregistreerd: the afwijkingen the controller registered.
--
-- Not every afwijking can be found from the figures: a tender that should have
-- been European, a missing loonwaardebepaling, an onzekerheid the accountant
-- reports. The controller registers them in the dossier (<afwijking>); this
-- rule turns each into a finding with its own soort (fout or onzekerheid),
-- criterium, bedrag and onderwerp, so they are totalled against the
-- verantwoordingsgrens next to the computed ones.
--
-- Status: every registered afwijking counts, whatever its status. A fout that
-- was "hersteld" in the course of the year still happened in that year; if the
-- organisation finds it should not count, it should not register it (or record
-- it with a category through its own rule). The status is shown in the message.
-- Categorie: an afwijking may name a begrotingscategorie of the organisation
-- (its Kadernota category); in one the verordening does not count (telt_mee
-- = false) it is acceptabel, weighed by rhv.categorieen() exactly as the
-- begroting.* rules weigh an overschrijding. Without one it counts.
-- A record with an unknown soort, criterium or status, or a bedrag of zero or
-- less, cannot be weighed: it becomes a signalering, never silently dropped.

local rule = {
  id          = "afwijkingen.geregistreerd",
  title       = "Geregistreerde afwijkingen",
  description = [[Neemt elke door de controller geregistreerde afwijking (fout of onzekerheid, met criterium,
bedrag en onderwerp) op als bevinding. Elke geregistreerde afwijking telt mee; de status (open, hersteld,
definitief) staat in de melding.]],
  criterion   = "voorwaardencriterium",   -- default; each finding carries its own criterium
  legal_basis = {
    text   = "Wet versterking decentrale rekenkamers (Stb. 2022, 430): rechtmatigheidsverantwoording over "
          .. "begrotings-, voorwaarden- en M&O-criterium, met afwijkingen boven de rapportagegrens toegelicht "
          .. "in de paragraaf bedrijfsvoering",
    source = "https://www.njb.nl/wetgeving/staatsbladen/versterking-decentrale-rekenkamer/ ; "
          .. "https://www.rechtmatigheidsverantwoording.nl/achtergrondinformatie/",
  },
  years       = { from = 2023 },
  reads       = { "begrotingscategorie", "afwijking" },
}

local categorieen = rhv.categorieen()
rule.on_begrotingscategorie = categorieen.add

local SOORTEN = { fout = true, onzekerheid = true }
local CRITERIA = { begrotingscriterium = true, voorwaardencriterium = true, misbruik_oneigenlijk_gebruik = true }
local STATUSSEN = { open = true, hersteld = true, definitief = true }

-- A finding's message is one line; a registered text may have line breaks.
local function one_line(s)
  return (s:gsub("%s*\n%s*", " "))
end

function rule.on_afwijking(r)
  local ev = { rhv.evidence(r, "afwijking " .. r.id) }
  -- an empty onderwerp would make an unnamed finding: name it by its id
  local onderwerp = r.onderwerp:match("%S") and one_line(r.onderwerp) or ("Afwijking " .. r.id)
  local fout
  if not SOORTEN[r.soort] then
    fout = "onbekende soort '" .. r.soort .. "' (fout, onzekerheid)"
  elseif not CRITERIA[r.criterium] then
    fout = "onbekend criterium '" .. r.criterium .. "' (begrotingscriterium, voorwaardencriterium, "
        .. "misbruik_oneigenlijk_gebruik)"
  elseif not STATUSSEN[r.status] then
    fout = "onbekende status '" .. r.status .. "' (open, hersteld, definitief)"
  elseif r.bedrag <= 0 then
    -- an afwijking is an amount; zero or less is a registration error
    fout = "bedrag " .. rhv.format(r.bedrag) .. " (moet groter dan nul zijn)"
  end
  if fout then
    rhv.finding{
      kind = "signalering", amount = 0, criterion = "geen",
      subject = "Afwijking " .. r.id .. " " .. onderwerp,
      message = "Geregistreerde afwijking niet te wegen: " .. fout .. ".",
      evidence = ev, key = r.id,
    }
    return
  end
  -- begrotingscategorie records come first (inside <organisation>), so the
  -- weighing is known when the afwijking arrives
  local counts, why = true, nil
  if r.categorie then counts, why = categorieen.weging(r.categorie) end
  rhv.finding{
    kind = r.soort,
    criterion = r.criterium,
    amount = r.bedrag,
    counts = counts,
    toelichting = why,
    subject = onderwerp,
    message = one_line(r.omschrijving) .. " (" .. r.id .. ", status " .. r.status
           .. (r.bron and (", gevonden door " .. r.bron) or "") .. ")",
    evidence = ev,
    key = r.id,  -- the onderwerp may be reworded; the controller's id stays
  }
end

return rule
