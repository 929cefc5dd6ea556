#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""Tests of the esc command-line tool: they run the binary and check what it prints.

    python3 cli_test.py --esc build/dev/esc --source . --work build/dev/tests/cli/work CASE...

Each CASE is one CTest test (see CMakeLists.txt). Golden files live in
tests/cli/golden/; run with ESC_UPDATE_GOLDEN=1 to rewrite them after a
deliberate change, then review the diff.
"""

import argparse
import difflib
import gzip
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib

ARGS = None
CASES = {}

CLASSIFY_KEYS = ["file", "line", "input", "reply_code", "status", "effective_status", "inferred", "outcome", "reason", "verdict", "why",
                 "description", "warnings"]
SCAN_KEYS = ["file", "line", "timestamp", "queue_id", "recipient", "domain", "disposition", "relay", "reply_code",
             "status", "outcome", "reason", "text"]
LIST_KEYS = ["code", "subject", "detail", "title", "description", "basic_codes", "basic_codes_rule", "references",
             "classes", "deprecated"]
OUTCOMES = {"success", "intermediate", "transient", "permanent", "unknown"}
REASONS = {"none", "mailbox_unknown", "mailbox_disabled", "mailbox_full", "message_too_large", "domain_unknown",
           "sender_rejected", "relay_denied", "spam", "virus", "blocked", "sender_auth", "client_auth", "encryption",
           "policy", "rate_limited", "too_many_recipients", "greylisted", "system_error", "network", "expired",
           "protocol", "content", "other"}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def environment(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS", "LC_ALL", "LANG",
                                                              "LC_CTYPE")}
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"  # syslog times are local: the goldens are made in UTC
    if extra:
        env.update(extra)
    return env


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def text(self):
        return self.out.decode("utf-8")

    def errtext(self):
        return self.err.decode("utf-8", "replace")


def run(args, stdin=None, env=None, rc=None, timeout=300):
    """Runs esc; checks that it exited (no signal) and, if given, with status rc."""
    shown = " ".join(a if isinstance(a, str) else repr(a) for a in args)[:300]
    p = subprocess.run([ARGS.esc] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=environment(env), cwd=ARGS.source, timeout=timeout)
    r = Result(p.returncode, p.stdout, p.stderr)
    # Under ASan/UBSan a report exits with status 1, which some cases expect: look for it.
    check(b"Sanitizer" not in p.stderr and b"runtime error:" not in p.stderr,
          f"esc {shown}: sanitizer report\n{r.errtext()[-3000:]}")
    check(p.returncode >= 0, f"esc {shown} died with signal {-p.returncode}\n{r.errtext()}")
    check(p.returncode in (0, 1, 2), f"esc {shown} exited {p.returncode}, not 0, 1 or 2")
    if rc is not None:
        check(p.returncode == rc, f"esc {shown}: exit status {p.returncode}, expected {rc}\n"
                                  f"stdout:\n{r.out.decode('utf-8', 'replace')[-2000:]}\nstderr:\n{r.errtext()[-2000:]}")
    return r


def golden(name, actual):
    path = os.path.join(ARGS.source, "tests", "cli", "golden", name)
    if os.environ.get("ESC_UPDATE_GOLDEN") == "1":
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(actual)
        return
    check(os.path.exists(path), f"no golden file {path}; run with ESC_UPDATE_GOLDEN=1 to create it")
    with open(path, encoding="utf-8") as f:
        expected = f.read()
    if expected != actual:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden/" + name,
                                            "actual"))
        raise Failure(f"output differs from golden/{name}:\n{diff[:6000]}")


def json_lines(data, keys):
    """Parses every line as a JSON object with exactly `keys` (in that order)."""
    text = data.decode("utf-8")  # JSON output must be valid UTF-8 even for invalid input
    objects = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise Failure(f"line {n} is not JSON ({e}): {line[:200]}")
        check(isinstance(obj, dict), f"line {n} is not a JSON object")
        check(list(obj.keys()) == keys, f"line {n}: keys {list(obj.keys())}, expected {keys}")
        objects.append(obj)
    return objects


def work_file(name, data):
    path = os.path.join(ARGS.work, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def source_file(*parts):
    return os.path.join(ARGS.source, *parts)


def read_source(*parts):
    with open(source_file(*parts), "rb") as f:
        return f.read()


# --- usage, help, exit statuses -------------------------------------------------------

@case
def help_and_version():
    for sub in ([], ["explain"], ["classify"], ["list"], ["scan"]):
        r = run(sub + ["--help"], rc=0)
        check(b"Usage" in r.out, f"esc {' '.join(sub)} --help: no usage text")
    check(b"Exit status" in run(["--help"], rc=0).out, "esc --help does not document the exit statuses")
    check(re.match(rb"esc \d+\.\d+\.\d+", run(["--version"], rc=0).out), "esc --version")


@case
def exit_codes():
    run([], rc=2)                                       # no subcommand
    run(["frobnicate"], rc=2)                           # unknown subcommand
    run(["list", "--no-such-option"], rc=2)
    run(["explain"], rc=2)                              # ARG is required
    run(["--color=sometimes", "list"], rc=2)
    run(["list", "--color", "never"], rc=0)             # --color after the subcommand
    run(["classify", "--command", "frob", "-"], stdin=b"", rc=2)
    run(["scan", "--top", "0", "-"], stdin=b"", rc=2)
    # A missing file: "esc: PATH: No such file or directory", exit 1 (not a usage error), no empty report,
    # and the other inputs still read.
    for sub in (["scan"], ["classify"], ["dsn"], ["scan", "--json"], ["classify", "--json"], ["dsn", "--json"]):
        r = run(sub + ["no/such/file.log"], rc=1)
        check(r.err == b"esc: no/such/file.log: No such file or directory\n" and r.out == b"",
              f"esc {sub[0]} on a missing file: {r.err!r} {r.out[:200]!r}")
    r = run(["--color=never", "scan", "no/such/file.log", "examples/data/postfix.log"], rc=1)
    check(r.out.startswith(b"examples/data/postfix.log  4,633 lines") and b"no/such" not in r.out,
          f"scan with a missing file: {r.out[:200]!r}")
    r = run(["classify", "--json", "no/such/file.txt", "examples/data/transcript.txt"], rc=1)
    check(len(r.out.splitlines()) > 5, "classify stopped at a missing file")
    r = run(["dsn", "--json", "no/such/file.eml", "examples/data/bounces/postfix-dsn.eml"], rc=1)
    check(len(r.out.splitlines()) == 2, "dsn stopped at a missing file")
    # CLI11's messages in the tool's voice, exit 2.
    r = run(["list", "--no-such-option"], rc=2)
    check(r.err.startswith(b"esc: ") and b"--no-such-option" in r.err and b"esc list --help" in r.err, f"{r.err!r}")
    r = run(["--color=sometimes", "list"], rc=2)
    check(r.err.startswith(b"esc: --color: sometimes"), f"{r.err!r}")
    r = run(["lisst"], rc=2)
    check(r.err.startswith(b"esc: 'lisst' is not a subcommand: there are explain, classify, list"), f"{r.err!r}")
    for args in (["explain"], ["frobnicate"], ["scan", "--top", "0"]):
        r = run(args, rc=2)
        check(r.err.startswith(b"esc: "), f"esc {' '.join(args)}: {r.err!r}")
    # Invalid codes are explained as 999 is: which part is wrong, and why.
    for arg, words in (("6.1.1", "the class 6 must be 2 (success), 4 (transient failure) or 5"),
                       ("5.01.1", "the subject 01 has a leading zero, which RFC 3463 does not allow; did you mean 5.1.1?"),
                       ("5.1.01", "the detail 01 has a leading zero"),
                       ("5.1.1000", "the detail 1000 has more than three digits"),
                       ("5.1", "it has 2 parts, and a status code has three"),
                       ("999", "999 is not a reply code: the first digit must be 2, 3, 4 or 5"),
                       ("55", "55 is not a reply code: a reply code has three digits")):
        r = run(["explain", arg], rc=1)
        check(r.err.decode() .startswith(f"esc: {arg} is not a") and words in r.err.decode() and r.out == b"",
              f"explain {arg}: {r.err!r}")
    run(["scan", "-"], stdin=b"", rc=0)                 # empty input is fine
    run(["classify", "-"], stdin=b"", rc=0)
    run(["explain", "5.1.1"], rc=0)
    r = run(["explain", "not-a-code", "5.1.1"], rc=1)   # still explains the rest
    check(b"Bad destination mailbox address" in r.out, "explain stopped at a bad argument")
    check(b"not-a-code" in r.err, "explain did not name the argument it did not understand")
    run(["explain", "999"], rc=1)
    run(["classify", "--each-line", "-"], stdin=b"no code here\n", rc=1)
    run(["classify", "--each-line", "-"], stdin=b"smtp; 550 5.1.1 User unknown\n", rc=0)


# --- golden output of each subcommand ---------------------------------------------------

@case
def explain_golden():
    r = run(["--color=never", "explain", "5.1.1", "X.7.26", "550", "550 4.1.1 Mailbox unavailable",
             "550-5.7.1 Message refused\n550 5.7.1 by local policy", "5.7.606", "--command", "rcpt"], rc=0)
    golden("explain.txt", r.text())
    r = run(["--color=never", "explain", "--command", "rcpt", "552",
             "host mx.example.com[192.0.2.1] said: 451 4.7.1 Greylisted (in reply to RCPT TO command)", "4.1.1"],
            rc=0)
    golden("explain_more.txt", r.text())
    # The warnings the issue names.
    out = run(["--color=never", "explain", "550 4.1.1 x"], rc=0).text()
    check("class mismatch" in out, "550 4.1.1: no class mismatch warning")
    # An EHLO reply: what the server offers (esc::parse_ehlo).
    out = run(["--color=never", "explain", "--command", "ehlo",
               "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240\r\n250 XFOO bar"], rc=0).text()
    check("the server calls itself mx.example.com" in out, f"EHLO: no domain: {out}")
    check("SIZE 10240 (messages up to 10240 octets)" in out, f"EHLO: no SIZE: {out}")
    check("XFOO bar (an extension esc does not know)" in out, f"EHLO: unknown keyword lost: {out}")


DSN_KEYS = ["file", "message", "line", "recipient", "action", "status", "reply_code", "diagnostic", "outcome", "reason", "verdict", "why", "source",
            "original_recipient", "returned", "verp_recipient"]


@case
def dsn_golden():
    bounces = os.path.join("examples", "data", "bounces")
    r = run(["--color=never", "dsn", bounces], rc=0)
    golden("dsn.txt", r.text())
    objects = json_lines(run(["dsn", "--json", bounces], rc=0).out, DSN_KEYS)
    by_recipient = {o["recipient"]: o for o in objects}
    check(sorted(by_recipient) == ["bob@example.net", "carol@example.com", "dave@example.net", "erin@example.net"],
          f"dsn --json recipients: {sorted(by_recipient)}")
    bob = by_recipient["bob@example.net"]
    check(bob["status"] == "5.1.1" and bob["reply_code"] == 550 and bob["reason"] == "mailbox_unknown"
          and bob["source"] == "dsn" and bob["action"] == "failed", f"bob: {bob}")
    dave = by_recipient["dave@example.net"]
    check(dave["source"] == "text" and dave["reason"] == "blocked" and dave["action"] == "failed", f"dave: {dave}")
    check(bob["returned"]["subject"] == "Minutes of Thursday's meeting" and bob["verp_recipient"] is None,
          f"bob returned: {bob}")
    erin = by_recipient["erin@example.net"]  # a base64-encoded delivery-status part
    check(erin["outcome"] == "transient" and erin["reason"] == "greylisted", f"erin: {erin}")
    # Exit statuses: a missing file is exit 1; a non-bounce is not an error.
    run(["dsn", "no/such/file.eml"], rc=1)
    run(["dsn", os.path.join(bounces, "not-a-bounce.eml")], rc=0)
    # A maildir is read through cur/ and new/.
    maildir = os.path.join(ARGS.work, "maildir")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    with open(os.path.join(maildir, "new", "1.eml"), "wb") as f:
        f.write(read_source("examples", "data", "bounces", "postfix-dsn.eml"))
    with open(os.path.join(maildir, "tmp", "ignored.eml"), "wb") as f:
        f.write(read_source("examples", "data", "bounces", "qmail-prose.eml"))
    got = json_lines(run(["dsn", "--json", maildir], rc=0).out, DSN_KEYS)
    check([o["recipient"] for o in got] == ["bob@example.net", "carol@example.com"], f"maildir: {got}")
    # An ARF complaint: one object of its own kind, with the feedback fields.
    arf = os.path.join(ARGS.work, "complaint.eml")
    with open(arf, "wb") as f:
        f.write(b"From: fbl@isp.example\nSubject: complaint\nMIME-Version: 1.0\n"
                b"Content-Type: multipart/report; report-type=feedback-report; boundary=F\n\n"
                b"--F\nContent-Type: text/plain\n\nA complaint.\n\n--F\nContent-Type: message/feedback-report\n\n"
                b"Feedback-Type: abuse\nUser-Agent: FBL/1\nVersion: 1\nOriginal-Rcpt-To: <bob@isp.example>\n"
                b"Source-IP: 192.0.2.1\n\n--F--\n")
    got = json_lines(run(["dsn", "--json", arf], rc=0).out,
                     ["file", "message", "line", "kind", "feedback_type", "user_agent", "original_mail_from", "original_rcpt_to",
                      "arrival_date", "source_ip", "reported_domain"])
    check(len(got) == 1 and got[0]["kind"] == "feedback" and got[0]["feedback_type"] == "abuse"
          and got[0]["original_rcpt_to"] == "<bob@isp.example>" and got[0]["source_ip"] == "192.0.2.1", f"arf: {got}")
    # An mbox: each message read on its own, named FILE:N.
    mbox = os.path.join(ARGS.work, "bounces.mbox")
    with open(mbox, "wb") as f:
        for name in ("postfix-dsn.eml", "qmail-prose.eml"):
            f.write(b"From MAILER-DAEMON Thu Apr 29 23:34:45 2015\n")
            f.write(read_source("examples", "data", "bounces", name).replace(b"\nFrom ", b"\n>From "))
            f.write(b"\n")
    got = json_lines(run(["dsn", "--json", mbox], rc=0).out, DSN_KEYS)
    check([(o["file"], o["message"]) for o in got] == [(mbox, 1), (mbox, 1), (mbox, 2)], f"mbox files: {got}")
    check(got[0]["line"] == 2 and got[2]["line"] > got[0]["line"], f"mbox lines: {got}")
    check([o["recipient"] for o in got] == ["bob@example.net", "carol@example.com", "dave@example.net"],
          f"mbox: {got}")


@case
def list_golden():
    r = run(["--color=never", "list"], rc=0)
    golden("list.txt", r.text())
    entries = json_lines(run(["list", "--json"], rc=0).out, LIST_KEYS)
    check(len(entries) >= 80, f"list --json: {len(entries)} entries")
    codes = [e["code"] for e in entries]
    check("X.1.1" in codes and "X.7.26" in codes, "list --json lacks X.1.1 or X.7.26")
    x11 = entries[codes.index("X.1.1")]
    check(x11["basic_codes"] == [451, 550] and x11["classes"] == ["permanent"], f"X.1.1: {x11}")
    golden("list.jsonl", run(["list", "--json"], rc=0).text())
    run(["--color=never", "list", "--long"], rc=0)


@case
def classify_golden():
    r = run(["--color=never", "classify", "examples/data/transcript.txt"], rc=0)
    golden("classify.txt", r.text())
    golden("classify.stderr.txt", r.errtext())
    r = run(["classify", "--json", "examples/data/transcript.txt"], rc=0)
    objects = json_lines(r.out, CLASSIFY_KEYS)
    golden("classify.jsonl", r.text())
    check(r.err == b"", "classify --json wrote a summary to stderr")
    check(len(objects) == len(run(["--color=never", "classify", "examples/data/transcript.txt"]).out.splitlines()),
          "text and JSON have different record counts")
    first = objects[0]
    check(first["input"].startswith("220 "), f"records out of order: {first['input']}")
    multi = next(o for o in objects if o["status"] == "5.1.1")
    check(multi["input"].count("\n") == 2 and multi["reply_code"] == 550, f"multi-line reply: {multi}")
    for o in objects:
        check(o["outcome"] in OUTCOMES and o["reason"] in REASONS, f"bad names: {o}")
        check(isinstance(o["inferred"], bool) and isinstance(o["warnings"], list), f"bad types: {o}")
        check(o["inferred"] == (o["status"] is None and o["effective_status"] is not None), f"inferred: {o}")
    mismatch = next(o for o in objects if o["input"].startswith("550 4.1.1"))
    check("class_mismatch" in mismatch["warnings"], f"550 4.1.1: {mismatch['warnings']}")
    # The command context from the transcript: 452 after RCPT is "too many recipients".
    too_many = next(o for o in objects if o["input"].startswith("452 Too many"))
    check(too_many["reason"] == "too_many_recipients", f"452 after RCPT: {too_many}")
    # The DATA content is skipped: no record for "Subject: hello".
    check(not any("Subject" in o["input"] for o in objects), "message content read as records")


@case
def classify_each_line_golden():
    path = "tests/cli/data/diagnostics.txt"
    r = run(["--color=never", "classify", "--each-line", path], rc=1)  # two lines have no code
    golden("classify_each_line.txt", r.text())
    golden("classify_each_line.stderr.txt", r.errtext())
    r = run(["classify", "--each-line", "--json", path], rc=1)
    objects = json_lines(r.out, CLASSIFY_KEYS)
    golden("classify_each_line.jsonl", r.text())
    lines = [l for l in read_source(path).decode().splitlines() if l.strip()]
    check([o["input"] for o in objects] == lines, "records are not the input lines in order")
    check(objects[0]["reply_code"] == 550 and objects[0]["status"] == "5.1.1", f"first record: {objects[0]}")
    version = next(o for o in objects if "version 5.1.2" in o["input"])
    check(version["status"] is None and version["outcome"] == "unknown", f"version number read as a code: {version}")
    # --command applies to every record.
    r = run(["classify", "--each-line", "--json", "--command", "rcpt", "-"], stdin=b"552 Too many\n", rc=0)
    o = json_lines(r.out, CLASSIFY_KEYS)[0]
    check(o["reason"] == "too_many_recipients" and o["outcome"] == "transient", f"--command rcpt: {o}")


@case
def scan_golden():
    r = run(["--color=never", "scan", "examples/data/postfix.log"], rc=0)
    golden("scan.txt", r.text())
    check(r.err == b"", f"scan wrote to stderr: {r.errtext()}")
    path = "tests/cli/data/mixed.log"
    r = run(["--color=never", "scan", path], rc=0)
    golden("scan_mixed.txt", r.text())
    r = run(["--color=never", "scan", "--attempts", path], rc=0)
    golden("scan_mixed_attempts.txt", r.text())
    r = run(["scan", "--json", path], rc=0)
    objects = json_lines(r.out, SCAN_KEYS)
    golden("scan_mixed.jsonl", r.text())
    check([o["line"] for o in objects] == sorted(o["line"] for o in objects), "attempts out of order")
    by_line = {}
    for o in objects:
        by_line.setdefault(o["line"], []).append(o)
    check(len(by_line[22]) == 2, "sendmail's two recipients on one line are not two attempts")
    check(by_line[3][0]["domain"] == "example.net", f"domain not lower-cased: {by_line[3][0]}")
    check(by_line[5][0]["status"] == "4.4.1" and by_line[5][0]["reply_code"] is None, f"dsn= not used: {by_line[5]}")
    check(11 not in by_line and 7 not in by_line, "non-delivery lines (systemd status=, qmgr expiry) read as attempts")
    for o in objects:
        check(o["outcome"] in OUTCOMES and o["reason"] in REASONS, f"bad names: {o}")


# --- colour and the terminal ---------------------------------------------------------------

@case
def user_rules():
    rules = work_file("mine.rules", "# ours\nphrase mailbox_full: storage is exhausted\ncode 5.7.900-999 policy\n")
    text = b"smtp; 550 5.1.1 storage is exhausted for this user\n"
    plain = json_lines(run(["classify", "--each-line", "--json", "-"], stdin=text, rc=0).out, CLASSIFY_KEYS)[0]
    check(plain["reason"] == "mailbox_unknown", f"without rules: {plain['reason']}")
    mine = json_lines(run(["--rules", rules, "classify", "--each-line", "--json", "-"], stdin=text, rc=0).out,
                      CLASSIFY_KEYS)[0]
    check(mine["reason"] == "mailbox_full", f"with rules: {mine['reason']}")
    check(mine["why"]["by"] == "user_rule" and mine["why"]["text"] == "storage is exhausted", f"why: {mine['why']}")
    # After the subcommand too, and for explain and dsn.
    r = run(["explain", "--rules", rules, "550 5.7.950 Rejected by transport rule"], rc=0)
    check(b"your rule '5.7.900-999'" in r.out, "explain does not say the user's rule decided")
    dsn = run(["--rules", rules, "dsn", "--json", source_file("examples", "data", "bounces")], rc=0)
    check(dsn.out.strip() != b"", "dsn with rules printed nothing")
    # A bad rule: FILE:LINE: what is wrong, exit 2, nothing classified.
    bad = work_file("bad.rules", "phrase spam: fine\nphrase mailbox_fool: x\n")
    r = run(["--rules", bad, "classify", "--each-line", "-"], stdin=text, rc=2)
    check(f"{bad}:2: 'mailbox_fool' is not a reason".encode() in r.err, f"bad rule message: {r.err[:300]!r}")
    check(r.out == b"", "a bad rules file still classified")
    run(["--rules", os.path.join(ARGS.work, "no-such.rules"), "classify", "-"], stdin=b"", rc=2)


def run_on_pty(args, env=None, stdin_chunks=None, pty_for="stdout"):
    """Runs esc with stdout (or stderr) on a pseudo-terminal; returns (rc, tty output, other output)."""
    master, slave = pty.openpty()
    other_r, other_w = os.pipe()
    stdin = subprocess.PIPE if stdin_chunks is not None else subprocess.DEVNULL
    p = subprocess.Popen([ARGS.esc] + args, stdin=stdin, stdout=slave if pty_for == "stdout" else other_w,
                         stderr=slave if pty_for == "stderr" else other_w, env=environment(env), cwd=ARGS.source)
    os.close(slave)
    os.close(other_w)
    if stdin_chunks is not None:
        for delay, chunk in stdin_chunks:
            time.sleep(delay)
            p.stdin.write(chunk)
            p.stdin.flush()
        p.stdin.close()
    tty, other = b"", b""
    fds = {master, other_r}
    while fds:
        ready, _, _ = select.select(list(fds), [], [], 60)
        check(ready, "esc hung")
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                fds.discard(fd)
                os.close(fd)
            elif fd == master:
                tty += data
            else:
                other += data
    rc = p.wait(timeout=60)
    check(rc >= 0, f"esc died with signal {-rc}")
    check(b"Sanitizer" not in tty + other and b"runtime error:" not in tty + other, "sanitizer report")
    return rc, tty, other


@case
def color():
    plain = run(["list"], rc=0).out
    check(b"\x1b[" not in plain, "colour on a pipe with --color=auto")
    check(b"\x1b[" in run(["--color=always", "list"], rc=0).out, "--color=always gives no colour")
    check(b"\x1b[" in run(["--color=always", "list"], env={"NO_COLOR": "1"}, rc=0).out,
          "--color=always should win over NO_COLOR")
    rc, tty, _ = run_on_pty(["scan", "examples/data/postfix.log"])
    check(rc == 0 and b"\x1b[" in tty, "no colour on a terminal with --color=auto")
    rc, tty, _ = run_on_pty(["scan", "examples/data/postfix.log"], env={"NO_COLOR": "1"})
    check(rc == 0 and b"\x1b[" not in tty and b"Deliveries" in tty, "NO_COLOR not honoured")
    rc, tty, _ = run_on_pty(["--color=never", "explain", "5.1.1"])
    check(rc == 0 and b"\x1b[" not in tty, "--color=never gives colour")


@case
def progress_bar():
    log = read_source("examples", "data", "postfix.log")
    # Fed slowly through a pipe, so that the run lasts long enough for the bar to appear.
    chunks = [(0.15, log[i:i + 40000]) for i in range(0, len(log), 40000)]
    rc, tty, out = run_on_pty(["scan", "-"], stdin_chunks=chunks, pty_for="stderr")
    check(rc == 0, f"exit status {rc}")
    check(b"MB/s" in tty and b"\r" in tty, f"no progress bar on a terminal: {tty[:300]!r}")
    check(b"Deliveries" in out and b"MB/s" not in out, "progress bar on stdout")
    r = run(["scan", "-"], stdin=log, rc=0)
    check(b"MB/s" not in r.err, "progress bar on a pipe")
    rc, tty, _ = run_on_pty(["scan", "--no-progress", "-"], stdin_chunks=chunks, pty_for="stderr")
    check(b"MB/s" not in tty, "--no-progress ignored")


# --- bad input ---------------------------------------------------------------------------

@case
def bad_input_classify():
    rng = random.Random(5321)
    junk = bytes(rng.randrange(256) for _ in range(3000))
    data = (b"smtp; 550 5.1.1 User unknown\n" + junk + b"\n" +
            b"x" * (1 << 20) + b"\n" +
            b"smtp; 550 5.7.1 r\xe9fus\xe9 \xff\xfe par la politique\n" +
            b"ctrl \x1b[31m 421 4.7.0 later\n" +
            b"smtp; 451 4.7.1 Greylisted\n")
    path = work_file("bad.txt", data)
    r = run(["classify", "--each-line", "--json", path], rc=1)
    objects = json_lines(r.out, CLASSIFY_KEYS)
    inputs = [o["input"] for o in objects]
    check(inputs[0] == "smtp; 550 5.1.1 User unknown" and inputs[-1] == "smtp; 451 4.7.1 Greylisted",
          f"good records lost: {inputs}")
    latin = next(o for o in objects if o["input"].startswith("smtp; 550 5.7.1"))
    check("\ufffd" in latin["input"] and "invalid_utf8" in latin["warnings"], f"invalid UTF-8: {latin}")
    check(not any("x" * 100 in i for i in inputs), "the 1 MB line was not skipped")
    check("1 line skipped: longer than 64 KiB" in r.errtext(), f"no count of the long line: {r.errtext()}")
    r = run(["--color=never", "classify", "--each-line", path], rc=1)
    check(b"\x1b[31m" not in r.out, "a control sequence from the input reached the terminal")
    check(re.search(r"\d+ lines? skipped: binary data", r.errtext()), "no count of binary lines in the summary")
    check("further warnings are not shown" in r.errtext(), "warnings not capped")
    # Transcript mode and pure binary data.
    run(["classify", path], rc=1)
    blob = work_file("blob.bin", bytes(rng.randrange(256) for _ in range(200000)))
    run(["classify", blob], rc=1)
    run(["classify", "--each-line", "--json", blob], rc=1)
    r = run(["explain", b"550 5.1.1 \xff\x01 odd"], rc=0)
    check(b"\x01" not in r.out, "a control character from an argument reached the terminal")


@case
def bad_input_scan():
    rng = random.Random(1870)
    good = read_source("tests", "cli", "data", "mixed.log")
    bad = (good +
           bytes(rng.randrange(256) for _ in range(5000)).replace(b"\n", b"\0") + b"\n" +
           b"Nov 28 10:03:00 mx1 postfix/smtp[9]: DD1: to=<" + b"y" * (1 << 20) + b">, status=bounced (x)\n" +
           b"Nov 28 10:03:01 mx1 postfix/smtp[9]: DD2: to=<k\xffl@bad-utf8.example>, relay=none, delay=1, "
           b"dsn=5.1.1, status=bounced (host x[192.0.2.9] said: 550 5.1.1 unknown \xc3\x28 user (in reply to RCPT "
           b"TO command))\n" +
           b"Nov 28 10:03:02 mx1 postfix/smtp[9]: DD3: to=<cut@example.com status=bounced (host\n" +
           good)
    path = work_file("bad.log", bad)
    r = run(["scan", "--json", path], rc=1)
    objects = json_lines(r.out, SCAN_KEYS)
    good_attempts = len(json_lines(run(["scan", "--json", "tests/cli/data/mixed.log"], rc=0).out, SCAN_KEYS))
    check(len(objects) == 2 * good_attempts + 1, f"{len(objects)} attempts, expected {2 * good_attempts + 1}")
    odd = next(o for o in objects if o["domain"] == "bad-utf8.example")
    check("\ufffd" in odd["recipient"] and odd["status"] == "5.1.1", f"invalid UTF-8 attempt: {odd}")
    r = run(["--color=never", "scan", path], rc=1)
    text = r.text()
    for needle in ("1 delivery line could not be read", "1 line skipped: longer than 64 KiB",
                   "1 line skipped: binary data", "1 delivery line with invalid UTF-8"):
        check(needle in text, f"summary lacks '{needle}':\n{text}")
    # Pure binary, one huge line, an empty file, a directory.
    run(["scan", work_file("blob.bin", bytes(rng.randrange(256) for _ in range(300000)))], rc=1)
    run(["scan", work_file("huge.log", b"z" * (3 << 20))], rc=1)
    r = run(["--color=never", "scan", work_file("empty.log", b"")], rc=0)
    check("0 delivery attempts" in r.text(), r.text())
    run(["scan", os.path.join(ARGS.work, "no-such-folder")], rc=1)


@case
def scan_readings():
    # Lines that are no delivery attempt are counted apart; Postfix's own routing loop is
    # permanent and the local configuration's fault (system_error), not the network's.
    log = (b"Nov 28 10:00:01 mx1 postfix/smtp[1]: A1: to=<a@example.com>, relay=none, delay=0.1, "
           b"delays=0.1/0/0/0, dsn=5.4.6, status=bounced (mail for example.com loops back to myself)\n"
           b"Nov 28 10:00:02 mx1 postfix/error[2]: A2: to=<b@example.net>, relay=none, delay=900, "
           b"delays=900/0/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to "
           b"mx.example.net[192.0.2.1]:25: Connection timed out)\n"
           b"Nov 28 10:00:03 mx1 postfix/smtp[3]: A3: to=<c@example.org>, relay=mx.example.org[192.0.2.2]:25, "
           b"delay=1, delays=0/0/0.5/0.5, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)\n"
           b"2026-11-28 10:00:04 1tQx7b-000Abd-5Y == d@example.com R=dnslookup T=remote_smtp defer (-1): "
           b"retry time not reached\n")
    path = work_file("readings.log", log)
    objects = json_lines(run(["scan", "--json", path], rc=0).out, SCAN_KEYS)
    check(len(objects) == 1, f"expected the loop as the one attempt: {objects}")
    loop = objects[0]
    check(loop["outcome"] == "permanent" and loop["reason"] == "system_error" and loop["status"] == "5.4.6",
          f"the routing loop: {loop}")
    text = run(["--color=never", "scan", path], rc=0).text()
    for needle in ("1 delivery attempts", "2 deferrals logged without a delivery attempt",
                   "1 address-verification probe, not counted"):
        check(needle in text, f"summary lacks '{needle}':\n{text}")
    # Exim's router finds the domain routed back to this host: the same configuration fault,
    # permanent when bounced, retried when deferred (self=defer); its other texts without a reply.
    exim = (b"2026-11-28 10:00:01 1tQx7b-000Abd-5Y ** e@example.org R=dnslookup: lowest numbered MX record "
            b"points to local host\n"
            b"2026-11-28 10:00:02 1tQx7c-000Abd-5Y == f@example.net R=dnslookup defer (-1): remote host address "
            b"is the local host\n"
            b"2026-11-28 10:00:03 1tQx7d-000Abd-5Y == g@example.net R=dnslookup defer (-1): host lookup did not "
            b"complete\n"
            b"2026-11-28 10:00:04 1tQx7e-000Abd-5Y == h@example.net R=dnslookup T=remote_smtp defer (-18) "
            b"H=mx.example.net [192.0.2.3]: Remote host closed connection in response to RCPT TO:<h@example.net>\n")
    got = [(o["outcome"], o["reason"])
           for o in json_lines(run(["scan", "--json", work_file("exim-readings.log", exim)], rc=0).out, SCAN_KEYS)]
    want = [("permanent", "system_error"), ("transient", "system_error"), ("transient", "network"),
            ("transient", "network")]
    check(got == want, f"Exim's texts without a reply: {got}")


# --- gzip and standard input ---------------------------------------------------------------

def summary_body(text):
    return text.split("\n", 1)[1]  # without the header line, which names the input


@case
def gzip_input():
    log = read_source("examples", "data", "postfix.log")
    plain = run(["--color=never", "scan", "examples/data/postfix.log"], rc=0).text()
    gz = work_file("postfix.log.gz", gzip.compress(log))
    check(summary_body(run(["--color=never", "scan", gz], rc=0).text()) == summary_body(plain), ".gz differs")
    # Two gzip members, as `cat a.gz b.gz` makes.
    half = log.index(b"\n", len(log) // 2) + 1
    two = work_file("two.log.gz", gzip.compress(log[:half]) + gzip.compress(log[half:]))
    check(summary_body(run(["--color=never", "scan", two], rc=0).text()) == summary_body(plain),
          "concatenated gzip members")
    # From standard input, recognised by its magic bytes.
    r = run(["--color=never", "scan", "-"], stdin=gzip.compress(log), rc=0)
    check(summary_body(r.text()) == summary_body(plain), "gzip on stdin")
    check(r.text().startswith("<stdin>"), "stdin not named in the summary")
    # JSON through gzip equals JSON of the plain file.
    without_file = lambda out: re.sub(rb'"file":"[^"]*",', b"", out)
    check(without_file(run(["scan", "--json", gz], rc=0).out) ==
          without_file(run(["scan", "--json", "examples/data/postfix.log"], rc=0).out), "--json differs for .gz")
    # A cut gzip file: what was read is summarised, the rest is reported, exit 1.
    data = gzip.compress(log)
    cut = work_file("cut.log.gz", data[:len(data) * 2 // 3])
    r = run(["--color=never", "scan", cut], rc=1)
    check("truncated gzip data" in r.errtext() and "Deliveries" in r.text(), r.errtext())
    corrupt = bytearray(data)
    for i in range(200, 400):
        corrupt[i] ^= 0x55
    r = run(["scan", work_file("corrupt.log.gz", bytes(corrupt))], rc=1)
    check("gzip" in r.errtext(), r.errtext())
    # classify reads gzip too.
    tr = read_source("examples", "data", "transcript.txt")
    check(without_file(run(["classify", "--json", work_file("t.txt.gz", gzip.compress(tr))], rc=0).out) ==
          without_file(run(["classify", "--json", "examples/data/transcript.txt"], rc=0).out), "classify .gz differs")


# --- write errors ----------------------------------------------------------------------------

def every_subcommand(work):
    """One command line per subcommand and output mode, each writing something to stdout."""
    bounces = os.path.join("examples", "data", "bounces")
    return [
        ["list"], ["list", "--json"], ["list", "--long"],
        ["explain", "5.1.1"], ["explain", "--json", "5.1.1"],
        ["classify", "examples/data/transcript.txt"], ["classify", "--json", "examples/data/transcript.txt"],
        ["scan", "examples/data/postfix.log"], ["scan", "--json", "examples/data/postfix.log"],
        ["scan", "-a", "examples/data/postfix.log"],
        ["dsn", bounces], ["dsn", "--json", bounces],
        ["help"], ["help", "scan"], ["--help"], ["scan", "--help"], ["--version"],
    ]


@case
def write_errors():
    check(os.path.exists("/dev/full"), "no /dev/full on this system")
    for args in every_subcommand(ARGS.work):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([ARGS.esc] + args, stdout=full, stderr=subprocess.PIPE, env=environment(),
                               cwd=ARGS.source, timeout=120)
        err = p.stderr.decode("utf-8", "replace")
        check(p.returncode == 1, f"esc {' '.join(args)} > /dev/full: exit status {p.returncode}, expected 1\n{err}")
        check(err.strip().splitlines()[-1:] == ["esc: /dev/full: No space left on device"],
              f"esc {' '.join(args)} > /dev/full: stderr {err!r}")
    # EPIPE (the reader went away, SIGPIPE ignored as by many daemons): a quiet exit, status 0, and no
    # more input read than needed.
    text, _ = generate_log(20_000, seed=7)
    big = work_file("big.log", text * 5)
    for args in (["scan", "--json", big], ["scan", "-a", big], ["list", "--long"],
                 ["classify", "--each-line", big]):
        p = subprocess.Popen([ARGS.esc] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(),
                             cwd=ARGS.source, preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
        p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        rc = p.wait(timeout=120)
        check(rc == 0 and err == b"", f"esc {' '.join(args)} | head -1: exit {rc}, stderr {err[:300]!r}")
    # With SIGPIPE at its default, as in a shell: killed by it, as grep and jq are, without a message.
    p = subprocess.Popen([ARGS.esc, "scan", "--json", big], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=environment(), cwd=ARGS.source)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read()
    rc = p.wait(timeout=120)
    check(rc in (0, -signal.SIGPIPE) and err == b"", f"SIGPIPE default: exit {rc}, stderr {err[:300]!r}")


@case
def html_report():
    """scan --html FILE: the page written beside the summary, through FILE.tmp; its errors. The page itself
    is checked by tests/html_report_test.cpp and, in a browser, by tests/html/."""
    log = "tests/cli/data/mixed.log"
    plain = run(["--color=never", "scan", log], rc=0)
    page = os.path.join(ARGS.work, "report.html")
    with open(page, "w") as f:
        f.write("an older report")  # replaced whole
    r = run(["--color=never", "scan", "--html", page, log], rc=0)
    check(r.out == plain.out, "--html changed the terminal summary")
    check(r.err == b"", f"--html wrote to stderr: {r.errtext()}")
    check(not os.path.exists(page + ".tmp"), "FILE.tmp left behind")
    text = open(page, encoding="utf-8").read()
    check(text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n"), "not a whole page")
    for part in ('<dd id="total-sent">5</dd>', '<dd id="total-deferred">6</dd>', '<dd id="total-bounced">8</dd>',
                 '<section id="reasons">', '<section id="domains">', '<section id="statuses">'):
        check(part in text, f"the page lacks {part}")
    check(re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text) is None, "a URL to fetch in the page")
    # --top holds for the page's tables too.
    run(["scan", "--top", "2", "--html", page, log], rc=0)
    text = open(page, encoding="utf-8").read()
    check(re.search(r"<h2>Failures by recipient domain \(top 2 of \d+\)</h2>", text), "--top not applied to the page")
    # With --json the records and no summary, and still the page.
    json_page = os.path.join(ARGS.work, "report-json.html")
    r = run(["scan", "--json", "--html", json_page, log], rc=0)
    check(len(json_lines(r.out, SCAN_KEYS)) == 19 and os.path.exists(json_page), "--json --html")
    # A page that cannot be written: said, status 1, the summary printed all the same.
    missing = os.path.join(ARGS.work, "no-such-folder", "report.html")
    r = run(["--color=never", "scan", "--html", missing, log], rc=1)
    check(r.out == plain.out, "the summary is not printed when the page cannot be written")
    check(r.errtext() == f"esc: scan: --html {missing}: No such file or directory\n", f"stderr {r.errtext()!r}")
    # With --follow the page is written when the scan is stopped (SIGTERM, Ctrl-C).
    followed = os.path.join(ARGS.work, "report-follow.html")
    if os.path.exists(followed):
        os.remove(followed)  # from an earlier run
    growing = work_file("follow-html.log", open(source_file(*log.split("/")), "rb").read())
    p = subprocess.Popen([ARGS.esc, "scan", "-f", "--interval", "60", "--html", followed, growing],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment())
    time.sleep(1.0)
    check(not os.path.exists(followed), "the page written before the scan ended")
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    check(p.returncode == 0, f"--follow --html: exit {p.returncode}, stderr {err[:300]!r}")
    text = open(followed, encoding="utf-8").read()
    check('<dd id="total-bounced">8</dd>' in text, "the page after --follow lacks the totals")


# --- one way to read input, for every subcommand ----------------------------------------------

def compressors():
    """(name, compress function) for every format esc reads; the tools must be installed."""
    import bz2
    import lzma
    out = [("gzip", gzip.compress), ("xz", lzma.compress), ("bzip2", bz2.compress)]
    zstd = subprocess.run(["sh", "-c", "command -v zstd"], stdout=subprocess.PIPE).stdout.strip()
    if zstd:
        out.append(("zstd", lambda data: subprocess.run([zstd, "-q", "-c"], input=data, stdout=subprocess.PIPE,
                                                        check=True).stdout))
    return out


@case
def input_formats():
    bounce = read_source("examples", "data", "bounces", "postfix-dsn.eml")
    inputs = {  # subcommand -> (arguments, the data it reads)
        "scan": (["scan", "--json"], read_source("tests", "cli", "data", "mixed.log")),
        "classify": (["classify", "--json"], read_source("examples", "data", "transcript.txt")),
        "classify --each-line": (["classify", "--each-line", "--json"], read_source("tests", "cli", "data",
                                                                                    "diagnostics.txt")),
        "dsn": (["dsn", "--json"], bounce),
    }
    for name, (args, data) in inputs.items():
        plain = work_file(name.replace(" ", "_") + ".txt", data)
        first = run(args + [plain])
        want, rc = first.out, first.rc
        check(want.count(b"\n") >= 2, f"{name}: too little output to compare")
        strip_file = lambda out: re.sub(rb'"file":"[^"]*",', b"", out)
        # Standard input: "-" and no argument at all.
        for how in (["-"], []):
            got = run(args + how, stdin=data, rc=rc).out
            check(strip_file(got) == strip_file(want), f"{name} {how or 'no argument'}: differs from the file")
            if b'"file"' in got:
                check(b'"file":"<stdin>"' in got, f"{name}: stdin not named <stdin>")
        # Compressed, by content whatever the name, on a file and on standard input.
        for fmt, compress in compressors():
            packed = work_file(f"{name.replace(' ', '_')}.{fmt}.data", compress(data))
            got = run(args + [packed], rc=rc).out
            check(strip_file(got) == strip_file(want), f"{name}: {fmt} file differs")
            got = run(args + ["-"], stdin=compress(data), rc=rc).out
            check(strip_file(got) == strip_file(want), f"{name}: {fmt} on stdin differs")
        # A UTF-8 byte-order mark is skipped: the first line reads as without it.
        bom = work_file(name.replace(" ", "_") + ".bom", b"\xef\xbb\xbf" + data)
        check(strip_file(run(args + [bom], rc=rc).out) == strip_file(want), f"{name}: BOM not skipped")
        check(strip_file(run(args + ["-"], stdin=gzip.compress(b"\xef\xbb\xbf" + data), rc=rc).out) ==
              strip_file(want), f"{name}: BOM in gzip not skipped")
        # Nested folders and maildirs (cur/ and new/, not tmp/), read recursively, in name order.
        top = os.path.join(ARGS.work, name.replace(" ", "_") + "-tree")
        for sub in ("a/cur", "a/new", "a/tmp", "b/.Sub/cur", "b/.Sub/new", "b/.Sub/tmp"):
            os.makedirs(os.path.join(top, sub), exist_ok=True)
        for path in ("a/cur/1", "a/new/2.gz", "b/.Sub/new/3"):
            with open(os.path.join(top, path), "wb") as f:
                f.write(gzip.compress(data) if path.endswith(".gz") else data)
        for path in ("a/tmp/partial", "b/.Sub/tmp/partial", "b/.Sub/dovecot.index", "a/.hidden"):
            with open(os.path.join(top, path), "wb") as f:
                f.write(b"\x00\x01 not mail")
        got = run(args + [top], rc=rc).out
        check(strip_file(got) == strip_file(want) * 3, f"{name}: a tree of maildirs is not read as 3 copies")
        if b'"file"' in got:
            files = re.findall(rb'"file":"([^"]*)"', got)
            check(files[0].endswith(b"a/cur/1") and files[-1].endswith(b"b/.Sub/new/3"), f"{name}: {files[:3]}")
    # Concatenated streams (cat a.gz b.gz, and the same for the others) read as one.
    log = read_source("tests", "cli", "data", "mixed.log")
    half = log.index(b"\n", len(log) // 2) + 1
    want = run(["scan", "--json", "-"], stdin=log, rc=0).out
    for fmt, compress in compressors():
        got = run(["scan", "--json", "-"], stdin=compress(log[:half]) + compress(log[half:]), rc=0).out
        check(got == want, f"two {fmt} streams one after the other")
    # xz, bz2 and zstd are in .ci/run's packages and README's apt line.
    ci = read_source(".ci", "run").decode()
    readme = read_source("README.md").decode()
    for pkg in ("liblzma-dev", "libbz2-dev", "libzstd-dev"):
        check(pkg in ci and pkg in readme, f"{pkg} missing from .ci/run or README.md")
    # classify reads an mbox message by message: the bodies, nothing carried over between them.
    tr = read_source("examples", "data", "transcript.txt")
    box = b"".join(b"From someone@example.org Thu Apr 29 23:34:45 2015\nSubject: transcript " + str(i).encode() +
                   b"\nFrom: someone@example.org\n\n" + tr + b"\n" for i in range(2))
    alone = json_lines(run(["classify", "--json", "examples/data/transcript.txt"], rc=0).out, CLASSIFY_KEYS)
    got = json_lines(run(["classify", "--json", work_file("t.mbox", gzip.compress(box))], rc=0).out, CLASSIFY_KEYS)
    strip = lambda objs: [{k: v for k, v in o.items() if k not in ("file", "line")} for o in objs]
    check(strip(got) == strip(alone) * 2, f"classify of an mbox: {len(got)} records, {len(alone)} per message")
    # An mbox of four bounces gives four messages' records, for dsn; on stdin too.
    mbox = b""
    for i in range(4):
        mbox += b"From MAILER-DAEMON Thu Apr 29 23:34:45 2015\n" + bounce.replace(b"\nFrom ", b"\n>From ") + b"\n"
    got = json_lines(run(["dsn", "--json", "-"], stdin=gzip.compress(mbox), rc=0).out, DSN_KEYS)
    check([o["message"] for o in got] == [1, 1, 2, 2, 3, 3, 4, 4], f"mbox of four: {[o['message'] for o in got]}")



# --- streaming ---------------------------------------------------------------------------------

def first_record_while_stalled(args, first, rest, timeout=10):
    """Writes `first` to esc's stdin, then waits (input still open) for a line of output; returns it."""
    p = subprocess.Popen([ARGS.esc] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=environment(), cwd=ARGS.source)
    try:
        p.stdin.write(first)
        p.stdin.flush()
        ready, _, _ = select.select([p.stdout], [], [], timeout)
        got = os.read(p.stdout.fileno(), 65536) if ready else b""
        p.stdin.write(rest)
        p.stdin.close()
        got += p.stdout.read()
        p.wait(timeout=60)
        return ready, got
    finally:
        if p.poll() is None:
            p.kill()


@case
def streaming():
    log = read_source("examples", "data", "postfix.log").split(b"\n")
    first, rest = b"\n".join(log[:30]) + b"\n", b"\n".join(log[30:60]) + b"\n"
    transcript = read_source("examples", "data", "transcript.txt").split(b"\n")
    cut = next(i for i, l in enumerate(transcript) if re.match(rb"\d{3} ", l)) + 2  # the first reply and one more line
    t_first, t_rest = b"\n".join(transcript[:cut]) + b"\n", b"\n".join(transcript[cut:]) + b"\n"
    diag = read_source("tests", "cli", "data", "diagnostics.txt").split(b"\n")
    d_first, d_rest = b"\n".join(diag[:2]) + b"\n", b"\n".join(diag[2:])
    for args, a, b in ((["scan", "--json", "-"], first, rest), (["scan", "-a", "-"], first, rest),
                       (["classify", "-"], t_first, t_rest), (["classify", "--json"], t_first, t_rest),
                       (["classify", "--each-line", "--json", "-"], d_first, d_rest)):
        ready, got = first_record_while_stalled(args, a, b)
        check(ready, f"esc {' '.join(args)}: no record before the input ended")
        check(got.count(b"\n") >= 2, f"esc {' '.join(args)}: {got[:300]!r}")
    # --follow: a growing file, as tail -f reads it.
    path = work_file("growing.log", first)
    p = subprocess.Popen([ARGS.esc, "scan", "--follow", "--json", path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=environment(), cwd=ARGS.source)
    try:
        ready, _, _ = select.select([p.stdout], [], [], 10)
        check(ready, "--follow: no record of the lines already there")
        got = os.read(p.stdout.fileno(), 65536)
        with open(path, "ab") as f:
            f.write(rest)
        deadline = time.time() + 10
        want = len(json_lines(run(["scan", "--json", "-"], stdin=first + rest, rc=0).out, SCAN_KEYS))
        while got.count(b"\n") < want and time.time() < deadline:
            ready, _, _ = select.select([p.stdout], [], [], 1)
            if ready:
                got += os.read(p.stdout.fileno(), 65536)
        check(got.count(b"\n") == want, f"--follow: {len(got.splitlines())} records, expected {want}")
        check(p.poll() is None, "--follow ended at the end of the file")
    finally:
        p.terminate()
        p.wait(timeout=10)
    # (--follow without --json or -a prints the summary on an interval: follow_summary.)
    # Through gzip too: a flushed gzip stream gives its lines before the stream ends.
    import zlib
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    part1 = z.compress(first) + z.flush(zlib.Z_SYNC_FLUSH)
    part2 = z.compress(rest) + z.flush()
    ready, got = first_record_while_stalled(["scan", "--json"], part1, part2)
    check(ready and len(json_lines(got, SCAN_KEYS)) >= 2, "gzip on a pipe: no record before the input ended")
    # The same records as from the file, whatever the chunking.
    whole = run(["scan", "--json", "-"], stdin=first + rest, rc=0).out
    check(re.sub(rb'"file":"[^"]*"', b"", got) == re.sub(rb'"file":"[^"]*"', b"", whole), "streamed records differ")


# --- follow (tail -F) and the metrics server ------------------------------------------------------

def delivery_line(n, rcpt, status):
    """A Postfix delivery line for recipient `rcpt`: sent, deferred or bounced."""
    said = {"sent": "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F3A2B)",
            "deferred": "dsn=4.2.2, status=deferred (host mx.example.net[192.0.2.7] said: 452 4.2.2 Mailbox full "
                        "(in reply to RCPT TO command))",
            "bounced": "dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.7] said: 550 5.1.1 <" + rcpt +
                       ">: Recipient address rejected: User unknown (in reply to RCPT TO command))"}[status]
    return (f"Nov 28 06:{n // 60 % 60:02d}:{n % 60:02d} mx1 postfix/smtp[{1000 + n}]: {0xA0000 + n:X}: to=<{rcpt}>, "
            f"relay=mx.example.net[192.0.2.7]:25, delay=0.5, delays=0.1/0.1/0.1/0.2, {said}\n")


NL = b"\n"


class Follower:
    """esc running on a growing file; its stdout gathered without blocking."""

    def __init__(self, args):
        self.p = subprocess.Popen([ARGS.esc] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=environment(), cwd=ARGS.work)
        self.out = b""

    def read_for(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            ready, _, _ = select.select([self.p.stdout], [], [], max(0.0, deadline - time.time()))
            if ready:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.out += chunk

    def wait_for(self, predicate, seconds=15):
        deadline = time.time() + seconds
        while not predicate(self.out) and time.time() < deadline:
            self.read_for(0.1)
        return predicate(self.out)

    def stop(self):
        """SIGTERM, as a service manager stops it; returns (exit status, the rest of stdout, stderr)."""
        self.p.send_signal(signal.SIGTERM)
        rest, err = self.p.communicate(timeout=20)
        self.out += rest
        return self.p.returncode, err

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait(timeout=10)


@case
def follow_rotation():
    """--follow as tail -F: growth, rotation (the old file drained, the path missing for a while), truncation."""
    path = os.path.join(ARGS.work, "mail.log")
    for leftover in (path, path + ".1"):
        if os.path.exists(leftover):
            os.remove(leftover)
    expected = {}  # recipient -> the line number it has in its file
    n = 0

    def lines(count, start_line, statuses=("sent", "deferred", "bounced")):
        nonlocal n
        text = ""
        for i in range(count):
            n += 1
            rcpt = f"user{n}@d{n % 7}.example"
            expected[rcpt] = start_line + i
            text += delivery_line(n, rcpt, statuses[n % len(statuses)])
        return text

    def append(p, text):
        with open(p, "a", encoding="utf-8") as f:
            f.write(text)

    def records(out):
        return [json.loads(l) for l in out.decode("utf-8").splitlines()]

    def have(count):
        return lambda out: out.count(b"\n") >= count

    append(path, lines(20, 1))
    f = Follower(["scan", "--follow", "--json", path])
    try:
        check(f.wait_for(have(20)), f"the lines already there: {f.out.count(NL)} records of 20")
        append(path, lines(10, 21))                       # grows
        check(f.wait_for(have(30)), "growth: records missing")
        os.rename(path, path + ".1")                      # rotated: renamed ...
        append(path + ".1", lines(5, 31))                 # ... still written to by the MTA until it reopens
        check(f.wait_for(have(35)), "lines written to the renamed file: records missing")
        time.sleep(0.7)                                   # the path missing for a few polls
        append(path + ".1", lines(3, 36))                 # the last lines of the old file, after the rename ...
        append(path, lines(8, 1))                         # ... and the new file, from its first line
        check(f.wait_for(have(46)), f"rotation: {f.out.count(NL)} records of 46")
        check(f.p.poll() is None, "--follow ended at a rotation")
        with open(path, "w", encoding="utf-8") as fh:     # truncated, as copytruncate does; then shorter
            fh.write(lines(2, 1))
        check(f.wait_for(have(48)), f"truncation: {f.out.count(NL)} records of 48")
        append(path, lines(4, 3))
        check(f.wait_for(have(52)), f"after the truncation: {f.out.count(NL)} records of 52")
        f.read_for(1.0)                                   # nothing read twice comes late
        rc, err = f.stop()
    finally:
        f.kill()
    check(rc == 0, f"SIGTERM: exit status {rc}, expected 0\n{err.decode('utf-8', 'replace')}")
    got = records(f.out)
    seen = {}
    for r in got:
        seen[r["recipient"]] = seen.get(r["recipient"], 0) + 1
    twice = sorted(k for k, v in seen.items() if v > 1)
    missing = sorted(set(expected) - set(seen))
    check(not twice and not missing and len(got) == len(expected),
          f"{len(got)} records for {len(expected)} lines; twice: {twice[:5]}; missing: {missing[:5]}")
    wrong = [(r["recipient"], r["line"], expected[r["recipient"]]) for r in got if r["line"] != expected[r["recipient"]]]
    check(not wrong, f"line numbers (recipient, got, expected) are not those of the file read: {wrong[:5]}")
    # Compressed files are finished files: read to their end, not followed.
    gz = os.path.join(ARGS.work, "old.log.gz")
    with gzip.open(gz, "wb") as z:
        z.write(delivery_line(1, "a@b.example", "sent").encode())
    r = run(["scan", "--follow", "--json", gz], rc=0, timeout=30)
    check(len(json_lines(r.out, SCAN_KEYS)) == 1, "--follow on a gzip file")


@case
def follow_summary():
    """--follow without --json/-a: the summary every --interval, appended into a pipe, redrawn on a terminal."""
    path = work_file("summary.log", "".join(delivery_line(i, f"u{i}@s.example", "bounced") for i in range(1, 4)))
    f = Follower(["scan", "--follow", "--interval", "0.3", path])
    try:
        heading = re.compile(rb"^=== \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC ===$", re.M)
        check(f.wait_for(lambda out: len(heading.findall(out)) >= 2), f"no summaries every 0.3 s: {f.out[:300]!r}")
        check(b"3 delivery attempts" in f.out, f"the first summaries: {f.out[:400]!r}")
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("".join(delivery_line(i, f"u{i}@s.example", "sent") for i in range(4, 6)))
        check(f.wait_for(lambda out: b"5 delivery attempts" in out), "the summary did not follow the file")
        before = len(heading.findall(f.out))
        rc, err = f.stop()
    finally:
        f.kill()
    check(rc == 0, f"SIGTERM: exit status {rc}\n{err.decode('utf-8', 'replace')}")
    blocks = heading.split(f.out)
    check(len(blocks) - 1 > before and b"5 delivery attempts" in blocks[-1], "no final summary after SIGTERM")
    check(b"\x1b[" not in f.out, "escape sequences into a pipe")
    check(all(b.startswith(b"\n") for b in blocks[1:]), "summaries not on their own")
    # On a terminal: home and clear before each summary, so that it stays in place.
    master, slave = pty.openpty()
    p = subprocess.Popen([ARGS.esc, "scan", "--follow", "--interval", "0.2", path], stdout=slave,
                         stderr=subprocess.PIPE, env=environment(), cwd=ARGS.source)
    os.close(slave)
    tty = b""
    try:
        deadline = time.time() + 15
        while tty.count(b"\x1b[H\x1b[2J") < 2 and time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                tty += os.read(master, 65536)
        p.send_signal(signal.SIGTERM)
        while True:
            ready, _, _ = select.select([master], [], [], 5)
            try:
                data = os.read(master, 65536) if ready else b""
            except OSError:
                data = b""
            if not data:
                break
            tty += data
        rc = p.wait(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
        os.close(master)
    check(tty.count(b"\x1b[H\x1b[2J") >= 3, f"no redraws on a terminal: {tty[:200]!r}")
    check(rc == 0, f"on a terminal, SIGTERM: exit status {rc}")
    # --interval is checked.
    run(["scan", "--follow", "--interval", "0", path], rc=2)


class ExpositionError(Exception):
    pass


EXPO_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
EXPO_SAMPLE = re.compile(r"^(" + EXPO_NAME + r")(?:\{(.*)\})? (\S+)$")
EXPO_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')


def parse_exposition(text):
    """Strictly, the text exposition format 0.0.4: # HELP and # TYPE once per family and before its samples,
    samples `name{labels} value`, label values escaped. Returns {(name, frozenset(labels)): value} and the types."""
    types, helps, samples, seen_families = {}, {}, {}, []
    check(text.endswith("\n"), "the exposition does not end in a line feed")
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = f"exposition line {n}: {line[:200]!r}"
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            check(len(parts) == 4 and re.fullmatch(EXPO_NAME, parts[2]), where)
            family = parts[2]
            table = helps if parts[1] == "HELP" else types
            check(family not in table, f"{where}: a second {parts[1]}")
            check(not any(k[0] == family for k in samples), f"{where}: after the family's samples")
            if parts[1] == "TYPE":
                check(parts[3] in ("counter", "gauge", "summary", "histogram", "untyped"), where)
            table[family] = parts[3]
            if family not in seen_families:
                seen_families.append(family)
            continue
        check(not line.startswith("#") and line.strip() == line and line, where)
        m = EXPO_SAMPLE.match(line)
        check(m, where)
        name, labels_text, value = m.groups()
        labels = {}
        if labels_text:
            pos = 0
            while pos < len(labels_text):
                lm = EXPO_LABEL.match(labels_text, pos)
                check(lm, f"{where}: labels")
                value_text = re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), lm.group(2))
                check(lm.group(1) not in labels, f"{where}: a label twice")
                labels[lm.group(1)] = value_text
                pos = lm.end()
        family = name
        for suffix in ("_count", "_sum", "_bucket"):
            if name.endswith(suffix) and name[: -len(suffix)] in types and types[name[: -len(suffix)]] in (
                    "summary", "histogram"):
                family = name[: -len(suffix)]
        check(family in types and family in helps, f"{where}: no # HELP and # TYPE before it")
        check(seen_families[-1] == family, f"{where}: not with its family's other samples")
        if types[family] == "counter":
            check(name.endswith("_total"), f"{where}: a counter not ending in _total")
        try:
            number = float(value)
        except ValueError:
            raise Failure(f"{where}: value {value!r}")
        key = (name, frozenset(labels.items()))
        check(key not in samples, f"{where}: the same series twice")
        samples[key] = number
    return samples, types


def metric(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape(url):
    import urllib.request
    with urllib.request.urlopen(url, timeout=10) as r:
        check(r.status == 200, f"{url}: {r.status}")
        check(r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), f"{url}: {r.headers['Content-Type']}")
        return r.read().decode("utf-8")


def metrics_base(f, until=b"\n"):
    """"http://127.0.0.1:PORT" of a Follower's --metrics 127.0.0.1:0, from the line esc writes on stderr,
    and its stderr read until `until` came (15 s at most)."""
    text = b""
    deadline = time.time() + 15
    while until not in text and time.time() < deadline:
        ready, _, _ = select.select([f.p.stderr], [], [], 0.5)
        if ready:
            text += os.read(f.p.stderr.fileno(), 4096)
    m = re.search(rb"http://(127\.0\.0\.1:\d+)/metrics", text)
    check(m, f"no address on stderr: {text!r}")
    return "http://" + m.group(1).decode(), text


@case
def metrics_http():
    """--metrics: scraped with real HTTP clients while lines are appended; 404, 400, 405; SIGTERM ends it."""
    import socket
    import urllib.error
    import urllib.request
    path = work_file("metrics.log", "".join(delivery_line(i, f"u{i}@one.example", "sent") for i in range(1, 6)))
    f = Follower(["scan", "--follow", "--json", "--metrics", "127.0.0.1:0", path])
    try:
        base, _ = metrics_base(f)
        check(f.wait_for(lambda out: out.count(NL) >= 5), "the records of the lines there")

        def until(predicate):
            deadline = time.time() + 15
            while time.time() < deadline:
                samples, _ = parse_exposition(scrape(base + "/metrics"))
                if predicate(samples):
                    return samples
                time.sleep(0.2)
            raise Failure(f"metrics never reached the expected values: {sorted(samples.items())[:40]}")

        s1 = until(lambda s: metric(s, "esc_delivery_attempts_total", disposition="sent") == 5)
        check(metric(s1, "esc_lines_read_total") == 5, "esc_lines_read_total")
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("".join(delivery_line(i, f"u{i}@two.example", "bounced") for i in range(6, 9)))
            fh.write(delivery_line(9, "u9@two.example", "deferred"))
        s2 = until(lambda s: metric(s, "esc_delivery_attempts_total", disposition="bounced") == 3)
        check(metric(s2, "esc_delivery_attempts_total", disposition="deferred") == 1, "deferred")
        check(metric(s2, "esc_lines_read_total") == 9 and metric(s2, "esc_bytes_read_total") > 0, "lines, bytes")
        check(metric(s2, "esc_failures_total", reason="mailbox_unknown", disposition="bounced") == 3,
              "esc_failures_total by reason")
        check(metric(s2, "esc_failure_status_total", status="5.1.1") == 3, "esc_failure_status_total")
        check(metric(s2, "esc_domain_attempts_total", domain="two.example", disposition="bounced") == 3,
              "esc_domain_attempts_total")
        for key, value in s1.items():  # counters only grow
            if key[0].endswith("_total") and key in s2:
                check(s2[key] >= value, f"{key} went down")
        # curl too, where it is installed (CI installs it).
        if shutil.which("curl"):
            c = subprocess.run(["curl", "-sS", "-f", base + "/metrics"], stdout=subprocess.PIPE, timeout=30)
            check(c.returncode == 0, f"curl: {c.returncode}")
            parse_exposition(c.stdout.decode("utf-8"))
            c = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/nothing"],
                               stdout=subprocess.PIPE, timeout=30)
            check(c.stdout == b"404", f"curl /nothing: {c.stdout!r}")
            c = subprocess.run(["curl", "-sS", "-I", base + "/metrics"], stdout=subprocess.PIPE, timeout=30)
            check(c.stdout.startswith(b"HTTP/1.1 200"), f"curl -I: {c.stdout[:100]!r}")
        with urllib.request.urlopen(base + "/", timeout=10) as r:
            check(b"/metrics" in r.read(), "GET / does not say where the metrics are")
        for bad in ("/nothing", "/metrics/x", "/metricsx"):
            try:
                urllib.request.urlopen(base + bad, timeout=10)
                raise Failure(f"{bad}: not 404")
            except urllib.error.HTTPError as e:
                check(e.code == 404, f"{bad}: {e.code}")
        host, port = base[len("http://"):].split(":")

        def raw(request, half_close=True):
            with socket.create_connection((host, int(port)), timeout=10) as sk:
                sk.sendall(request)
                if half_close:
                    sk.shutdown(socket.SHUT_WR)
                got = b""
                while True:
                    data = sk.recv(65536)
                    if not data:
                        return got
                    got += data

        check(raw(b"garbage\r\n\r\n").startswith(b"HTTP/1.1 400 "), "a bad request line: not 400")
        check(raw(b"GET /metrics HTTP/1.1 x\r\n\r\n").startswith(b"HTTP/1.1 400 "), "four words: not 400")
        check(raw(b"POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 405 "), "POST: not 405")
        check(raw(b"GET /metrics HTTP/1.1\r\nX: " + b"y" * 20000 + b"\r\n\r\n").startswith(b"HTTP/1.1 431 "),
              "an over-long request: not 431")
        # A client that connects and says nothing holds neither the scan nor the other clients.
        idle = socket.create_connection((host, int(port)), timeout=10)
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(delivery_line(10, "u10@one.example", "sent"))
            until(lambda s: metric(s, "esc_delivery_attempts_total", disposition="sent") == 6)
            check(f.wait_for(lambda out: out.count(NL) >= 10), "records stalled by an idle client")
        finally:
            idle.close()
        rc, err = f.stop()
    finally:
        f.kill()
    check(rc == 0, f"SIGTERM: exit status {rc}\n{err.decode('utf-8', 'replace')}")
    check(len(json_lines(f.out, SCAN_KEYS)) == 10, "records")
    # Without --follow: the metrics stay up after the end of the input, until SIGTERM; the summary is printed.
    f = Follower(["scan", "--metrics", "127.0.0.1:0", path])
    try:
        base, text = metrics_base(f, until=b"has ended")
        check(b"has ended" in text, f"stderr: {text!r}")
        samples, _ = parse_exposition(scrape(base + "/metrics"))
        check(metric(samples, "esc_lines_read_total") == 10, "the final metrics")
        check(f.p.poll() is None, "it did not stay up")
        rc, err = f.stop()
    finally:
        f.kill()
    check(rc == 0 and b"Deliveries" in f.out, f"after SIGTERM: {rc}, {f.out[:200]!r}")
    # From a pipe that stays open: the metrics follow what comes, and SIGTERM ends the blocked read.
    p = subprocess.Popen([ARGS.esc, "scan", "--metrics", "127.0.0.1:0", "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(), cwd=ARGS.work)
    try:
        m = re.search(rb"http://(127\.0\.0\.1:\d+)/metrics", p.stderr.readline())
        check(m, "no address on stderr (a pipe)")
        url = "http://" + m.group(1).decode() + "/metrics"
        p.stdin.write(delivery_line(1, "a@pipe.example", "bounced").encode())
        p.stdin.flush()
        deadline = time.time() + 15
        while time.time() < deadline:
            samples, _ = parse_exposition(scrape(url))
            if metric(samples, "esc_delivery_attempts_total", disposition="bounced") == 1:
                break
            p.stdin.write(b"filler line\n")  # each read of a pipe renews them at most once a second
            p.stdin.flush()
            time.sleep(0.3)
        check(metric(samples, "esc_delivery_attempts_total", disposition="bounced") == 1, "metrics from a pipe")
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=10)
    check(p.returncode == 0 and b"Deliveries" in out, f"a pipe, SIGTERM: {p.returncode}, {out[:200]!r} {err!r}")
    run(["scan", "--metrics", "nonsense", path], rc=2)
    run(["scan", "--metrics", "::1:80", path], rc=2)


# --- traceable records and their schema ----------------------------------------------------------

def validate(value, schema, root, where="$"):
    """The subset of JSON Schema (2020-12) that esc-records.schema.json uses; raises Failure."""
    if "$ref" in schema:
        ref = schema["$ref"]
        check(ref.startswith("#/$defs/"), f"{where}: unsupported $ref {ref}")
        return validate(value, root["$defs"][ref[len("#/$defs/"):]], root, where)
    if "anyOf" in schema:
        errors = []
        for sub in schema["anyOf"]:
            try:
                return validate(value, sub, root, where)
            except Failure as e:
                errors.append(str(e))
        raise Failure(f"{where}: matches none of anyOf: {errors}")
    known = {"type", "properties", "required", "additionalProperties", "enum", "const", "items", "pattern",
             "minimum", "maximum", "description", "$schema", "$id", "title", "$defs"}
    check(not set(schema) - known, f"{where}: the test's validator does not know {set(schema) - known}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        kinds = {"string": str, "object": dict, "array": list, "boolean": bool, "null": type(None)}
        ok = any((t == "integer" and isinstance(value, int) and not isinstance(value, bool)) or
                 (t in kinds and isinstance(value, kinds[t])) for t in types)
        check(ok, f"{where}: {value!r} is not {types}")
    if "enum" in schema:
        check(value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}")
    if "const" in schema:
        check(value == schema["const"], f"{where}: {value!r} is not {schema['const']!r}")
    if "pattern" in schema and isinstance(value, str):
        check(re.search(schema["pattern"], value), f"{where}: {value!r} does not match {schema['pattern']}")
    if "minimum" in schema and isinstance(value, int):
        check(value >= schema["minimum"], f"{where}: {value} < {schema['minimum']}")
    if "maximum" in schema and isinstance(value, int):
        check(value <= schema["maximum"], f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            check(key in value, f"{where}: no {key}")
        props = schema.get("properties", {})
        for key, v in value.items():
            if key in props:
                validate(v, props[key], root, f"{where}.{key}")
            else:
                extra = schema.get("additionalProperties", True)
                check(extra is not False, f"{where}: {key} is not in the schema")
                if isinstance(extra, dict):
                    validate(v, extra, root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            validate(v, schema["items"], root, f"{where}[{i}]")


@case
def json_schema():
    with open(source_file("examples", "esc", "esc-records.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    try:
        import jsonschema
        checker = jsonschema.Draft202012Validator(schema)
        jsonschema.Draft202012Validator.check_schema(schema)
    except ImportError:
        checker = None
    mbox = work_file("two.mbox", b"".join(b"From MAILER-DAEMON Thu Apr 29 23:34:45 2015\n" +
                                          read_source("examples", "data", "bounces", n) + b"\n"
                                          for n in ("postfix-dsn.eml", "qmail-prose.eml")))
    arf = work_file("complaint.eml", b"From: fbl@isp.example\nSubject: complaint\nMIME-Version: 1.0\n"
                    b"Content-Type: multipart/report; report-type=feedback-report; boundary=F\n\n"
                    b"--F\nContent-Type: text/plain\n\nA complaint.\n\n--F\nContent-Type: message/feedback-report\n\n"
                    b"Feedback-Type: abuse\nUser-Agent: FBL/1\nVersion: 1\n\n--F--\n")
    runs = {
        "scan": [["scan", "--json", "tests/cli/data/mixed.log", "examples/data/postfix.log"]],
        "classify": [["classify", "--json", "examples/data/transcript.txt"],
                     ["classify", "--each-line", "--json", "tests/cli/data/diagnostics.txt"]],
        "dsn": [["dsn", "--json", "--header", "X-Campaign-Id", "examples/data/bounces", mbox]],
        "feedback": [["dsn", "--json", arf]],
        "explain": [["explain", "--json", "5.1.1", "X.7.26", "550", "550 4.1.1 x", "said: 451 4.7.1 greylisted",
                     "6.1.1", "hello"]],
        "list": [["list", "--json"]],
    }
    for kind, commands in runs.items():
        for args in commands:
            r = run(args)
            check(r.rc in (0, 1) and r.out, f"esc {' '.join(args)}: nothing to validate")
            for n, text in enumerate(r.out.decode("utf-8").splitlines(), 1):
                record = json.loads(text)
                try:
                    validate(record, schema["$defs"][kind], schema)
                    validate(record, schema, schema)
                except Failure as e:
                    raise Failure(f"esc {' '.join(args)} line {n}: {e}\n{text[:500]}")
                if checker is not None:
                    errors = list(checker.iter_errors(record))
                    check(not errors, f"esc {' '.join(args)} line {n} (jsonschema): {errors[:1]}")
    # The validator is not a rubber stamp.
    record = json.loads(run(["scan", "--json", "tests/cli/data/mixed.log"], rc=0).out.splitlines()[0])
    for broken in ({**record, "line": "2"}, {**record, "reason": "unlucky"}, {k: v for k, v in record.items()
                                                                               if k != "file"},
                   {**record, "extra": 1}, {**record, "status": "5.01.1"}):
        try:
            validate(broken, schema["$defs"]["scan"], schema)
        except Failure:
            continue
        raise Failure(f"the schema accepts a broken record: {broken}")


@case
def traceable_records():
    # scan: file and line in every record, line numbers per file, and the log's own fields.
    two = json_lines(run(["scan", "--json", "tests/cli/data/mixed.log", "examples/data/postfix.log"], rc=0).out,
                     SCAN_KEYS)
    files = [o["file"] for o in two]
    check(files[0] == "tests/cli/data/mixed.log" and files[-1] == "examples/data/postfix.log", f"files: {set(files)}")
    lines = {}
    for f in ("tests/cli/data/mixed.log", "examples/data/postfix.log"):
        text = read_source(*f.split("/")).decode("utf-8", "replace").split("\n")
        lines[f] = text
    for o in two:
        logged = lines[o["file"]][o["line"] - 1]
        check(o["recipient"] in logged, f"{o['file']}:{o['line']} does not name {o['recipient']}: {logged}")
        if o["timestamp"]:
            check(logged.startswith(o["timestamp"]), f"timestamp {o['timestamp']!r} of {logged}")
        check(o["queue_id"] and o["queue_id"] in logged, f"queue_id {o['queue_id']!r} of {logged}")
        if o["text"]:
            check(o["text"] in logged, f"text {o['text']!r} not in {logged}")
    mixed = {o["line"]: o for o in two if o["file"] == "tests/cli/data/mixed.log"}
    check(mixed[2]["timestamp"] == "Nov 28 10:00:01" and mixed[2]["queue_id"] == "4F2A1C0D3" and
          mixed[2]["relay"] == "mx.example.com[192.0.2.1]:25" and mixed[2]["text"].startswith("550 5.1.1 <bob@"),
          f"postfix record: {mixed[2]}")
    check(mixed[13]["timestamp"] == "2026-11-28 10:01:01" and mixed[13]["queue_id"] == "1tQx7a-000Abc-4Z" and
          mixed[13]["relay"] == "mx.example.com [192.0.2.1]" and mixed[13]["text"] == "550 5.1.1 User unknown",
          f"exim record: {mixed[13]}")
    check(mixed[22]["queue_id"] == "4ASA01x1001234" and mixed[22]["relay"] == "mx.example.com. [192.0.2.1]",
          f"sendmail record: {mixed[22]}")
    # Text from the log as printable() makes it, quotes and backslashes escaped (the records are written
    # without a JSON library: this is the check that they are still JSON).
    odd = (b'Nov 28 10:00:01 mx1 postfix/smtp[1]: AB12: to=<"q\\x"@example.com>, relay=mx.example.com[192.0.2.1]:25, '
           b'delay=1, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 "no"\\ \x1b[31m\t'
           b'\xc2\x85 caf\xc3\xa9 \xff (in reply to RCPT TO command))\n')
    o = json_lines(run(["scan", "--json", "-"], stdin=odd, rc=0).out, SCAN_KEYS)[0]
    check(o["recipient"] == '"q\\x"@example.com', f"recipient: {o['recipient']!r}")
    check(o["text"] == '550 5.1.1 "no"\\ ?[31m ? caf\u00e9 \ufffd (in reply to RCPT TO command)', f"text: {o['text']!r}")
    # -a rows start with FILE:LINE.
    rows = run(["--color=never", "scan", "-a", "tests/cli/data/mixed.log", "examples/data/postfix.log"],
               rc=0).text().split("\n\n")[0].splitlines()
    check(len(rows) == len(two), f"{len(rows)} -a rows, {len(two)} records")
    for row, o in zip(rows, two):
        check(row.startswith(f"{o['file']}:{o['line']}  "), f"-a row {row[:80]!r} for {o['file']}:{o['line']}")
    # classify: the line of the record's first line, per file.
    got = json_lines(run(["classify", "--json", "examples/data/transcript.txt"], rc=0).out, CLASSIFY_KEYS)
    text = read_source("examples", "data", "transcript.txt").decode().split("\n")
    for o in got:
        check(o["file"] == "examples/data/transcript.txt", o["file"])
        check(text[o["line"] - 1].endswith(o["input"].split("\n")[0]), f"line {o['line']}: {o['input'][:60]}")
    got = json_lines(run(["classify", "--each-line", "--json", "-"], stdin=b"\n\nsmtp; 550 5.1.1 x\n", rc=0).out,
                     CLASSIFY_KEYS)
    check([(o["file"], o["line"]) for o in got] == [("<stdin>", 3)], f"each-line: {got}")


# --- any width -----------------------------------------------------------------------------------

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")

WIDTH_COMMANDS = [
    ["explain", "5.1.1", "550-5.7.1 Message refused\n550 5.7.1 by local policy", "--command", "rcpt"],
    ["list", "--long"],
    ["scan", "--no-progress", "tests/cli/data/mixed.log"],
    ["scan", "--no-progress", "-a", "tests/cli/data/mixed.log"],
    ["classify", "examples/data/transcript.txt"],
    ["dsn", "examples/data/bounces"],
]


@case
def widths():
    for columns in (40, 60, 200):
        report = ""
        for args in WIDTH_COMMANDS:
            rc, tty, _ = run_on_pty(["--color=never"] + args, env={"COLUMNS": str(columns)})
            check(rc == 0, f"esc {' '.join(args)} on a terminal: exit {rc}")
            text = tty.replace(b"\r\n", b"\n").decode("utf-8")
            for n, line in enumerate(text.split("\n"), 1):
                check(len(line) <= columns, f"COLUMNS={columns} esc {' '.join(args)} line {n} is {len(line)} wide:\n{line}")
            report += f"$ COLUMNS={columns} esc --color=never {' '.join(args)!s}\n{text}\n"
        golden(f"width_{columns}.txt", report)
    # classify's summary on a terminal's stderr fits it too.
    rc, tty, _ = run_on_pty(["--color=never", "classify", "-"], env={"COLUMNS": "40"}, pty_for="stderr",
                            stdin_chunks=[(0, b"hello there\n550 5.1.1 x\n")])
    lines = tty.replace(b"\r\n", b"\n").decode().split("\n")
    check(rc == 1 and any("not understood" in l for l in lines) and max(len(l) for l in lines) <= 40,
          f"classify summary at 40 columns: {lines}")
    # Words are not cut where they fit: at 60 columns explain's description wraps between words.
    rc, tty, _ = run_on_pty(["--color=never", "explain", "5.1.1"], env={"COLUMNS": "60"})
    text = tty.replace(b"\r\n", b"\n").decode()
    words = set(re.findall(r"[A-Za-z']+", run(["--color=never", "explain", "5.1.1"], rc=0).text()))
    for word in re.findall(r"[A-Za-z']+", text):
        check(word in words, f"a word cut by the wrapping: {word}")
    # Fewer than 40 columns count as 40.
    rc, tty, _ = run_on_pty(["--color=never", "list"], env={"COLUMNS": "10"})
    check(max(len(l) for l in tty.replace(b"\r\n", b"\n").decode().split("\n")) > 30, "COLUMNS=10 not taken as 40")
    # Into a pipe nothing is wrapped, whatever COLUMNS says: every registry row keeps its code (grep).
    piped = run(["list"], env={"COLUMNS": "40"}, rc=0).text()
    check(piped == run(["list"], rc=0).text(), "COLUMNS changes the output into a pipe")
    rows = [l for l in piped.split("\n")[1:] if l and not l.startswith(" ")]
    check(all(re.match(r"X\.\d+\.\d+ ", l) for l in rows[:-1]), "a pipe gets a wrapped row")
    check(all(re.match(r"X\.\d+\.\d+ ", l) for l in piped.splitlines() if "rejected" in l.lower()),
          "esc list | grep -i rejected: a line without its code")
    check(run(["explain", "5.1.1"], env={"COLUMNS": "40"}, rc=0).out == run(["explain", "5.1.1"], rc=0).out,
          "explain wraps into a pipe")


@case
def progress_width():
    log = read_source("examples", "data", "postfix.log")
    chunks = [(0.12, log[i:i + 30000]) for i in range(0, len(log), 30000)]
    rc, tty, _ = run_on_pty(["scan", "-"], env={"COLUMNS": "60"}, stdin_chunks=chunks, pty_for="stderr")
    check(rc == 0 and b"MB/s" in tty, f"no progress line: {tty[:200]!r}")
    drawn = [ANSI.sub(b"", part) for part in tty.split(b"\r") if b"MB/s" in part]
    for d in drawn:
        check(len(d.decode("utf-8")) < 60, f"a progress line of {len(d.decode())} columns at 60: {d!r}")
    check(tty.endswith(b"\r\x1b[K"), f"the progress line is not erased at the end: {tty[-80:]!r}")
    # SIGINT and SIGTERM erase it before the program ends.
    for sig in (signal.SIGINT, signal.SIGTERM):
        master, slave = pty.openpty()
        p = subprocess.Popen([ARGS.esc, "scan", "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=slave,
                             env=environment({"COLUMNS": "60"}), cwd=ARGS.source)
        os.close(slave)
        tty = b""
        deadline = time.time() + 30
        while b"MB/s" not in tty and time.time() < deadline:
            p.stdin.write(log[:20000])
            p.stdin.flush()
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                tty += os.read(master, 65536)
        check(b"MB/s" in tty, "no progress line before the signal")
        p.send_signal(sig)
        rc = p.wait(timeout=30)
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                break
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            tty += data
        os.close(master)
        try:
            p.stdin.close()
        except BrokenPipeError:
            pass
        check(rc == -sig, f"{sig.name}: exit {rc}")
        check(tty.endswith(b"\r\x1b[K"), f"{sig.name}: the progress line stays: {tty[-80:]!r}")


# --- help, man pages, completion --------------------------------------------------------------------

SUBCOMMANDS = ["explain", "classify", "list", "scan", "dsn", "help"]


@case
def discoverability():
    check(run(["help"], rc=0).out == run(["--help"], rc=0).out, "esc help differs from esc --help")
    for sub in SUBCOMMANDS:
        check(run(["help", sub], rc=0).out == run([sub, "--help"], rc=0).out, f"esc help {sub} differs from --help")
    r = run(["help", "nope"], rc=2)
    check(r.err.startswith(b"esc: help: no subcommand 'nope'"), f"{r.err!r}")
    # Man pages and completion, made from the --help text by the build (tools/make_docs.py).
    out = os.path.join(ARGS.work, "share")
    subprocess.run([sys.executable, source_file("tools", "make_docs.py"), "--esc", ARGS.esc, "--out", out], check=True)
    for sub in [None] + SUBCOMMANDS:
        page = os.path.join(out, "man", "man1", "esc.1" if sub is None else f"esc-{sub}.1")
        check(os.path.exists(page), f"no man page {page}")
        with open(page, encoding="utf-8") as f:
            man = f.read().replace("\\-", "-").replace("\\e", "\\")
        helptext = run(([sub] if sub else []) + ["--help"], rc=0).text()
        for option in re.findall(r"^  (-[-\w,]+)", helptext, re.M):
            for name in option.split(","):
                check(name in man, f"{os.path.basename(page)} lacks {name}")
        check(helptext.splitlines()[0].removeprefix("esc: ") in man, f"{os.path.basename(page)}: no description")
        if shutil.which("groff"):
            g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], stderr=subprocess.PIPE)
            check(g.returncode == 0 and g.stderr == b"", f"groff on {page}: {g.stderr[:300]!r}")
    with open(os.path.join(out, "man", "man1", "esc-scan.1"), encoding="utf-8") as f:
        check("EXAMPLES" in f.read(), "esc-scan.1 has no examples")
    # bash: the completion function completes subcommands, options and choices.
    completion = os.path.join(out, "bash-completion", "esc")
    def complete(*words):
        script = (f"source {completion}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
                  f"COMP_CWORD={len(words) - 1}; _esc; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        return subprocess.run(["bash", "-c", script], stdout=subprocess.PIPE, check=True).stdout.decode().split()
    check(complete("esc", "sc") == ["scan"], f"esc sc<TAB>: {complete('esc', 'sc')}")
    check(set(complete("esc", "")) >= set(SUBCOMMANDS), f"esc <TAB>: {complete('esc', '')}")
    check(sorted(complete("esc", "scan", "--j")) == ["--jobs", "--json"], f"esc scan --j<TAB>: {complete('esc', 'scan', '--j')}")
    check(complete("esc", "scan", "--js") == ["--json"], f"esc scan --js<TAB>: {complete('esc', 'scan', '--js')}")
    check(sorted(complete("esc", "dsn", "--he")) == ["--header", "--help"], f"{complete('esc', 'dsn', '--he')}")
    check(complete("esc", "--color", "") == ["auto", "always", "never"], f"{complete('esc', '--color', '')}")
    check(complete("esc", "help", "cl") == ["classify"], f"{complete('esc', 'help', 'cl')}")
    zsh = os.path.join(out, "zsh", "_esc")
    with open(zsh, encoding="utf-8") as f:
        z = f.read()
    check(z.startswith("#compdef esc") and "--each-line" in z and "'scan:" in z, "zsh completion")
    if shutil.which("zsh"):
        check(subprocess.run(["zsh", "-n", zsh]).returncode == 0, "zsh -n _esc")
    # Installed with the tool.
    if ARGS.build:
        prefix = os.path.join(ARGS.work, "prefix")
        p = subprocess.run(["cmake", "--install", ARGS.build, "--component", "tool", "--prefix", prefix],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        check(p.returncode == 0, f"cmake --install: {p.stderr.decode()[-500:]}")
        for path in ("bin/esc", "share/man/man1/esc.1", "share/man/man1/esc-scan.1",
                     "share/bash-completion/completions/esc", "share/zsh/vendor-completions/_esc",
                     "share/esc/esc-records.schema.json"):
            check(os.path.exists(os.path.join(prefix, path)), f"not installed: {path}")


# --- 100,000 lines, counted independently ------------------------------------------------

DOMAINS = ["example.com", "example.net", "example.org", "bigmail.example", "corp.example.com", "isp.example.net",
           "shop.example", "university.example.edu"]

# (template, disposition, outcome, reason, reply_code, status, recipients); the labels are what the
# texts mean, written down by hand.
POSTFIX = "{ts} mx1 postfix/smtp[{pid}]: {qid}: to=<{r0}>, relay=mx.{d0}[192.0.2.1]:25, delay=1.1, " \
          "delays=0.1/0/0.5/0.5, "
TEMPLATES = [
    (POSTFIX + "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {qid2})",
     "sent", "success", "none", 250, "2.0.0", 1, 40),
    (POSTFIX + "dsn=5.1.1, status=bounced (host mx.{d0}[192.0.2.1] said: 550 5.1.1 <{r0}>: Recipient address "
     "rejected: User unknown in local recipient table (in reply to RCPT TO command))",
     "bounced", "permanent", "mailbox_unknown", 550, "5.1.1", 1, 6),
    (POSTFIX + "dsn=4.7.1, status=deferred (host mx.{d0}[192.0.2.1] said: 450 4.7.1 <{r0}>: Recipient address "
     "rejected: Greylisted, please try again later (in reply to RCPT TO command))",
     "deferred", "transient", "greylisted", 450, "4.7.1", 1, 5),
    (POSTFIX + "dsn=4.4.1, status=deferred (connect to mx.{d0}[192.0.2.1]:25: Connection timed out)",
     "deferred", "transient", "network", None, "4.4.1", 1, 4),
    (POSTFIX + "dsn=5.7.1, status=bounced (host mx.{d0}[192.0.2.1] said: 554 5.7.1 Message rejected as spam (in "
     "reply to end of DATA command))", "bounced", "permanent", "spam", 554, "5.7.1", 1, 2),
    (POSTFIX + "dsn=5.2.2, status=bounced (host mx.{d0}[192.0.2.1] said: 552 5.2.2 Mailbox full (in reply to end "
     "of DATA command))", "bounced", "permanent", "mailbox_full", 552, "5.2.2", 1, 2),
    (POSTFIX + "dsn=5.7.26, status=bounced (host mx.{d0}[192.0.2.1] said: 550 5.7.26 Unauthenticated email is not "
     "accepted (in reply to end of DATA command))", "bounced", "permanent", "sender_auth", 550, "5.7.26", 1, 2),
    (POSTFIX + "dsn=4.2.2, status=deferred (host mx.{d0}[192.0.2.1] said: 452 4.2.2 Mailbox over quota (in reply "
     "to RCPT TO command))", "deferred", "transient", "mailbox_full", 452, "4.2.2", 1, 2),
    ("{date} {time} {eid} => {r0} R=dnslookup T=remote_smtp H=mx.{d0} [192.0.2.2] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 "
     "CV=yes C=\"250 2.0.0 Ok: queued as {qid2}\"", "sent", "success", "none", 250, "2.0.0", 1, 10),
    ("{date} {time} {eid} ** {r0} R=dnslookup T=remote_smtp H=mx.{d0} [192.0.2.2]: SMTP error from remote mail "
     "server after RCPT TO:<{r0}>: 550 5.1.1 User unknown", "bounced", "permanent", "mailbox_unknown", 550, "5.1.1",
     1, 3),
    ("{date} {time} {eid} == {r0} R=dnslookup T=remote_smtp defer (-44) H=mx.{d0} [192.0.2.2]: SMTP error from "
     "remote mail server after RCPT TO:<{r0}>: 451 4.7.1 Greylisted, try again later", "deferred", "transient",
     "greylisted", 451, "4.7.1", 1, 3),
    ("{date} {time} {eid} ** {r0}: Unrouteable address", "bounced", "permanent", "domain_unknown", None, None, 1, 1),
    ("{ts} mx2 sm-mta[{pid}]: {sid}: to=<{r0}>,<{r1}>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=150437, "
     "relay=mx.{d0}. [192.0.2.3], dsn=5.1.1, stat=User unknown", "bounced", "permanent", "mailbox_unknown", None,
     "5.1.1", 2, 2),
    ("{ts} mx2 sm-mta[{pid}]: {sid}: to=<{r0}>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120437, "
     "relay=mx.{d0}. [192.0.2.3], dsn=2.0.0, stat=Sent (Ok: queued as {qid2})", "sent", "success", "none", None,
     "2.0.0", 1, 4),
    ("{ts} mx2 sm-mta[{pid}]: {sid}: to=<{r0}>, delay=00:05:00, xdelay=00:00:30, mailer=esmtp, pri=210437, "
     "relay=mx.{d0}. [192.0.2.3], dsn=4.0.0, stat=Deferred: Connection refused by mx.{d0}.", "deferred",
     "transient", "network", None, "4.0.0", 1, 2),
]
FILLER = [
    "{ts} mx1 postfix/smtpd[{pid}]: connect from app1.example.org[192.0.2.10]",
    "{ts} mx1 postfix/cleanup[{pid}]: {qid}: message-id=<{qid}@example.org>",
    "{ts} mx1 postfix/qmgr[1102]: {qid}: from=<news@example.org>, size=4312, nrcpt=1 (queue active)",
    "{ts} mx1 postfix/qmgr[1102]: {qid}: removed",
    "{ts} mx1 postfix/smtpd[{pid}]: disconnect from app1.example.org[192.0.2.10] ehlo=1 mail=1 rcpt=1 data=1 quit=1",
    "{ts} mx1 systemd[1]: foo.service: Main process exited, code=exited, status=1/FAILURE",
    "{date} {time} {eid} <= news@example.org H=app1.example.org [192.0.2.10] P=esmtpa S=4312",
    "{date} {time} {eid} Completed",
    "{ts} mx2 sm-mta[{pid}]: {sid}: from=<news@example.org>, size=4312, class=0, nrcpts=1, proto=ESMTP",
    "{ts} mx2 sm-msp-queue[{pid}]: {sid}: to=root, delay=00:00:00, mailer=relay, pri=30000, dsn=4.0.0, stat=queued",
]


def generate_log(lines, seed):
    rng = random.Random(seed)
    weights = [t[7] for t in TEMPLATES]
    out = []
    expected = {"attempts": 0, "disposition": {}, "reason": {}, "domain_failures": {}, "status": {},
                "records": []}
    for n in range(1, lines + 1):
        values = {
            "ts": f"Nov 28 {n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}",
            "date": "2026-11-28", "time": f"{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}",
            "pid": rng.randint(1000, 9999), "qid": f"{rng.getrandbits(40):010X}", "qid2": f"{rng.getrandbits(40):X}",
            "eid": f"1tQ{rng.randint(10, 99)}a-000{rng.randint(100, 999)}-{rng.choice(['AB', 'Zq', '4Z'])}",
            "sid": f"4ASA{rng.randint(10, 99)}x{rng.randint(1000000, 9999999)}",
        }
        if rng.random() < 0.55:
            out.append(rng.choice(FILLER).format(**values))
            continue
        t = rng.choices(TEMPLATES, weights)[0]
        template, disposition, outcome, reason, code, status, count = t[:7]
        rcpts = []
        for i in range(2):
            d = rng.choice(DOMAINS)
            local = rng.choice(["alice", "bob", "carol", "dave", "erin"]) + str(rng.randint(1, 500))
            values[f"r{i}"] = f"{local}@{d.upper() if rng.random() < 0.05 else d}"
            values[f"d{i}"] = d
            rcpts.append((values[f"r{i}"], d))
        out.append(template.format(**values))
        for r, d in rcpts[:count]:
            expected["attempts"] += 1
            expected["disposition"][disposition] = expected["disposition"].get(disposition, 0) + 1
            expected["records"].append((n, r, d, disposition, outcome, reason, code, status))
            if disposition != "sent":
                expected["reason"][reason] = expected["reason"].get(reason, 0) + 1
                expected["domain_failures"][d] = expected["domain_failures"].get(d, 0) + 1
                if status:
                    expected["status"][status] = expected["status"].get(status, 0) + 1
    return "\n".join(out) + "\n", expected


def count(objects, key, where=lambda o: True):
    c = {}
    for o in objects:
        if where(o):
            c[o[key]] = c.get(o[key], 0) + 1
    return c


@case
def scan_100k():
    text, expected = generate_log(100_000, seed=3463)
    path = work_file("100k.log", text)
    objects = json_lines(run(["scan", "--json", path], rc=0).out, SCAN_KEYS)
    check(len(objects) == expected["attempts"], f"{len(objects)} attempts, expected {expected['attempts']}")
    for got, want in zip(objects, expected["records"]):
        n, rcpt, domain, disposition, outcome, reason, code, status = want
        actual = (got["line"], got["recipient"], got["domain"], got["disposition"], got["outcome"], got["reason"],
                  got["reply_code"], got["status"])
        check(actual == (n, rcpt, domain, disposition, outcome, reason, code, status),
              f"line {n}: got {actual}, expected {want}")
    failed = lambda o: o["disposition"] != "sent"
    check(count(objects, "disposition") == expected["disposition"], "dispositions")
    check(count(objects, "reason", failed) == expected["reason"], "reasons")
    check(count(objects, "domain", failed) == expected["domain_failures"], "domains")
    check(count(objects, "status", lambda o: failed(o) and o["status"]) == expected["status"], "status codes")

    # The summary's numbers.
    summary = run(["--color=never", "scan", "--top", "100", path], rc=0).text()
    header = re.search(r"([\d,]+) lines .*?, ([\d,]+) delivery attempts", summary)
    num = lambda s: int(s.replace(",", ""))
    check(header and num(header.group(1)) == 100_000 and num(header.group(2)) == expected["attempts"],
          f"summary header: {summary.splitlines()[0]}")
    for disposition, n in expected["disposition"].items():
        m = re.search(rf"^  {disposition}\s+([\d,]+)\s", summary, re.M)
        check(m and num(m.group(1)) == n, f"summary: {disposition} should be {n}")
    for reason, n in expected["reason"].items():
        m = re.search(rf"^  {reason}\s+([\d,-]+)\s+([\d,-]+)\s", summary, re.M)
        got = sum(num(g) for g in m.groups() if g != "-") if m else None
        check(got == n, f"summary: reason {reason} should total {n}, got {got}")
    for domain, n in expected["domain_failures"].items():
        m = re.search(rf"^  {re.escape(domain)}\s+[\d,]+\s+([\d,-]+)\s+([\d,-]+)\s", summary, re.M)
        got = sum(num(g) for g in m.groups() if g != "-") if m else None
        check(got == n, f"summary: domain {domain} should have {n} failures, got {got}")
    for status, n in expected["status"].items():
        m = re.search(rf"^  {re.escape(status)}\s+([\d,]+)\s", summary, re.M)
        check(m and num(m.group(1)) == n, f"summary: status {status} should count {n}")


@case
def scan_jobs():
    """-j N reads a file on N threads and counts its lines in order: the output is that of -j 1, byte for byte."""
    text, _ = generate_log(40_000, seed=5321)  # about ten of the threads' batches
    lines = text.splitlines(keepends=True)
    # Lines skipped, an unreadable delivery line and one not UTF-8, between batches and in them.
    lines[4095:4095] = ["x" * 70_000 + "\n", "Nov 28 01:02:03 mx postfix/smtp[1]: ABC: to=<a@b>\x00\n"]
    lines[9000:9000] = ["Nov 28 02:30:00 mx1 postfix/smtp[4711]: 4F3A2B1C0D: to=<x@example.net, status=bounced\n",
                        "Nov 28 02:30:01 mx1 postfix/smtp[4711]: 4F3A2B1C0E: to=<\xfc@example.net>, relay=none, "
                        "delay=1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 \xff unknown)\n"]
    first = work_file("jobs-1.log", "".join(lines[:25_000]).encode("latin-1", "replace"))
    second = work_file("jobs-2.log", "".join(lines[25_000:]).encode("latin-1", "replace"))
    joined, _ = make_mail_log().generate(messages=2000, seed=6533, rejects=200)
    third = work_file("jobs-3.log", "\n".join(joined) + "\n")
    for path in (first, second, third):
        os.utime(path, (1796000000, 1796000000))
    for extra in ([], ["--json"], ["--attempts"], ["--time-table", "hour", "--top", "50"]):
        args = ["--color=never", "scan", "--no-progress"] + extra + [first, second, third]
        one = run(args[:2] + ["-j", "1"] + args[2:])
        check(len(one.out) > 2_000, f"scan {' '.join(extra)} -j 1: little output")
        for jobs in ("2", "3", "8"):
            many = run(args[:2] + ["-j", jobs] + args[2:])
            check(many.rc == one.rc, f"scan {' '.join(extra)} -j {jobs}: exit status {many.rc}, -j 1 gave {one.rc}")
            check(many.out == one.out, f"scan {' '.join(extra)} -j {jobs}: standard output differs from -j 1")
            check(many.err == one.err, f"scan {' '.join(extra)} -j {jobs}: standard error differs from -j 1:\n"
                                       f"{many.errtext()[-1500:]}\n--- -j 1:\n{one.errtext()[-1500:]}")
    # The default (the cores available) and a pipe, which is read by one thread, give the same.
    base = ["--color=never", "scan", "--no-progress", "--json"]
    one = run(base[:2] + ["-j", "1"] + base[2:] + [first])
    check(run(base + [first]).out == one.out, "scan without -j: differs from -j 1")
    with open(first, "rb") as f:
        piped = run(base[:2] + ["-j", "4"] + base[2:] + ["-"], stdin=f.read())
    records = lambda out: [{k: v for k, v in o.items() if k != "file"} for o in json_lines(out, SCAN_KEYS)]
    check(len(records(one.out)) > 1000 and records(piped.out) == records(one.out),
          "scan -j 4 of a pipe: its records differ from -j 1 of the file")
    run(["scan", "-j", "65", first], rc=2)


@case
def scan_jobs_line_edges():
    """-j N reads a file in blocks of whole lines that its threads split: a byte-order mark, CRLF, a line
    longer than a block, an over-long last line, NUL bytes and a last line without its LF come out as with -j 1."""
    text, _ = generate_log(12_000, seed=3464)
    lines = text.splitlines(keepends=True)
    huge = "y" * (3 << 20) + "\n"  # longer than a block and a longest line together: skipped across reads
    lines[3000:3000] = [huge, "Nov 28 01:02:03 mx postfix/smtp[1]: ABC: to=<a@b>\x00 x\n", "\n", "\r\n"]
    crlf = [l[:-1] + "\r\n" if i % 3 == 0 and l.endswith("\n") else l for i, l in enumerate(lines)]
    # One byte too long (with and without its CR), and exactly the longest (the CR counts until it is dropped).
    crlf[7000:7000] = ["z" * 65_537 + "\n", "w" * 65_536 + "\r\n", "v" * 65_536 + "\n", "u" * 65_535 + "\r\n"]
    # A delivery first, so that a mark left in front of it would lose its record.
    bounced = ("Nov 28 00:00:01 mx1 postfix/smtp[4711]: 4F3A2B1C0F: to=<first@example.net>, relay=none, delay=1, "
               "dsn=5.1.1, status=bounced (host said: 550 5.1.1 unknown user)\n")
    body = (bounced + "".join(crlf)).encode("latin-1", "replace")
    variants = {
        "bom": b"\xef\xbb\xbf" + body,
        "unterminated": body + lines[5].rstrip("\n").encode("latin-1"),
        "long-tail": body + b"q" * (2 << 20),
        "short": b"\xef\xbb\xbf" + bounced.rstrip("\n").encode("latin-1"),
    }
    for name, data in variants.items():
        path = work_file(f"jobs-edge-{name}.log", data)
        os.utime(path, (1796000000, 1796000000))
        for extra in ([], ["--json"]):
            args = ["--color=never", "scan", "--no-progress"] + extra + [path]
            one = run(args[:2] + ["-j", "1"] + args[2:])
            for jobs in ("2", "5"):
                many = run(args[:2] + ["-j", jobs] + args[2:])
                check(many.rc == one.rc and many.out == one.out and many.err == one.err,
                      f"scan {name} {' '.join(extra)} -j {jobs}: differs from -j 1:\n{many.errtext()[-800:]}\n"
                      f"--- -j 1:\n{one.errtext()[-800:]}")
        if name in ("bom", "short"):
            check(b"first@example.net" in one.out, f"scan {name}: the first line's record is missing")
        if name == "bom":
            check(one.err.count(b": line skipped: ") == 4, f"scan {name}: not the 4 skipped lines reported:\n"
                                                           f"{one.errtext()[-1500:]}")

    # A gzip stream whose decoder gives the mark, or its first bytes, in a read of their own
    # (stored blocks, then empty ones past the decoder's input buffer): one mark is skipped, the rest is text.
    def stored(data, final):
        out = b""
        for i in range(0, max(len(data), 1), 65535):
            piece = data[i:i + 65535]
            out += bytes([1 if final and i + 65535 >= len(data) else 0]) + struct.pack("<HH", len(piece),
                                                                                       len(piece) ^ 0xFFFF) + piece
        return out

    def split_gzip(first, rest):
        body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + stored(first, False)
        while len(body) < 300_000:
            body += b"\x00\x00\x00\xff\xff"  # an empty stored block
        whole = first + rest
        return body + stored(rest, True) + struct.pack("<II", zlib.crc32(whole) & 0xFFFFFFFF, len(whole) & 0xFFFFFFFF)

    bom, log = b"\xef\xbb\xbf", bounced.encode() + "".join(lines[:2000]).encode("latin-1", "replace")
    for name, first, rest, kept in (("bom-alone", bom, log, True), ("bom-twice", bom, bom + log, False),
                                    ("bom-split-1", bom[:1], bom[1:] + log, True),
                                    ("bom-split-2", bom[:2], bom[2:] + log, True)):
        path = work_file(f"jobs-edge-{name}.log.gz", split_gzip(first, rest))
        os.utime(path, (1796000000, 1796000000))
        args = ["--color=never", "scan", "--no-progress", "--json", path]
        one = run(args[:2] + ["-j", "1"] + args[2:])
        many = run(args[:2] + ["-j", "2"] + args[2:])
        check(many.out == one.out and many.err == one.err, f"scan {name} -j 2: differs from -j 1")
        first_record = json_lines(one.out, SCAN_KEYS)[0]
        check((first_record["timestamp"] is not None) == kept,
              f"scan {name}: the first line read {'without' if kept else 'with'} its timestamp: {first_record}")

    # Corrupt zstd data: what is read before the damage, and the error, do not depend on -j.
    zstd = shutil.which("zstd")
    if zstd:
        packed = bytearray(subprocess.run([zstd, "-q", "-c"], input=body, stdout=subprocess.PIPE, check=True).stdout)
        for at in (0.3, 0.5, 0.8):
            damaged = bytearray(packed)
            damaged[int(len(damaged) * at)] ^= 0x5A
            path = work_file(f"jobs-edge-corrupt-{at}.log.zst", bytes(damaged))
            os.utime(path, (1796000000, 1796000000))
            args = ["--color=never", "scan", "--no-progress", path]
            one = run(args[:2] + ["-j", "1"] + args[2:])
            many = run(args[:2] + ["-j", "2"] + args[2:])
            check(many.rc == one.rc and many.out == one.out and many.err == one.err,
                  f"scan corrupt zstd ({at}) -j 2: differs from -j 1:\n{many.errtext()[-600:]}\n--- -j 1:\n"
                  f"{one.errtext()[-600:]}")

    # A file of nothing but line ends: its blocks hold no line worth keeping, and -j 2 stays small.
    path = work_file("jobs-edge-lfs.log", b"\n" * 6_000_000)
    for jobs in ("1", "2"):
        p = subprocess.Popen([ARGS.esc, "--color=never", "scan", "--no-progress", "-j", jobs, path],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(None))
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        check(p.returncode in (0, 1), f"scan of 6 MB of LFs -j {jobs}: exit status {p.returncode}")
        check(usage.ru_maxrss < 400_000, f"scan of 6 MB of LFs -j {jobs}: {usage.ru_maxrss} KiB at most in memory")


@case
def dsn_jobs():
    """dsn -j N reads the messages on N threads and writes them in order: the output is that of -j 1, byte for byte."""
    samples = [read_source("examples", "data", "bounces", name) for name in sorted(os.listdir(
        source_file("examples", "data", "bounces")))]
    complaint = (b"From: fbl@isp.example\nSubject: complaint\nMIME-Version: 1.0\n"
                 b"Content-Type: multipart/report; report-type=feedback-report; boundary=F\n\n"
                 b"--F\nContent-Type: text/plain\n\nA complaint.\n\n--F\nContent-Type: message/feedback-report\n\n"
                 b"Feedback-Type: abuse\nUser-Agent: FBL/1\nVersion: 1\nOriginal-Rcpt-To: <bob@isp.example>\n"
                 b"Source-IP: 192.0.2.1\n\n--F--\n")
    samples.append(complaint)
    rng = random.Random(7411)
    # An mbox of some thousands of messages (many batches of the threads), the
    # recipients varied so that a message out of its place would show.
    mbox = os.path.join(ARGS.work, "jobs-bounces.mbox")
    with open(mbox, "wb") as f:
        for n in range(3000):
            text = rng.choice(samples).replace(b"@example.net", b"+%d@example.net" % n)
            f.write(b"From MAILER-DAEMON Thu Apr 29 23:34:45 2015\n")
            f.write(text.replace(b"\nFrom ", b"\n>From "))
            f.write(b"\n")
    # A maildir of some hundred files, a corrupt gzip file between them and the mbox.
    maildir = os.path.join(ARGS.work, "jobs-maildir")
    shutil.rmtree(maildir, ignore_errors=True)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, sub))
    for n in range(600):
        sub = "cur" if n % 3 else "new"
        with open(os.path.join(maildir, sub, "%05d.eml" % n), "wb") as f:
            f.write(rng.choice(samples).replace(b"@example.com", b"+%d@example.com" % n))
    corrupt = work_file("jobs-corrupt.eml.gz", b"\x1f\x8b\x08\x00" + b"garbage" * 20)
    bounces = os.path.join("examples", "data", "bounces")
    inputs = [bounces, maildir, corrupt, mbox, "no/such/bounce.eml", os.path.join(bounces, "not-a-bounce.eml"),
              work_file("jobs-one.eml.gz", gzip.compress(samples[0])), corrupt]
    for extra in ([], ["--json"], ["--json", "--header", "X-Mailer"]):
        args = ["--color=never", "dsn"] + extra + inputs
        one = run(args[:2] + ["-j", "1"] + args[2:], rc=1)
        check(len(one.out) > 100_000, f"dsn {' '.join(extra)} -j 1: little output")
        check(one.err.count(b"jobs-corrupt.eml.gz") == 2 and b"no/such/bounce.eml" in one.err,
              f"dsn {' '.join(extra)} -j 1: the errors\n{one.errtext()[-1500:]}")
        for jobs in ("2", "3", "8"):
            many = run(args[:2] + ["-j", jobs] + args[2:])
            check(many.rc == one.rc, f"dsn {' '.join(extra)} -j {jobs}: exit status {many.rc}, -j 1 gave {one.rc}")
            check(many.out == one.out, f"dsn {' '.join(extra)} -j {jobs}: standard output differs from -j 1")
            check(many.err == one.err, f"dsn {' '.join(extra)} -j {jobs}: standard error differs from -j 1:\n"
                                       f"{many.errtext()[-1500:]}\n--- -j 1:\n{one.errtext()[-1500:]}")
    # Standard output and standard error into one pipe: the errors in the same places among the records.
    merged = lambda jobs: subprocess.run([ARGS.esc, "--color=never", "dsn", "-j", jobs] + inputs,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment(),
                                         cwd=ARGS.source, timeout=300).stdout
    one = merged("1")
    check(one.index(b"jobs-corrupt.eml.gz") < one.index(b"jobs-bounces.mbox:1 "), "merged -j 1: the error's place")
    for jobs in ("2", "8"):
        check(merged(jobs) == one, f"dsn -j {jobs}, stdout and stderr in one pipe: differs from -j 1")
    # The default (the cores available) and standard input give the same.
    base = ["--color=never", "dsn", "--json"]
    one = run(base[:2] + ["-j", "1"] + base[2:] + [mbox], rc=0)
    check(run(base + [mbox], rc=0).out == one.out, "dsn without -j: differs from -j 1")
    with open(mbox, "rb") as f:
        data = f.read()
    check(run(base[:2] + ["-j", "1"] + base[2:] + ["-"], stdin=data, rc=0).out
          == run(base[:2] + ["-j", "4"] + base[2:] + ["-"], stdin=data, rc=0).out,
          "dsn -j 4 of standard input: differs from -j 1")
    run(["dsn", "-j", "65", mbox], rc=2)


def section(summary, title):
    """The lines of one table of the summary: from its heading to the next blank line."""
    lines = summary.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(title):
            out = []
            for rest in lines[i + 1:]:
                if not rest.strip():
                    break
                out.append(rest)
            return out
    raise Failure(f"no section '{title}' in the summary:\n{summary[:3000]}")


def make_mail_log():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import make_mail_log as generator
    return generator


@case
def scan_joins():
    """A generated Postfix log with known answers: messages joined by queue ID, the time table, inbound rejects."""
    lines, expected = make_mail_log().generate(messages=300, seed=5248, rejects=45)
    path = work_file("joins.log", "\n".join(lines) + "\n")
    # The log's times are November 2026: the file's time gives the year.
    stamp = 1796000000  # 2026-11-30
    os.utime(path, (stamp, stamp))
    summary = run(["--color=never", "scan", "--top", "100", "--time-table", "hour", path], rc=0).text()
    num = lambda s: int(s.replace(",", ""))
    rows = {}
    if not re.search(r"^Messages$", summary, re.M):
        return rows  # no message to show
    for line in section(summary, "Messages"):
        m = re.match(r"^  (received|delivered|bounced|deferred|still queued|given up)\s+([\d,]+)\s*(.*)$", line)
        if m:
            rows[m.group(1)] = (num(m.group(2)), m.group(3))
    check(rows.get("received", (None,))[0] == expected["received"], f"received: {rows}")
    check(rows.get("delivered", (None,))[0] == expected["delivered"], f"delivered: {rows} vs {expected['delivered']}")
    after = re.search(r"([\d,]+) after deferral", rows["delivered"][1])
    check(after and num(after.group(1)) == expected["delivered_after_deferral"], f"delivered after deferral: {rows}")
    check(rows["bounced"][0] == expected["bounced"], f"bounced messages: {rows} vs {expected['bounced']}")
    after = re.search(r"([\d,]+) after deferral", rows["bounced"][1])
    check(after and num(after.group(1)) == expected["bounced_after_deferral"], f"bounced after deferral: {rows}")
    deferrals = re.search(r"\(([\d,]+) deferrals?\)", rows["deferred"][1])
    check(rows["deferred"][0] == expected["deferred"] and deferrals and num(deferrals.group(1)) == expected["deferrals"],
          f"deferred: {rows} vs {expected['deferred']} ({expected['deferrals']})")
    check(rows.get("still queued", (None,))[0] == expected["still_queued"], f"still queued: {rows}")
    # Attempts are still attempts: the Deliveries table counts every deferral.
    for name, key in (("sent", "sent_attempts"), ("deferred", "deferred_attempts"), ("bounced", "bounced_attempts")):
        m = re.search(rf"^  {name}\s+([\d,]+)\s", "\n".join(section(summary, "Deliveries")), re.M)
        check(m and num(m.group(1)) == expected[key], f"attempts {name}: expected {expected[key]}")
    # Per hour, in UTC.
    hours = {}
    for line in section(summary, "Per hour"):
        m = re.match(r"^  (\d{4}-\d\d-\d\d \d\d:00)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$", line)
        if m:
            hours[m.group(1)] = tuple(num(g) for g in m.groups()[1:])
    want = {time.strftime("%Y-%m-%d %H:00", time.gmtime(h)): (c["sent"], c["deferred"], c["bounced"], c["rejected"])
            for h, c in expected["hours"].items()}
    check(hours == want, f"per hour: got {sorted(hours.items())[:5]}..., expected {sorted(want.items())[:5]}...")
    # Inbound rejects, by client.
    heading = re.search(r"^Inbound rejects \(([\d,]+)\)", summary, re.M)
    check(heading and num(heading.group(1)) == expected["rejected"], "inbound rejects total")
    clients = {}
    for line in section(summary, "Inbound rejects by client"):
        m = re.match(r"^  (\S+)\s+([\d,]+)\s", line)
        if m and m.group(1) != "client":
            clients[m.group(1)] = num(m.group(2))
    check(clients == expected["rejects_by_client"], f"rejects by client: {clients}")
    check(re.search(r"^  relay_denied\s+" + format(expected["rejected"], ",") + r"\s", summary, re.M),
          "the rejects' reason is relay_denied")
    # Delay percentiles: the median lies within the histogram's bucket (about 9 %) of the true one.
    delays = sorted(expected["delays"])
    m = re.search(r"median ([\d.]+) (s|min|h|d)", summary)
    scale = {"s": 1, "min": 60, "h": 3600, "d": 86400}
    if m:
        median = float(m.group(1)) * scale[m.group(2)]
        true = delays[(len(delays) - 1) // 2]
        check(abs(median - true) <= 0.1 * true + 60, f"median delay {median} s, true {true} s")
    else:
        raise Failure("no delivery delay line")
    # --since / --until cut the window: the first hour alone.
    first = min(expected["hours"])
    only = run(["--color=never", "scan", "--time-table", "hour", "--since", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(first)),
                "--until", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(first + 3600)), path], rc=0).text()
    got = [l for l in section(only, "Per hour") if re.match(r"^  \d{4}-", l)]
    check(len(got) == 1 and got[0].split()[1] == time.strftime("%H:00", time.gmtime(first)), f"--since/--until: {got}")
    run(["scan", "--since", "last tuesday", path], rc=2)
    # The same log as journalctl -o short-iso and RFC 5424 syslog write it: the same messages, the same hours.
    tables = lambda text: (section(text, "Messages"), section(text, "Per hour"), section(text, "Inbound rejects by client"))
    for style in ("short-iso", "rfc5424"):
        styled, _ = make_mail_log().generate(messages=300, seed=5248, rejects=45, style=style)
        other = work_file(f"joins-{style}.log", "\n".join(styled) + "\n")
        again = run(["--color=never", "scan", "--top", "100", "--time-table", "hour", other], rc=0).text()
        check(tables(again) == tables(summary), f"{style}: the tables differ from the classic syslog log's")
    # Bounded memory: with room for 5 open messages the oldest are closed early, said so, and counted once.
    capped = run(["--color=never", "scan", "--max-open", "5", path], rc=0).text()
    m = re.search(r"([\d,]+) messages? closed early: more than 5 messages were open at once", capped)
    check(m and num(m.group(1)) > 0, "no note of messages closed early under --max-open 5")
    rows = {l.split()[0]: num(l.split()[1]) for l in section(capped, "Messages") if re.match(r"^  [a-z]", l)
            and l.split()[1][0].isdigit()}
    # A message closed early and seen again (qmgr logs from= before each retry) is counted anew: the
    # price of the cap, which the note states. Attempts do not depend on it.
    check(rows.get("received", 0) >= expected["received"], f"received under the cap: {rows}")
    m = re.search(r"^  deferred\s+([\d,]+)\s", "\n".join(section(capped, "Deliveries")), re.M)
    check(m and num(m.group(1)) == expected["deferred_attempts"], "deferral attempts under the cap")
    check(re.search(r"the scan's tables hold about [\d.]+ [KMG]?i?B \(0 messages open at the end, at most 5\)", capped)
          or re.search(r"tables hold about .*at most 5\)", capped), "the memory note")


@case
def scan_exim_joins():
    """Exim's main log, counted by hand: <= arrivals, == then => (one message delivered after a deferral,
    30 minutes after it came), ** (bounced), "retry time not reached" (no attempt), a rejected RCPT."""
    summary = run(["--color=never", "scan", "tests/cli/data/exim_joins.log"], rc=0).text()
    rows = {l.split()[0]: l.split()[1:] for l in section(summary, "Messages") if re.match(r"^  [a-z]", l)}
    check(rows.get("received", [None])[0] == "3", f"received: {rows}")
    check(rows.get("delivered") == ["1", "1", "after", "deferral"], f"delivered: {rows}")
    check(rows.get("bounced") == ["1"], f"bounced: {rows}")
    check(rows.get("deferred") == ["1", "(1", "deferral)"], f"deferred: {rows}")
    check("median 30.0 min" in summary, "the delay: 30 minutes from <= to =>")
    check("1 deferral logged without a delivery attempt" in summary, "retry time not reached counted as an attempt")
    deliveries = {l.split()[0]: l.split()[1] for l in section(summary, "Deliveries")[1:4]}
    check(deliveries == {"sent": "1", "deferred": "1", "bounced": "1"}, f"attempts: {deliveries}")
    clients = [l.split() for l in section(summary, "Inbound rejects by client")[1:]]
    check(clients == [["bad.example[203.0.113.5]", "1", "100.0%"]], f"clients: {clients}")
    check(re.search(r"^  relay_denied\s+1\s", summary, re.M), "the reject's reason")
    relays = [l.split()[0] for l in section(summary, "Failures by relay")[1:]]
    check(relays == ["mx.example.com[198.51.100.1]", "mx.example.net[198.51.100.2]"], f"relays: {relays}")


@case
def scan_new_year():
    """Syslog times have no year: across New Year, and in a rotated file, the file's time gives it."""
    before = "Dec 31 23:59:58 mx1 postfix/smtp[1]: 1111111111: to=<a@example.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to example.com[192.0.2.1]:25: Connection timed out)\n"
    after = "Jan  1 00:00:03 mx1 postfix/smtp[1]: 1111111111: to=<a@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=6, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
    path = work_file("newyear.log", before + after)
    stamp = 1798761600 + 3600  # 2027-01-01 01:00 UTC
    os.utime(path, (stamp, stamp))
    summary = run(["--color=never", "scan", "--time-table", "day", path], rc=0).text()
    days = [l.split()[0] for l in section(summary, "Per day") if re.match(r"^  \d{4}-", l)]
    check(days == ["2026-12-31", "2027-01-01"], f"days across New Year: {days}")
    # A rotated file written last in December keeps that year.
    old = work_file("newyear.log.1", before)
    stamp = 1798761600 - 1  # 2026-12-31 23:59:59 UTC
    os.utime(old, (stamp, stamp))
    summary = run(["--color=never", "scan", "--time-table", "day", old, path], rc=0).text()
    days = [l.split()[0] for l in section(summary, "Per day") if re.match(r"^  \d{4}-", l)]
    check(days == ["2026-12-31", "2027-01-01"], f"days over two files: {days}")


# --- adversarial findings (issue 17): each case a log written by hand, its answer counted by hand ---------

def message_rows(summary):
    """The Messages table: {row: (count, the rest of the line)}."""
    rows = {}
    if not re.search(r"^Messages$", summary, re.M):
        return rows  # no message to show
    for line in section(summary, "Messages"):
        m = re.match(r"^  (received|delivered|bounced|deferred|still queued|given up)\s+([\d,]+)\s*(.*)$", line)
        if m:
            rows[m.group(1)] = (int(m.group(2).replace(",", "")), m.group(3))
    return rows


def client_rows(summary):
    rows = {}
    for line in section(summary, "Inbound rejects by client"):
        m = re.match(r"^  (.+?)\s+([\d,]+)\s+[\d.]+%$", line)
        if m and m.group(1) != "client":
            rows[m.group(1)] = int(m.group(2).replace(",", ""))
    return rows


def dated(path, stamp):
    os.utime(path, (stamp, stamp))
    return path


NOV_29 = 1796083200  # 2026-11-29 00:00 UTC: a file's time after the November 28 lines below


@case
def scan_exim_syslog_stamp():
    """Exim logging to syslog writes its own time stamp into the message (syslog_timestamp, true by default):
    its deliveries, arrivals and completions are read as without it."""
    log = "".join(l + "\n" for l in [
        "Nov 28 10:00:00 mx1 exim[2001]: 2026-11-28 10:00:00 1tQx7a-000Abc-4Z <= alice@example.org "
        "H=mail.example.org [192.0.2.10] P=esmtps S=1234 id=abc@example.org",
        "Nov 28 10:00:01 mx1 exim[2002]: 2026-11-28 10:00:01 1tQx7a-000Abc-4Z ** eve@example.com R=dnslookup "
        "T=remote_smtp H=mx.example.com [198.51.100.2]: SMTP error from remote mail server after RCPT "
        "TO:<eve@example.com>: 550 5.1.1 User unknown",
        "Nov 28 10:00:01 mx1 exim[2002]: 2026-11-28 10:00:01 1tQx7a-000Abc-4Z => bob@example.net R=dnslookup "
        "T=remote_smtp H=mx.example.net [198.51.100.1] C=\"250 2.0.0 Ok\"",
        "Nov 28 10:00:01 mx1 exim[2002]: 2026-11-28 10:00:01 1tQx7a-000Abc-4Z Completed",
    ])
    path = dated(work_file("exim_syslog_stamp.log", log), NOV_29)
    summary = run(["--color=never", "scan", path], rc=0).text()
    check(re.search(r"exim_syslog_stamp\.log\s+4 lines .*, 2 delivery attempts \(Exim\)", summary),
          f"two delivery attempts expected:\n{summary[:1500]}")
    rows = message_rows(summary)
    check(rows.get("received", (0,))[0] == 1 and rows.get("bounced", (0,))[0] == 1, f"messages: {rows}")
    records = json_lines(run(["scan", "--json", path], rc=0).out, SCAN_KEYS)
    check([(r["queue_id"], r["recipient"], r["disposition"]) for r in records] ==
          [("1tQx7a-000Abc-4Z", "eve@example.com", "bounced"), ("1tQx7a-000Abc-4Z", "bob@example.net", "sent")],
          f"records: {records}")


@case
def scan_reject_clients():
    """Inbound rejects by client: one row per client, whatever its source port (postscreen, Exim's
    +incoming_port) or HELO; and the client of a header_checks reject whose Subject says " from "."""
    log = "".join(l + "\n" for l in [
        "Nov 28 10:00:02 mx1 postfix/postscreen[201]: NOQUEUE: reject: RCPT from [203.0.113.12]:51234: 550 5.7.1 "
        "Service unavailable; client [203.0.113.12] blocked using zen.spamhaus.org; from=<c@spam.example>, "
        "to=<bob@example.org>, proto=ESMTP, helo=<x>",
        "Nov 28 10:00:03 mx1 postfix/postscreen[201]: NOQUEUE: reject: RCPT from [203.0.113.12]:51240: 550 5.7.1 "
        "Service unavailable; client [203.0.113.12] blocked using zen.spamhaus.org; from=<d@spam.example>, "
        "to=<bob@example.org>, proto=ESMTP, helo=<x>",
        "Nov 28 10:00:05 mx1 postfix/cleanup[202]: 5B3C2D1E4: reject: header Subject: Invoice from ACME Corp from "
        "mail.example.net[198.51.100.6]; from=<f@example.net> to=<bob@example.org> proto=ESMTP "
        "helo=<mail.example.net>: 5.7.1 Spam subject",
    ])
    exim = "".join(l + "\n" for l in [
        "2026-11-28 10:30:00 H=(spammer) [203.0.113.5]:40001 F=<x@spam.example> rejected RCPT <v@example.org>: "
        "relay not permitted",
        "2026-11-28 10:30:01 H=(other-helo) [203.0.113.5]:40002 F=<x@spam.example> rejected RCPT <w@example.org>: "
        "relay not permitted",
    ])
    pf = dated(work_file("reject_clients.log", log), NOV_29)
    ex = work_file("reject_clients_mainlog", exim)
    rows = client_rows(run(["--color=never", "scan", pf, ex], rc=0).text())
    check(rows == {"[203.0.113.12]": 2, "mail.example.net[198.51.100.6]": 1, "[203.0.113.5]": 2},
          f"rejects by client: {rows}")


@case
def scan_expired_message():
    """A message deferred twice, then expired by qmgr (returned to sender) and removed, is no message
    "still queued": it ended, given back to its sender."""
    log = "".join(l + "\n" for l in [
        "Nov 28 09:00:00 mx1 postfix/qmgr[102]: 4F2A1C0D3: from=<alice@example.org>, size=1234, nrcpt=1 (queue active)",
        "Nov 28 09:00:05 mx1 postfix/smtp[103]: 4F2A1C0D3: to=<bob@example.net>, relay=none, delay=5, "
        "delays=0.1/0/5/0, dsn=4.4.1, status=deferred (connect to mx.example.net[198.51.100.1]:25: Connection timed out)",
        "Nov 28 10:00:00 mx1 postfix/qmgr[102]: 4F2A1C0D3: from=<alice@example.org>, size=1234, nrcpt=1 (queue active)",
        "Nov 28 10:00:05 mx1 postfix/smtp[103]: 4F2A1C0D3: to=<bob@example.net>, relay=none, delay=3605, "
        "delays=0.1/0/5/0, dsn=4.4.1, status=deferred (connect to mx.example.net[198.51.100.1]:25: Connection timed out)",
        "Nov 28 11:00:00 mx1 postfix/qmgr[102]: 4F2A1C0D3: from=<alice@example.org>, status=expired, returned to sender",
        "Nov 28 11:00:00 mx1 postfix/qmgr[102]: 4F2A1C0D3: removed",
    ])
    path = dated(work_file("expired.log", log), NOV_29)
    summary = run(["--color=never", "scan", path], rc=0).text()
    rows = message_rows(summary)
    check(rows.get("deferred", (0,))[0] == 1, f"deferred: {rows}")
    check("still queued" not in rows, f"an expired, removed message is not still queued: {rows}")
    check(re.search(r"0 messages open at the end", summary), "the message was removed")
    # Nor one the postmaster deleted (postsuper -d): it left the queue.
    deleted = dated(work_file("deleted.log", "".join(l + "\n" for l in [
        "Nov 28 09:00:00 mx1 postfix/qmgr[102]: 5B3C2D1E4: from=<alice@example.org>, size=1234, nrcpt=1 (queue active)",
        "Nov 28 09:00:05 mx1 postfix/smtp[103]: 5B3C2D1E4: to=<bob@example.net>, relay=none, delay=5, "
        "delays=0.1/0/5/0, dsn=4.4.1, status=deferred (connect to mx.example.net[198.51.100.1]:25: Connection timed out)",
        "Nov 28 09:30:00 mx1 postfix/postsuper[300]: 5B3C2D1E4: removed",
        "Nov 28 09:30:00 mx1 postfix/postsuper[300]: Deleted: 1 message",
    ])), NOV_29)
    rows = message_rows(run(["--color=never", "scan", deleted], rc=0).text())
    check("still queued" not in rows, f"a message deleted from the queue is not still queued: {rows}")


@case
def scan_probe_messages():
    """Address-verification probes are counted apart: the probe message (from double-bounce, status=undeliverable)
    is no received message either, or "received" exceeds delivered + bounced + still queued with nothing open."""
    log = "".join(l + "\n" for l in [
        "Nov 28 10:00:00 mx1 postfix/cleanup[1]: 9F1E2D3C4B: message-id=<20261128100000.9F1E2D3C4B@mx1.example.org>",
        "Nov 28 10:00:00 mx1 postfix/qmgr[2]: 9F1E2D3C4B: from=<double-bounce@mx1.example.org>, size=236, nrcpt=1 "
        "(queue active)",
        "Nov 28 10:00:01 mx1 postfix/smtp[3]: 9F1E2D3C4B: to=<bob@example.net>, relay=mx.example.net[198.51.100.1]:25, "
        "delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=undeliverable (host mx.example.net[198.51.100.1] said: 550 "
        "5.1.1 <bob@example.net>: User unknown (in reply to RCPT TO command))",
        "Nov 28 10:00:01 mx1 postfix/qmgr[2]: 9F1E2D3C4B: removed",
    ])
    path = dated(work_file("probe.log", log), NOV_29)
    summary = run(["--color=never", "scan", path], rc=0).text()
    check("1 address-verification probe" in summary, "the probe is noted")
    rows = message_rows(summary)
    check(rows.get("received", (0,))[0] == 0, f"the probe is no received message: {rows}")


@case
def scan_rotated_order():
    """`esc scan /var/log/exim4/mainlog*` (the help's own example) gives the files newest first: mainlog, then
    mainlog.1. A message that arrived in mainlog.1 and was delivered in mainlog is one message delivered
    after deferral, in whatever order the files are named."""
    old = dated(work_file("order_mainlog.1", "".join(l + "\n" for l in [
        "2026-11-27 23:50:00 1tQx7a-000Abc-4Z <= alice@example.org H=mail.example.org [192.0.2.10] P=esmtps S=1234",
        "2026-11-27 23:50:01 1tQx7a-000Abc-4Z == dave@example.com R=dnslookup T=remote_smtp defer (-44) "
        "H=mx.example.com [198.51.100.2]: SMTP error from remote mail server after RCPT TO:<dave@example.com>: "
        "451 4.7.1 Greylisted, try again later",
    ])), NOV_29 - 3600)
    new = dated(work_file("order_mainlog", "".join(l + "\n" for l in [
        "2026-11-28 00:20:01 1tQx7a-000Abc-4Z => dave@example.com R=dnslookup T=remote_smtp H=mx.example.com "
        "[198.51.100.2] C=\"250 2.0.0 Ok\"",
        "2026-11-28 00:20:01 1tQx7a-000Abc-4Z Completed",
    ])), NOV_29)
    oldest_first = message_rows(run(["--color=never", "scan", old, new], rc=0).text())
    check(oldest_first.get("delivered", (0, ""))[1].startswith("1 after deferral"), f"oldest first: {oldest_first}")
    newest_first = message_rows(run(["--color=never", "scan", new, old], rc=0).text())
    check(newest_first == oldest_first, f"newest first (glob order): {newest_first}, oldest first: {oldest_first}")


@case
def scan_multi_recipient():
    """Messages joined per recipient: a message delivered to one recipient and deferred for another (and never
    removed) is still queued, not "delivered after deferral"; one bounced for one recipient, then deferred for
    another, did not bounce "after deferral"."""
    log = "".join(l + "\n" for l in [
        "Nov 28 09:00:00 mx1 postfix/qmgr[102]: 7A1B2C3D4E: from=<alice@example.org>, size=1234, nrcpt=2 (queue active)",
        "Nov 28 09:00:02 mx1 postfix/smtp[104]: 7A1B2C3D4E: to=<carol@example.com>, relay=mx.example.com[198.51.100.2]:25, "
        "delay=2, delays=0.1/0/1/0.9, dsn=5.1.1, status=bounced (host mx.example.com[198.51.100.2] said: 550 5.1.1 "
        "<carol@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))",
        "Nov 28 09:00:03 mx1 postfix/smtp[105]: 7A1B2C3D4E: to=<dave@example.com>, relay=mx.example.com[198.51.100.2]:25, "
        "delay=3, delays=0.1/0/1/0.9, dsn=4.2.2, status=deferred (host mx.example.com[198.51.100.2] said: 452 4.2.2 "
        "Mailbox full (in reply to RCPT TO command))",
        "Nov 28 09:00:04 mx1 postfix/qmgr[102]: 8B1B2C3D4E: from=<eve@example.org>, size=1234, nrcpt=2 (queue active)",
        "Nov 28 09:00:05 mx1 postfix/smtp[103]: 8B1B2C3D4E: to=<bob@example.net>, relay=mx.example.net[198.51.100.1]:25, "
        "delay=1, delays=0.1/0/0.5/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 1235)",
        "Nov 28 09:00:05 mx1 postfix/smtp[104]: 8B1B2C3D4E: to=<frank@example.com>, relay=mx.example.com[198.51.100.2]:25, "
        "delay=1, delays=0.1/0/0.5/0.4, dsn=4.2.2, status=deferred (host mx.example.com[198.51.100.2] said: 452 4.2.2 "
        "Mailbox full (in reply to RCPT TO command))",
    ])
    path = dated(work_file("multi_rcpt.log", log), NOV_29)
    rows = message_rows(run(["--color=never", "scan", path], rc=0).text())
    check("after deferral" not in rows.get("delivered", (0, ""))[1], f"nothing was delivered after a deferral: {rows}")
    check("after deferral" not in rows.get("bounced", (0, ""))[1], f"nothing bounced after a deferral: {rows}")
    check(rows.get("still queued", (0,))[0] == 2, f"both messages still wait for a deferred recipient: {rows}")


@case
def scan_repeated_texts():
    """The summary looks up a failure text seen lately instead of classifying it again: the same text with
    another dsn=, another disposition or from another MTA, and texts one byte apart, each count as the records
    (--json, which classifies every line) say."""
    texts = ["connect to mx.example.com[198.51.100.2]:25: Connection timed out",
             "connect to mx.example.com[198.51.100.2]:25: Connection refused",
             "host mx.example.com[198.51.100.2] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)",
             "host mx.example.com[198.51.100.2] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command).",
             "host mx.example.com[198.51.100.2] said: 550 User unknown (in reply to RCPT TO command)",
             "host mx.example.com[198.51.100.2] said: 550 Rate limited (in reply to RCPT TO command)",
             "host mx.example.com[198.51.100.2] said: 554 " + "Message rejected as spam " * 10
             + "(in reply to end of DATA command)",  # longer than the memo keeps
             "Host or domain name not found. Name service error for name=example.com type=MX: Host not found"]
    rng = random.Random(3464)
    lines = []
    for n in range(3000):
        text = rng.choice(texts)
        dsn = rng.choice(["4.4.1", "5.4.1", "4.0.0", "5.0.0", "5.1.1", "4.7.1"])
        status = "deferred" if dsn[0] == "4" else "bounced"
        qid = f"{0x7A1B2C3D4E + n:X}"
        if rng.random() < 0.8:
            lines.append(f"Nov 28 09:{n // 60 % 60:02d}:{n % 60:02d} mx1 postfix/smtp[104]: {qid}: "
                         f"to=<u{n % 7}@example.com>, relay=none, delay=2, delays=0.1/0/1/0.9, dsn={dsn}, "
                         f"status={status} ({text})")
        else:
            stat = ("Deferred: " if status == "deferred" else "") + text
            lines.append(f"Nov 28 09:{n // 60 % 60:02d}:{n % 60:02d} mx2 sm-mta[3005]: {qid}: "
                         f"to=<u{n % 7}@example.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120437, "
                         f"relay=mx.example.com. [192.0.2.3], dsn={dsn}, stat={stat}")
    path = dated(work_file("repeated_texts.log", "\n".join(lines) + "\n"), NOV_29)
    records = json_lines(run(["scan", "--json", path], rc=0).out, SCAN_KEYS)
    check(len(records) == len(lines), f"{len(records)} records of {len(lines)} lines")
    by_reason, by_status = {}, {}
    for r in records:
        row = by_reason.setdefault(r["reason"], [0, 0])
        row[0 if r["disposition"] == "deferred" else 1] += 1
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    check(len(by_reason) >= 4, f"the texts have reasons of their own: {by_reason}")
    summary = run(["--color=never", "scan", "--top", "50", path], rc=0).text()
    got_reason = {}
    for line in section(summary, "Failures by reason")[1:]:
        m = re.match(r"^  (\w+)\s+([\d,]+)\s+([\d,]+)\s", line)
        if m and m.group(1) != "total":
            got_reason[m.group(1)] = [int(m.group(2).replace(",", "")), int(m.group(3).replace(",", ""))]
    check(got_reason == by_reason, f"the summary's reasons {got_reason} are not the records' {by_reason}")
    got_status = {}
    for line in section(summary, "Enhanced status codes in failures")[1:]:
        m = re.match(r"^  (\d\.\d{1,3}\.\d{1,3})\s+([\d,]+)\s", line)
        if m:
            got_status[m.group(1)] = int(m.group(2).replace(",", ""))
    check(got_status == by_status, f"the summary's status codes {got_status} are not the records' {by_status}")


@case
def scan_syslog_local_time():
    """Classic syslog stamps are the writer's local time. On a server in UTC-5 (TZ=EST5), a line logged ten
    minutes ago is within --since -1h, and the summary's UTC moments are UTC."""
    now = int(time.time())
    local = now - 600 - 5 * 3600
    stamp = time.strftime("%b %d %H:%M:%S", time.gmtime(local))
    stamp = stamp[:4] + (" " + stamp[5] if stamp[4] == "0" else stamp[4:6]) + stamp[6:]
    path = dated(work_file("local_time.log", f"{stamp} mx1 postfix/smtp[1]: 4F2A1C0D3: to=<bob@example.net>, "
                                             "relay=mx.example.net[198.51.100.1]:25, delay=1, delays=0/0/0/1, "
                                             "dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"), now)
    summary = run(["--color=never", "scan", "--since", "-1h", path], env={"TZ": "EST5"}, rc=0).text()
    check(re.search(r", 1 delivery attempts? ", summary), f"the line of ten minutes ago is within -1h:\n{summary[:800]}")
    utc = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now - 600))
    check(f"{utc} to {utc} UTC" in summary, f"the moment in UTC is {utc}:\n{summary[:400]}")


@case
def follow_year_after_a_day():
    """--follow runs for days: a line logged now, appended to a log last written three days ago, is dated this
    year, not a year back (the year of a syslog stamp comes from the file's time, taken once when it was opened)."""
    now = int(time.time())
    def line(t, n):
        stamp = time.strftime("%b %d %H:%M:%S", time.gmtime(t))
        stamp = stamp[:4] + (" " + stamp[5] if stamp[4] == "0" else stamp[4:6]) + stamp[6:]
        return (f"{stamp} mx1 postfix/smtp[1]: 4F2A1C0D{n}: to=<u{n}@example.net>, relay=mx.example.net[198.51.100.1]:25, "
                "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n")
    path = os.path.join(ARGS.work, "follow_year.log")
    with open(path, "w", encoding="utf-8") as f:
        f.write(line(now - 3 * 86400, 1))
    dated(path, now - 3 * 86400)
    fl = Follower(["--color=never", "scan", "--follow", "--interval", "0.2", "--time-table", "day", path])
    try:
        fl.wait_for(lambda out: b"Per day" in out)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line(now, 2))
        fl.wait_for(lambda out: out.count(b"Per day") >= 1 and b"2 delivery attempts" in out)
        rc, err = fl.stop()
    finally:
        fl.kill()
    last = fl.out.decode("utf-8").split("=== ")[-1]
    days = [l.split()[0] for l in section(last, "Per day") if re.match(r"^  \d{4}-", l)]
    want = sorted({time.strftime("%Y-%m-%d", time.gmtime(now - 3 * 86400)), time.strftime("%Y-%m-%d", time.gmtime(now))})
    check(days == want, f"days: {days}, expected {want}")


@case
def metrics_counters_monotonic():
    """esc_messages_total is a counter: it never goes down between scrapes. A message delivered to its first
    recipient and then bounced for its second must not take back its "delivered"."""
    first = ("Nov 28 09:00:00 mx1 postfix/qmgr[102]: 7A1B2C3D4E: from=<alice@example.org>, size=1234, nrcpt=2 "
             "(queue active)\n"
             "Nov 28 09:00:02 mx1 postfix/smtp[103]: 7A1B2C3D4E: to=<bob@example.net>, relay=mx.example.net[198.51.100.1]:25, "
             "delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 1234)\n")
    second = ("Nov 28 09:00:02 mx1 postfix/smtp[104]: 7A1B2C3D4E: to=<carol@example.com>, "
              "relay=mx.example.com[198.51.100.2]:25, delay=2, delays=0.1/0/1/0.9, dsn=5.1.1, status=bounced (host "
              "mx.example.com[198.51.100.2] said: 550 5.1.1 <carol@example.com>: User unknown (in reply to RCPT TO command))\n")
    path = os.path.join(ARGS.work, "monotonic.log")
    with open(path, "w", encoding="utf-8") as f:
        f.write(first)
    f = Follower(["scan", "--follow", "--json", "--metrics", "127.0.0.1:0", path])
    try:
        url = metrics_base(f)[0] + "/metrics"

        def until(predicate):
            deadline = time.time() + 15
            while time.time() < deadline:
                samples, _ = parse_exposition(scrape(url))
                if predicate(samples):
                    return samples
                time.sleep(0.2)
            raise Failure(f"metrics never reached the expected values: {sorted(samples.items())[:40]}")

        before = until(lambda s: metric(s, "esc_delivery_attempts_total", disposition="sent") == 1)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(second)
        after = until(lambda s: metric(s, "esc_delivery_attempts_total", disposition="bounced") == 1)
        for state in ("received", "delivered", "delivered_after_deferral", "bounced", "bounced_after_deferral",
                      "deferred", "expired"):
            b, a = metric(before, "esc_messages_total", state=state), metric(after, "esc_messages_total", state=state)
            check(a >= b, f"esc_messages_total{{state=\"{state}\"}} went down from {b} to {a}")
        f.stop()
    finally:
        f.kill()


@case
def scan_exim_rejectlog_twice():
    """Exim writes the first line of each rejection to both its main log and its reject log: `esc scan
    /var/log/exim4/` (the folder holds both) counts each reject once."""
    folder = os.path.join(ARGS.work, "exim4_folder")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    reject = ("2026-11-28 10:30:00 H=(spammer) [203.0.113.5] F=<x@spam.example> rejected RCPT <victim@example.org>: "
              "relay not permitted\n")
    with open(os.path.join(folder, "mainlog"), "w", encoding="utf-8") as f:
        f.write("2026-11-28 10:29:59 1tQx7a-000Abc-4Z => bob@example.net R=dnslookup T=remote_smtp "
                "H=mx.example.net [198.51.100.1] C=\"250 2.0.0 Ok\"\n" + reject)
    with open(os.path.join(folder, "rejectlog"), "w", encoding="utf-8") as f:
        f.write(reject + "Envelope-from: <x@spam.example>\nEnvelope-to: <victim@example.org>\n")
    summary = run(["--color=never", "scan", folder], rc=0).text()
    m = re.search(r"^Inbound rejects \(([\d,]+)\)", summary, re.M)
    check(m and m.group(1) == "1", f"one reject, logged in both files: {m and m.group(0)}")


@case
def scan_sendmail_refused_transactions():
    """sendmail logs from= with nrcpts=0 for a transaction whose every RCPT it refused: no message was received."""
    log = "".join(l + "\n" for l in [
        "Nov 28 10:00:05 mx2 sm-mta[3005]: 4ASA00a4003005: ruleset=check_rcpt, arg1=<v@elsewhere.example>, "
        "relay=[203.0.113.7], reject=550 5.7.1 <v@elsewhere.example>... Relaying denied",
        "Nov 28 10:00:05 mx2 sm-mta[3005]: 4ASA00a4003005: from=<x@spam.example>, size=0, class=0, nrcpts=0, "
        "proto=ESMTP, daemon=MTA, relay=[203.0.113.7]",
        "Nov 28 10:00:06 mx2 sm-mta[3006]: 4ASA00a5003006: from=<alice@example.org>, size=1234, class=0, nrcpts=1, "
        "msgid=<m1@example.org>, proto=ESMTP, daemon=MTA, relay=mail.example.org [192.0.2.10]",
        "Nov 28 10:00:07 mx2 sm-mta[3007]: 4ASA00a5003006: to=<bob@example.net>, delay=00:00:01, xdelay=00:00:01, "
        "mailer=esmtp, pri=120500, relay=mx.example.net. [198.51.100.1], dsn=2.0.0, stat=Sent (OK)",
    ])
    path = dated(work_file("sendmail_nrcpts0.log", log), NOV_29)
    rows = message_rows(run(["--color=never", "scan", path], rc=0).text())
    check(rows.get("received", (0,))[0] == 1 and rows.get("delivered", (0,))[0] == 1, f"messages: {rows}")


@case
def scan_html_over_input():
    """--html naming one of the logs read (a slip of tab completion) must not replace the mail log with the page:
    esc refuses (exit 2) and the log is left as it was."""
    log = delivery_line(1, "a@example.net", "bounced")
    path = dated(work_file("html_victim.log", log), NOV_29)
    r = run(["--color=never", "scan", "--html", path, path])
    with open(path, encoding="utf-8", errors="replace") as f:
        after = f.read()
    check(after == log, f"the log was replaced by the page (exit {r.rc}): {after[:80]!r}")
    check(r.rc == 2, f"exit status {r.rc}, expected 2 (usage)")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--esc", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--build", help="the build directory, for the install test")
    ap.add_argument("cases", nargs="+")
    ARGS = ap.parse_args()
    ARGS.esc = os.path.abspath(ARGS.esc)
    ARGS.source = os.path.abspath(ARGS.source)
    # Syslog times have no year: esc takes it from the file's modification
    # time. The sample logs' goldens say 2026, whatever day the tree was checked out.
    for folder in (("examples", "data"), ("tests", "cli", "data")):
        for root, _, names in os.walk(os.path.join(ARGS.source, *folder)):
            for name in names:
                try:
                    os.utime(os.path.join(root, name), (1796000000, 1796000000))  # 2026-11-30
                except OSError:
                    pass  # a read-only tree: its checkout time is used
    failed = 0
    for name in ARGS.cases:
        if name not in CASES:
            print(f"unknown case {name}; known: {', '.join(CASES)}", file=sys.stderr)
            return 2
        ARGS.work = os.path.abspath(os.path.join(ap.parse_args().work, name))
        os.makedirs(ARGS.work, exist_ok=True)
        try:
            CASES[name]()
            print(f"ok  {name}")
        except Failure as e:
            failed += 1
            print(f"FAIL {name}: {e}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
