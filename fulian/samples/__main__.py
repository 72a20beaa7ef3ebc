"""`python -m fulian.samples demo|bulk|corpus|bad FOLDER` — write sample files from the shell."""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fulian.samples", description="写入样例文件")
    parser.add_argument("what", choices=["demo", "bulk", "corpus", "bad"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=2000, help="bulk: number of files")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.what == "demo":
        from fulian.samples.demo import write_demo_inbox
        count = len(write_demo_inbox(args.folder))
    elif args.what == "bulk":
        from fulian.samples.bulk import generate_bulk
        count = len(generate_bulk(args.folder, args.n, seed=args.seed or 1))
    elif args.what == "corpus":
        from fulian.samples.corpus import build_corpus
        count = len(build_corpus(args.folder, seed=args.seed or 7))
    else:
        from fulian.samples.bad import write_bad_inputs
        count = len(write_bad_inputs(args.folder))
    print(f"wrote {count} files to {args.folder} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
