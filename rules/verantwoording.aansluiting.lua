-- verantwoording.aansluiting: do the jaarrekening's own figures follow from
-- the dossier?
--
-- The controller types the draft jaarrekening's figures as <cijfer
-- maat="bedrag"> (docs/aansluiting.md). This rule reconciles the ones that
-- follow from records, so that a figure typed or summed wrong in the draft is
-- seen before the accountant sees it:
-- - tabel "lasten": rij a programma code or "Totaal" (every programma);
--   kolom "primitief", "begroot", "realisatie" (the programma's lasten) or
--   "overschrijding": the bruto begrotingsoverschrijding, realisatie above
--   begroting na wijziging, per test unit. The unit is the taakveld when the
--   programma has <taakveld> records (Best 2023 tests per taakveld), else the
--   programma; "Totaal" adds the units of every programma.
-- - <taakveld> records: per programma their lasten (begroot, realisatie) must
--   add up to the programma's; each code must be in the Iv3 list
--   (params/iv3_taakvelden) and each (programma, code) occur once.
-- The RHV table itself (tabel "rhv": fouten and onzekerheden per criterion,
-- the total, the grens) is known only after the verdict; the host compares
-- those (core/reconcile.c) and lists them under this rule's id. This rule
-- leaves tabel "rhv" to it.
--
-- Each difference is a signalering with the difference as its amount: the
-- figures are claims about the lasten, not lasten themselves, so nothing
-- counts towards the grens. A published cell is compared after rounding the
-- computed amount as the cell says (decimalen, afronding), so a cell in whole
-- euros is not reported for the cents. A cell that names nothing this rule
-- knows is a signalering too: nothing is skipped silently.

local rule = {
  id          = "verantwoording.aansluiting",
  title       = "Aansluiting gepubliceerde cijfers van de jaarrekening",
  description = [[Vergelijkt de cijfers van de (concept)jaarrekening die de controller in het dossier opneemt
(maat bedrag) met wat rhv uit de programma's en taakvelden berekent: totale lasten, lasten per programma en de
bruto begrotingsoverschrijding. Taakvelden moeten per programma optellen tot de lasten van het programma. De
tabel van de rechtmatigheidsverantwoording (fouten en onzekerheden per criterium, totaal, grens) wordt na het
oordeel door rhv zelf vergeleken en staat ook onder deze regel.]],
  criterion   = "geen",
  legal_basis = {
    text   = "Gemeentewet art. 189 lid 4 (begrotingsrechtmatigheid per programma); BBV art. 8 lid 2 en de "
          .. "Iv3-taakveldenlijst (indeling van de lasten); Kadernota Rechtmatigheid: de verantwoording "
          .. "moet aansluiten op de jaarrekening",
    source = "https://wetten.overheid.nl/BWBR0005416/ ; shared/domain/rhv-facts.md par. 6 "
          .. "(Best 2023: bruto begrotingsoverschrijdingen EUR 5.813.000, taakvelden samen EUR 5.733.000)",
  },
  years       = { from = 2023 },
  reads       = { "programma", "taakveld", "cijfer" },
  requires    = { "cijfer" },
  params      = { "iv3_taakvelden" },
}

local TOTAAL = "Totaal"
local KOLOMMEN = { primitief = true, begroot = true, realisatie = true, overschrijding = true }

local programmas = {}   -- code -> { naam, primitief, begroot, realisatie, file, line }
local taakvelden = {}   -- list of { programma, code, begroot, realisatie, file, line }
local cijfers = {}

function rule.on_programma(r)
  programmas[r.code] = { naam = r.naam, primitief = r.lasten_primitief, begroot = r.lasten_begroot,
                         realisatie = r.lasten_realisatie, file = r._file, line = r._line }
end

function rule.on_taakveld(r)
  taakvelden[#taakvelden + 1] = { programma = r.programma, code = r.code, begroot = r.lasten_begroot,
                                  realisatie = r.lasten_realisatie, file = r._file, line = r._line }
end

function rule.on_cijfer(r)
  if r.maat ~= "bedrag" or r.tabel == "rhv" then return end
  cijfers[#cijfers + 1] = { tabel = r.tabel, rij = r.rij, kolom = r.kolom, waarde = r.waarde,
                            decimalen = r.decimalen, afronding = r.afronding, file = r._file, line = r._line }
end

local function over(begroot, realisatie)
  return realisatie > begroot and realisatie - begroot or 0
end

-- cents rounded to the cell's decimals (2: as is), as the cell says
local function rounded(cents, decimalen, afronding)
  if decimalen >= 2 then return cents end
  local unit = decimalen == 1 and 10 or 100
  local q = cents // unit
  local rest = cents - q * unit
  if afronding == "half_up" and rest * 2 >= unit then q = q + 1 end
  return q * unit
end

local function signal(subject, message, amount, ev, toelichting)
  rhv.finding{ kind = "signalering", criterion = "geen", amount = amount, subject = subject,
               message = message, evidence = ev, toelichting = toelichting }
end

local function ev_of(x, key)
  return { file = x.file, line = x.line, key = key }
end

-- Per programma: its taakvelden, summed, and the overschrijding per unit.
local function per_programma(ctx)
  local sums, seen = {}, {}
  local lijst = {}
  for code in pairs(ctx.params.iv3_taakvelden) do lijst[code] = true end
  for _, t in ipairs(taakvelden) do
    local key = "taakveld " .. t.programma .. "/" .. t.code
    if seen[key] then
      signal("Taakveld " .. t.code .. " (programma " .. t.programma .. ")",
             "Taakveld staat twee keer bij hetzelfde programma (eerst op regel " .. seen[key] .. ").", 0,
             { ev_of(t, key) })
    else
      seen[key] = t.line
      if not lijst[t.code] or t.code:sub(1, 1) == "_" then
        signal("Taakveld " .. t.code .. " (programma " .. t.programma .. ")",
               "Taakveld " .. t.code .. " staat niet in de Iv3-taakveldenlijst (params/iv3_taakvelden).", 0,
               { ev_of(t, key) })
      end
      if not programmas[t.programma] then
        signal("Taakveld " .. t.code .. " (programma " .. t.programma .. ")",
               "Taakveld hoort bij programma " .. t.programma .. ", dat niet in de exploitatie staat.", 0,
               { ev_of(t, key) })
      else
        local s = sums[t.programma] or { begroot = 0, realisatie = 0, over = 0, n = 0, ev = {} }
        sums[t.programma] = s
        s.begroot = s.begroot + t.begroot
        s.realisatie = s.realisatie + t.realisatie
        s.over = s.over + over(t.begroot, t.realisatie)
        s.n = s.n + 1
        s.ev[#s.ev + 1] = ev_of(t, key)
      end
    end
  end
  return sums
end

local function check_taakvelden(sums)
  for code, s in rhv.sorted_pairs(sums) do
    local p = programmas[code]
    for _, kolom in ipairs({ "begroot", "realisatie" }) do
      if s[kolom] ~= p[kolom] then
        local ev = { ev_of(p, "programma " .. code) }
        for _, e in ipairs(s.ev) do ev[#ev + 1] = e end
        signal("Programma " .. code .. " " .. p.naam .. ", taakvelden " .. kolom,
               "De lasten " .. kolom .. " van de " .. s.n .. " taakvelden (" .. rhv.format(s[kolom])
               .. ") sluiten niet aan op het programma (" .. rhv.format(p[kolom]) .. "): verschil "
               .. rhv.format(math.abs(s[kolom] - p[kolom])) .. ".",
               math.abs(s[kolom] - p[kolom]), ev)
      end
    end
  end
end

-- What rhv computes for one cell, or nil and why not.
local function computed(c, sums)
  if not KOLOMMEN[c.kolom] then
    return nil, "kolom '" .. c.kolom .. "' is geen primitief, begroot, realisatie of overschrijding"
  end
  local function of(code, p)
    if c.kolom ~= "overschrijding" then return p[c.kolom] end
    local s = sums[code]
    if s then return s.over end
    return over(p.begroot, p.realisatie)
  end
  if c.rij == TOTAAL then
    local total = 0
    for code, p in pairs(programmas) do total = total + of(code, p) end
    return total
  end
  local p = programmas[c.rij]
  if not p then return nil, "rij '" .. c.rij .. "' is geen programmacode en geen Totaal" end
  return of(c.rij, p)
end

function rule.finish(ctx)
  local sums = per_programma(ctx)
  check_taakvelden(sums)
  for _, c in ipairs(cijfers) do
    local subject = "Tabel " .. c.tabel .. ", " .. c.rij .. ", " .. c.kolom
    local key = "cijfer " .. c.tabel .. "/" .. c.rij .. "/" .. c.kolom
    if c.tabel ~= "lasten" then
      signal(subject, "Gepubliceerd bedrag niet aan te sluiten: tabel '" .. c.tabel
             .. "' is geen lasten of rhv (docs/aansluiting.md).", 0, { ev_of(c, key) })
    else
      local v, why = computed(c, sums)
      if not v then
        signal(subject, "Gepubliceerd bedrag niet aan te sluiten: " .. why .. ".", 0, { ev_of(c, key) })
      else
        local r = rounded(v, c.decimalen, c.afronding)
        if r ~= c.waarde then
          local unit = c.kolom == "overschrijding"
              and (next(sums) and " (per taakveld waar het programma taakvelden heeft)" or " (per programma)")
              or ""
          signal(subject, "Gepubliceerd " .. rhv.format(c.waarde) .. ", berekend " .. rhv.format(v) .. unit
                 .. ": verschil " .. rhv.format(math.abs(c.waarde - v)) .. ".",
                 math.abs(c.waarde - v), { ev_of(c, key) },
                 r ~= v and ("Berekend bedrag afgerond op " .. c.decimalen .. " decimalen (" .. c.afronding
                             .. "): " .. rhv.format(r) .. ".") or nil)
        end
      end
    end
  end
end

return rule
