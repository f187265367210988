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
--   * leeftijd tables (3.4, Wsw by age): an age band "27-34", "20 of jonger"
--     or "60 en ouder", from each one's geboortejaar: the age reached in the
--     peildatum's year, which is the age on the peildatum only on 31 December
--     (a cell with another peildatum is not checked, and says so); a band cell
--     is not checked either when someone in its column has no geboortejaar.
-- - maat personen: the number of employees.
--   maat fte: sum of contract hours / full-time hours of each one's category
--   (args voltijd_*), summed exactly and rounded once, as the cell says
--   (decimalen, afronding half_up or down). A total thus is not the sum of its
--   rounded cells: it is computed from the hours, like the publisher does.
--   maat plaatsen: sum of hours / hours per place (arg uren_per_plaats).
--   maat percentage: the cell's persons as a share of its column's Totaal
--   (same table, kolom and peildatum) x 100.
-- - afronding: half_up or down per cell; grootste_rest (percentages only) is a
--   column made to sum to 100: each row's share rounded down, and the units
--   still missing to 100 given to the rows with the largest remainders. Where
--   two rows tie for the last unit either may have it. rond_af() is the one
--   place a published rounding is applied, for every kind of table.
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
door 31; leeftijdsklassen uit het geboortejaar; percentages als aandeel in het totaal van de kolom,
ook wanneer de kolom met de grootste-restmethode op 100% is gebracht.]],
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
    tabellen_leeftijd = "3.4",
  },
}

local TOTAAL = "Totaal"

local medewerkers = {}
local cijfers = {}

function rule.on_medewerker(r)
  medewerkers[#medewerkers + 1] = {
    categorie = r.categorie, woon = r.woongemeente, betaal = r.betaalgemeente,
    uren = r.uren, begin = r.begin, einde = r.einde, geboortejaar = r.geboortejaar,
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
  elseif kind == "leeftijd" then
    return true, nil -- the bands come from the ages (aggregate)
  end
  local g = m.betaal or m.woon
  return true, (open or gemeenten[g]) and g or "Overige"
end

-- Totals per kind of table, row and category for one peildatum:
-- agg[kind][row][categorie] = { n = persons, uren = hours x100 }; and for the
-- leeftijd tables ages[age][categorie] likewise, zonder[categorie] = persons
-- without a geboortejaar.
local function aggregate(peildatum, gemeenten, open)
  local agg = { woongemeente = {}, betaalgemeente = {}, plaatsgemeente = {}, leeftijd = {} }
  local ages, zonder = {}, {}
  local jaar = tonumber(peildatum:sub(1, 4))
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
      if m.geboortejaar then
        add(ages, jaar - m.geboortejaar, m)
      else
        zonder[m.categorie] = (zonder[m.categorie] or 0) + 1
      end
    end
  end
  return agg, ages, zonder
end

-- An age band's bounds from its row label: "27-34", "20 of jonger", "60 en ouder".
local function band_of(rij)
  local lo, hi = rij:match("^(%d+)%s*%-%s*(%d+)$")
  if lo then
    lo, hi = tonumber(lo), tonumber(hi)
    if lo <= hi then return lo, hi end
    return nil
  end
  local n = rij:match("^(%d+) of jonger$")
  if n then return math.mininteger, tonumber(n) end
  n = rij:match("^(%d+) en ouder$")
  if n then return tonumber(n), math.maxinteger end
  return nil
end

-- The persons and hours a cell counts, per category ({} when none), or nil
-- and why it cannot be counted.
local function counted(d, kind, rij, c)
  if kind ~= "leeftijd" or rij == TOTAAL then return d.agg[kind][rij] or {} end
  if c.peildatum:sub(6) ~= "12-31" then
    return nil, "Uit een geboortejaar volgt de leeftijd alleen op 31 december, niet op " .. c.peildatum
      .. ": cel niet gecontroleerd."
  end
  local zonder = 0
  for cat, k in pairs(d.zonder) do
    if c.kolom == TOTAAL or c.kolom == cat then zonder = zonder + k end
  end
  if zonder > 0 then
    return nil, string.format("%d medewerkers in kolom %s hebben op %s geen geboortejaar: cel niet "
      .. "gecontroleerd.", zonder, c.kolom, c.peildatum)
  end
  local lo, hi = band_of(rij)
  local out = {}
  for age, row in pairs(d.ages) do
    if age >= lo and age <= hi then
      for cat, x in pairs(row) do
        local o = out[cat]
        if not o then o = { n = 0, uren = 0 }; out[cat] = o end
        o.n = o.n + x.n
        o.uren = o.uren + x.uren
      end
    end
  end
  return out
end

-- Persons in the column of a cell (kolom: one category or all).
local function persons(cells, kolom)
  local n = 0
  for cat, x in pairs(cells) do
    if kolom == TOTAAL or kolom == cat then n = n + x.n end
  end
  return n
end

-- The cell's exact value as num/den in units of 10^-decimalen, and its
-- number of persons; or nil and why.
local function exact(c, cells, kolom_totaal, voltijd, uren_per_plaats)
  local scale = pow10(c.decimalen)
  local n = persons(cells, c.kolom)
  if c.maat == "percentage" then
    if kolom_totaal == 0 then
      return nil, "Kolom " .. c.kolom .. " telt op " .. c.peildatum .. " geen medewerkers: geen percentage "
        .. "te berekenen."
    end
    return n * 100 * scale, kolom_totaal, n
  end
  -- Totaal takes every category present, also an unknown one (signalled
  -- in finish): it has persons and hours, only no fte.
  local num, den = 0, 1
  for cat, x in pairs(cells) do
    if c.kolom == TOTAAL or c.kolom == cat then
      local per = uren_per_plaats
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
  return num, den, n
end

-- A column of percentages made to sum to 100 (largest remainder): every row
-- (not the Totaal) of one table, kolom and peildatum gets lo..hi, the value
-- or the two values its published cell may have; or why when the rows do not
-- make up the column, so that no rounding to 100 is defined.
local function grootste_rest(rows, totaal)
  local som_n, som_floor, rests = 0, 0, {}
  for _, c in ipairs(rows) do
    som_n = som_n + c.n
    c.floor, c.rest = c.num // c.den, c.num % c.den
    som_floor = som_floor + c.floor
    rests[#rests + 1] = c.rest
  end
  if som_n ~= totaal then
    for _, c in ipairs(rows) do
      c.why = string.format("De rijen van kolom %s tellen samen %d van de %d medewerkers: de afronding tot "
        .. "100%% (grootste rest) is niet na te rekenen.", c.kolom, som_n, totaal)
    end
    return
  end
  -- The units still missing to 100, one each to the largest remainders.
  local missing = 100 * pow10(rows[1].decimalen) - som_floor
  table.sort(rests, function(a, b) return a > b end)
  local cut = missing > 0 and rests[missing] or nil
  local above, tied = 0, 0
  for _, r in ipairs(rests) do
    if cut and r > cut then above = above + 1 elseif r == cut then tied = tied + 1 end
  end
  for _, c in ipairs(rows) do
    if not cut or c.rest < cut then
      c.lo, c.hi = c.floor, c.floor
    elseif c.rest > cut or missing - above == tied then
      c.lo, c.hi = c.floor + 1, c.floor + 1
    else
      c.lo, c.hi = c.floor, c.floor + 1 -- a tie for the last unit: either row may have it
    end
  end
end

-- The one place a published rounding is applied: sets c.lo..c.hi for a
-- computed cell, by its afronding. grootste_rest cells of one column are
-- rounded together (columns: key -> { rows, totaal }).
local function rond_af(c, columns)
  if c.afronding == "half_up" then
    c.lo = rhv.round_div(c.num, c.den)
    c.hi = c.lo
  elseif c.afronding == "down" or c.rij_norm == TOTAAL then
    c.lo = c.num // c.den -- a Totaal of percentages is exact: 100
    c.hi = c.lo
  else
    local key = c.tabel .. "\0" .. c.kolom .. "\0" .. c.peildatum .. "\0" .. c.decimalen
    local col = columns[key]
    if not col then
      col = { rows = {}, totaal = c.den }
      columns[key] = col
    end
    col.rows[#col.rows + 1] = c
  end
end

-- 306, 2, "percentage" -> "3,06%"; 8462, 2, "fte" -> "84,62 fte"
local function met_maat(v, dec, maat)
  if maat == "percentage" then return show(v, dec) .. "%" end
  return show(v, dec) .. " " .. maat
end

-- Why a cell cannot be checked as stated, or nil. kind is its table's kind.
local function onleesbaar(c, kind, rij, voltijd, gemeenten, open)
  local col_ok = c.kolom == TOTAAL or voltijd[c.kolom] ~= nil
  local rij_ok = rij == TOTAAL
    or (kind == "betaalgemeente" and (open or gemeenten[rij]))
    or (kind == "leeftijd" and band_of(rij) ~= nil)
    or (kind ~= "betaalgemeente" and kind ~= "leeftijd" and (open or gemeenten[rij] or rij == "Overige"))
  if not kind then
    return "Tabel '" .. c.tabel .. "' is onbekend: cel niet gecontroleerd.",
      "Noem de tabel in een van de argumenten tabellen_woongemeente, tabellen_betaalgemeente, "
      .. "tabellen_plaatsgemeente of tabellen_leeftijd."
  elseif not col_ok then
    return "Kolom '" .. c.kolom .. "' is geen categorie of Totaal: cel niet gecontroleerd."
  elseif not rij_ok and kind == "leeftijd" then
    return "Rij '" .. c.rij .. "' is geen leeftijdsklasse (zoals 27-34, 20 of jonger, 60 en ouder) of Totaal: "
      .. "cel niet gecontroleerd."
  elseif not rij_ok then
    return "Rij '" .. c.rij .. "' is geen gemeente, Overige of Totaal van deze tabel: cel niet gecontroleerd."
  elseif c.maat ~= "personen" and c.maat ~= "fte" and c.maat ~= "plaatsen" and c.maat ~= "percentage" then
    return "Maat '" .. c.maat .. "' is onbekend (personen, fte, plaatsen, percentage): cel niet gecontroleerd."
  elseif c.afronding == "grootste_rest" and c.maat ~= "percentage" then
    return "Afronding grootste_rest past alleen bij een kolom percentages, niet bij maat " .. c.maat
      .. ": cel niet gecontroleerd."
  elseif c.afronding ~= "half_up" and c.afronding ~= "down" and c.afronding ~= "grootste_rest" then
    return "Afronding '" .. c.afronding .. "' is onbekend (half_up, down, grootste_rest): cel niet gecontroleerd."
  elseif c.decimalen < 0 or c.decimalen > 2 or c.waarde % pow10(2 - c.decimalen) ~= 0 then
    return "Waarde " .. show(c.waarde, 2) .. " past niet bij " .. c.decimalen .. " decimalen: cel niet "
      .. "gecontroleerd."
  end
  return nil
end

-- Compares a rounded cell with its published value.
local function vergelijk(c, signaal)
  local dec = c.decimalen
  local gepubliceerd = c.waarde // pow10(2 - dec)
  if gepubliceerd >= c.lo and gepubliceerd <= c.hi then return end
  local berekend = gepubliceerd < c.lo and c.lo or c.hi
  local tekst = met_maat(c.lo, dec, c.maat)
  if c.hi ~= c.lo then tekst = tekst .. " of " .. met_maat(c.hi, dec, c.maat) end
  local precies = rhv.round_div(c.num * pow10(4 - dec), c.den)
  signaal(c,
    string.format("Gepubliceerd %s, berekend %s uit %d medewerkers op %s.",
      met_maat(gepubliceerd, dec, c.maat), tekst, c.n, c.peildatum),
    c.maat ~= "personen" and string.format(
      "Exact %s; afgerond (%s, %d decimalen) %s; gepubliceerd %s; verschil %s.",
      met_maat(precies, 4, c.maat), c.afronding, dec, c.hi ~= c.lo and tekst or show(berekend, dec),
      show(gepubliceerd, dec), show(berekend - gepubliceerd, dec)) or nil)
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
  for t in pairs(set_of(a.tabellen_leeftijd)) do kind_of[t] = "leeftijd" end

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

  -- Each cell: read, counted and computed exactly; then rounded as published
  -- (a column rounded to 100 only once all its rows are known) and compared.
  local per_datum, computed, columns = {}, {}, {}
  for _, c in ipairs(cijfers) do
    local kind = kind_of[c.tabel]
    local y, mo, d = c.peildatum:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
    local rij = c.rij
    if kind == "woongemeente" and rij == d .. "-" .. mo .. "-" .. y then rij = TOTAAL end
    local why, toelichting = onleesbaar(c, kind, rij, voltijd, gemeenten, open)
    local dat = per_datum[c.peildatum]
    if not why and not dat then
      local agg, ages, zonder = aggregate(c.peildatum, gemeenten, open)
      dat = { agg = agg, ages = ages, zonder = zonder }
      per_datum[c.peildatum] = dat
    end
    local cells
    if not why then cells, why = counted(dat, kind, rij, c) end
    if not why then
      c.rij_norm = rij
      c.num, c.den, c.n = exact(c, cells, persons(dat.agg[kind][TOTAAL] or {}, c.kolom), voltijd,
        a.uren_per_plaats)
      if not c.num then why = c.den end
    end
    if why then
      signaal(c, why, toelichting)
    else
      rond_af(c, columns)
      computed[#computed + 1] = c
    end
  end
  for _, col in pairs(columns) do grootste_rest(col.rows, col.totaal) end
  for _, c in ipairs(computed) do
    if c.why then signaal(c, c.why) else vergelijk(c, signaal) end
  end
end

return rule
