-- WNT algemeen bezoldigingsmaximum per calendar year, in cents, for a
-- full-time job (1,0 fte) for the whole year, including belastbare
-- onkostenvergoedingen and beloningen betaalbaar op termijn. Indexed every year
-- (rounded up to EUR 1.000). Sources: shared/domain/rhv-facts.md par. 4.
return {
  name = "wnt_maximum",
  description = "WNT algemeen bezoldigingsmaximum per jaar (voltijd, heel jaar)",
  unit = "cents",
  values = {
    { from = 2022, to = 2022, value = { algemeen = 21600000 }, status = "V",
      source = "topinkomens.nl, Algemeen bezoldigingsmaximum 2022 vastgesteld op EUR 216.000: "
            .. "https://www.topinkomens.nl/actueel/nieuws/2021/09/09/"
            .. "algemeen-bezoldigingsmaximum-2022-vastgesteld-op-%E2%82%AC-216.000" },
    { from = 2023, to = 2023, value = { algemeen = 22300000 }, status = "V",
      source = "Axis Accountants, Maxima 2023 topinkomens WNT bekend (EUR 223.000): "
            .. "https://axis-accountants.com/axis-nieuws/"
            .. "maxima-2023-topinkomens-wnt-bekend-86b0da39d2104a5bab5fa87758a3f9b4/" },
    { from = 2024, to = 2024, value = { algemeen = 23300000 }, status = "V",
      source = "Van Doorne, Bezoldigingsmaxima WNT 2024 bekend (EUR 233.000): "
            .. "https://www.vandoorne.com/artikelen/bezoldigingsmaxima-wnt-2024-bekend/" },
    { from = 2025, to = 2025, value = { algemeen = 24600000 }, status = "S",
      source = "secondary source: third-party design document citing Law & Pepper and AWVN (EUR 246.000); "
            .. "consistent with the 2025 interim maximum of EUR 345.600 on "
            .. "https://www.wntadvies.nl/kennisbank-wnt/wnt-in-hoofdlijnen/interim-topfunctionarissen ; "
            .. "no primary source read" },
    { from = 2026, to = 2026, value = { algemeen = 26200000 }, status = "S",
      source = "secondary source: third-party design document citing Stcrt. 2025, 27439 and rijksoverheid.nl "
            .. "(EUR 262.000); not confirmed, no primary source read" },
  },
}
