-- inhuur.contract: externally hired staff above a threshold without a contract.
--
-- Opt-in (registers/rules/, docs/registers.md). Reads the `inhuur` register, declared in registers/inhuur.lua (docs/
-- registers.md), and the contract register. Hiring staff through an uitzend-,
-- detacherings- or payroll company is a service bought from an ondernemer, so
-- it falls under the procurement rules (procurement.md section 4, [U] for the
-- legal qualification); accountants single inhuur out ("inhuur treated as
-- light regime" is a typical finding, EFK; auditors' "kramp" over inhuur,
-- Accountancy van Morgen 2018). An engagement above the threshold that names
-- no contract, or a contract the contract register does not hold, cannot be
-- shown to have been procured rightly: its lasten are an onzekerheid under the
-- voorwaardencriterium. Whether the procedure itself fit the value is
-- aanbesteding.eu's question (per supplier, from the ledger), not this rule's.
--
-- The threshold is a rule argument (default EUR 50.000, a common
-- meervoudig-onderhands line in inkoopbeleid, not a legal fact): set it with
-- --rule-arg inhuur.contract.drempel=<euros> or the dossier's <regelargument>. Contract ids are compared only
-- when the dossier has a contract register; without one a named contract is
-- taken as given.

local rule = {
  id          = "inhuur.contract",
  title       = "Inhuur zonder contract",
  description = [[Neemt elke inhuur boven de drempel (standaard EUR 50.000) zonder contract, of met een
contract dat niet in het contractregister staat, op als onzekerheid onder het voorwaardencriterium: niet
aangetoond is dat de inhuur rechtmatig is ingekocht.]],
  criterion   = "voorwaardencriterium",
  legal_basis = {
    text   = "Aanbestedingswet 2012 (inhuur via uitzend-, detacherings- of payrollbedrijf is een dienst van een "
          .. "ondernemer) en het eigen inkoopbeleid; inhuur als typisch bevindingenpunt van de accountant",
    source = "https://www.efk.nl/niet-goedkeurende-controleverklaring-door-fouten-in-het-kader-van-aanbesteden/ ; "
          .. "https://www.accountancyvanmorgen.nl/2018/05/23/strenge-gemeentelijke-accountant-leidt-tot-enorme-kramp/",
  },
  years       = { from = 2023 },
  reads       = { "inhuur", "contractregister", "contract" },
  args        = {
    drempel = rhv.arg.amount(5000000),   -- EUR 50.000: engagements above it need a contract
  },
}

local format = string.format

local has_register = false
local contracts = {}   -- contract_id -> true
local pending = {}     -- engagements above the threshold, judged in finish

function rule.on_contractregister()
  has_register = true
end

function rule.on_contract(c)
  contracts[c.contract_id] = true
end

function rule.on_inhuur(h, ctx)
  if h.bedrag <= ctx.args.drempel then
    return
  end
  pending[#pending + 1] = {
    id = h.id, leverancier = h.leverancier, functie = h.functie, soort = h.soort, bedrag = h.bedrag,
    contract_id = h.contract_id, ev = rhv.evidence(h, "inhuur " .. h.id),
  }
end

function rule.finish(ctx)
  for _, h in ipairs(pending) do
    local why
    if not h.contract_id then
      why = "zonder contract"
    elseif has_register and not contracts[h.contract_id] then
      why = "met contract " .. h.contract_id .. " dat niet in het contractregister staat"
    end
    if why then
      rhv.finding{
        kind = "onzekerheid",
        amount = h.bedrag,
        subject = "Inhuur " .. h.id .. " " .. h.functie .. " (" .. h.leverancier .. ")",
        message = format("Inhuur (%s) van %s %s.", h.soort, rhv.format(h.bedrag), why),
        toelichting = format("Lasten %s > drempel %s.", rhv.format(h.bedrag), rhv.format(ctx.args.drempel)),
        evidence = { h.ev },
      }
    end
  end
end

return rule
