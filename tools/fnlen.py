#!/usr/bin/env python3
"""fnlen.py FILE... - lengths of C function bodies (K&R style: a line '{' or
'...) {' opening at column 0 ... '}' at column 0), longest first. Used to keep
every function short (issue 7: the largest under 100 lines)."""
import re, sys
out = []
for path in sys.argv[1:]:
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    start = name = None
    for i, l in enumerate(lines):
        if start is None and l.startswith('{'):
            j = i - 1
            while j >= 0 and not re.search(r'\w+\s*\(', lines[j]):
                j -= 1
            m = re.search(r'(\w+)\s*\(', lines[j]) if j >= 0 else None
            start, name = i, (m.group(1) if m else '?')
        elif start is not None and l.startswith('}'):
            out.append((i - start + 1, f'{path}:{start+1} {name}'))
            start = None
for n, where in sorted(out, reverse=True)[:int(__import__('os').environ.get('TOP', '15'))]:
    print(n, where)
