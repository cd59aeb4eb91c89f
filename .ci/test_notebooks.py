"""Run every notebook's cells as tests (nbdev's `test_nb`, as `nbdev_test` does) and print a summary.

Usage: python .ci/test_notebooks.py [--flags "slow weights gpu"] [--workers N] [NOTEBOOK ...]
Ends with the line `N passed, M failed` and exits non-zero when a notebook fails.
"""
import argparse, os, shutil, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault('HF_HUB_OFFLINE', '1')        # never wait on the hub in tests
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
os.environ.setdefault('MPLBACKEND', 'Agg')

from nbdev.config import get_config
from nbdev.test import test_nb


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', help='notebooks to run (default: all in nbs/)')
    p.add_argument('--flags', default='', help='space-separated test flags to run that are skipped by default')
    p.add_argument('--workers', type=int, default=min(2, os.cpu_count() or 1))
    a = p.parse_args()
    # torch in each worker gets its share of the cores: oversubscribed threads slow small models down many times
    os.environ.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // a.workers)))
    cfg = get_config()
    nbs = [Path(n).absolute() for n in a.notebooks] or sorted(
        f.absolute() for f in cfg.nbs_path.glob('*.ipynb') if not f.name.startswith('_'))
    skip, force = cfg.tst_flags.split(), a.flags.split()
    print(f'running {len(nbs)} notebooks with {a.workers} workers; skipped flags: {sorted(set(skip) - set(force))}', flush=True)
    t0 = time.time()
    # every temporary file of the run (the notebooks' corpora, checkpoints, fake weights: GBs) goes into one
    # folder that is removed at the end, so repeated runs do not fill the disk
    run_tmp = tempfile.mkdtemp(prefix='discodiff-tests-')
    os.environ['TMPDIR'] = tempfile.tempdir = run_tmp
    try: return _run(nbs, skip, force, a.workers, t0, cfg.config_path)
    finally: shutil.rmtree(run_tmp, ignore_errors=True)


def _run(nbs, skip, force, workers, t0, basepath):
    "Test the notebooks in `workers` processes, print a line each and the summary; 1 if any failed, else 0."
    # one fresh process per notebook: notebooks do not share state, and IPython's shell replaces `__main__`
    with ProcessPoolExecutor(workers, max_tasks_per_child=1) as ex:
        futs = {ex.submit(test_nb, n, skip_flags=skip, force_flags=force, basepath=basepath): n for n in nbs}
        results = {}
        for f, n in futs.items():
            ok, secs = f.result()
            results[n] = ok
            print(f"{'PASS' if ok else 'FAIL'}  {n.name:<32} {secs:6.1f} s", flush=True)
    failed = [n.name for n, ok in results.items() if not ok]
    print(f'total {time.time() - t0:.1f} s' + (f"; failed: {', '.join(failed)}" if failed else ''))
    print(f'{len(nbs) - len(failed)} passed, {len(failed)} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
