#!/usr/bin/env python3
"""csv_seeds.py SCHEMA_C OUTDIR DOSSIER.xml... - seeds for fuzz_csv.c: for each register type
(dossier_register_builtin_types in SCHEMA_C, in order) the first rows of that record element in the
dossiers, written as a CSV file behind fuzz_csv.c's option byte: once ',' in UTF-8, once ';' with
Dutch numbers, once ',' in Windows-1252."""
import html
import os
import re
import sys


def main():
    schema, out, dossiers = sys.argv[1], sys.argv[2], sys.argv[3:]
    src = open(schema, encoding="utf-8").read()
    block = re.search(r"dossier_register_builtin_types\[\] = \{(.*?)\};", src, re.S).group(1)
    types = re.findall(r'"(\w+)"', block)
    text = "".join(open(d, encoding="utf-8", errors="replace").read() for d in dossiers)
    for i, t in enumerate(types):
        rows = [dict((k, html.unescape(v)) for k, v in re.findall(r'(\w+)="([^"]*)"', m))
                for m in re.findall(r"<%s ([^>]*)/>" % t, text)][:6]
        if not rows:
            continue
        cols = list(dict.fromkeys(k for r in rows for k in r))
        for variant, (opt, sep, enc, nl) in enumerate([(0x20, ",", "utf-8", False), (0x90, ";", "utf-8", True),
                                                       (0x60, ",", "cp1252", False)]):
            def cell(v):
                if nl and re.fullmatch(r"-?\d+\.\d\d", v):
                    v = v.replace(".", ",")
                return '"' + v.replace('"', '""') + '"' if any(c in v for c in sep + '"\n') else v
            lines = [sep.join(cols)] + [sep.join(cell(r.get(c, "")) for c in cols) for r in rows]
            body = ("\r\n".join(lines) + "\r\n").encode(enc, errors="replace")
            with open(os.path.join(out, "%s-%d" % (t, variant)), "wb") as f:
                f.write(bytes([opt | (i % 16)]) + body)


main()
