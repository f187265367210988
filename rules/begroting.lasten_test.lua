-- Test cases for begroting.lasten (amounts in cents).
-- Builders: rhvtest (plugins/lib/testlib.lua).
local prog, cat = rhvtest.programma, rhvtest.begrotingscategorie

return {
  { name = "binnen_begroting", class = "pass",
    records = { prog("1", "Werk", 1000000000, 999999999), prog("2", "Beschut", 50000000, 1) },
    expect = {} },

  { name = "overschrijding_telt_mee", class = "fail",
    records = { prog("1", "Werk", 3164000000, 3195248015), prog("2", "Beschut", 500, 400) },
    expect = { { kind = "fout", subject = "Programma 1 Werk", amount = 31248015, counts = true } } },

  { name = "precies_begroting", class = "boundary",
    records = { prog("1", "Werk", 123456789, 123456789) },
    expect = {} },

  { name = "een_cent_over", class = "boundary",
    records = { prog("1", "Werk", 123456789, 123456790) },
    expect = { { kind = "fout", subject = "Programma 1 Werk", amount = 1, counts = true } } },

  { name = "acceptabele_categorie", class = "fail",
    -- the category is declared after the programma: the order must not matter
    records = { prog("3", "Re-integratie", 1000, 1500, "direct_gerelateerde_baten"),
                cat("direct_gerelateerde_baten", false) },
    expect = { { kind = "fout", subject = "Programma 3 Re-integratie", amount = 500, counts = false } } },

  { name = "categorie_telt_mee", class = "fail",
    records = { cat("niet_tijdig_gesignaleerd", true),
                prog("3", "Re-integratie", 1000, 1500, "niet_tijdig_gesignaleerd") },
    expect = { { kind = "fout", subject = "Programma 3 Re-integratie", amount = 500, counts = true } } },

  { name = "onbekende_categorie_telt_mee", class = "fail",
    records = { cat("open_einde", false), prog("4", "Overhead", 1000, 1001, "iets_anders") },
    expect = { { kind = "fout", subject = "Programma 4 Overhead", amount = 1, counts = true } } },

  { name = "meerdere_programmas", class = "fail",
    records = { prog("1", "Werk", 100, 150), prog("2", "Beschut", 100, 100), prog("3", "Overhead", 0, 7) },
    expect = { { kind = "fout", subject = "Programma 1 Werk", amount = 50 },
               { kind = "fout", subject = "Programma 3 Overhead", amount = 7 } } },
}
