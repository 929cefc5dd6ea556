#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""The Python figures, side by side in one run:

 1. classify: esc.classify_many(texts) against a Python loop over esc.classify(),
    and against the C++ benchmark (esc_bench BM_classify_text/0, the same texts);
 2. bounces: esc.read_bounces(paths) and esc.read_bounce() per message against
    flufl.bounce (scan_message/all_failures on email.message_from_bytes) on
    the same messages: messages/s and the recipients each finds;
 3. the cluster: esc_cluster.py scan on a LocalCluster of 1 and of 2 worker
    processes (the cluster's start-up not counted).

    PYTHONPATH=build/python/bindings/python /usr/bin/python3 bindings/python/figures.py \\
        [--bench build/bench/esc_bench] [--corpus ../shared/corpus]
"""

import argparse
import email
import email.policy
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

import esc

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parents[1]


def best_of(n, f):
    times = []
    result = None
    for _ in range(n):
        result = None  # the previous run's objects are freed outside the timing
        t = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t)
    return min(times), result


def t_one_over(one, two):
    return f"{one / two:.2f}x one thread"


def classify_figures(corpus, bench, min_texts):
    base = [json.loads(line).get("diagnosticcode") or "" for line in
            (corpus / "sisimai" / "sisimai-labels.jsonl").read_text().splitlines()]
    base = [t for t in base if t]
    texts = base * max(1, -(-min_texts // len(base)))
    n = len(texts)
    t_many, many = best_of(3, lambda: esc.classify_many(texts))
    t_loop, loop = best_of(3, lambda: [esc.classify(t) for t in texts])
    assert [c.reason for c in many] == [c.reason for c in loop]
    print(f"classify: {len(base)} Diagnostic-Code texts of the Sisimai corpus, repeated to {n:,}")
    print(f"  esc.classify_many(texts)          {n / t_many:>12,.0f} texts/s  ({t_many * 1e3:.1f} ms)")
    print(f"  [esc.classify(t) for t in texts]  {n / t_loop:>12,.0f} texts/s  ({t_loop * 1e3:.1f} ms)"
          f"  classify_many is {t_loop / t_many:.2f}x")
    # The GIL is released inside classify_many: threads run batches side by side.
    from concurrent.futures import ThreadPoolExecutor

    halves = [texts[: n // 2], texts[n // 2:]]
    with ThreadPoolExecutor(2) as pool:
        t_two, _ = best_of(3, lambda: list(pool.map(esc.classify_many, halves)))
        t_two_loop, _ = best_of(3, lambda: list(pool.map(lambda h: [esc.classify(t) for t in h], halves)))
    print(f"  classify_many, 2 threads          {n / t_two:>12,.0f} texts/s  ({t_one_over(t_many, t_two)})")
    print(f"  Python loop, 2 threads            {n / t_two_loop:>12,.0f} texts/s  ({t_one_over(t_loop, t_two_loop)})")
    if bench and os.access(bench, os.X_OK):
        # esc_bench prints its own table (and ratios) whatever --benchmark_format says: read the table.
        p = subprocess.run([bench, "--benchmark_filter=^BM_classify_text/0$", "--benchmark_min_time=0.5",
                            "--benchmark_color=false"], capture_output=True, timeout=300)
        m = re.search(r"BM_classify_text/0\s.*?([\d.]+)([kMG]?)/s\s+corpus", re.sub(r"\x1b\[[0-9;]*m", "", p.stdout.decode()))
        if m:
            cxx = float(m.group(1)) * {"": 1, "k": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]
            print(f"  C++ esc_bench BM_classify_text/0  {cxx:>12,.0f} texts/s"
                  f"  classify_many reaches {100.0 * (n / t_many) / cxx:.0f}% of it")
        else:
            print("  C++ esc_bench: no figure in its output")
    else:
        print("  C++ esc_bench: not built (cmake --workflow --preset bench; pass --bench)")


def bounce_figures(corpus):
    try:
        import flufl.bounce
    except ImportError:
        flufl = None
    maildir = corpus / "sisimai" / "emails" / "maildir"
    paths = sorted(str(p) for d in ("bsd", "dos") for p in (maildir / d).iterdir() if p.is_file())
    data = [pathlib.Path(p).read_bytes() for p in paths]
    n = len(paths)
    t_batch, batch = best_of(3, lambda: esc.read_bounces(paths))
    t_each, each = best_of(3, lambda: [esc.read_bounce(d) for d in data])
    esc_found = [{r.address.lower() for r in b.recipients} for b in each]
    print(f"\nbounces: {n} messages of the Sisimai corpus (maildir/bsd and maildir/dos)")
    print(f"  esc.read_bounces(paths)           {n / t_batch:>10,.0f} messages/s  (files read in C++)")
    print(f"  esc.read_bounce(bytes) per message{n / t_each:>10,.0f} messages/s")
    print(f"      recipients found {sum(map(len, esc_found)):>5}, messages with a recipient "
          f"{sum(1 for s in esc_found if s):>4} of {n}")
    print(f"      (read_bounces, which splits mbox files as esc dsn does: {sum(len(b) for b in batch)} recipients "
          f"in {len(batch)} messages)")
    if flufl is None:
        print("  flufl.bounce: not installed (Debian python3-flufl.bounce)")
        return

    def flufl_all():
        out = []
        for d in data:
            msg = email.message_from_bytes(d, policy=email.policy.compat32)
            temporary, permanent = flufl.bounce.all_failures(msg)
            out.append({(a.decode() if isinstance(a, bytes) else str(a)).lower() for a in temporary | permanent})
        return out

    def parse_only():
        return [email.message_from_bytes(d, policy=email.policy.compat32) for d in data]

    t_flufl, ff = best_of(3, flufl_all)
    t_parse, _ = best_of(3, parse_only)
    both = sum(len(a & b) for a, b in zip(esc_found, ff))
    print(f"  flufl.bounce.all_failures         {n / t_flufl:>10,.0f} messages/s  "
          f"(of which email.message_from_bytes: {t_parse / t_flufl * 100:.0f}% of the time)")
    print(f"      recipients found {sum(map(len, ff)):>5}, messages with a recipient "
          f"{sum(1 for s in ff if s):>4} of {n}")
    print(f"  esc is {t_flufl / t_each:.1f}x flufl.bounce per message; addresses both found: {both}; "
          f"only esc: {sum(len(a - b) for a, b in zip(esc_found, ff))}; "
          f"only flufl.bounce: {sum(len(b - a) for a, b in zip(esc_found, ff))}")


def cluster_figures(copies):
    sys.path.insert(0, str(SOURCE / "examples" / "python"))
    import esc_cluster

    log = (SOURCE / "examples" / "data" / "postfix.log").read_bytes()
    # Two logs: the sample as it is (most lines rejected after a memchr), and its failure lines
    # alone, each of which is classified: the work a cluster can share out.
    failures = b"".join(line for line in log.splitlines(keepends=True)
                        if b"status=deferred" in line or b"status=bounced" in line)
    with tempfile.TemporaryDirectory() as tmp:
        for name, body, n in (("sample log", log, copies), ("failure lines only", failures, max(1, len(log) * copies // max(1, len(failures))))):
            big = pathlib.Path(tmp) / "mail.log"
            big.write_bytes(body * n)
            cluster_run(esc_cluster, big, f"{name}, {n} copies")


def cluster_run(esc_cluster, big, what):
    from dask.distributed import Client, LocalCluster

    size = big.stat().st_size
    print(f"\ncluster: esc_cluster scan over {size / 2**20:.1f} MiB of Postfix log ({what}), 16 MiB tasks, "
          f"{os.cpu_count()} cores here")
    t_one, reference = best_of(1, lambda: esc.scan_text(big.read_bytes()))
    print(f"  one process, esc.scan_text        {size / t_one / 2**20:>8,.1f} MiB/s  "
          f"{reference['lines'] / t_one:>12,.0f} lines/s")
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
            client.wait_for_workers(workers, timeout=60)
            esc_cluster.run(client, "scan", [str(big)], chunk=16 << 20)  # warm the workers
            t, got = best_of(3, lambda: esc_cluster.run(client, "scan", [str(big)], chunk=16 << 20))
        assert got["attempts"] == reference["attempts"] and got["reasons"] == reference["reasons"]
        print(f"  LocalCluster, {workers} worker{'s' if workers > 1 else ' '}          "
              f"{size / t / 2**20:>8,.1f} MiB/s  {reference['lines'] / t:>12,.0f} lines/s  "
              f"({t:.2f} s, {got['attempts']:,} attempts)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=os.environ.get("ESC_CORPUS_DIR", str(SOURCE.parent / "shared" / "corpus")))
    ap.add_argument("--bench", default=str(SOURCE / "build" / "bench" / "esc_bench"))
    ap.add_argument("--texts", type=int, default=200_000, help="classify: texts per run")
    ap.add_argument("--copies", type=int, default=400, help="cluster: copies of the sample log")
    ap.add_argument("--skip-cluster", action="store_true")
    args = ap.parse_args()
    corpus = pathlib.Path(args.corpus)
    print(f"esc {esc.__version__}, Python {sys.version.split()[0]} ({sys.executable})")
    classify_figures(corpus, args.bench, args.texts)
    bounce_figures(corpus)
    if not args.skip_cluster:
        cluster_figures(args.copies)


if __name__ == "__main__":
    main()
