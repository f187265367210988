-- subsidie: the subsidies the organisation granted (verstrekt) in the fiscal
-- year, one row per beschikking. Declared here, not in rhv's C schema: see
-- docs/registers.md. Read by registers/rules/subsidies.verantwoording.lua.
return {
  name        = "subsidie",
  description = "a subsidy the organisation granted (verleend), with its vaststelling if any",
  key         = "id",
  fields = {
    { name = "id",          kind = "string",  required = true, doc = "the beschikking's reference" },
    { name = "ontvanger",   kind = "string",  required = true, doc = "who receives the subsidy" },
    { name = "regeling",    kind = "string",  required = false, doc = "the subsidieregeling or verordening" },
    { name = "soort",       kind = "enum",    required = true, values = { "incidenteel", "structureel" },
      doc = "incidenteel | structureel" },
    { name = "bedrag",      kind = "amount",  required = true, non_negative = true,
      doc = "amount granted (verleend) in the fiscal year, euros" },
    { name = "verleend",    kind = "date",    required = true, doc = "date of the verleningsbeschikking" },
    { name = "vastgesteld", kind = "date",    required = false,
      doc = "date of the vaststellingsbeschikking (absent: not yet vastgesteld)" },
    { name = "verantwoording_ontvangen", kind = "boolean", required = false,
      doc = "the recipient's verantwoording (activity and costs) has been received" },
    { name = "programma",   kind = "string",  required = false, doc = "code of the programma that bears it" },
  },
}
