-- The Iv3 taakveldenlijst for gemeenten: the hoofdtaakvelden (0 to 8) and the taakvelden under them, by
-- code, with their names. Rule verantwoording.aansluiting checks that every <taakveld> of the dossier has a
-- code from this list (a hoofdtaakveld code too: Best 2023 tests its begroting per hoofdtaakveld,
-- shared/domain/rhv-facts.md par. 6).
--
-- Status U (unverified): the list is written from the Iv3 structure as it is widely used (BBV art. 8 lid 2
-- and the Regeling informatie voor derden, bijlage taakvelden), not read from the primary text for this
-- edition; shared/domain/rhv-facts.md has no copy of it. The names and the codes of the sociaal domein
-- (6.71 .. 6.82) and of 0.9 .. 0.11 changed over the years. A taakveld missing here is reported as a
-- signalering, never as an error: confirm the list against the regeling before relying on that signal.
local TAAKVELDEN = {
  ["0"] = "Bestuur en ondersteuning",
  ["0.1"] = "Bestuur", ["0.2"] = "Burgerzaken", ["0.3"] = "Beheer overige gebouwen en gronden",
  ["0.4"] = "Overhead", ["0.5"] = "Treasury", ["0.61"] = "OZB woningen", ["0.62"] = "OZB niet-woningen",
  ["0.63"] = "Parkeerbelasting", ["0.64"] = "Belastingen overig",
  ["0.7"] = "Algemene uitkering en overige uitkeringen gemeentefonds", ["0.8"] = "Overige baten en lasten",
  ["0.9"] = "Vennootschapsbelasting (VpB)", ["0.10"] = "Mutaties reserves",
  ["0.11"] = "Resultaat van de rekening van baten en lasten",
  ["1"] = "Veiligheid",
  ["1.1"] = "Crisisbeheersing en brandweer", ["1.2"] = "Openbare orde en veiligheid",
  ["2"] = "Verkeer, vervoer en waterstaat",
  ["2.1"] = "Verkeer en vervoer", ["2.2"] = "Parkeren", ["2.3"] = "Recreatieve havens",
  ["2.4"] = "Economische havens en waterwegen", ["2.5"] = "Openbaar vervoer",
  ["3"] = "Economie",
  ["3.1"] = "Economische ontwikkeling", ["3.2"] = "Fysieke bedrijfsinfrastructuur",
  ["3.3"] = "Bedrijvenloket en bedrijfsregelingen", ["3.4"] = "Economische promotie",
  ["4"] = "Onderwijs",
  ["4.1"] = "Openbaar basisonderwijs", ["4.2"] = "Onderwijshuisvesting", ["4.3"] = "Onderwijsbeleid en leerlingzaken",
  ["5"] = "Sport, cultuur en recreatie",
  ["5.1"] = "Sportbeleid en activering", ["5.2"] = "Sportaccommodaties",
  ["5.3"] = "Cultuurpresentatie, cultuurproductie en cultuurparticipatie", ["5.4"] = "Musea",
  ["5.5"] = "Cultureel erfgoed", ["5.6"] = "Media", ["5.7"] = "Openbaar groen en (openlucht) recreatie",
  ["6"] = "Sociaal domein",
  ["6.1"] = "Samenkracht en burgerparticipatie", ["6.2"] = "Wijkteams", ["6.3"] = "Inkomensregelingen",
  ["6.4"] = "Begeleide participatie", ["6.5"] = "Arbeidsparticipatie", ["6.6"] = "Maatwerkvoorzieningen (Wmo)",
  ["6.71"] = "Maatwerkdienstverlening 18+", ["6.72"] = "Maatwerkdienstverlening 18-",
  ["6.81"] = "Geëscaleerde zorg 18+", ["6.82"] = "Geëscaleerde zorg 18-",
  ["7"] = "Volksgezondheid en milieu",
  ["7.1"] = "Volksgezondheid", ["7.2"] = "Riolering", ["7.3"] = "Afval", ["7.4"] = "Milieubeheer",
  ["7.5"] = "Begraafplaatsen en crematoria",
  ["8"] = "Volkshuisvesting, ruimtelijke ordening en stedelijke vernieuwing",
  ["8.1"] = "Ruimtelijke ordening", ["8.2"] = "Grondexploitatie (niet bedrijventerreinen)",
  ["8.3"] = "Wonen en bouwen",
}
return {
  name = "iv3_taakvelden",
  description = "Iv3 taakveldenlijst gemeenten: hoofdtaakvelden en taakvelden (code -> naam)",
  unit = "none",
  values = {
    { from = 2017, value = TAAKVELDEN, status = "U",
      source = "unverified: Iv3 taakveldenlijst gemeenten (BBV art. 8; Regeling informatie voor derden, bijlage "
            .. "taakvelden), written from the structure in common use, primary text not read; "
            .. "see shared/domain/rhv-facts.md par. 6 (Best 2023 per hoofdtaakveld)" },
  },
}
