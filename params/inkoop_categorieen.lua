-- The default map of Iv3 economische categorieën: which spend is procurement, and for spend that is not,
-- the legal reason. The dossier assigns ledger accounts to categories (<inkooprekening nr categorie>) and
-- may override a category or add its own (<inkoopcategorie>). A default, to be confirmed by the user: the
-- Iv3 toelichting was read only in secondary copies (shared/domain/procurement.md section 4, [S]), and the
-- codes differ by year (CBS Kredo nieuwsbrief mei 2024 [V]).
-- Reasons: arbeid (Aw 2012 art. 2.24 sub f), grond (2.24 sub b), financieel (2.24 sub e and i: loans,
-- financial instruments, rente), subsidie (no opdracht: PIANOo vakgroep Aanbestedingsrecht, May 2017 [V]),
-- samenwerking (inkomensoverdrachten to other overheden: check 2.24a-c), geen_prestatie (belastingen,
-- uitkeringen in geld, reserve mutations, internal allocations: no ondernemer, no bezwarende titel),
-- tussenrekening (crediteuren, btw, liquide middelen: the legs of a purchase, not spend).
local AW = "Aanbestedingswet 2012 (BWBR0032203, tekst 01-09-2025) "
return {
  name = "inkoop_categorieen",
  description = "Standaardindeling Iv3 economische categorieen: inkoop of niet, met de juridische reden",
  unit = "none",
  values = {
    { from = 2016,
      value = {
        ["1.1"] = { inkoop = false, reden = "arbeid", grond = AW .. "art. 2.24 sub f",
                    naam = "Salarissen en sociale lasten" },
        ["2.1"] = { inkoop = false, reden = "geen_prestatie", grond = "geen overheidsopdracht: belastingen",
                    naam = "Belastingen" },
        ["3.1"] = { inkoop = false, reden = "grond", grond = AW .. "art. 2.24 sub b", naam = "Grond" },
        ["3.2"] = { inkoop = true, naam = "Duurzame goederen" },
        ["3.3"] = { inkoop = false, reden = "grond", grond = AW .. "art. 2.24 sub b", naam = "Pachten" },
        ["3.4.1"] = { inkoop = true, naam = "Sociale uitkeringen in natura" },
        ["3.5.1"] = { inkoop = true, naam = "Ingeleend personeel" },
        ["3.8"] = { inkoop = true, naam = "Overige goederen en diensten" },
        ["4.1.1"] = { inkoop = false, reden = "geen_prestatie", grond = "geen overheidsopdracht: uitkering in geld",
                      naam = "Sociale uitkeringen in geld" },
        ["4.2"] = { inkoop = false, reden = "subsidie",
                    grond = "subsidie, geen overheidsopdracht (PIANOo, visie subsidie of overheidsopdracht, 2017)",
                    naam = "Subsidies" },
        ["4.3"] = { inkoop = false, reden = "samenwerking", grond = AW .. "art. 2.24a-2.24c",
                    naam = "Inkomensoverdrachten overheden" },
        ["5"] = { inkoop = false, reden = "financieel", grond = AW .. "art. 2.24 sub e en i",
                  naam = "Rente en dividend" },
        ["6"] = { inkoop = false, reden = "financieel", grond = AW .. "art. 2.24 sub e en i",
                  naam = "Financiele transacties" },
        ["7.1"] = { inkoop = false, reden = "geen_prestatie", grond = "geen overheidsopdracht: mutatie reserves",
                    naam = "Mutaties reserves" },
        ["7.5"] = { inkoop = false, reden = "geen_prestatie", grond = "geen overheidsopdracht: interne verrekening",
                    naam = "Overige verrekeningen" },
        tussenrekening = { inkoop = false, reden = "tussenrekening", grond = "crediteuren, btw of liquide middelen",
                           naam = "Tussenrekening" },
      },
      source = "Iv3 economische categorieen: https://financiengemeenten.nl/content/30---Goederen-en-diensten [S] ; "
            .. "https://www.cbs.nl/nl-nl/deelnemers-enquetes/decentrale-overheden/kredo-overheden/"
            .. "nieuwsbrief-kredo/kredo-nieuwsbrief-mei-2024 [V] ; uitsluitingen: Aanbestedingswet 2012 art. "
            .. "2.24-2.24c, https://wetten.overheid.nl/BWBR0032203 ; subsidies: "
            .. "https://www.pianoo.nl/nl/visie-subsidie-overheidsopdracht [V]",
      status = "S" },
  },
}
