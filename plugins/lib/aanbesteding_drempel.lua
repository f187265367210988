-- aanbesteding_drempel: the European threshold that applies to an opdracht
-- (Aw 2012 art. 2.15 lid 1: the one in force on the date of the raming).
--
-- Contract:
-- - M.drempel_key[soort] is the column of params/eu_drempels a contract
--   soort is measured against (leveringen and diensten share one; nil for a
--   soort the table does not know).
-- - M.threshold(drempels, soort, date): drempels is ctx.params.eu_drempels
--   (with _periods, oldest first), date "YYYY-MM-DD". Returns the threshold in
--   cents, the period as text ("2022-2023") and its source. A soort without a
--   column is measured as leveringen_diensten. A date before the first period
--   takes that period, and the period text says so.
-- - M.short_source(s) is the first of the sources in s (" ; " separated).

local M = {}

M.drempel_key = {
  leveringen_diensten = "leveringen_diensten", leveringen = "leveringen_diensten", diensten = "leveringen_diensten",
  werken = "werken", sociale_diensten = "sociale_diensten",
}

function M.threshold(drempels, soort, date)
  local y = tonumber(date:sub(1, 4))
  local key = M.drempel_key[soort] or "leveringen_diensten"
  for _, p in ipairs(drempels._periods) do
    if p.from <= y and (p.to == nil or y <= p.to) then
      return p.value[key], p.from .. "-" .. (p.to or ""), p.source
    end
  end
  -- A raming before the table's first period: the earliest period is the
  -- nearest known amount, and the toelichting says so.
  local p = drempels._periods[1]
  return p.value[key], p.from .. "-" .. (p.to or "") .. " (raming van " .. y .. " valt ervoor)", p.source
end

function M.short_source(s)
  return s:match("^(.-)%s;%s") or s
end

return M
