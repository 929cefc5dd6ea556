#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""esc across a Dask cluster: the summary of `esc scan` for mail logs, or of
`esc dsn` for bounces, computed by many workers, with the same counts.

    esc_cluster.py scan [--workers N | --scheduler ADDR] LOG...
    esc_cluster.py dsn  [--workers N | --scheduler ADDR] MAILDIR_OR_FILE...

scan: every log is cut into byte ranges (--chunk bytes); a worker reads its
range itself, from the first line that starts in it to the end of the last
one (a gzip log is one task), and counts it with esc.scan_text(), which is
`esc scan`'s own line reader and classifier. The counts add up.
dsn: the message files (maildirs through cur/ and new/, folders, mbox files)
(folders read recursively, as esc dsn reads them) are listed here, handed out in groups of --batch, and read by the workers
with esc.read_bounces().

Without --scheduler a LocalCluster of --workers processes is started on
loopback. With --scheduler tcp://HOST:8786 the script is a client of an
existing cluster (`dask-scheduler` on one host, `dask-worker
tcp://HOST:8786` on each of the others): the workers need the esc module
(cmake --install with -DESC_BUILD_PYTHON=ON) and must see the input paths
under the same names (a shared or replicated file system); this script is
shipped to them by value, they need no copy of it.
"""

import argparse
import gzip
import os
import sys
from collections import Counter

import esc

try:  # the workers get this module's functions by value: they need no copy of the script
    import cloudpickle

    if __name__ != "__main__":
        cloudpickle.register_pickle_by_value(sys.modules[__name__])
except (ImportError, AttributeError):  # pragma: no cover - older cloudpickle: put the script on PYTHONPATH
    pass

REASON_ORDER = {name: i for i, name in enumerate(esc.REASONS)}


# ---- scan -----------------------------------------------------------------------------


def log_ranges(paths, chunk):
    """(path, start, end) tasks: byte ranges of plain logs, whole gzip logs."""
    tasks = []
    for path in paths:
        with open(path, "rb") as f:
            compressed = f.read(2) == b"\x1f\x8b"
        size = os.path.getsize(path)
        if compressed or size <= chunk:
            tasks.append((path, 0, size))
            continue
        tasks.extend((path, start, min(start + chunk, size)) for start in range(0, size, chunk))
    return tasks


def read_range(path, start, end):
    """The lines that start in [start, end), whole, as bytes; a gzip file whole."""
    with open(path, "rb") as f:
        if f.read(2) == b"\x1f\x8b":
            f.seek(0)
            return gzip.GzipFile(fileobj=f).read()
        if start > 0:
            f.seek(start - 1)
            f.readline()  # the rest of the line that started before `start` is the previous range's
        else:
            f.seek(0)
        pos = f.tell()
        if pos >= end:
            return b""
        data = f.read(end - pos)
        if data and not data.endswith(b"\n"):
            data += f.readline()
        return data


def scan_range(task):
    path, start, end = task
    return esc.scan_text(read_range(path, start, end))


def merge_scans(parts):
    total = {
        "lines": 0, "bytes": 0, "attempts": 0, "expired": 0, "not_attempted": 0, "probes": 0, "malformed": 0,
        "too_long": 0, "binary": 0, "formats": set(), "dispositions": Counter(), "reasons": {}, "codes": Counter(), "domains": {},
    }
    for p in parts:
        for key in ("lines", "bytes", "attempts", "expired", "not_attempted", "probes", "malformed", "too_long",
                    "binary"):
            total[key] += p[key]
        total["formats"].update(p["formats"])
        total["dispositions"].update(p["dispositions"])
        total["codes"].update(p["codes"])
        for reason, (deferred, bounced) in p["reasons"].items():
            d, b = total["reasons"].get(reason, (0, 0))
            total["reasons"][reason] = (d + deferred, b + bounced)
        for name, c in p["domains"].items():
            t = total["domains"].setdefault(name, {"attempts": 0, "sent": 0, "deferred": 0, "bounced": 0,
                                                   "reasons": Counter()})
            for key in ("attempts", "sent", "deferred", "bounced"):
                t[key] += c[key]
            t["reasons"].update(c["reasons"])
    return total


def commas(n):
    return f"{n:,}"


def percent(part, whole):
    return f"{100.0 * part / whole:.1f}%" if whole else "0.0%"


def scan_summary(t, top=10):
    """The counts of `esc scan`'s summary, in its tables and row order (without bars and colour)."""
    out = [f"{t['lines']:,} lines, {commas(t['attempts'])} delivery attempts", "", "Deliveries"]
    kinds = t["dispositions"]
    for kind in ("sent", "deferred", "bounced", "other"):
        n = kinds.get(kind, 0)
        if n == 0 and kind == "other":
            continue
        out.append(f"  {kind:<10} {commas(n):>10}  {percent(n, t['attempts']):>6}")
    if t["expired"]:
        out.append(f"  {commas(t['expired'])} message{'' if t['expired'] == 1 else 's'} expired in the queue "
                   "and went back to the sender")
    if t["not_attempted"]:
        out.append(f"  {commas(t['not_attempted'])} deferral{'' if t['not_attempted'] == 1 else 's'} logged without a "
                   "delivery attempt (retry time not reached, destination suspended), not counted as attempts")
    if t["probes"]:
        out.append(f"  {commas(t['probes'])} address-verification probe{'' if t['probes'] == 1 else 's'}, "
                   "not counted as deliveries")
    deferred, bounced = kinds.get("deferred", 0), kinds.get("bounced", 0)
    failures = deferred + bounced
    if failures == 0:
        out += ["", "No failed delivery attempts."]
        return "\n".join(out) + "\n"
    out += ["", "Failures by reason"]
    rows = sorted(t["reasons"].items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), REASON_ORDER[kv[0]]))
    for reason, (d, b) in rows:
        out.append(f"  {reason:<20} {commas(d) if d else '-':>8}  {commas(b) if b else '-':>8}  "
                   f"{percent(d + b, failures):>6}")
    out.append(f"  {'total':<20} {commas(deferred):>8}  {commas(bounced):>8}  100.0%")
    doms = [(n, c) for n, c in t["domains"].items() if c["deferred"] + c["bounced"]]
    doms.sort(key=lambda nc: (-(nc[1]["deferred"] + nc[1]["bounced"]), nc[0]))
    out += ["", "Failures by recipient domain"]
    for name, c in doms[:top]:
        out.append(f"  {name or '(no domain)':<40} {commas(c['attempts']):>8}  {commas(c['deferred']) if c['deferred'] else '-':>8}"
                   f"  {commas(c['bounced']) if c['bounced'] else '-':>8}")
    codes = sorted(t["codes"].items(), key=lambda kv: (-kv[1], esc.parse_status(kv[0])))
    if codes:
        out += ["", "Enhanced status codes in failures"]
        with_code = sum(n for _, n in codes)
        for status, n in codes[:top]:
            out.append(f"  {status:<9} {commas(n):>8}  {percent(n, with_code):>6}  {esc.describe(status)}")
    return "\n".join(out) + "\n"


# ---- dsn --------------------------------------------------------------------------------


SKIPPED = ("dovecot", "courier")


def walk(folder, files):
    entries = sorted(os.path.join(folder, n) for n in os.listdir(folder))
    maildir = os.path.isdir(os.path.join(folder, "cur")) and os.path.isdir(os.path.join(folder, "new"))
    for e in entries:
        name = os.path.basename(e)
        if os.path.isdir(e):
            if not (maildir and name == "tmp"):
                walk(e, files)
        elif os.path.isfile(e) and not (name.startswith(".") or name.startswith(SKIPPED)
                                        or name in ("maildirfolder", "subscriptions")):
            files.append(e)


def message_files(arg):
    """As `esc dsn` lists an argument: a file, or a folder's files recursively in name order (a maildir's
    tmp/, dot files and Dovecot's and Courier's own files left out)."""
    if not os.path.isdir(arg):
        return [arg]
    files = []
    walk(arg, files)
    return files


def dsn_batch(paths):
    """Counts of one group of message files: messages, those without a recipient, recipients by reason."""
    messages = without = 0
    by_reason = Counter()
    for bounce in esc.read_bounces(paths):
        messages += 1
        if bounce.kind == "feedback" or len(bounce) == 0:
            without += 1
        by_reason.update(r.reason for r in bounce.recipients)
    return messages, without, by_reason


def merge_dsn(parts):
    messages = without = 0
    by_reason = Counter()
    for m, w, r in parts:
        messages, without = messages + m, without + w
        by_reason.update(r)
    return messages, without, by_reason


def dsn_summary(counts):
    """The summary line `esc dsn` writes to standard error."""
    messages, without, by_reason = counts
    return f"{messages} messages, {without} without a recipient;" + "".join(
        f" {reason} {n}" for reason, n in sorted(by_reason.items())) + "\n"


# ---- the cluster ------------------------------------------------------------------------------


def run(client, command, paths, chunk=8 << 20, batch=64):
    """Runs `command` ('scan' or 'dsn') over `paths` on a dask.distributed Client; returns the merged counts."""
    if command == "scan":
        tasks = log_ranges(paths, chunk)
        futures = client.map(scan_range, tasks, pure=False)
        return merge_scans(client.gather(futures))
    files = [f for p in paths for f in message_files(p)]
    groups = [files[i:i + batch] for i in range(0, len(files), batch)]
    futures = client.map(dsn_batch, groups, pure=False)
    return merge_dsn(client.gather(futures))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("scan", "dsn"))
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://HOST:8786)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (without --scheduler)")
    ap.add_argument("--chunk", type=int, default=8 << 20, help="scan: bytes of log per task")
    ap.add_argument("--batch", type=int, default=64, help="dsn: message files per task")
    args = ap.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        cluster = None
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    try:
        counts = run(client, args.command, args.paths, args.chunk, args.batch)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if args.command == "scan":
        sys.stdout.write(scan_summary(counts))
    else:
        sys.stderr.write(dsn_summary(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
