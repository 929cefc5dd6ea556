#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""A made-up Postfix log whose answers are known: messages that are delivered
at once, deferred and then delivered, deferred and then bounced, bounced at
once, or still deferred when the log ends; inbound rejects from a few
clients; spread over hours. generate() returns the lines and what `esc scan`
must find in them (messages joined by queue ID, attempts per hour, rejects).

    python3 make_mail_log.py [--messages N] [--seed S] > mail.log

All names are from the documentation ranges (example.com, 192.0.2.0/24, ...).
"""

import argparse
import calendar
import random
import sys
import time

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DOMAINS = ["example.com", "example.net", "example.org", "mail.example", "corp.example"]
RELAYS = {d: f"mx.{d}[198.51.100.{i + 1}]:25" for i, d in enumerate(DOMAINS)}
CLIENTS = ["unknown[203.0.113.50]", "spam.example[203.0.113.51]", "bad.example[203.0.113.52]"]
DEFER = "connect to mx.{d}[198.51.100.9]:25: Connection timed out"
BOUNCE = ("host {relay} said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox "
          "table (in reply to RCPT TO command)")
REJECT = ("NOQUEUE: reject: RCPT from {client}: 554 5.7.1 <{rcpt}>: Relay access denied; from=<{sender}> "
          "to=<{rcpt}> proto=ESMTP helo=<{helo}>")


def syslog_time(t):
    tm = time.gmtime(t)
    return f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} {tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}"


def iso_time(t, zone_colon):
    tm = time.gmtime(t)
    zone = "+00:00" if zone_colon else "+0000"
    return time.strftime("%Y-%m-%dT%H:%M:%S", tm) + zone


def with_header(t, text, style):
    """One line in the syslog style asked for: classic (rsyslog's default), journalctl -o short-iso,
    or RFC 5424 (program and pid in fields of their own, no structured data)."""
    if style == "syslog":
        return f"{syslog_time(t)} {text}"
    if style == "short-iso":
        return f"{iso_time(t, False)} {text}"
    host, rest = text.split(" ", 1)
    tag, message = rest.split(": ", 1)
    program, pid = tag.rstrip("]").split("[")
    return f"<22>1 {time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t))}.000000+00:00 {host} {program} {pid} - - {message}"


def queue_id(rng):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(10))


def generate(messages=200, seed=1, start=None, rejects=40, style="syslog"):
    """(lines, expected): the log's lines in time order and the answers."""
    rng = random.Random(seed)
    start = start if start is not None else calendar.timegm((2026, 11, 28, 6, 0, 0))
    events = []  # (time, order, text)
    expected = {"received": 0, "delivered": 0, "delivered_after_deferral": 0, "bounced": 0,
                "bounced_after_deferral": 0, "deferred": 0, "deferrals": 0, "still_queued": 0,
                "sent_attempts": 0, "deferred_attempts": 0, "bounced_attempts": 0, "rejected": 0,
                "hours": {}, "rejects_by_client": {}, "delays": []}
    seen_ids = set()

    def hour(t):
        return expected["hours"].setdefault(t - t % 3600, {"sent": 0, "deferred": 0, "bounced": 0, "rejected": 0})

    for n in range(messages):
        qid = queue_id(rng)
        while qid in seen_ids:
            qid = queue_id(rng)
        seen_ids.add(qid)
        t = start + rng.randrange(0, 10 * 3600)
        domain = rng.choice(DOMAINS)
        rcpt = f"user{n}@{domain}"
        sender = f"sender{n % 7}@example.org"
        fate = rng.choice(["sent", "sent", "sent", "deferred_sent", "deferred_bounced", "bounced", "queued"])
        events.append((t, 0, f"mx1 postfix/cleanup[2001]: {qid}: message-id=<{n}.{seed}@example.org>"))
        events.append((t, 1, f"mx1 postfix/qmgr[2002]: {qid}: from=<{sender}>, size={1000 + n}, nrcpt=1 (queue active)"))
        expected["received"] += 1
        deferrals = rng.randrange(1, 6) if fate.startswith("deferred") or fate == "queued" else 0
        at = t
        for k in range(deferrals):
            at += rng.randrange(60, 1800)
            if k > 0:  # qmgr logs from= again each time the message comes back from the deferred queue
                events.append((at - 1, 1, f"mx1 postfix/qmgr[2002]: {qid}: from=<{sender}>, size={1000 + n}, "
                                          "nrcpt=1 (queue active)"))
            events.append((at, 2, f"mx1 postfix/smtp[2003]: {qid}: to=<{rcpt}>, relay=none, delay={at - t}, "
                                  f"delays=0.1/0/{at - t - 0.1:.1f}/0, dsn=4.4.1, status=deferred "
                                  f"({DEFER.format(d=domain)})"))
            expected["deferred_attempts"] += 1
            hour(at)["deferred"] += 1
        if deferrals:
            expected["deferred"] += 1
            expected["deferrals"] += deferrals
        if fate == "queued":
            expected["still_queued"] += 1
            continue
        at += rng.randrange(2, 600)
        if deferrals:
            events.append((at - 1, 1, f"mx1 postfix/qmgr[2002]: {qid}: from=<{sender}>, size={1000 + n}, nrcpt=1 "
                                      "(queue active)"))
        if fate in ("sent", "deferred_sent"):
            events.append((at, 3, f"mx1 postfix/smtp[2003]: {qid}: to=<{rcpt}>, relay={RELAYS[domain]}, "
                                  f"delay={at - t}, delays=0.1/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as "
                                  f"{queue_id(rng)})"))
            expected["sent_attempts"] += 1
            expected["delivered"] += 1
            expected["delivered_after_deferral"] += 1 if deferrals else 0
            expected["delays"].append(at - t)
            hour(at)["sent"] += 1
        else:
            events.append((at, 3, f"mx1 postfix/smtp[2003]: {qid}: to=<{rcpt}>, relay={RELAYS[domain]}, "
                                  f"delay={at - t}, delays=0.1/0/0.3/0.2, dsn=5.1.1, status=bounced "
                                  f"({BOUNCE.format(relay=RELAYS[domain].rsplit(':', 1)[0], rcpt=rcpt)})"))
            expected["bounced_attempts"] += 1
            expected["bounced"] += 1
            expected["bounced_after_deferral"] += 1 if deferrals else 0
            hour(at)["bounced"] += 1
        events.append((at, 4, f"mx1 postfix/qmgr[2002]: {qid}: removed"))

    for n in range(rejects):
        t = start + rng.randrange(0, 10 * 3600)
        client = rng.choice(CLIENTS)
        events.append((t, 0, "mx1 postfix/smtpd[2004]: " + REJECT.format(
            client=client, rcpt=f"victim{n}@elsewhere.example", sender=f"x{n}@spam.example", helo="spam.example")))
        expected["rejected"] += 1
        expected["rejects_by_client"][client] = expected["rejects_by_client"].get(client, 0) + 1
        hour(t)["rejected"] += 1

    events.sort(key=lambda e: (e[0], e[1]))
    lines = [with_header(t, text, style) for t, _, text in events]
    return lines, expected


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rejects", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=["syslog", "short-iso", "rfc5424"], default="syslog")
    args = parser.parse_args()
    lines, _ = generate(args.messages, args.seed, rejects=args.rejects, style=args.style)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
