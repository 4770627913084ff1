"""Writes resources/lua/kiln/signatures.lua from docs/lua-api.md.

Every entry of the reference whose signature ends in an options table
(`F.mse_loss(input, target, {reduction})`) gets its positional parameters and
option names listed; Kiln checks each call of these entries against the list
(core/luaapi/luaarguments.cpp), and tst_apireference fails when the file and the
page disagree. Run it after changing a signature on the page:

    python3 scripts/update-signatures.py           # write the file
    python3 scripts/update-signatures.py --check   # exit 1 when it is out of date
"""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
doc = (root / "docs" / "lua-api.md").read_text()
sig_re = re.compile(r'`((?:[A-Za-z_][A-Za-z0-9_]*)(?:[.:][A-Za-z_][A-Za-z0-9_]*)*)\(([^`]*)\)`')
def split_top(s):
    parts, depth, cur = [], 0, ''
    for ch in s:
        if ch in '{([': depth += 1
        if ch in '})]': depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur.strip()); cur = ''
        else: cur += ch
    if cur.strip(): parts.append(cur.strip())
    return parts
entries = {}
for line in doc.split('\n'):
    if not line.startswith('|'): continue
    cells = [c.strip() for c in line.strip('|').split('|')]
    # signatures are the first cell(s) that start with a backtick signature
    for cell in cells[:2]:
        m = sig_re.fullmatch(cell)
        if not m: continue
        name, args = m.group(1), m.group(2)
        parts = split_top(args)
        if not parts or not parts[-1].startswith('{'): continue
        opt = parts[-1]
        optional_opts = opt.endswith('?')
        body = opt.rstrip('?')
        if not re.fullmatch(r'\{[A-Za-z_][A-Za-z0-9_]*(, [A-Za-z_][A-Za-z0-9_]*)*\}', body):
            print('skip', name, args, file=sys.stderr); continue
        options = [k.strip() for k in body[1:-1].split(',')]
        params = parts[:-1]
        varargs = any(p.endswith('...') for p in params)
        # after the options: "fn?, ..." (torch.autocast) -- treat as varargs
        required = [p for p in params if not p.endswith('?') and not p.endswith('...')]
        names = [p.rstrip('?').rstrip('.') for p in params]
        if name in entries and entries[name] != (names, len(required), options, varargs):
            print('conflict', name, file=sys.stderr)
        entries[name] = (names, len(required), options, varargs)
out = ['-- Written by scripts/update-signatures.py from docs/lua-api.md: edit the page, not this.',
       '-- What each API entry that takes an options table accepts, as the page shows it',
       '-- (tst_apireference keeps the two equal). Kiln checks every',
       '-- call of these entries before the entry runs: an unknown option, or more',
       '-- positional arguments than the entry takes, is an error naming both.',
       '--   params: positional parameters; required: how many must be given;',
       '--   options: the keys of the trailing options table; varargs: any count.',
       'return {']
for name in sorted(entries):
    names, req, options, varargs = entries[name]
    p = ', '.join('"%s"' % n for n in names)
    o = ', '.join('"%s"' % n for n in options)
    extra = ', varargs = true' if varargs else ''
    out.append('  ["%s"] = {params = {%s}, required = %d, options = {%s}%s},' % (name, p, req, o, extra))
out.append('}')
target = root / 'resources' / 'lua' / 'kiln' / 'signatures.lua'
text = '\n'.join(out) + '\n'
if '--check' in sys.argv[1:]:
    if target.read_text() != text:
        sys.exit('resources/lua/kiln/signatures.lua does not match docs/lua-api.md: '
                 'run python3 scripts/update-signatures.py')
    print(len(entries), 'entries match the page')
else:
    target.write_text(text)
    print(len(entries), 'entries')
