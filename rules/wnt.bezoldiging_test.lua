-- Test cases for wnt.bezoldiging (amounts in cents; fte x10000). Maximum 2023:
-- EUR 223.000 (22300000), 2024: EUR 233.000, from params/wnt_maximum.lua.
local function tf(id, naam, functie, fte, begin, einde, beloning, onkosten, termijn, extra)
  return rhvtest.set({ _type = "topfunctionaris", id = id, naam = naam, functie = functie, fte = fte,
                        begin = begin, einde = einde, beloning = beloning, onkosten = onkosten or 0,
                        termijn = termijn or 0 }, extra)
end
local DIR = "Topfunctionaris J. Jansen (directeur)"

return {
  { name = "binnen_maximum", class = "pass",
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-12-31", 14820000, 0, 2355000,
                   { dienstbetrekking = true }) },
    expect = {} },

  { name = "precies_maximum", class = "boundary",
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-12-31", 19000000, 300000, 3000000) },
    expect = {} },

  { name = "een_cent_boven_maximum", class = "boundary",
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-12-31", 19000000, 300000, 3000001) },
    expect = { { kind = "fout", subject = DIR, amount = 1, counts = true } } },

  { name = "ruim_boven_maximum", class = "fail",
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-12-31", 23000000, 500000, 2800000) },
    expect = { { kind = "fout", subject = DIR, amount = 4000000 } } },

  { name = "deeltijd", class = "boundary",
    -- 0,8 fte: 223.000 x 0,8 = 178.400,00
    records = { tf("T1", "J. Jansen", "directeur", 8000, "2023-01-01", "2023-12-31", 17840001),
                tf("T2", "A. de Vries", "secretaris", 8000, "2023-01-01", "2023-12-31", 17840000) },
    expect = { { kind = "fout", subject = DIR, amount = 1 } } },

  { name = "deel_van_het_jaar", class = "boundary",
    -- 1 juli t/m 31 december = 184 dagen: 223.000 x 184/365 = 112.416,438.. -> 112.416,44
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-07-01", "2023-12-31", 11241645),
                tf("T2", "A. de Vries", "secretaris", 10000, "2023-07-01", "2023-12-31", 11241644) },
    expect = { { kind = "fout", subject = DIR, amount = 1 } } },

  { name = "twee_functies_in_een_jaar", class = "fail",
    -- directeur 181 dagen voltijd: max 110.583,56; daarna secretaris 184 dagen 0,5 fte: max 56.208,22.
    -- Ruimte in de eerste functie vult de overschrijding in de tweede niet aan.
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-06-30", 11000000),
                tf("T1", "J. Jansen", "secretaris", 5000, "2023-07-01", "2023-12-31", 6000000) },
    expect = { { kind = "fout", subject = "Topfunctionaris J. Jansen (secretaris)", amount = 379178 } } },

  { name = "gelijktijdige_functies_boven_voltijd", class = "fail",
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-12-31", 20000000),
                tf("T1", "J. Jansen", "secretaris", 5000, "2023-10-01", "2023-12-31", 1000000) },
    expect = { { kind = "signalering", subject = "Topfunctionaris J. Jansen", amount = 0 } } },

  { name = "gelijktijdige_functies_precies_voltijd", class = "boundary",
    records = { tf("T1", "J. Jansen", "directeur", 5000, "2023-01-01", "2023-12-31", 10000000),
                tf("T1", "J. Jansen", "secretaris", 5000, "2023-01-01", "2023-12-31", 10000000) },
    expect = {} },

  { name = "schrikkeljaar_2024", class = "boundary", year = 2024,
    -- 1 januari t/m 29 februari 2024 = 60 dagen: 233.000 x 60/366 = 38.196,72
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2024-01-01", "2024-02-29", 3819673) },
    expect = { { kind = "fout", subject = DIR, amount = 1 } } },

  { name = "meer_dan_voltijd_telt_als_voltijd", class = "boundary",
    records = { tf("T1", "J. Jansen", "directeur", 12000, "2023-01-01", "2023-12-31", 22300001) },
    expect = { { kind = "fout", subject = DIR, amount = 1 } } },

  { name = "afronding_half_van_nul_af", class = "boundary",
    -- maximum 223.000,01 x 0,5 = 111.500,005 -> 111.500,01
    params = { wnt_maximum = { algemeen = 22300001 } },
    records = { tf("T1", "J. Jansen", "directeur", 5000, "2023-01-01", "2023-12-31", 11150001),
                tf("T2", "A. de Vries", "secretaris", 5000, "2023-01-01", "2023-12-31", 11150002) },
    expect = { { kind = "fout", subject = "Topfunctionaris A. de Vries (secretaris)", amount = 1 } } },

  { name = "niet_te_toetsen", class = "fail",
    records = { tf("T1", "J. Jansen", "directeur", 10000, "2023-01-01", "2023-12-31", 30000000,
                   0, 0, { dienstbetrekking = false }),
                tf("T2", "A. de Vries", "secretaris", 10000, "2022-12-01", "2023-12-31", 100),
                tf("T3", "P. Peters", "controller", 10000, "2023-06-01", "2023-05-31", 100),
                tf("T4", "K. Kok", "penningmeester", 0, "2023-01-01", "2023-12-31", 100) },
    expect = { { kind = "signalering", subject = DIR, amount = 0 },
               { kind = "signalering", subject = "Topfunctionaris A. de Vries (secretaris)", amount = 0 },
               { kind = "signalering", subject = "Topfunctionaris P. Peters (controller)", amount = 0 },
               { kind = "signalering", subject = "Topfunctionaris K. Kok (penningmeester)", amount = 0 } } },
}
