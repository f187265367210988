-- Test cases for afwijkingen.geregistreerd (amounts in cents).
local function afw(id, soort, bedrag, status, criterium, onderwerp)
  return { _type = "afwijking", id = id, criterium = criterium or "voorwaardencriterium", soort = soort,
           bedrag = bedrag, onderwerp = onderwerp or "Aanbesteding schoonmaak",
           omschrijving = "Meervoudig onderhands gegund boven de Europese drempel.", status = status,
           bron = "accountant" }
end

return {
  { name = "geen_afwijkingen", class = "pass", records = {}, expect = {} },

  { name = "fout_en_onzekerheid", class = "fail",
    records = { afw("A1", "fout", 24311840, "definitief"),
                afw("A2", "onzekerheid", 18640000, "open", "voorwaardencriterium", "Loonkostensubsidie"),
                afw("A3", "fout", 500000, "open", "begrotingscriterium", "Programma 2") },
    expect = { { kind = "fout", subject = "Aanbesteding schoonmaak", amount = 24311840, counts = true },
               { kind = "onzekerheid", subject = "Loonkostensubsidie", amount = 18640000, counts = true },
               { kind = "fout", subject = "Programma 2", amount = 500000 } } },

  -- A registered afwijking in a category the verordening does not count is acceptabel, like a
  -- rule's overschrijding; one in a counted category, or an undeclared one, counts.
  { name = "categorie_acceptabel", class = "pass",
    records = { rhvtest.begrotingscategorie("open_einde", false), rhvtest.begrotingscategorie("buiten_beleid", true),
                rhvtest.set(afw("B1", "fout", 300000, "definitief", "begrotingscriterium", "Jeugdzorg"),
                            { categorie = "open_einde" }) },
    expect = { { kind = "fout", subject = "Jeugdzorg", amount = 300000, counts = false } } },

  { name = "categorie_telt_mee", class = "fail",
    records = { rhvtest.begrotingscategorie("open_einde", false), rhvtest.begrotingscategorie("buiten_beleid", true),
                rhvtest.set(afw("B2", "fout", 300000, "definitief", "begrotingscriterium", "Wegen"),
                            { categorie = "buiten_beleid" }),
                rhvtest.set(afw("B3", "fout", 100, "definitief", "begrotingscriterium", "Onbekend"),
                            { categorie = "niet_verklaard" }) },
    expect = { { kind = "fout", subject = "Wegen", amount = 300000, counts = true },
               { kind = "fout", subject = "Onbekend", amount = 100, counts = true } } },

  { name = "hersteld_telt_mee", class = "fail",
    records = { afw("A3", "fout", 1875000, "hersteld", "misbruik_oneigenlijk_gebruik", "Inhuur") },
    expect = { { kind = "fout", subject = "Inhuur", amount = 1875000, counts = true } } },

  { name = "een_cent_en_nul", class = "boundary",
    records = { afw("A4", "fout", 1, "open"), afw("A5", "onzekerheid", 0, "open", nil, "Nul") },
    expect = { { kind = "fout", subject = "Aanbesteding schoonmaak", amount = 1 },
               { kind = "signalering", subject = "Afwijking A5 Nul", amount = 0 } } },

  { name = "meerregelige_tekst", class = "fail",
    records = { { _type = "afwijking", id = "C1", criterium = "voorwaardencriterium", soort = "fout",
                  bedrag = 250, onderwerp = "Inhuur\n  extern", omschrijving = "Eerste regel.\nTweede regel.",
                  status = "open" } },
    expect = { { kind = "fout", subject = "Inhuur extern", amount = 250 } } },
}
