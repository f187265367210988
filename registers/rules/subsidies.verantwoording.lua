-- subsidies.verantwoording: large subsidies granted without a vaststelling.
--
-- Opt-in (registers/rules/, docs/registers.md). Reads the `subsidie` register, declared in
-- registers/subsidie.lua (not a built-in record type). A subsidy is verleend by one
-- beschikking and vastgesteld by a later one, after the recipient has
-- accounted for the activities and costs (Awb titel 4.2). Until it is
-- vastgesteld, whether the money was spent under the subsidy's conditions is
-- not known: the amount is an onzekerheid under the voorwaardencriterium
-- ("subsidie-voorwaarden", a typical voorwaardencriterium item seen in real
-- RHVs, e.g. Fryslan 2023: breaches of the algemene subsidieverordening).
--
-- The threshold is a rule argument, not a legal fact: EUR 125.000 is the
-- default because the same amount is the threshold for a deelwaarneming per
-- specifieke uitkering in the 2025 reform (trade press, [S] in the fact
-- sheet), a plausible materiality line; an organisation sets its own with
-- --rule-arg subsidies.verantwoording.drempel=<euros> or a <regelargument>. Only subsidies above it
-- count; smaller ones are left to the controller's sample.

local rule = {
  id          = "subsidies.verantwoording",
  title       = "Verstrekte subsidies zonder vaststelling",
  description = [[Neemt elke verstrekte subsidie boven de drempel (standaard EUR 125.000) die nog niet is
vastgesteld op als onzekerheid onder het voorwaardencriterium: zolang de subsidie niet is vastgesteld, is
niet zeker dat zij volgens de subsidievoorwaarden is besteed.]],
  criterion   = "voorwaardencriterium",
  legal_basis = {
    text   = "Algemene wet bestuursrecht titel 4.2 (subsidies: verlening en vaststelling, art. 4:42-4:57); "
          .. "subsidievoorwaarden als voorwaardencriterium in de rechtmatigheidsverantwoording (Fryslan 2023: "
          .. "algemene subsidieverordening EUR 635.261)",
    source = "https://wetten.overheid.nl/BWBR0005537/ ; "
          .. "https://provinciale-begroting.frl/jaarstukken-2023/programma/paragraaf-7-bedrijfsvoering",
  },
  years       = { from = 2023 },
  reads       = { "subsidie" },
  args        = {
    drempel = rhv.arg.amount(12500000),   -- EUR 125.000: subsidies above it are weighed
  },
}

local format = string.format

function rule.on_subsidie(s, ctx)
  if s.vastgesteld or s.bedrag <= ctx.args.drempel then
    return
  end
  local verantwoording = s.verantwoording_ontvangen == true and "verantwoording ontvangen"
      or s.verantwoording_ontvangen == false and "verantwoording nog niet ontvangen"
      or "ontvangst verantwoording onbekend"
  rhv.finding{
    kind = "onzekerheid",
    amount = s.bedrag,
    subject = "Subsidie " .. s.id .. " " .. s.ontvanger,
    message = format("Subsidie van %s (%s, verleend %s) is niet vastgesteld; %s.",
      rhv.format(s.bedrag), s.soort, s.verleend, verantwoording),
    toelichting = format("Verleend %s > drempel %s, geen vaststellingsdatum.",
      rhv.format(s.bedrag), rhv.format(ctx.args.drempel)),
    evidence = { rhv.evidence(s, "subsidie " .. s.id) },
  }
end

return rule
