-- grootboek_stamgegevens: what a ledger's master data says about its
-- accounts and journals, for rules that classify the lines.
--
-- Contract:
-- - new() makes an empty register. Feed it the records:
--   reg.ledger_account(r) (xaf.ledgerAccount), reg.prior_ledger_account(r)
--   (xaf.prior.ledgerAccount), reg.vat_code(r) (xaf.vatCode and
--   xaf.prior.vatCode), reg.journal(r) (xaf.journal and xaf.prior.journal);
--   each has the handler signature, so a rule may use it as its handler.
-- - reg.acc_tp[accID] / reg.acc_prior_tp[accID]: the account's accTp in the
--   own / the prior ledgers (nil: not seen yet).
-- - reg.vat_acc[accID] is true for a btw account: the vatToClaimAccID or
--   vatToPayAccID of a vatCode, or a balance account whose description names
--   btw, omzetbelasting or voorbelasting (a ledger without vatCodes).
-- - reg.journal_type(file, jrnID) is the jrnTp of that file's journal (nil:
--   not seen); reg.jrn_tp[file][jrnID] is the same, for a caller that looks
--   it up once a transaction (no call).

local M = {}

function M.new()
  local acc_tp, acc_prior_tp = {}, {} -- accID -> accTp (own ledgers / prior ledgers)
  local vat_acc = {}                  -- accID -> true: a btw account
  local jrn_tp = {}                   -- file -> jrnID -> jrnTp

  -- A ledger without vatCodes still names its btw accounts in their description.
  local function btw_named(r)
    local d = (r.accDesc or ""):lower()
    if r.accTp ~= "P" and (d:find("btw", 1, true) or d:find("omzetbelasting", 1, true)
                           or d:find("voorbelasting", 1, true)) then
      vat_acc[r.accID] = true
    end
  end

  local reg = { acc_tp = acc_tp, acc_prior_tp = acc_prior_tp, vat_acc = vat_acc, jrn_tp = jrn_tp }
  function reg.ledger_account(r)
    if r.accID ~= nil then acc_tp[r.accID] = r.accTp; btw_named(r) end
  end
  function reg.prior_ledger_account(r)
    if r.accID ~= nil then acc_prior_tp[r.accID] = r.accTp; btw_named(r) end
  end
  function reg.vat_code(r)
    if r.vatToClaimAccID then vat_acc[r.vatToClaimAccID] = true end
    if r.vatToPayAccID then vat_acc[r.vatToPayAccID] = true end
  end
  function reg.journal(r)
    if r.jrnID then
      local per_file = jrn_tp[r._file]
      if not per_file then
        per_file = {}
        jrn_tp[r._file] = per_file
      end
      per_file[r.jrnID] = r.jrnTp
    end
  end
  function reg.journal_type(file, jrn)
    local per_file = jrn_tp[file]
    return per_file and per_file[jrn]
  end
  return reg
end

return M
