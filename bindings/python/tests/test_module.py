# The esc module's API: results, immutability, errors, batch calls.
import threading
import time

import pytest

import esc

USER_UNKNOWN = ("host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address "
                "rejected: User unknown (in reply to RCPT TO command)")


def test_parse_status_and_its_errors():
    s = esc.parse_status("5.7.606")
    assert (s.cls, s.subject, s.detail) == (5, 7, 606)
    assert str(s) == "5.7.606" and repr(s) == "StatusCode('5.7.606')"
    assert s == esc.StatusCode(5, 7, 606) and hash(s) == hash(esc.StatusCode(5, 7, 606))
    assert esc.parse_status("4.2.2") < esc.parse_status("5.1.1")
    for text, kind, offset in [("5.01.1", "invalid_status", 3), ("3.1.1", "invalid_status", 0),
                               ("5.1.1 ", "trailing_characters", 5), ("5.1", "invalid_status", 3),
                               ("5.1.1000", "trailing_characters", 7)]:
        with pytest.raises(esc.StatusError) as e:
            esc.parse_status(text)
        assert (e.value.kind, e.value.offset) == (kind, offset), text
        assert isinstance(e.value, esc.Error) and isinstance(e.value, ValueError)
    with pytest.raises(esc.StatusError):
        esc.StatusCode(3, 1, 1)


def test_results_are_immutable():
    s = esc.parse_status("5.1.1")
    c = esc.classify(USER_UNKNOWN)
    for obj, attr, value in [(s, "cls", 4), (c, "reason", "spam"), (c, "status", None), (c.why, "by", "x")]:
        with pytest.raises(AttributeError):
            setattr(obj, attr, value)
    with pytest.raises(AttributeError):
        c.anything_new = 1


def test_lookup_describe_explain():
    e = esc.lookup("5.1.1")
    assert e["title"] == "Bad destination mailbox address"
    assert e["classes"] == (5,) and "RFC3463" in e["references"] and 550 in e["associated"]
    assert esc.lookup(esc.parse_status("5.7.606")) is None
    assert esc.describe("5.7.606") == "Security or Policy Status"  # the subject's title for an unknown detail
    x = esc.explain("4.1.1")
    assert x["kind"] == "status" and x["warnings"] == ["not_meaningful"]  # X.1.1 is permanent only
    assert esc.explain("X.1.1")["kind"] == "registry_entry" and esc.explain("550")["effective_status"] == "5.0.0"
    with pytest.raises(esc.StatusError) as e:
        esc.explain("5.01.1")
    assert e.value.offset == 3
    for bad in ("5500", "650", "no code here"):
        with pytest.raises(esc.Error) as e:
            esc.explain(bad)
        assert e.value.kind == "invalid", bad
    assert len(esc.registry()) > 50 and esc.registry()[0]["code"] == "X.0.0"


def test_parse_reply_single_multi_and_errors():
    r = esc.parse_reply("250-mx.example.com\r\n250-PIPELINING\r\n250 2.0.0 OK\r\n")
    assert r.code == 250 and r.line_count == 3 and r.lines[-1] == "OK"
    assert str(r.status) == "2.0.0" and r.warnings == ("status_on_some_lines",)
    assert esc.parse_reply(b"550 5.1.1 no such user").status == esc.parse_status("5.1.1")
    with pytest.raises(esc.ReplyError) as e:
        esc.parse_reply("550 5.1.1 no such user", complete=False)  # a socket may still deliver the line end
    assert e.value.kind == "incomplete"
    with pytest.raises(esc.ReplyError) as e:
        esc.parse_reply("250-first\r\n550 second\r\n")
    assert e.value.kind == "mixed_codes" and e.value.offset == 11
    with pytest.raises(esc.ReplyError) as e:
        esc.parse_reply("hello")
    assert e.value.kind == "no_code" and e.value.offset == 0
    assert "Reply(code=250" in repr(r)


def test_classify_fields_and_command():
    c = esc.classify(USER_UNKNOWN)
    assert (c.outcome, c.reason, str(c.status), c.inferred, c.verdict) == (
        "permanent", "mailbox_unknown", "5.1.1", False, "hard")
    assert c.why.by == "enhanced_code" and c.why.text == "5.1.1"
    assert c.reply_code == 550 and c.description == "Bad destination mailbox address"
    assert "reason='mailbox_unknown'" in repr(c)
    # 552 after MAIL is the size limit (RFC 1870): the command changes the inferred status.
    assert str(esc.classify("552 too big", command="mail").status) == "5.3.4"
    assert esc.classify("552 too big").inferred
    with pytest.raises(esc.Error) as e:
        esc.classify("550 x", command="fetch")
    assert e.value.kind == "unknown_command"
    nothing = esc.classify("hello there")
    assert nothing.status is None and nothing.outcome == "unknown" and nothing.to_dict()["effective_status"] is None


def test_classify_many_matches_classify_and_releases_the_gil():
    texts = [USER_UNKNOWN, "452 4.2.2 mailbox full", b"421 4.7.0 try again later", "250 ok"] * 50
    many = esc.classify_many(texts)
    assert [c.to_dict() for c in many] == [esc.classify(t).to_dict() for t in texts]
    # While one thread runs a long batch, another must get the interpreter.
    big = [USER_UNKNOWN] * 200_000
    ticks = []
    done = threading.Event()

    def batch():
        esc.classify_many(big)
        done.set()

    t = threading.Thread(target=batch)
    t.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    t.join()
    assert len(ticks) > 5, "the main thread did not run while classify_many worked: the GIL was held"


def test_invalid_utf8_is_replaced_not_raised():
    c = esc.classify(b"550 5.1.1 caf\xe9 unknown user")
    assert "\ufffd" in c.input and c.reason == "mailbox_unknown"


def test_read_bounce_and_its_error(source_dir):
    data = (source_dir / "examples" / "data" / "bounces" / "postfix-dsn.eml").read_bytes()
    b = esc.read_bounce(data)
    assert b.kind == "delivery_status" and b.source == "dsn" and len(b) == 2 and b.error == "none"
    first = b.recipients[0]
    assert first.address and first.status.startswith("5.") and first.outcome == "permanent"
    assert b.to_dict()["recipients"][0]["recipient"] == first.address
    not_bounce = (source_dir / "examples" / "data" / "bounces" / "not-a-bounce.eml").read_bytes()
    assert esc.read_bounce(not_bounce).error == "not_a_bounce"
    with pytest.raises(esc.BounceError) as e:
        esc.read_bounce(not_bounce, strict=True)
    assert e.value.kind == "not_a_bounce" and e.value.partial.kind == "none"


def test_read_bounces_reads_folders_like_esc_dsn(source_dir, tmp_path):
    folder = source_dir / "examples" / "data" / "bounces"
    bounces = esc.read_bounces([str(folder)])
    assert [b.file for b in esc.read_bounces(iter([folder]))] == [b.file for b in bounces]  # os.PathLike, any iterable
    assert [b.file for b in bounces] == sorted(str(p) for p in folder.iterdir())
    one = [esc.read_bounce(p.read_bytes()) for p in sorted(folder.iterdir())]
    assert [[r.to_dict() | {"file": None, "line": None} for r in b.recipients] for b in bounces] == \
        [[r.to_dict() for r in b.recipients] for b in one]
    mbox = tmp_path / "box"
    mbox.write_bytes(b"".join(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + p.read_bytes().rstrip(b"\n") + b"\n\n"
                              for p in sorted(folder.iterdir())))
    boxed = esc.read_bounces([str(mbox)])
    assert [b.name for b in boxed] == [f"{mbox}:{i}" for i in range(1, 5)]
    assert [b.message for b in boxed] == [1, 2, 3, 4] and boxed[0].line == 2 and boxed[1].line > 3  # after "From "
    assert boxed[2].recipients[0].to_dict()["line"] == boxed[2].line and boxed[2].recipients[0].to_dict()["message"] == 3
    # Folders are read recursively, a maildir's tmp/ and dot files left out.
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp", ".Sent/cur"):
        (maildir / sub).mkdir(parents=True)
    src = sorted(folder.iterdir())
    (maildir / "cur" / "1").write_bytes(src[0].read_bytes())
    (maildir / "new" / "2").write_bytes(src[2].read_bytes())
    (maildir / "tmp" / "3").write_bytes(src[2].read_bytes())
    (maildir / ".Sent" / "cur" / "4").write_bytes(src[2].read_bytes())
    (maildir / "dovecot-uidlist").write_bytes(b"3 V1 N5\n")
    assert [b.file for b in esc.read_bounces([maildir])] == [str(maildir / ".Sent" / "cur" / "4"),
                                                            str(maildir / "cur" / "1"), str(maildir / "new" / "2")]
    with pytest.raises(OSError):
        esc.read_bounces([str(tmp_path / "missing")])


def test_scan_text_counts():
    log = (
        "Nov 28 10:00:01 mx postfix/smtp[1]: 4F2A1C0D3: to=<bob@Example.com>, relay=x, dsn=5.1.1, status=bounced "
        "(host x said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n"
        "Nov 28 10:00:02 mx postfix/smtp[1]: 4F2A1C0D4: to=<amy@example.com>, relay=x, dsn=2.0.0, status=sent (250 ok)\r\n"
        "Nov 28 10:00:03 mx systemd[1]: foo.service: status=1/FAILURE\n"
        "no newline at the end"
    )
    s = esc.scan_text(log)
    assert (s["lines"], s["attempts"]) == (4, 2)
    assert s["dispositions"]["bounced"] == 1 and s["dispositions"]["sent"] == 1
    assert s["reasons"] == {"mailbox_unknown": (0, 1)}
    assert s["codes"] == {"5.1.1": 1}
    assert s["domains"]["example.com"]["attempts"] == 2 and s["formats"] == ["postfix"]


def test_scan_text_counts_the_lines_that_are_no_attempt_apart():
    log = (
        "Nov 28 10:00:01 mx postfix/error[1]: 4F2A1C0D5: to=<bob@example.com>, relay=none, dsn=4.4.1, "
        "status=deferred (delivery temporarily suspended: connect to x[192.0.2.1]:25: Connection timed out)\n"
        "Nov 28 10:00:02 mx postfix/smtp[1]: 4F2A1C0D6: to=<amy@example.com>, relay=x, dsn=2.1.5, "
        "status=deliverable (250 2.1.5 Ok)\n"
        "2026-11-28 10:00:03 1tQx7b-000Abd-5Y == d@example.com R=dnslookup T=remote_smtp defer (-1): "
        "retry time not reached\n"
        "Nov 28 10:00:04 mx postfix/smtp[1]: 4F2A1C0D7: to=<eve@example.com>, relay=none, dsn=5.4.6, "
        "status=bounced (mail for example.com loops back to myself)\n"
    )
    s = esc.scan_text(log)
    assert (s["attempts"], s["not_attempted"], s["probes"]) == (1, 2, 1)
    assert s["reasons"] == {"system_error": (0, 1)}


def test_stubs_cover_the_module_and_every_function_has_a_docstring():
    import ast
    import pathlib

    stub = pathlib.Path(esc.__file__).with_name("esc.pyi")
    tree = ast.parse(stub.read_text())
    stubbed = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    stubbed |= {t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    public = {n for n in dir(esc) if not n.startswith("_")}
    assert public == stubbed - {"__version__"} and "__version__" in stubbed
    classes = {n.name: {m.name for m in n.body if isinstance(m, ast.FunctionDef)} for n in tree.body
               if isinstance(n, ast.ClassDef)}
    for name, members in classes.items():
        if name.endswith("Error"):
            continue
        obj = getattr(esc, name)
        actual = {m for m in dir(obj) if not m.startswith("_")}
        assert actual == {m for m in members if not m.startswith("_")}, name
        assert obj.__doc__, name
    for name in public:
        f = getattr(esc, name)
        if callable(f) and not isinstance(f, type):
            own = f.__doc__.split("\n\n", 1)[-1] if f.__doc__ else ""  # after pybind11's signature line
            assert len(own) > 30 and not own.startswith(name + "("), name
