#!/usr/bin/env python3
"""xlsx_edit.py SRC DST [PART PATTERN REPLACEMENT]... - a copy of the workbook SRC with regex
replacements in its parts, for tests that need a workbook with one thing wrong.

PART is a zip member ("xl/workbook.xml") or "sheet:NAME" for the sheet called NAME.
Special PART values: "bomb:NAME" replaces that sheet by a highly compressible one (PATTERN = MiB);
"bigsize:NAME" states a 2 GiB uncompressed size for that sheet in the zip's central directory."""
import re
import struct
import sys
import zipfile


def sheet_part(z, name):
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    m = re.search(r'<sheet name="%s"[^>]*r:id="([^"]+)"' % re.escape(name), wb)
    rid = m.group(1)
    t = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or re.search(r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
    return "xl/" + t.group(1).lstrip("/").removeprefix("xl/")


def main():
    src, dst, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
    zin = zipfile.ZipFile(src)
    parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    bigsize = None
    for k in range(0, len(edits), 3):
        part, pat, rep = edits[k:k + 3]
        if part.startswith("bomb:"):
            p = sheet_part(zin, part[5:])
            parts[p] = parts[p].replace(b"<sheetData>", b"<sheetData>" + b" " * (int(pat) << 20))
            continue
        if part.startswith("bigsize:"):
            bigsize = sheet_part(zin, part[8:])
            continue
        if part.startswith("sheet:"):
            part = sheet_part(zin, part[6:])
        new, n = re.subn(pat, rep, parts[part].decode())
        if n == 0:
            sys.exit("xlsx_edit: no match for %r in %s" % (pat, part))
        parts[part] = new.encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    if bigsize:
        data = bytearray(open(dst, "rb").read())
        name = bigsize.encode()
        at = 0
        while True:
            at = data.find(b"PK\x01\x02", at)
            if at < 0:
                sys.exit("xlsx_edit: no central directory entry for " + bigsize)
            nlen = struct.unpack_from("<H", data, at + 28)[0]
            if data[at + 46:at + 46 + nlen] == name:
                struct.pack_into("<I", data, at + 24, 0x80000000)
                break
            at += 4
        open(dst, "wb").write(data)


main()
