-- Test cases for subsidies.verantwoording (amounts in cents). The subsidie
-- register is declared in registers/subsidie.lua; `rhv test` checks these
-- records against that declaration.
local function subsidie(id, bedrag, vastgesteld, extra)
  local r = { _type = "subsidie", id = id, ontvanger = "Stichting " .. id, soort = "incidenteel",
              bedrag = bedrag, verleend = "2023-02-01", vastgesteld = vastgesteld }
  for k, v in pairs(extra or {}) do r[k] = v end
  return r
end

return {
  { name = "vastgesteld", class = "pass",
    records = { subsidie("S1", 50000000, "2023-11-30") },
    expect = {} },

  { name = "klein_niet_vastgesteld", class = "pass",
    records = { subsidie("S2", 2000000, nil) },
    expect = {} },

  { name = "groot_niet_vastgesteld", class = "fail",
    records = { subsidie("S3", 50000000, nil, { verantwoording_ontvangen = false }) },
    expect = { { kind = "onzekerheid", subject = "Subsidie S3 Stichting S3",
                 amount = 50000000 } } },

  { name = "precies_drempel", class = "boundary",
    records = { subsidie("S4", 12500000, nil) },
    expect = {} },

  { name = "een_cent_boven_drempel", class = "boundary",
    records = { subsidie("S5", 12500001, nil) },
    expect = { { kind = "onzekerheid", subject = "Subsidie S5 Stichting S5", amount = 12500001 } } },

  { name = "eigen_drempel", class = "boundary",
    args = { drempel = 1000000 },
    records = { subsidie("S6", 2000000, nil) },
    expect = { { kind = "onzekerheid", subject = "Subsidie S6 Stichting S6", amount = 2000000 } } },
}
