-- luacheck configuration for rhv's Lua: rules/, plugins/, params/ (docs/sandbox.md).
-- Globals mirror the sandbox (core/sandbox.c): Lua 5.4 base, string, table,
-- math and utf8; no io, os, package, debug or coroutine, no dofile/loadfile/
-- require (string.dump is removed at run time). Rules see the helper library as the read-only
-- global `rhv` (plugins/lib/rhv.lua); listing its fields catches typos such
-- as rhv.findig before a rule ever runs.
std = "lua54"
not_globals = { "io", "os", "package", "debug", "coroutine", "dofile", "loadfile", "require" }
max_line_length = 120

read_globals = {
  rhv = {
    fields = {
      "finding", "evidence", "cents", "format", "plain", "round_div", "pct", "scaled", "log",
      "sorted_keys", "sorted_pairs", "sum", "categorieen", "keyset", "evidence_lists", "groups", "skip", "overschrijdingen", "transactions",
      arg = { fields = { "amount", "list" } },
      lib = { other_fields = true }, -- library modules a rule lists in `uses` (plugins/lib/<name>.lua)
    },
  },
}

-- Test files are data (case tables with records): long literal lines are fine.
-- They see the shared record builders as `rhvtest` (plugins/lib/testlib.lua,
-- loaded by core/cmd_test.c), and no `rhv`.
local rhvtest = {
  fields = {
    "records", "set", "trLine", "invoice", "ledgerAccount", "vatCode", "journal", "customerSupplier",
    "programma", "krediet", "reserve", "begrotingscategorie",
  },
}
files["rules/*_test.lua"] = { max_line_length = false, read_globals = { rhvtest = rhvtest } }
files["tests/fixtures/**/*_test.lua"] = { max_line_length = false, read_globals = { rhvtest = rhvtest } }

-- Parameter tables are data: long source addresses are fine.
files["params/*.lua"] = { max_line_length = false }

-- The helper libraries are loaded before the globals are sealed and define `rhv` and `rhvtest` themselves.
files["plugins/lib/rhv.lua"] = { read_globals = {} }
files["plugins/lib/testlib.lua"] = { read_globals = {} }
