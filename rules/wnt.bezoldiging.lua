-- wnt.bezoldiging: the pay of each topfunctionaris within the WNT maximum.
--
-- A gemeenschappelijke regeling is a lichaam under public law and falls under
-- the algemeen bezoldigingsmaximum of the WNT (no sector klasse). Pay above the
-- individual maximum is onverschuldigd betaald: a fout under the
-- voorwaardencriterium, of the size of the excess.
--
-- The calculation, per <topfunctionaris> record (one record per function):
--   bezoldiging = beloning + belastbare onkostenvergoedingen + beloningen
--                 betaalbaar op termijn
--   individueel maximum = algemeen maximum of the year
--                         x omvang dienstverband (at most 1,0 fte)
--                         x days in the function / days in the year
-- computed exactly on integers and rounded once, half away from zero, to the
-- cent. The omvang is capped at 1,0 because the maximum is set for a full-time
-- job: working more than full time does not raise it.
--
-- Two functions in one year (two records with the same id) are tested per
-- function, each against its own pro-rata maximum, as the WNT disclosure table
-- has one column per function. Headroom in one function therefore does not
-- absorb an excess in the other. Consecutive functions together never get more
-- than the full-year maximum, because their days do not overlap. Functions held
-- at the same time with more than 1,0 fte together would each get their own
-- maximum, more than one full-time job: that is reported as a signalering, so
-- the samenloop is looked at by hand rather than passed silently.
--
-- Not tested here, said in a signalering instead: a topfunctionaris without
-- dienstbetrekking (the interim norm per kalendermaand applies in the first
-- twelve months, which needs the months before this year), and records whose
-- dates or fte cannot be used.

local rule = {
  id          = "wnt.bezoldiging",
  title       = "Bezoldiging topfunctionarissen binnen het WNT-maximum",
  description = [[Toetst per topfunctionaris en functie de bezoldiging (beloning, belastbare
onkostenvergoedingen en beloningen betaalbaar op termijn) aan het individueel toepasselijke
bezoldigingsmaximum: het algemeen maximum van het jaar naar rato van omvang dienstverband (ten hoogste
1,0 fte) en duur van de functievervulling in het jaar. Het meerdere is een fout.]],
  criterion   = "voorwaardencriterium",
  legal_basis = {
    text   = "Wet normering topinkomens (WNT): algemeen bezoldigingsmaximum, naar rato van deeltijdfactor "
          .. "en duur van de functievervulling; van toepassing op rechtspersonen krachtens publiekrecht (art. 1.2)",
    source = "https://www.topinkomens.nl/vraag-antwoord/vraag-en-antwoord/"
          .. "wat-is-de-hoogte-van-het-bezoldigingsmaximum ; "
          .. "https://www.wntadvies.nl/kennisbank-wnt/wnt-in-hoofdlijnen/wnt-maximum-van-de-organisatie",
  },
  years       = { from = 2023 },
  reads       = { "topfunctionaris" },
  params      = { "wnt_maximum" },
}

local VOLTIJD = 10000  -- fte is scaled x10000

-- Days since 1970-01-01 of a "YYYY-MM-DD" date (proleptic Gregorian; the
-- days-from-civil algorithm), so that a difference counts days exactly.
local function day_number(date)
  local y, m, d = date:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m > 2 and m - 3 or m + 9) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local function is_leap(y)
  return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
end

-- Per person id, the periods and fte of their functions, in input order.
local personen, volgorde = {}, {}

function rule.on_topfunctionaris(r, ctx)
  local p = personen[r.id]
  if not p then
    p = { naam = r.naam, functies = {} }
    personen[r.id] = p
    volgorde[#volgorde + 1] = r.id
  end
  p.functies[#p.functies + 1] = { functie = r.functie, begin = r.begin, einde = r.einde, fte = r.fte,
                                  ev = rhv.evidence(r, "topfunctionaris " .. r.id .. " " .. r.functie) }

  local subject = "Topfunctionaris " .. r.naam .. " (" .. r.functie .. ")"
  local ev = { rhv.evidence(r, "topfunctionaris " .. r.id .. " " .. r.functie) }
  -- the published name may be corrected; the person's id and function stay
  local key = r.id .. " " .. r.functie
  local function signaal(message)
    rhv.finding{ kind = "signalering", amount = 0, criterion = "geen", subject = subject,
                 message = message, evidence = ev, key = key }
  end

  local jaar = tostring(ctx.year)
  if r.einde < r.begin then
    signaal("Einde " .. r.einde .. " ligt voor begin " .. r.begin .. ": bezoldiging niet getoetst.")
    return
  end
  if r.begin:sub(1, 4) ~= jaar or r.einde:sub(1, 4) ~= jaar then
    signaal("Periode " .. r.begin .. " t/m " .. r.einde .. " ligt niet binnen boekjaar " .. jaar
      .. ": bezoldiging niet getoetst.")
    return
  end
  if r.fte <= 0 then
    signaal("Omvang dienstverband " .. rhv.scaled(r.fte, 4) .. " fte is niet bruikbaar: bezoldiging niet getoetst.")
    return
  end
  if r.dienstbetrekking == false then
    signaal("Topfunctionaris zonder dienstbetrekking: de norm voor interim-topfunctionarissen (per "
      .. "kalendermaand) is niet door deze regel getoetst; handmatig toetsen.")
    return
  end

  local dagen = day_number(r.einde) - day_number(r.begin) + 1
  local dagen_jaar = is_leap(ctx.year) and 366 or 365
  local fte = r.fte > VOLTIJD and VOLTIJD or r.fte
  local algemeen = ctx.params.wnt_maximum.algemeen
  local maximum = rhv.round_div(algemeen * fte * dagen, VOLTIJD * dagen_jaar)
  local bezoldiging = r.beloning + r.onkosten + r.termijn
  if bezoldiging <= maximum then
    return
  end

  local over = bezoldiging - maximum
  rhv.finding{
    kind = "fout",
    amount = over,
    subject = subject,
    key = key,
    message = "Bezoldiging " .. rhv.format(bezoldiging) .. " is " .. rhv.format(over)
           .. " hoger dan het individuele WNT-maximum van " .. rhv.format(maximum) .. ".",
    toelichting = string.format(
      "Bezoldiging: beloning %s + belastbare onkostenvergoedingen %s + beloningen betaalbaar op termijn %s = %s. "
      .. "Individueel maximum: %s (algemeen maximum %d) x %s fte%s x %d/%d dagen (%s t/m %s) = %s, "
      .. "afgerond op centen (half van nul af). Overschrijding: %s.",
      rhv.format(r.beloning), rhv.format(r.onkosten), rhv.format(r.termijn), rhv.format(bezoldiging),
      rhv.format(algemeen), ctx.year, rhv.scaled(fte, 4), r.fte > VOLTIJD and " (begrensd op 1,0)" or "",
      dagen, dagen_jaar, r.begin, r.einde, rhv.format(maximum), rhv.format(over)),
    evidence = ev,
  }
end

-- Concurrent functions of one person above 1,0 fte together: one signalering
-- per person, naming the first such pair.
function rule.finish()
  for _, id in ipairs(volgorde) do
    local p = personen[id]
    local gevonden = false
    for i = 1, #p.functies do
      for j = i + 1, #p.functies do
        local a, b = p.functies[i], p.functies[j]
        local overlap = a.begin <= a.einde and b.begin <= b.einde  -- reversed periods were signalled
                        and a.begin <= b.einde and b.begin <= a.einde
        if not gevonden and overlap and a.fte + b.fte > VOLTIJD then
          gevonden = true
          rhv.finding{
            kind = "signalering", amount = 0, criterion = "geen",
            subject = "Topfunctionaris " .. p.naam,
            key = id,
            message = "Functies " .. a.functie .. " en " .. b.functie .. " overlappen in de tijd met samen "
                   .. rhv.scaled(a.fte + b.fte, 4) .. " fte: per functie getoetst, samenloop handmatig beoordelen.",
            evidence = { a.ev, b.ev },
          }
        end
      end
    end
  end
end

return rule
