"""``make bench``: build cost, link-check speed and correctness, ours and the peers', one machine."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, Truth, generate
from linkserver import RETRY_AFTER, RequestLog, peak_rate, serve

BIN = Path(sys.executable).parent
PER_HOST_RATE = 5.0  # the politeness profile the corpus configures for every bench host
# Peers must not leave the machine: the corpus's only non-loopback links are identifiers.
OUTSIDE = ("pubmed", "doi.org", "ncbi", "sphinx-doc.org", "github.com", "pradyunsg")


def run(
    command: list[str], timeout: float, env: dict[str, str] | None = None
) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in KiB, exit code or -1 when killed at ``timeout``, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    chunks: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        process.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    # wait4 reaps this one child and reports its own peak memory (not all children's).
    _, status, rusage = os.wait4(process.pid, 0)
    timer.cancel()
    reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    code = -1 if killed.is_set() else process.returncode
    return time.perf_counter() - start, rusage.ru_maxrss, code, "".join(chunks)


def sphinx(
    site: Path, out: Path, *extra: str, mode: str = "offline", cache: Path | None = None
) -> list[str]:
    return [
        str(BIN / "python"),
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-c",
        str(site),
        "-d",
        str(out / "doctrees"),
        *extra,
        str(site / "docs"),
        str(out / "html"),
    ]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure_builds(work: Path, runs: int, timeout: float) -> dict[str, Any]:
    """Full, -j 2 and incremental builds, ours over plain MyST, medians of ``runs``."""
    env = {"SCLERO_LINKCHECK": "offline", "SCLERO_LINKCHECK_CACHE": str(work / "offline.sqlite3")}
    times: dict[str, list[float]] = {}
    memory: dict[str, int] = {}
    for r in range(runs):
        for variant in ("plain", "ours"):
            for label, extra in (("full", ["-E"]), ("j2", ["-E", "-j", "2"])):
                out = work / "builds" / f"{variant}-{label}"
                shutil.rmtree(out, ignore_errors=True)
                seconds, rss, code, _ = run(sphinx(work / variant, out, *extra), timeout, env)
                times.setdefault(f"{variant}-{label}", []).append(
                    seconds if code == 0 else float("nan")
                )
                memory[f"{variant}-{label}"] = max(memory.get(f"{variant}-{label}", 0), rss)
            # Incremental: one page edited after the full build above.
            page = work / variant / "docs" / "topics" / "t0.md"
            page.write_text(
                page.read_text(encoding="utf-8") + f"\nEdited in run {r}.\n", encoding="utf-8"
            )
            out = work / "builds" / f"{variant}-full"
            seconds, _, code, _ = run(sphinx(work / variant, out), timeout, env)
            times.setdefault(f"{variant}-incremental", []).append(
                seconds if code == 0 else float("nan")
            )
    med = {k: median(v) for k, v in times.items()}
    return {
        "seconds": med,
        "peak_rss_mib": {k: v / 1024 for k, v in memory.items()},
        "ratio_full": med["ours-full"] / med["plain-full"],
        "ratio_j2": med["ours-j2"] / med["plain-j2"],
        "ratio_incremental": med["ours-incremental"] / med["plain-incremental"],
    }


def measure_internal(work: Path, runs: int, timeout: float) -> dict[str, Any]:
    """Our internal-link work as a share of the same build."""
    shares = []
    for _ in range(runs):
        out = work / "builds" / "timed"
        shutil.rmtree(out, ignore_errors=True)
        args = sphinx(work / "ours", out, "-E")[3:]  # drop "python -m sphinx"
        command = [str(BIN / "python"), str(Path(__file__).parent / "timed_build.py"), *args]
        _, _, code, stdout = run(
            command,
            timeout,
            {"SCLERO_LINKCHECK": "offline", "PYTHONPATH": str(REPO / "extensions")},
        )
        if code == 0 and stdout.strip():
            data = json.loads(stdout.strip().splitlines()[-1])
            shares.append(data["internal"] / data["build"])
    return {"share_of_build": median(shares)}


def _score(predicted: set[str], truth: Truth) -> tuple[float, float]:
    actual = set(truth.broken_urls)
    tp = len(predicted & actual)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(actual) if actual else 1.0
    return precision, recall


def _located_share(found: set[tuple[str, int, str]], truth: Truth) -> float:
    """Of every occurrence of a broken URL, the share reported at its own file and line."""
    wanted = {(f, line, u) for f, line, u in truth.link_occurrences if u in set(truth.broken_urls)}
    return len(wanted & found) / len(wanted) if wanted else 1.0


def ours_external(
    work: Path, port: int, log: RequestLog, truth: Truth, timeout: float, offline_seconds: float
) -> dict[str, Any]:
    """Cold, warm and +5 links, with our checker in full mode."""
    cache = work / "ours-cache.sqlite3"
    env = {"SCLERO_LINKCHECK": "full", "SCLERO_LINKCHECK_CACHE": str(cache)}
    out = work / "builds" / "ours-links"
    results: dict[str, Any] = {}
    for phase in ("cold", "warm", "plus5"):
        if phase == "plus5":
            page = work / "ours" / "docs" / "topics" / "t1.md"
            extra = "".join(
                f"\nNew: [n{h}](http://127.0.0.{h}:{port}/ok/new{h}).\n" for h in range(1, 6)
            )
            page.write_text(page.read_text(encoding="utf-8") + extra, encoding="utf-8")
        mark = log.mark()
        seconds, _, code, _ = run(
            sphinx(work / "ours", out, *(["-E"] if phase == "cold" else [])), timeout, env
        )
        rows = log.since(mark)
        results[phase] = {
            "seconds": seconds,
            "link_seconds": max(0.0, seconds - offline_seconds),
            "requests": len(rows),
            "peak_host_rate": peak_rate(rows),
            "finished": code != -1,
        }
        if phase == "cold":
            report = json.loads((out / "html" / "link-report.json").read_text(encoding="utf-8"))
            predicted = {
                r["url"] for r in report["occurrences"] if r["outcome"] in ("broken", "soft_404")
            }
            results["precision"], results["recall"] = _score(predicted, truth)
            found = {
                (f"docs/{r['docname']}.md", r["lineno"], r["url"]) for r in report["occurrences"]
            }
            results["located_share"] = _located_share(found, truth)
            results["politeness_bound_seconds"] = politeness_bound(rows)
    return results


def politeness_bound(rows: list[tuple[float, str, str, str, int]]) -> float:
    """The least time the busiest host's limits allow for the requests it received.

    Its requests at the profile's rate, plus each Retry-After the host answered with (the
    rest of that second's budget is lost: nothing may be sent to the host meanwhile).
    """
    needed: dict[str, float] = {}
    for _, host, _, _, status in rows:
        extra = RETRY_AFTER - 1 / PER_HOST_RATE if status == 429 else 0.0
        needed[host] = needed.get(host, 0.0) + 1 / PER_HOST_RATE + extra
    return max(needed.values(), default=0.0)


def sphinx_linkcheck(
    work: Path, log: RequestLog, truth: Truth, tuned: bool, timeout: float
) -> dict[str, Any]:
    out = work / "builds" / ("linkcheck-tuned" if tuned else "linkcheck")
    shutil.rmtree(out, ignore_errors=True)
    ignore = ",".join(re.escape(h) for h in OUTSIDE)
    options = ["-D", f"linkcheck_ignore={ignore}"]
    if tuned:
        options += [
            "-D",
            "linkcheck_workers=16",
            "-D",
            "linkcheck_timeout=5",
            "-D",
            "linkcheck_retries=1",
            "-D",
            "linkcheck_rate_limit_timeout=10",
        ]
    command = [
        str(BIN / "python"),
        "-m",
        "sphinx",
        "-b",
        "linkcheck",
        "-q",
        "-c",
        str(work / "plain"),
        "-d",
        str(out / "doctrees"),
        *options,
        str(work / "plain" / "docs"),
        str(out),
    ]
    mark = log.mark()
    seconds, _, code, _ = run(command, timeout)
    rows = log.since(mark)
    predicted: set[str] = set()
    found: set[tuple[str, int, str]] = set()
    output = out / "output.json"
    if output.exists():
        for line in output.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["status"] == "broken":
                predicted.add(item["uri"])
                found.add((f"docs/{item['filename']}", item["lineno"], item["uri"]))
    return _peer(seconds, code, rows, predicted, found, truth, work)


def _peer(
    seconds: float,
    code: int,
    rows: list[Any],
    predicted: set[str],
    found: set[tuple[str, int, str]],
    truth: Truth,
    work: Path,
) -> dict[str, Any]:
    precision, recall = _score(predicted, truth)
    # The plain site has the same links on the same pages; its lines differ from ours, so an
    # occurrence counts as located when the tool names its file and the right line in it.
    located = _plain_located(found, truth, work)
    return {
        "seconds": seconds,
        "finished": code != -1,
        "requests": len(rows),
        "peak_host_rate": peak_rate(rows),
        "precision": precision,
        "recall": recall,
        "located_share": located,
    }


def _plain_located(found: set[tuple[str, int, str]], truth: Truth, work: Path) -> float:
    wanted = [(f, u) for f, _, u in truth.link_occurrences if u in set(truth.broken_urls)]
    if not wanted:
        return 1.0
    hits = 0
    for file, url in wanted:
        path = work / "plain" / file
        lines = [
            n
            for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if url in text
        ]
        hits += any((file, n, url) in found for n in lines)
    return hits / len(wanted)


def linkchecker_cli(work: Path, log: RequestLog, truth: Truth, timeout: float) -> dict[str, Any]:
    html = work / "builds" / "plain-full" / "html" / "index.html"
    pattern = "|".join(re.escape(h) for h in OUTSIDE)
    command = [
        str(BIN / "linkchecker"),
        "--no-status",
        "-v",
        "-o",
        "csv",
        "--check-extern",
        "--timeout",
        "5",
        "--ignore-url",
        pattern,
        str(html),
    ]
    mark = log.mark()
    seconds, _, code, stdout = run(command, timeout)
    rows = log.since(mark)
    lines = [line for line in stdout.splitlines() if line and not line.startswith("#")]
    predicted = {
        r["urlname"]
        for r in csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";")
        if r.get("valid") == "False" and r["urlname"].startswith("http://127.")
    }
    # LinkChecker names the HTML page and its line there, never the source file's line.
    return _peer(seconds, code, rows, predicted, set(), truth, work)


def lychee_cli(work: Path, log: RequestLog, truth: Truth, timeout: float) -> dict[str, Any]:
    sources = sorted(str(p) for p in (work / "plain" / "docs" / "topics").glob("*.md"))
    excludes = [arg for h in OUTSIDE for arg in ("--exclude", re.escape(h))]
    command = [
        str(BIN / "lychee"),
        "--format",
        "json",
        "--no-progress",
        "--timeout",
        "5",
        "--max-retries",
        "1",
        *excludes,
        *sources,
    ]
    mark = log.mark()
    seconds, _, code, stdout = run(command, timeout)
    rows = log.since(mark)
    predicted: set[str] = set()
    found: set[tuple[str, int, str]] = set()
    try:
        data = json.loads(stdout) if stdout.strip() else {}
    except json.JSONDecodeError:
        data = {}
    for file, items in data.get("error_map", {}).items():
        for item in items:
            code_ = (item.get("status") or {}).get("code")
            if code_ in (404, 410):
                predicted.add(item["url"])
                relative = Path(file).relative_to(work / "plain").as_posix()
                found.add((relative, (item.get("span") or {}).get("line", 0), item["url"]))
    return _peer(seconds, code, rows, predicted, found, truth, work)


def versions() -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        try:
            return (
                subprocess.run(command, capture_output=True, text=True, timeout=30)
                .stdout.strip()
                .splitlines()[0]
            )
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unavailable"

    import sphinx as sphinx_module

    return {
        "python": platform.python_version(),
        "sphinx": sphinx_module.__version__,
        "linkchecker": first_line([str(BIN / "linkchecker"), "--version"]),
        "lychee": first_line([str(BIN / "lychee"), "--version"]),
    }


def targets(result: dict[str, Any]) -> list[tuple[str, str, bool]]:
    b, i, o = result["build"], result["internal"], result["external"]["ours"]
    imposed = 1.0  # five new links on five hosts: one latency each, in parallel, plus 1 s slack
    peers = [result["external"][k] for k in result["external"] if k != "ours"]
    return [
        (
            "Our checks add at most 10% to a full build",
            f"x{b['ratio_full']:.2f}",
            b["ratio_full"] <= 1.10,
        ),
        (
            "... and at most 10% to an incremental build",
            f"x{b['ratio_incremental']:.2f}",
            b["ratio_incremental"] <= 1.10,
        ),
        (
            "Internal link checking at most 5% of the build",
            f"{i['share_of_build']:.1%}",
            i["share_of_build"] <= 0.05,
        ),
        ("A warm build sends no request", str(o["warm"]["requests"]), o["warm"]["requests"] == 0),
        (
            "Five new links cost at most 1 s over the imposed time",
            f"+{o['plus5']['seconds'] - o['warm']['seconds']:.2f} s",
            o["plus5"]["seconds"] - o["warm"]["seconds"] <= imposed,
        ),
        (
            "Cold: within 20% of the politeness bound, never above the limits",
            f"{o['cold']['link_seconds']:.1f} s vs {o['politeness_bound_seconds']:.1f} s; peak {o['cold']['peak_host_rate']:.0f}/s",
            o["cold"]["link_seconds"] <= 1.2 * max(o["politeness_bound_seconds"], 1.0)
            and o["cold"]["peak_host_rate"] <= PER_HOST_RATE,
        ),
        (
            "Precision and recall of broken both 1.0",
            f"{o['precision']:.2f} / {o['recall']:.2f}",
            o["precision"] == 1.0 and o["recall"] == 1.0,
        ),
        (
            "Every occurrence reported at file and line",
            f"{o['located_share']:.0%}",
            o["located_share"] == 1.0,
        ),
        (
            "(peers, for comparison) best peer recall",
            f"{max((p['recall'] for p in peers), default=0):.2f}",
            True,
        ),
    ]


def markdown(result: dict[str, Any], command: str) -> str:
    b, e = result["build"], result["external"]
    lines = [
        "# Benchmark",
        "",
        f"Date: {result['date']}. Machine: {result['machine']}. Command: `{command}`.",
        f"Corpus: {result['pages']} pages x {result['per_page']} citations = {result['citations']} citations, "
        f"{result['broken']} broken URLs planted among {result['links']} link occurrences, "
        f"8 loopback hosts with latency and a server-side limit of 10 requests/s per host.",
        f"Versions: {', '.join(f'{k} {v}' for k, v in result['versions'].items())}. Builds: median of {result['runs']} runs.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {value} | {'met' if ok else '**not met**'} |"
        for name, value, ok in result["targets"]
    ]
    lines += [
        "",
        "## Builds (seconds, median)",
        "",
        "| build | plain MyST | ours | ratio | peak RSS ours (MiB) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label in ("full", "j2", "incremental"):
        ratio = b["seconds"][f"ours-{label}"] / b["seconds"][f"plain-{label}"]
        rss = b["peak_rss_mib"].get(f"ours-{label}", float("nan"))
        lines.append(
            f"| {label} | {b['seconds'][f'plain-{label}']:.2f} | {b['seconds'][f'ours-{label}']:.2f} | x{ratio:.2f} | {rss:.0f} |"
        )
    lines += [
        "",
        f"Internal link checking: {result['internal']['share_of_build']:.1%} of our build.",
        "",
        "## External links",
        "",
        "| tool | wall s | finished | requests | peak req/s per host | precision | recall | located at file:line |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    o = e["ours"]
    for phase in ("cold", "warm", "plus5"):
        p = o[phase]
        lines.append(
            f"| ours ({phase}) | {p['seconds']:.1f} | {p['finished']} | {p['requests']} | {p['peak_host_rate']:.0f} | "
            + (
                f"{o['precision']:.2f} | {o['recall']:.2f} | {o['located_share']:.0%} |"
                if phase == "cold"
                else "| | |"
            )
        )
    for name, p in e.items():
        if name == "ours":
            continue
        lines.append(
            f"| {name} | {p['seconds']:.1f} | {p['finished']} | {p['requests']} | {p['peak_host_rate']:.0f} | "
            f"{p['precision']:.2f} | {p['recall']:.2f} | {p['located_share']:.0%} |"
        )
    lines += [
        "",
        "Ours builds the site too, so its wall times include a build; peers run on the plain "
        "site (or its HTML / Markdown) with identifier URLs excluded, since only we verify those "
        "(at local stand-ins of the DOI handle API and E-utilities).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--per-page", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0, help="per process, seconds")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "bench")
    parser.add_argument("--write-benchmark-md", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sclero-bench-"))
    os.chmod(work, 0o755)  # LinkChecker, run as root, drops to "nobody" and must read the HTML
    try:
        with serve() as (port, log):
            truth = generate(work, args.pages, args.per_page, port)
            for path in work.rglob("*"):
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
            result: dict[str, Any] = {
                "date": date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
                "pages": args.pages,
                "per_page": args.per_page,
                "citations": truth.citations,
                "broken": len(truth.broken_urls),
                "links": len(truth.link_occurrences),
                "runs": args.runs,
                "versions": versions(),
            }
            result["build"] = measure_builds(work, args.runs, args.timeout)
            for path in work.rglob("*"):
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
            result["internal"] = measure_internal(work, args.runs, args.timeout)
            offline = result["build"]["seconds"]["ours-full"]
            result["external"] = {
                "ours": ours_external(work, port, log, truth, args.timeout, offline)
            }
            result["external"]["sphinx linkcheck (default)"] = sphinx_linkcheck(
                work, log, truth, False, args.timeout
            )
            result["external"]["sphinx linkcheck (tuned)"] = sphinx_linkcheck(
                work, log, truth, True, args.timeout
            )
            result["external"]["LinkChecker (HTML crawl)"] = linkchecker_cli(
                work, log, truth, args.timeout
            )
            result["external"]["lychee (Markdown)"] = lychee_cli(work, log, truth, args.timeout)
            result["targets"] = targets(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = "make bench" + (
        f" BENCH_ARGS='--pages {args.pages} --per-page {args.per_page} --runs {args.runs}'"
        if (args.pages, args.per_page, args.runs) != (500, 40, 3)
        else ""
    )
    table = markdown(result, command)
    (args.out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "bench.md").write_text(table, encoding="utf-8")
    if args.write_benchmark_md:
        (REPO / "BENCHMARK.md").write_text(table, encoding="utf-8")
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
