-- inhuur: externally hired staff (inhuur derden: uitzend, detachering,
-- interim, ZZP), one row per engagement. Declared here, not in rhv's C
-- schema: see docs/registers.md. Read by registers/rules/inhuur.contract.lua.
return {
  name        = "inhuur",
  description = "an engagement of externally hired staff (inhuur derden)",
  key         = "id",
  fields = {
    { name = "id",           kind = "string",  required = true, doc = "the engagement's reference" },
    { name = "leverancier",  kind = "string",  required = true,
      doc = "supplier id as in the ledger (custSupID) and the contract register" },
    { name = "functie",      kind = "string",  required = true, doc = "the role filled" },
    { name = "soort",        kind = "enum",    required = true,
      values = { "uitzend", "detachering", "interim", "zzp", "payroll" },
      doc = "uitzend | detachering | interim | zzp | payroll" },
    { name = "begin",        kind = "date",    required = true, doc = "first day" },
    { name = "einde",        kind = "date",    required = false, doc = "last day (absent: open)" },
    { name = "uren",         kind = "decimal", required = false, scale = 2, doc = "hours in the fiscal year" },
    { name = "bedrag",       kind = "amount",  required = true, non_negative = true,
      doc = "lasten in the fiscal year, excl. btw, euros" },
    { name = "contract_id",  kind = "string",  required = false,
      doc = "the contract (contract register) it is hired under; absent: none" },
  },
}
