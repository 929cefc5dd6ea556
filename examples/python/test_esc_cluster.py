# The cluster example on a LocalCluster of two worker processes on loopback:
# the same counts as `esc scan` and `esc dsn`, read from the tool's own output.
import gzip
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = pathlib.Path(os.environ.get("ESC_SOURCE_DIR", HERE.parents[1]))
CORPUS = pathlib.Path(os.environ.get("ESC_CORPUS_DIR", SOURCE.parent / "shared" / "corpus"))
sys.path.insert(0, str(HERE))

import esc  # noqa: E402
import esc_cluster  # noqa: E402

distributed = pytest.importorskip("distributed")


def tool():
    for c in (os.environ.get("ESC_TOOL"), str(SOURCE / "build" / "release" / "esc"), shutil.which("esc")):
        if c and os.access(c, os.X_OK):
            return c
    if os.environ.get("ESC_REQUIRE_TOOL") == "1":
        pytest.fail("the esc tool is required (ESC_TOOL) and was not found")
    pytest.skip("the esc tool is not built (set ESC_TOOL)")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster, timeout=30)
    try:
        c.wait_for_workers(2, timeout=60)
        yield c
    finally:
        c.close()
        cluster.close()


def parse_scan_summary(text):
    """The counts of `esc scan`'s summary tables."""
    counts = {"attempts": int(re.search(r"([\d,]+) delivery attempts", text).group(1).replace(",", "")),
              "dispositions": {}, "reasons": {}, "domains": {}, "codes": {}}
    section = None
    num = lambda s: 0 if s == "-" else int(s.replace(",", ""))  # noqa: E731
    for line in text.splitlines():
        if line and not line.startswith(" "):
            section = line.split(" (")[0]
            continue
        f = line.split()
        if len(f) < 2 or f[0] in ("disposition", "reason", "domain", "status"):
            continue
        if section == "Deliveries" and f[0] in ("sent", "deferred", "bounced", "other"):
            counts["dispositions"][f[0]] = num(f[1])
        elif section == "Failures by reason" and f[0] != "total":
            counts["reasons"][f[0]] = (num(f[1]), num(f[2]))
        elif section == "Failures by recipient domain":
            counts["domains"][f[0]] = (num(f[1]), num(f[2]), num(f[3]))
        elif section and section.endswith("codes in failures"):
            counts["codes"][f[0]] = num(f[1])
    return counts


def test_scan_on_two_workers_counts_as_esc_scan(client, tmp_path):
    log = SOURCE / "examples" / "data" / "postfix.log"
    gz = tmp_path / "postfix.log.1.gz"
    gz.write_bytes(gzip.compress(log.read_bytes()))
    tail = tmp_path / "tail.log"  # no final newline, and a CRLF line
    tail.write_bytes(log.read_bytes().splitlines(keepends=True)[-1].rstrip(b"\n") + b"\r\n" +
                     log.read_bytes().splitlines()[-2])
    paths = [str(log), str(gz), str(tail)]
    expected = subprocess.run([tool(), "--color=never", "scan", "--no-progress", "--top", "100000", *paths],
                              capture_output=True, timeout=120).stdout.decode()
    want = parse_scan_summary(expected)
    # 64 KiB ranges: the 570 KiB log is cut into nine tasks at arbitrary bytes.
    assert len(esc_cluster.log_ranges(paths, 64 << 10)) >= 10
    got = esc_cluster.run(client, "scan", paths, chunk=64 << 10)
    assert len(client.scheduler_info()["workers"]) == 2
    assert got["attempts"] == want["attempts"] > 1000
    assert {k: v for k, v in got["dispositions"].items() if v or k != "other"} == want["dispositions"]
    assert got["reasons"] == want["reasons"]
    assert {d: (c["attempts"], c["deferred"], c["bounced"]) for d, c in got["domains"].items()
            if c["deferred"] + c["bounced"]} == want["domains"]
    assert dict(got["codes"]) == want["codes"]
    # and the same as one process reading it whole
    whole = esc_cluster.merge_scans(esc.scan_text(pathlib.Path(p).read_bytes() if not p.endswith(".gz")
                                                  else gzip.decompress(pathlib.Path(p).read_bytes())) for p in paths)
    assert whole["lines"] == got["lines"] and whole["domains"] == got["domains"]


def test_dsn_on_two_workers_prints_the_summary_of_esc_dsn(client):
    maildir = CORPUS / "sisimai" / "emails" / "maildir"
    if not maildir.is_dir():
        pytest.skip(f"no corpus at {maildir}")
    paths = [str(maildir / d) for d in ("bsd", "dos", "err", "not")] + [str(SOURCE / "examples" / "data" / "bounces")]
    expected = subprocess.run([tool(), "--color=never", "dsn", *paths], capture_output=True, timeout=120)
    summary = expected.stderr.decode().splitlines()[-1] + "\n"
    got = esc_cluster.run(client, "dsn", paths, batch=16)
    assert esc_cluster.dsn_summary(got) == summary
    assert got[0] > 350


def test_the_script_runs_as_a_program(tmp_path):
    # The command line as documented, on its own LocalCluster.
    log = SOURCE / "examples" / "data" / "postfix.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(esc.__file__)] +
                                                      os.environ.get("PYTHONPATH", "").split(os.pathsep)))
    p = subprocess.run([sys.executable, str(HERE / "esc_cluster.py"), "scan", "--workers", "2", "--chunk", "200000",
                        str(log)], capture_output=True, timeout=120, cwd=tmp_path, env=env)
    assert p.returncode == 0, p.stderr.decode()
    got = parse_scan_summary(p.stdout.decode())
    want = parse_scan_summary(subprocess.run([tool(), "--color=never", "scan", "--no-progress", str(log)],
                                             capture_output=True, timeout=120).stdout.decode())
    assert got["attempts"] == want["attempts"] and got["reasons"] == want["reasons"]
    assert got["dispositions"] == want["dispositions"]
