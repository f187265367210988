-- personeel.aansluiting: do the published personnel tables follow from the
-- employee records?
--
-- A sociaal werkbedrijf publishes persons, fte and beschut werk places per
-- gemeente; gemeenten pay on those figures. This rule recomputes every
-- published cell (<cijfer>) from the <medewerker> records active on the cell's
-- peildatum (begin <= peildatum, and no einde or einde >= peildatum) and
-- reports a difference. It is a signalering (amount 0): the figures are not
-- lasten, but a wrong table undermines what the jaarrekening builds on.
--
-- How a cell is recomputed:
-- - kolom: a category (Wsw, PW, Beschut, Regulier) or "Totaal" (all of them).
-- - rij, by the kind of table (args tabellen_*; several tables per kind,
--   comma-separated):
--   * woongemeente tables (Westrom 3.1 and 3.2): the woongemeente when it is one
--     of the deelnemende gemeenten (arg gemeenten), else "Overige"; "Totaal" is
--     everybody. A row labelled with the peildatum itself ("31-12-2023", as
--     table 3.1 labels its rows) is the Totaal of that date.
--   * betaalgemeente tables ("3.2 betaalgemeente"): only the Overige employees
--     (living outside the gemeenten), by betaalgemeente; "Totaal" is all of them.
--   * plaatsgemeente tables (3.6, beschut werk): the betaalgemeente when set,
--     else the woongemeente; outside the gemeenten: "Overige".
-- - maat personen: the number of employees.
--   maat fte: sum of contract hours / full-time hours of each one's category
--   (args voltijd_*), summed exactly and rounded once, as the cell says
--   (decimalen, afronding half_up or down). A total thus is not the sum of its
--   rounded cells: it is computed from the hours, like the publisher does.
--   maat plaatsen: sum of hours / hours per place (arg uren_per_plaats).
-- All arithmetic is on integers (hours x100), so "equal" means equal.
-- A cell the rule cannot interpret is a signalering too: nothing is skipped
-- silently.

local rule = {
  id          = "personeel.aansluiting",
  title       = "Aansluiting gepubliceerde personeelscijfers",
  description = [[Herberekent elke gepubliceerde cel (personen, fte, beschut-werkplekken per gemeente en
categorie) uit de medewerkers die op de peildatum in dienst zijn, en signaleert elk verschil dat groter
is dan de afronding van de gepubliceerde cel. Fte: contracturen gedeeld door de voltijdsuren van de
categorie (Westrom: 36 uur Wsw en regulier, 37 uur PW en beschut); plekken beschut werk: uren gedeeld
door 31.]],
  criterion   = "geen",
  legal_basis = {
    text   = "Westrom, Kwartaalrapportage Q4 2023, par. 3.2 (fte op 36 uur Wsw/regulier, 37 uur PW/beschut) "
          .. "en par. 3.6 (31 uur = 1 ingevulde plek beschut werk); Participatiewet art. 10b (beschut werk)",
    source = "Westrom Kwartaalrapportage Q4 2023 (shared/domain/westrom-2023.md); "
          .. "https://zoek.officielebekendmakingen.nl/stcrt-2017-4882.html",
  },
  years       = { from = 2023 },
  reads       = { "medewerker", "cijfer" },
  args        = {
    -- deelnemende gemeenten; any other woongemeente is "Overige". Empty: every
    -- woongemeente is its own row.
    gemeenten = "Echt-Susteren,Leudal,Maasgouw,Roerdalen,Roermond",
    -- full-time week per category, hours x100 (Westrom par. 3.2)
    voltijd_wsw = 3600,
    voltijd_regulier = 3600,
    voltijd_pw = 3700,
    voltijd_beschut = 3700,
    -- hours a week that count as one filled beschut place, x100 (Westrom par. 3.6)
    uren_per_plaats = 3100,
    tabellen_woongemeente = "3.1,3.2",
    tabellen_betaalgemeente = "3.2 betaalgemeente",
    tabellen_plaatsgemeente = "3.6",
  },
}

local TOTAAL = "Totaal"

local medewerkers = {}
local cijfers = {}

function rule.on_medewerker(r)
  medewerkers[#medewerkers + 1] = {
    categorie = r.categorie, woon = r.woongemeente, betaal = r.betaalgemeente,
    uren = r.uren, begin = r.begin, einde = r.einde,
  }
end

function rule.on_cijfer(r)
  -- amounts (maat bedrag) are the jaarrekening's figures: verantwoording.aansluiting
  if r.maat == "bedrag" then return end
  cijfers[#cijfers + 1] = {
    tabel = r.tabel, rij = r.rij, kolom = r.kolom, maat = r.maat, peildatum = r.peildatum,
    waarde = r.waarde, decimalen = r.decimalen, afronding = r.afronding,
    ev = rhv.evidence(r, "tabel " .. r.tabel .. " " .. r.rij .. " " .. r.kolom .. " " .. r.maat),
  }
end

-- "a, b,c" -> set {a=true, b=true, c=true}
local function set_of(list)
  local s = {}
  for item in string.gmatch(list or "", "[^,]+") do
    item = item:match("^%s*(.-)%s*$")
    if item ~= "" then s[item] = true end
  end
  return s
end

-- 27935, 2 -> "279,35"; 685, 0 -> "685"; negative with a sign.
local function show(v, dec)
  if dec == 0 then return tostring(v) end
  return (v < 0 and "-" or "") .. rhv.scaled(v < 0 and -v or v, dec)
end

local function gcd(a, b)
  while b ~= 0 do a, b = b, a % b end
  return a
end

local function pow10(n)
  local p = 1
  for _ = 1, n do p = p * 10 end
  return p
end

-- The row an employee falls in for a kind of table; nil row with in=true means
-- "only in the Totaal".
local function row_of(kind, m, gemeenten, open)
  local binnen = open or gemeenten[m.woon]
  if kind == "woongemeente" then
    return true, binnen and m.woon or "Overige"
  elseif kind == "betaalgemeente" then
    if binnen then return false, nil end
    return true, m.betaal
  end
  local g = m.betaal or m.woon
  return true, (open or gemeenten[g]) and g or "Overige"
end

-- Totals per kind of table, row and category for one peildatum:
-- agg[kind][row][categorie] = { n = persons, uren = hours x100 }.
local function aggregate(peildatum, gemeenten, open)
  local agg = { woongemeente = {}, betaalgemeente = {}, plaatsgemeente = {} }
  local function add(t, row, m)
    local r = t[row]
    if not r then r = {}; t[row] = r end
    local c = r[m.categorie]
    if not c then c = { n = 0, uren = 0 }; r[m.categorie] = c end
    c.n = c.n + 1
    c.uren = c.uren + m.uren
  end
  for _, m in ipairs(medewerkers) do
    if m.begin <= peildatum and (m.einde == nil or m.einde >= peildatum) then
      for kind, t in pairs(agg) do
        local in_table, row = row_of(kind, m, gemeenten, open)
        if in_table then
          add(t, TOTAAL, m)
          if row then add(t, row, m) end
        end
      end
    end
  end
  return agg
end

function rule.finish(ctx)
  local a = ctx.args
  local gemeenten = set_of(a.gemeenten)
  local open = next(gemeenten) == nil
  local voltijd = { Wsw = a.voltijd_wsw, PW = a.voltijd_pw, Beschut = a.voltijd_beschut,
                    Regulier = a.voltijd_regulier }
  local kind_of = {}
  for t in pairs(set_of(a.tabellen_woongemeente)) do kind_of[t] = "woongemeente" end
  for t in pairs(set_of(a.tabellen_betaalgemeente)) do kind_of[t] = "betaalgemeente" end
  for t in pairs(set_of(a.tabellen_plaatsgemeente)) do kind_of[t] = "plaatsgemeente" end

  local function signaal(c, message, toelichting)
    rhv.finding{
      kind = "signalering", amount = 0, criterion = "geen",
      subject = "tabel " .. c.tabel .. " " .. c.rij .. " " .. c.kolom .. " " .. c.maat,
      -- A cell is named by its place and its peildatum: one table can be
      -- reported for several dates.
      key = "tabel " .. c.tabel .. " " .. c.rij .. " " .. c.kolom .. " " .. c.maat .. " " .. c.peildatum,
      message = message, toelichting = toelichting, evidence = { c.ev },
    }
  end

  -- An employee in a category without full-time hours makes every fte with
  -- them in it meaningless: say so once per category.
  local onbekend = {}
  for _, m in ipairs(medewerkers) do
    if not voltijd[m.categorie] and not onbekend[m.categorie] then
      onbekend[m.categorie] = true
      rhv.finding{
        kind = "signalering", amount = 0, criterion = "geen",
        subject = "medewerkers categorie " .. m.categorie,
        message = "Onbekende categorie '" .. m.categorie .. "': geen voltijdsuren, niet in fte meegeteld.",
      }
    end
  end

  local per_datum = {}
  for _, c in ipairs(cijfers) do
    local kind = kind_of[c.tabel]
    local col_ok = c.kolom == TOTAAL or voltijd[c.kolom] ~= nil
    local y, mo, d = c.peildatum:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
    local datum_rij = d .. "-" .. mo .. "-" .. y
    local rij = c.rij
    if kind == "woongemeente" and rij == datum_rij then rij = TOTAAL end
    local rij_ok = rij == TOTAAL
      or (kind == "betaalgemeente" and (open or gemeenten[rij]))
      or (kind ~= "betaalgemeente" and (open or gemeenten[rij] or rij == "Overige"))

    if not kind then
      signaal(c, "Tabel '" .. c.tabel .. "' is onbekend: cel niet gecontroleerd.",
        "Noem de tabel in een van de argumenten tabellen_woongemeente, tabellen_betaalgemeente "
        .. "of tabellen_plaatsgemeente.")
    elseif not col_ok then
      signaal(c, "Kolom '" .. c.kolom .. "' is geen categorie of Totaal: cel niet gecontroleerd.")
    elseif not rij_ok then
      signaal(c, "Rij '" .. c.rij .. "' is geen gemeente, Overige of Totaal van deze tabel: cel niet "
        .. "gecontroleerd.")
    elseif c.maat ~= "personen" and c.maat ~= "fte" and c.maat ~= "plaatsen" then
      signaal(c, "Maat '" .. c.maat .. "' is onbekend (personen, fte, plaatsen): cel niet gecontroleerd.")
    elseif c.afronding ~= "half_up" and c.afronding ~= "down" then
      signaal(c, "Afronding '" .. c.afronding .. "' is onbekend (half_up, down): cel niet gecontroleerd.")
    elseif c.decimalen < 0 or c.decimalen > 2 or c.waarde % pow10(2 - c.decimalen) ~= 0 then
      signaal(c, "Waarde " .. show(c.waarde, 2) .. " past niet bij " .. c.decimalen
        .. " decimalen: cel niet gecontroleerd.")
    else
      local agg = per_datum[c.peildatum]
      if not agg then
        agg = aggregate(c.peildatum, gemeenten, open)
        per_datum[c.peildatum] = agg
      end
      local cells = agg[kind][rij] or {}
      local dec = c.decimalen
      local scale = pow10(dec)
      -- Exact value as num/den, in units of 10^-dec.
      -- Totaal takes every category present, also an unknown one (signalled
      -- above): it has persons and hours, only no fte.
      local n, num, den = 0, 0, 1
      for cat, x in pairs(cells) do
        if c.kolom == TOTAAL or c.kolom == cat then
          n = n + x.n
          local per = a.uren_per_plaats
          if c.maat == "fte" then per = voltijd[cat] end
          if c.maat == "personen" then
            num = num + x.n * scale
          elseif per then
            local l = den // gcd(den, per) * per
            num = num * (l // den) + x.uren * scale * (l // per)
            den = l
          end
        end
      end
      local berekend = c.afronding == "half_up" and rhv.round_div(num, den) or num // den
      local gepubliceerd = c.waarde // pow10(2 - dec)
      if berekend ~= gepubliceerd then
        local exact = rhv.round_div(num * pow10(4 - dec), den)
        signaal(c,
          string.format("Gepubliceerd %s %s, berekend %s %s uit %d medewerkers op %s.",
            show(gepubliceerd, dec), c.maat, show(berekend, dec), c.maat, n, c.peildatum),
          c.maat ~= "personen" and string.format(
            "Exact %s %s; afgerond (%s, %d decimalen) %s; gepubliceerd %s; verschil %s.",
            show(exact, 4), c.maat, c.afronding, dec, show(berekend, dec),
            show(gepubliceerd, dec), show(berekend - gepubliceerd, dec)) or nil)
      end
    end
  end
end

return rule
