"""Execute notebooks in place, keeping their outputs for readers (the committed, rendered notebooks).

Usage: python .ci/execute_notebooks.py [--workers N] [NOTEBOOK ...]
Runs the cells the tests run (cells flagged with `tst_flags` and `#| eval: false` are skipped, as in `nbdev_test`),
stores each cell's outputs, and makes them fit for committing: figures at 60 dpi, no machine paths (temporary
folders become `<tmp>`, the checkout `<repo>`, the environment `<env>`), no audio players (a note instead), no
execution counts. Skipped cells keep the outputs they have (from a run with the flags on), and a notebook that fails keeps all
its previous outputs. Run `nbdev_clean` afterwards.
"""
import argparse, base64, os, re, shutil, sys, sysconfig, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
os.environ.pop('MPLBACKEND', None)      # figures go to the notebook (the inline backend)

MAX_IMAGE = 60_000      # bytes of one PNG kept in a notebook (larger ones are saved again at a lower resolution)
AUDIO_NOTE = '(audio player: run the notebook to listen)'
LIBRARY_WARNING = re.compile(r'<env>/site-packages/[^\n:]*\.py:\d+: [^\n]*\n(?:  [^\n]*\n)?')
PROGRESS = re.compile(r'[^\n]*(?:it/s\]|s/it\]|\d+/\d+ \[[^\n]*\])[^\n]*(?:\n|$)')


def _flags(src: str) -> set:
    "The directives of a cell (`#| slow` → {'slow'}, `#| eval: false` → {'eval:false'})."
    out = set()
    for line in src.splitlines():
        if not line.startswith('#|'): break
        words = line[2:].replace(':', ': ').split()
        out.add(''.join(words).lower() if words and words[0] == 'eval:' else words[0] if words else '')
    return out


def _scrub_text(s: str, roots: list) -> str:
    for pat, rep in roots: s = pat.sub(rep, s)
    return s


def _roots(repo: Path) -> list:
    tmp = re.escape(tempfile.gettempdir().rstrip('/'))
    env = re.escape(str(Path(sys.prefix)))
    site = re.escape(sysconfig.get_paths()['purelib'])
    return [(re.compile(site), '<env>/site-packages'), (re.compile(env), '<env>'),
            (re.compile(tmp + r'/[A-Za-z0-9_.\-]+'), '<tmp>'), (re.compile(re.escape(str(repo))), '<repo>'),
            (re.compile(r'/root\b'), '~')]


def _small_png(data: str) -> str:
    "A PNG (base64) no larger than `MAX_IMAGE`, downscaled when needed."
    raw = base64.b64decode(data)
    if len(raw) <= MAX_IMAGE: return data
    from io import BytesIO
    from PIL import Image
    im = Image.open(BytesIO(raw))
    while len(raw) > MAX_IMAGE and im.width > 200:
        im = im.resize((im.width * 3 // 4, im.height * 3 // 4), Image.LANCZOS)
        buf = BytesIO(); im.save(buf, 'PNG', optimize=True); raw = buf.getvalue()
    return base64.b64encode(raw).decode()


def _clean_outputs(outputs: list, roots: list) -> list:
    keep = []
    for o in outputs:
        o = dict(o)
        if o.get('output_type') == 'stream':
            text = ''.join(o['text'])
            if o.get('name') == 'stderr': text = PROGRESS.sub('', text)   # progress bars: a different line on every run
            text = LIBRARY_WARNING.sub('', _scrub_text(text, roots))         # installed libraries' own deprecation notes
            if not text.strip(): continue
            o['text'] = text
        elif o.get('output_type') in ('display_data', 'execute_result'):
            data = dict(o.get('data', {}))
            if any(k.startswith('audio/') for k in data) or 'data:audio' in ''.join(data.get('text/html', '')):
                o = dict(output_type='stream', name='stdout', text=AUDIO_NOTE + '\n')
            else:
                if 'image/png' in data: data['image/png'] = _small_png(''.join(data['image/png']))
                for k in ('text/plain', 'text/html', 'text/markdown'):
                    if k in data: data[k] = _scrub_text(''.join(data[k]), roots)
                o['data'] = data
                o.pop('execution_count', None)
                if o['output_type'] == 'execute_result': o['execution_count'] = None
        elif o.get('output_type') == 'error': continue
        keep.append(o)
    return keep


def execute(fn: Path, skip: set) -> tuple:
    "Run `fn`'s test cells with outputs and write it back; (ok, seconds, message)."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory
    t0, nb = time.time(), read_nb(fn)
    os.environ['IN_TEST'] = '1'
    sh = CaptureShell(fn)
    sh.run_cell("import matplotlib; matplotlib.rcParams['figure.dpi'] = 60")
    skipped = lambda c: c.cell_type != 'code' or 'nbdev_export(' in c.source or bool(_flags(c.source) & (skip | {'eval:false'}))
    try:
        with working_directory(fn.parent): sh.run_all(nb, exc_stop=True, preproc=skipped)
    except Exception as e:
        return False, time.time() - t0, f'{type(e).__name__}: {e}'
    roots = _roots(fn.parent.parent.resolve())
    for c in nb.cells:
        if c.cell_type != 'code': continue
        if not skipped(c): c['outputs'] = _clean_outputs(c.get('outputs', []), roots)   # skipped cells keep theirs
        c['execution_count'] = None
    write_nb(nb, fn)
    return True, time.time() - t0, ''


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', help='notebooks to execute (default: all in nbs/)')
    p.add_argument('--workers', type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument('--scrub-only', action='store_true', help='only make the stored outputs fit for committing (no execution)')
    a = p.parse_args()
    os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // a.workers)))
    from nbdev.config import get_config
    cfg = get_config()
    nbs = [Path(n).absolute() for n in a.notebooks] or sorted(f.absolute() for f in cfg.nbs_path.glob('*.ipynb') if not f.name.startswith('_'))
    skip = set(cfg.tst_flags.split())
    if a.scrub_only:
        from execnb.nbio import read_nb, write_nb
        for n in nbs:
            nb, roots = read_nb(n), _roots(n.parent.parent.resolve())
            for c in nb.cells:
                if c.cell_type == 'code': c['outputs'] = _clean_outputs(c.get('outputs', []), roots)
            write_nb(nb, n)
        return 0
    run_tmp = tempfile.mkdtemp(prefix='discodiff-outputs-')   # the run's temporary files, removed at the end
    os.environ['TMPDIR'] = tempfile.tempdir = run_tmp
    try: return _execute_all(nbs, skip, a.workers)
    finally: shutil.rmtree(run_tmp, ignore_errors=True)


def _execute_all(nbs, skip, workers) -> int:
    "Execute the notebooks in `workers` processes, printing a line each; 1 if any failed, else 0."
    bad = []
    with ProcessPoolExecutor(workers, max_tasks_per_child=1) as ex:
        for n, f in [(n, ex.submit(execute, n, skip)) for n in nbs]:
            ok, secs, msg = f.result()
            print(f"{'done' if ok else 'FAIL'}  {n.name:<32} {secs:6.1f} s  {msg}", flush=True)
            if not ok: bad.append(n.name)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
