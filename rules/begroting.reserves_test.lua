-- Test cases for begroting.reserves (amounts in cents).
-- Builders: rhvtest (plugins/lib/testlib.lua).
local reserve, cat = rhvtest.reserve, rhvtest.begrotingscategorie

return {
  { name = "binnen_begroting", class = "pass",
    records = { reserve("R1", "Algemene reserve", 25000000, 25000000, 0, 0),
                reserve("R2", "Herstructurering", 0, 0, 40000000, 36250000) },
    expect = {} },

  { name = "toevoeging_te_hoog", class = "fail",
    records = { reserve("R1", "Algemene reserve", 25000000, 26000000, 0, 0) },
    expect = { { kind = "fout", subject = "Reserve R1 Algemene reserve, toevoeging", amount = 1000000,
                 counts = true } } },

  { name = "onttrekking_zonder_besluit", class = "fail",
    records = { reserve("R2", "Herstructurering", 0, 0, 0, 5000000) },
    expect = { { kind = "fout", subject = "Reserve R2 Herstructurering, onttrekking", amount = 5000000 } } },

  { name = "beide_kanten_apart", class = "fail",
    -- a lower onttrekking does not make good a higher toevoeging
    records = { reserve("R3", "Vervanging", 100, 150, 1000, 1020) },
    expect = { { kind = "fout", subject = "Reserve R3 Vervanging, toevoeging", amount = 50 },
               { kind = "fout", subject = "Reserve R3 Vervanging, onttrekking", amount = 20 } } },

  { name = "acceptabele_categorie", class = "fail",
    records = { reserve("R3", "Vervanging", 100, 150, 0, 0, "direct_gerelateerde_baten"),
                cat("direct_gerelateerde_baten", false) },
    expect = { { kind = "fout", subject = "Reserve R3 Vervanging, toevoeging", amount = 50, counts = false } } },

  { name = "precies_begroot", class = "boundary",
    records = { reserve("R1", "Algemene reserve", 25000000, 25000000, 12000000, 12000000) },
    expect = {} },

  { name = "een_cent_over", class = "boundary",
    records = { reserve("R1", "Algemene reserve", 25000000, 24999999, 12000000, 12000001) },
    expect = { { kind = "fout", subject = "Reserve R1 Algemene reserve, onttrekking", amount = 1 } } },
}
