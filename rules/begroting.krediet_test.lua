-- Test cases for begroting.krediet (amounts in cents).
-- Builders: rhvtest (plugins/lib/testlib.lua).
local krediet, cat = rhvtest.krediet, rhvtest.begrotingscategorie

return {
  { name = "binnen_krediet", class = "pass",
    records = { krediet("K1", "Machinepark", 85000000, 74431820) },
    expect = {} },

  { name = "overschrijding_telt_mee", class = "fail",
    records = { krediet("K1", "Machinepark", 85000000, 86321055) },
    expect = { { kind = "fout", subject = "Krediet K1 Machinepark", amount = 1321055, counts = true } } },

  { name = "overschrijding_acceptabel", class = "fail",
    records = { cat("direct_gerelateerde_baten", false),
                krediet("K2021-03", "Machinepark", 85000000, 86321055, "direct_gerelateerde_baten") },
    expect = { { kind = "fout", subject = "Krediet K2021-03 Machinepark", amount = 1321055, counts = false } } },

  { name = "onbekende_categorie_telt_mee", class = "fail",
    records = { krediet("K3", "Pand", 100, 200, "investeringskrediet_7b") },
    expect = { { kind = "fout", subject = "Krediet K3 Pand", amount = 100, counts = true } } },

  { name = "precies_krediet", class = "boundary",
    records = { krediet("K1", "Machinepark", 85000000, 85000000) },
    expect = {} },

  { name = "een_cent_over", class = "boundary",
    records = { krediet("K1", "Machinepark", 85000000, 85000001) },
    expect = { { kind = "fout", subject = "Krediet K1 Machinepark", amount = 1 } } },
}
