"""Render the executed notebooks into a static HTML site, offline: one page per notebook and an index in notebook order.

Usage: python .ci/build_docs.py [--out _docs]
Cells marked `#| hide` (and the `#| default_exp` line) are left out of the pages, as nbdev's site does; the
`#| export` and test directives stay visible, since the code is what they describe.
"""
import argparse, html, json, re, shutil, sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter


def _visible(nb):
    "The notebook without hidden cells, and `show_doc` output without Quarto's link attributes."
    nb.cells = [c for c in nb.cells if not (c.cell_type == 'code' and re.match(r'#\|\s*(hide|default_exp)\b', c.source))]
    for c in nb.cells:
        for o in c.get('outputs', []):
            if 'text/markdown' in o.get('data', {}):
                o['data']['text/markdown'] = re.sub(r'\{target="_blank"[^}]*\}', '', o['data']['text/markdown'])
    return nb


def _title(nb) -> tuple:
    "(title, summary) from the notebook's first markdown cell (`# Title` and `> summary`)."
    for c in nb.cells:
        if c.cell_type == 'markdown':
            t = re.search(r'^#\s+(.+)$', c.source, re.M); s = re.search(r'^>\s*(.+)$', c.source, re.M)
            return (t.group(1).strip() if t else ''), (s.group(1).strip() if s else '')
    return '', ''


def build(nbs: Path, out: Path) -> list:
    out.mkdir(parents=True, exist_ok=True)
    ex = HTMLExporter(template_name='lab')
    try:   # MathJax from its Python package, copied beside the pages: equations render without a network
        import jupyter_server_mathjax
        src = Path(jupyter_server_mathjax.__file__).parent / 'static'
        if not (out / 'mathjax' / 'MathJax.js').is_file(): shutil.copytree(src, out / 'mathjax', dirs_exist_ok=True)
        ex.mathjax_url = 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe'
    except ImportError: print('jupyter_server_mathjax is not installed: the pages load MathJax from its CDN')
    ex.exclude_input_prompt = ex.exclude_output_prompt = True
    pages = []
    for fn in sorted(nbs.glob('[0-9]*.ipynb')):
        nb = _visible(nbformat.read(fn, as_version=4))
        title, summary = _title(nb)
        body, _ = ex.from_notebook_node(nb, resources=dict(metadata=dict(name=f'{fn.stem}: {title}')))
        body = re.sub(r'href="([0-9][0-9a-z_]*)\.ipynb', r'href="\1.html', body)   # links between notebooks
        (out / f'{fn.stem}.html').write_text(body, encoding='utf-8')
        pages.append((fn.stem, title, summary))
    code = lambda s: re.sub(r'`([^`]+)`', r'<code>\1</code>', html.escape(s))
    rows = '\n'.join(f'<tr><td><a href="{s}.html">{s}</a></td><td>{code(t)}</td><td>{code(m)}</td></tr>'
                     for s, t, m in pages)
    readme = nbs.parent / 'README.md'
    intro = html.escape(re.sub(r'\*+', '', readme.read_text(encoding='utf-8').split('\n\n')[1])) if readme.is_file() else ''
    (out / 'index.html').write_text(f'''<!doctype html><html><head><meta charset="utf-8"><title>discodiff</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}}td{{padding:.3em .8em;vertical-align:top}}
tr:nth-child(even){{background:#f4f4f4}}</style></head><body><h1>discodiff</h1><p>{intro}</p>
<p>The notebooks, in order: each explains a part of the method, exports it to the package and tests it.</p>
<table><tr><th>notebook</th><th>title</th><th>summary</th></tr>
{rows}
</table></body></html>
''', encoding='utf-8')
    return pages


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default='_docs', help='output folder')
    p.add_argument('--nbs', default='nbs', help='notebook folder')
    a = p.parse_args()
    pages = build(Path(a.nbs), Path(a.out))
    print(f'{len(pages)} pages and index.html in {a.out}')


if __name__ == '__main__':
    sys.exit(main())
