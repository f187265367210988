-- EU aanbestedingsdrempels for decentrale aanbestedende diensten (klassieke sector), excl. btw, in cents.
-- The Commission sets them every two years (1 January of even years) from euro/SDR rates; a rule compares
-- them with the estimated total contract value including options and extensions.
-- Source notes: shared/domain/rhv-facts.md section 3. That a gemeenschappelijke regeling counts as a
-- decentrale aanbestedende dienst is the standard reading, not verified there.
return {
  name = "eu_drempels",
  description = "Europese aanbestedingsdrempels, decentrale overheid, excl. btw: leveringen en diensten, "
             .. "werken, sociale en andere specifieke diensten",
  unit = "cents",
  values = {
    { from = 2022, to = 2023,
      value = { leveringen_diensten = 21500000, werken = 538200000, sociale_diensten = 75000000 },
      source = "Gemeente Wijdemeren, Europese aanbestedingsdrempels, "
            .. "https://www.wijdemeren.nl/4/inkoop-aanbesteden/Europese-aanbestedingsdrempels.html ; "
            .. "Van Ree Accountants, Drempelbedragen Europese aanbestedingen, "
            .. "https://www.vanreeaccountants.nl/newsitem/drempelbedragen-europese-aanbestedingen/",
      status = "V" },
    { from = 2024, to = 2025,
      value = { leveringen_diensten = 22100000, werken = 553800000, sociale_diensten = 75000000 },
      source = "Born Legal, Drempelbedragen Europees aanbesteden 2024-2025, "
            .. "https://bornlegal.nl/2024/01/drempelbedragen-europees-aanbesteden-2024-2025 ; "
            .. "Europa decentraal, Drempelwaarden (PbEU 16 november 2023), "
            .. "https://europadecentraal.nl/onderwerp/aanbesteden/aanbestedingsplicht/drempelwaarden/",
      status = "V" },
    { from = 2026, to = 2027,
      value = { leveringen_diensten = 21600000, werken = 540400000, sociale_diensten = 75000000 },
      source = "Gedelegeerde Verordening (EU) 2025/2152 van 22 oktober 2025 (Richtlijn 2014/24/EU); "
            .. "https://www.mondaq.com/ireland/government-contracts-procurement-ppp/1696870/"
            .. "public-procurement-thresholds-for-2026-2027 ; http://web.wtocenter.org.tw/Page/14590/418925",
      status = "V" },
  },
}
