-- EU aanbestedingsdrempels for decentrale aanbestedende diensten (klassieke sector), excl. btw, in cents.
-- The Commission revises them every two years by delegated regulation amending Directive 2014/24/EU art. 4;
-- a new amount applies from the day the act enters into force (Aw 2012 art. 2.7), in practice 1 January of
-- the even year. Keys: werken = art. 4(a); leveringen_diensten = art. 4(c), the sub-central amount that
-- applies to every aanbestedende dienst other than the staat (Aw art. 2.3), a gemeenschappelijke regeling
-- included (Aw art. 1.1: "een samenwerkingsverband van deze overheden"); sociale_diensten = art. 4(d), the
-- sociale en andere specifieke diensten (Aw art. 2.6a), fixed in the directive at EUR 750.000 and not
-- revised by the delegated acts. Which period applies to an opdracht is the date of its raming (Aw art.
-- 2.15 lid 1), not the year of an invoice: rules look the date up in ctx.params.eu_drempels._periods.
-- Source notes: shared/domain/procurement.md section 3 ([V] read in a primary source, [S] secondary).
return {
  name = "eu_drempels",
  description = "Europese aanbestedingsdrempels, decentrale overheid, excl. btw: leveringen en diensten, "
             .. "werken, sociale en andere specifieke diensten",
  unit = "cents",
  values = {
    -- For ramingen of 2020-2021 (contracts that run into the checked years). Amounts [V] in
    -- shared/domain/rhv-facts.md section 3; the act's number and date were not read there [U].
    { from = 2020, to = 2021,
      value = { leveringen_diensten = 21400000, werken = 535000000, sociale_diensten = 75000000 },
      source = "Gedelegeerde Verordening (EU) 2019/1828 van de Commissie van 30 oktober 2019 [U: number and date "
            .. "not read; amounts V in shared/domain/rhv-facts.md section 3], "
            .. "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32019R1828 ; "
            .. "art. 4(d) Richtlijn 2014/24/EU (sociale en andere specifieke diensten)",
      status = "U" },
    { from = 2022, to = 2023,
      value = { leveringen_diensten = 21500000, werken = 538200000, sociale_diensten = 75000000 },
      source = "Gedelegeerde Verordening (EU) 2021/1952 van de Commissie van 10 november 2021, PbEU L 398 van "
            .. "11.11.2021 [V], https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32021R1952 ; "
            .. "art. 4(d) Richtlijn 2014/24/EU (sociale en andere specifieke diensten)",
      status = "V" },
    { from = 2024, to = 2025,
      value = { leveringen_diensten = 22100000, werken = 553800000, sociale_diensten = 75000000 },
      source = "Gedelegeerde Verordening (EU) 2023/2495 van de Commissie van 15 november 2023, PbEU L van "
            .. "16.11.2023, CELEX 32023R2495 [S: art. 1 quoted by buildnews.it and supportoappalti.com, "
            .. "19.11.2023; Deloitte Legal 17.11.2023], "
            .. "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A32023R2495 ; "
            .. "art. 4(d) Richtlijn 2014/24/EU (sociale en andere specifieke diensten)",
      status = "S" },
    { from = 2026, to = 2027,
      value = { leveringen_diensten = 21600000, werken = 540400000, sociale_diensten = 75000000 },
      source = "Gedelegeerde Verordening (EU) 2025/2152 van de Commissie van 22 oktober 2025, C/2025/7085, "
            .. "PbEU L van 23.10.2025 [S: EU GPA notification, http://web.wtocenter.org.tw/Page/14590/418925 ; "
            .. "amounts: https://www.mondaq.com/ireland/government-contracts-procurement-ppp/1696870/"
            .. "public-procurement-thresholds-for-2026-2027 (27.10.2025)] ; "
            .. "art. 4(d) Richtlijn 2014/24/EU (sociale en andere specifieke diensten)",
      status = "S" },
  },
}
