-- Test cases for inhuur.contract (amounts in cents). The inhuur register is
-- declared in registers/inhuur.lua; `rhv test` checks these records against it.
local function inhuur(id, bedrag, contract_id)
  return { _type = "inhuur", id = id, leverancier = "L" .. id, functie = "Projectleider", soort = "detachering",
           begin = "2023-01-01", bedrag = bedrag, contract_id = contract_id }
end
local register = { _type = "contractregister", peildatum = "2023-12-31" }
local function contract(id)
  return { _type = "contract", leverancier = "L1", contract_id = id, procedure = "meervoudig_onderhands",
           soort = "leveringen_diensten", begin = "2023-01-01", waarde = 9000000 }
end

return {
  { name = "met_contract", class = "pass",
    records = { register, contract("C-1"), inhuur("1", 8000000, "C-1") },
    expect = {} },

  { name = "zonder_contract", class = "fail",
    records = { inhuur("2", 8000000, nil) },
    expect = { { kind = "onzekerheid", subject = "Inhuur 2 Projectleider (L2)", amount = 8000000 } } },

  { name = "contract_niet_in_register", class = "fail",
    records = { register, contract("C-1"), inhuur("3", 8000000, "C-9") },
    expect = { { kind = "onzekerheid", subject = "Inhuur 3 Projectleider (L3)", amount = 8000000 } } },

  { name = "precies_drempel", class = "boundary",
    records = { inhuur("4", 5000000, nil) },
    expect = {} },

  { name = "een_cent_boven_drempel", class = "boundary",
    records = { inhuur("5", 5000001, nil) },
    expect = { { kind = "onzekerheid", subject = "Inhuur 5 Projectleider (L5)", amount = 5000001 } } },
}
