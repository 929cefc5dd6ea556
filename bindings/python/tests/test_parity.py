# to_dict() against the esc tool's JSON, record for record; scan_text() against `esc scan`.
import json
import subprocess
from collections import Counter

import esc


def run_tool(tool, *args, stdin=None):
    p = subprocess.run([tool, "--color=never", *args], input=stdin, capture_output=True, timeout=120)
    return p.stdout.decode(), p.stderr.decode()


def test_classify_to_dict_is_esc_classify_json(esc_tool, sisimai):
    labels = sisimai.parent.parent / "sisimai-labels.jsonl"
    texts = []
    for line in labels.read_text().splitlines():
        t = json.loads(line).get("diagnosticcode") or ""
        t = " ".join(t.split())
        if t:
            texts.append(t)
    texts += ["550 5.1.1 unknown", "250 4.0.0 odd", "hello", "554 5.7.606 banned (Microsoft)", "451 4.7.1 greylisted"]
    out, _ = run_tool(esc_tool, "classify", "--each-line", "--json", stdin="\n".join(texts).encode() + b"\n")
    expected = [json.loads(line) for line in out.splitlines()]
    got = [c.to_dict() for c in esc.classify_many(texts)]
    assert len(got) == len(expected) > 300
    for g, e in zip(got, expected):
        assert list(g) == list(e)  # the same keys in the same order
        assert g["file"] is None and g["line"] is None  # classify() reads no file
        del g["file"], g["line"], e["file"], e["line"]
        assert g == e, g["input"]


def test_recipient_to_dict_is_esc_dsn_json(esc_tool, sisimai):
    paths = [str(sisimai / "bsd"), str(sisimai / "dos")]
    out, _ = run_tool(esc_tool, "dsn", "--json", *paths)
    expected = [json.loads(line) for line in out.splitlines()]
    expected = [{k: v for k, v in e.items() if k not in ("returned", "verp_recipient")} for e in expected
                if e.get("kind") != "feedback"]
    got = [r.to_dict() for b in esc.read_bounces(paths) for r in b.recipients]
    assert len(got) == len(expected) > 300
    assert got == expected


def test_scan_text_is_esc_scan(esc_tool, source_dir):
    log = source_dir / "examples" / "data" / "postfix.log"
    out, _ = run_tool(esc_tool, "scan", "--json", "--no-progress", str(log))
    records = [json.loads(line) for line in out.splitlines()]
    s = esc.scan_text(log.read_bytes())
    assert s["attempts"] == len(records)
    kind = {"SOFTBOUNCE": "deferred"}
    for r in records:
        r["disposition"] = kind.get(r["disposition"], r["disposition"])
    failures = [r for r in records if r["disposition"] in ("deferred", "bounced")]
    assert len(failures) == s["dispositions"]["deferred"] + s["dispositions"]["bounced"] > 50
    assert Counter(r["status"] for r in failures if r["status"]) == Counter(s["codes"])
    by_reason = Counter((r["reason"], r["disposition"]) for r in failures)
    assert {k: (by_reason[(k, "deferred")], by_reason[(k, "bounced")]) for k in s["reasons"]} == s["reasons"]
    assert Counter(r["domain"] or "" for r in records) == Counter({d: c["attempts"] for d, c in s["domains"].items()})


def test_explain_is_esc_explain_json(esc_tool):
    args = ["5.1.1", "4.1.1", "5.7.606", "2.0.0", "X.7.1", "x.2.2", "550", "421", "250", "552",
            "550 5.1.1 no such user", "554-first\n554 5.7.1 second", "host said: 452 4.2.2 mailbox full",
            "the server said 5.7.26 DMARC", " 5.2.2 "]
    out, _ = run_tool(esc_tool, "explain", "--json", *args)
    expected = [json.loads(line) for line in out.splitlines()]
    assert len(expected) == len(args)
    for arg, e in zip(args, expected):
        g = esc.explain(arg)
        assert list(g) == list(e), arg
        assert g == e, arg
    assert esc.explain("552", command="mail")["effective_status"] == "5.3.4"
