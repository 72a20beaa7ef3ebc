"""The `fulian` command as a person waits for it: wall time of `--help`, a no-op ingest of an
already archived folder, `submissions`, and a one-new-file ingest under each way of reaching
Prefect (its per-command ephemeral server vs the local server fulian keeps alive).

Every figure is the median of --repeat runs of the real command in a subprocess, printed with
the CPU seconds of that process tree and as a ratio against a floor measured in the same run:
`python -c pass` (the interpreter alone) and `python -c "import prefect"` (the orchestrator's
import, which no flow run can avoid). A loaded machine moves both sides.

    .venv/bin/python bench/cli.py               # ≈ 3-6 min on 2 quiet cores
    .venv/bin/python bench/cli.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FULIAN = [sys.executable, "-m", "fulian.cli"]


def timed(cmd: list[str], env: dict, repeat: int, first_output: bool = False) -> dict:
    """Median wall seconds, CPU seconds and (optionally) seconds to the first byte on stderr/stdout."""
    walls, cpus, firsts = [], [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        first = None
        if first_output:
            proc.stdout.read(1)
            first = time.perf_counter() - start
        proc.communicate()
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if first is not None:
            firsts.append(first)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    out = {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}
    if firsts:
        out["first"] = statistics.median(firsts)
    return out


def make_drop(folder: Path, n: int, start: int = 0) -> None:
    from fulian.samples.office import write_docx
    from fulian.samples.spec import DocSpec

    unit = folder / "泉城路街道妇联"
    unit.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        write_docx(unit / f"工作信息第{i}期.docx",
                   DocSpec(title=f"泉城路街道妇联2013年{i % 12 + 1}月工作信息（第{i}期）",
                           body=[f"2013年{i % 12 + 1}月，开展活动，参加妇女{100 + i}人。"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=int, default=20, help="files in the archived folder")
    args = parser.parse_args()
    base = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", "PREFECT_API_URL": "",
            "FULIAN_DATABASE_URL": "", "FULIAN_WORKERS": "1", "OMP_THREAD_LIMIT": "1",
            "FULIAN_PREFECT_SERVER": "local"}
    with tempfile.TemporaryDirectory(prefix="fulian-bench-cli-") as tmp:
        home, drop = Path(tmp) / "home", Path(tmp) / "drop"
        env = {**base, "FULIAN_HOME": str(home)}
        make_drop(drop, args.files)
        fig: dict[str, dict] = {}
        fig["python -c pass"] = timed([sys.executable, "-c", "pass"], env, args.repeat)
        fig["python -c 'import prefect'"] = timed([sys.executable, "-c", "import prefect"], env,
                                                  args.repeat)
        fig["fulian --help"] = timed([*FULIAN, "--help"], env, args.repeat, first_output=True)
        start = time.perf_counter()
        timed([*FULIAN, "ingest", str(drop)], env, 1)  # starts the local server, archives all
        fig["first ingest (starts the local server)"] = {"wall": time.perf_counter() - start}
        fig["no-op ingest"] = timed([*FULIAN, "ingest", str(drop)], env, args.repeat, first_output=True)
        fig["submissions"] = timed([*FULIAN, "submissions"], env, args.repeat, first_output=True)
        for label, extra in (("1 new file, local server (reused)", {}),
                             ("1 new file, ephemeral server", {"FULIAN_PREFECT_SERVER": "ephemeral"})):
            walls, cpus = [], []
            for k in range(args.repeat):
                make_drop(drop, 1, start=10_000 + len(fig) * 100 + k)
                one = timed([*FULIAN, "ingest", str(drop)], {**env, **extra}, 1, first_output=True)
                walls.append(one["wall"])
                cpus.append(one["cpu"])
            fig[label] = {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}
        subprocess.run([*FULIAN, "server", "stop"], cwd=ROOT, env={**os.environ, **env},
                       capture_output=True)
    report(fig, args)


def report(fig: dict[str, dict], args: argparse.Namespace) -> None:
    floor = fig["python -c pass"]["wall"]
    prefect = fig["python -c 'import prefect'"]["wall"]
    load = os.getloadavg()[0]
    print(f"fulian command line: median of {args.repeat} runs, {args.files} archived files, "
          f"{os.cpu_count()} cores, load average {load:.1f}")
    print(f"{'what':42} {'wall s':>8} {'cpu s':>8} {'first s':>8} {'× python':>9} {'× prefect':>10}")
    for label, f in fig.items():
        first = f"{f['first']:.2f}" if "first" in f else "—"
        cpu = f"{f['cpu']:.2f}" if "cpu" in f else "—"
        print(f"{label:42} {f['wall']:8.2f} {cpu:>8} {first:>8} {f['wall'] / floor:9.1f} "
              f"{f['wall'] / prefect:10.2f}")


if __name__ == "__main__":
    main()
