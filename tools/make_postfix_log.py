#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""Writes a synthetic but realistic Postfix mail log, deterministically.

An outbound relay ("mx1.example.org") takes mail from a few applications and
delivers it to a mix of recipient domains. Every message gets the lines Postfix
really logs (smtpd connect/client/disconnect, cleanup, qmgr, smtp, removed);
some recipients are deferred (greylisting, rate limits, timeouts, full
mailboxes) and retried later, some bounce (unknown users, DMARC, blocklists,
spam, null MX, unresolvable domains) and cause a non-delivery notification,
a few expire in the queue. All names and addresses are reserved for
documentation (example.*, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24).

    tools/make_postfix_log.py --messages 600 > examples/data/postfix.log
    tools/make_postfix_log.py --size 1G -o /tmp/esc-bench.log
"""

import argparse
import heapq
import random
import sys
import time

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
HOST = "mx1"

SENDERS = [
    ("app1.example.org", "192.0.2.10", "news@example.org"),
    ("app1.example.org", "192.0.2.10", "noreply@example.org"),
    ("app2.example.org", "192.0.2.11", "billing@example.org"),
    ("crm.example.org", "192.0.2.12", "support@example.org"),
]

FIRST = ("alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert sybil "
         "trent victor walter xavier yvonne zoe").split()
LAST = "smith jones brown lee garcia martin kim novak weber rossi silva tanaka".split()

# Domain: (weight, MX host, MX address, profile). Profiles pick the failures.
DOMAINS = {
    "bigmail.example": (30, "mx1.bigmail.example", "198.51.100.20", "webmail"),
    "freemail.example": (16, "mta5.freemail.example", "198.51.100.31", "webmail"),
    "isp.example.net": (12, "mail.isp.example.net", "198.51.100.45", "isp"),
    "corp.example.com": (9, "corp-example-com.mail.protection.example.net", "203.0.113.60", "microsoft"),
    "example.com": (8, "mx.example.com", "192.0.2.1", "plain"),
    "example.net": (6, "mail.example.net", "192.0.2.2", "greylist"),
    "university.example.edu": (5, "mx.university.example.edu", "203.0.113.77", "strict"),
    "smallbiz.example": (4, "mail.smallbiz.example", "203.0.113.88", "flaky"),
    "shop.example.org": (4, "mx.shop.example.org", "198.51.100.90", "plain"),
    "oldhost.example": (1, None, None, "unresolvable"),
    "nullmx.example": (1, None, None, "nullmx"),
}

# Failures: (name, kind, dsn, text) where text may use {mx}, {ip}, {rcpt}, {dom}.
# kind: "defer" (retried later, then usually sent), "bounce".
F = {
    "unknown_user": ("bounce", "5.1.1", "host {mx}[{ip}] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: "
                     "User unknown in virtual mailbox table (in reply to RCPT TO command)"),
    "unknown_user_webmail": ("bounce", "5.1.1", "host {mx}[{ip}] said: 550-5.1.1 The email account that you "
                             "tried to reach does not exist. Please check the address for typos 550 5.1.1 "
                             "and try again. x12si345abc.99 - smtp (in reply to RCPT TO command)"),
    "unknown_user_plain": ("bounce", "5.0.0", "host {mx}[{ip}] said: 550 Requested action not taken: mailbox "
                           "unavailable (in reply to RCPT TO command)"),
    "unknown_user_ms": ("bounce", "5.4.1", "host {mx}[{ip}] said: 550 5.4.1 Recipient address rejected: Access "
                        "denied. [BN8PR04MB6211.namprd04.prod.example.net] (in reply to RCPT TO command)"),
    "disabled": ("bounce", "5.2.1", "host {mx}[{ip}] said: 550 5.2.1 <{rcpt}>: Mailbox disabled, account "
                 "suspended for inactivity (in reply to RCPT TO command)"),
    "over_quota": ("defer", "4.2.2", "host {mx}[{ip}] said: 452 4.2.2 The recipient's mailbox is over its "
                   "storage quota, try again later (in reply to RCPT TO command)"),
    "over_quota_hard": ("bounce", "5.2.2", "host {mx}[{ip}] said: 552 5.2.2 <{rcpt}>: Mailbox full "
                        "(in reply to RCPT TO command)"),
    "greylist": ("defer", "4.7.1", "host {mx}[{ip}] said: 450 4.7.1 <{rcpt}>: Recipient address rejected: "
                 "Greylisted, see http://postgrey.example/ for details (in reply to RCPT TO command)"),
    "greylist_plain": ("defer", "4.0.0", "host {mx}[{ip}] said: 451 Temporary local problem - please try "
                       "later, you are greylisted (in reply to RCPT TO command)"),
    "rate_limit": ("defer", "4.7.28", "host {mx}[{ip}] said: 421 4.7.28 Our system has detected an unusual "
                   "rate of unsolicited mail originating from your IP address. To protect our users, mail "
                   "from your IP address has been temporarily rate limited. (in reply to end of DATA command)"),
    "too_many_conn": ("defer", "4.7.0", "host {mx}[{ip}] said: 421 4.7.0 Too many concurrent SMTP connections "
                      "from this IP address; please try again later (in reply to MAIL FROM command)"),
    "timeout": ("defer", "4.4.1", "connect to {mx}[{ip}]:25: Connection timed out"),
    "refused": ("defer", "4.4.1", "connect to {mx}[{ip}]:25: Connection refused"),
    "lost": ("defer", "4.4.2", "lost connection with {mx}[{ip}] while receiving the initial server greeting"),
    "conversation_timeout": ("defer", "4.4.2", "conversation with {mx}[{ip}] timed out while sending end of "
                             "data -- message may be sent more than once"),
    "suspended": ("defer", "4.4.1", "delivery temporarily suspended: connect to {mx}[{ip}]:25: Connection "
                  "timed out"),
    "dns_temp": ("defer", "4.4.3", "Host or domain name not found. Name service error for name={dom} type=MX: "
                 "Host not found, try again"),
    "dns_perm": ("bounce", "5.4.4", "Host or domain name not found. Name service error for name={dom} type=A: "
                 "Host not found"),
    "null_mx": ("bounce", "5.1.10", "Domain {dom} does not accept mail (nullMX)"),
    "dmarc": ("bounce", "5.7.26", "host {mx}[{ip}] said: 550 5.7.26 This message does not pass authentication "
              "checks (SPF and DKIM both do not pass). DMARC policy of example.org is reject. (in reply to end "
              "of DATA command)"),
    "spf": ("bounce", "5.7.23", "host {mx}[{ip}] said: 550 5.7.23 Message rejected due to: SPF fail - not "
            "authorized (in reply to end of DATA command)"),
    "blocklist": ("bounce", "5.7.1", "host {mx}[{ip}] said: 554 5.7.1 Service unavailable; Client host "
                  "[192.0.2.10] blocked using bl.blocklist.example; listed since 2026-11-27 (in reply to RCPT "
                  "TO command)"),
    "ms_banned": ("bounce", "5.7.606", "host {mx}[{ip}] said: 550 5.7.606 Access denied, banned sending IP "
                  "[192.0.2.10]. To request removal from this list please visit the delist portal. "
                  "(AS16012609) (in reply to RCPT TO command)"),
    "spam": ("bounce", "5.7.1", "host {mx}[{ip}] said: 554 5.7.1 Message rejected as spam by the content "
             "filter (in reply to end of DATA command)"),
    "too_big": ("bounce", "5.3.4", "host {mx}[{ip}] said: 552 5.3.4 Message size exceeds fixed maximum message "
                "size (in reply to MAIL FROM command)"),
    "tls": ("defer", "4.7.4", "TLS is required, but was not offered by host {mx}[{ip}]"),
    "relay": ("bounce", "5.7.1", "host {mx}[{ip}] said: 554 5.7.1 <{rcpt}>: Relay access denied (in reply to "
              "RCPT TO command)"),
    "policy": ("bounce", "5.7.1", "host {mx}[{ip}] said: 550 5.7.1 Message rejected by local policy; contact "
               "postmaster@{dom} (in reply to end of DATA command)"),
    "server_error": ("defer", "4.3.0", "host {mx}[{ip}] said: 451 4.3.0 Internal server error, please try again "
                     "later (in reply to end of DATA command)"),
}

# Profile: list of (weight, failure) on a first attempt; the rest of the weight is "sent".
PROFILES = {
    "webmail": (900, [(25, "unknown_user_webmail"), (8, "over_quota"), (6, "rate_limit"),
                      (5, "too_many_conn"), (5, "dmarc"), (4, "disabled"), (3, "spam"), (2, "too_big")]),
    "isp": (900, [(25, "unknown_user"), (12, "over_quota"), (6, "over_quota_hard"), (8, "blocklist"),
                  (6, "greylist"), (4, "server_error")]),
    "microsoft": (900, [(20, "unknown_user_ms"), (10, "ms_banned"), (6, "spf"), (5, "rate_limit")]),
    "plain": (900, [(20, "unknown_user_plain"), (10, "timeout"), (5, "refused"), (4, "relay"),
                    (3, "conversation_timeout")]),
    "greylist": (650, [(300, "greylist"), (30, "greylist_plain"), (20, "unknown_user")]),
    "strict": (850, [(40, "dmarc"), (30, "policy"), (20, "unknown_user"), (20, "tls"), (10, "spam")]),
    "flaky": (600, [(150, "timeout"), (100, "lost"), (80, "suspended"), (40, "refused"), (30, "unknown_user")]),
    "unresolvable": (0, [(70, "dns_temp"), (30, "dns_perm")]),
    "nullmx": (0, [(1, "null_mx")]),
}


class Log:
    def __init__(self, rng, start, out):
        self.rng = rng
        self.now = start
        self.out = out
        self.buffer = []
        self.size = 0
        self.lines = 0
        self.retries = []  # heap of (time, seq, callable)
        self.pending = []  # heap of (time, seq, line) not yet written
        self.seq = 0
        self.qmgr_pid = 1102

    def stamp(self, t):
        tm = time.gmtime(t)
        return f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} {tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}"

    def emit(self, t, prog, pid, text):
        # Lines are written in time order: held back until nothing earlier can come.
        line = f"{self.stamp(t)} {HOST} postfix/{prog}[{pid}]: {text}\n"
        self.seq += 1
        heapq.heappush(self.pending, (t, self.seq, line))
        self.size += len(line)
        self.lines += 1

    def release(self, until):
        while self.pending and self.pending[0][0] <= until:
            self.buffer.append(heapq.heappop(self.pending)[2])
        if len(self.buffer) >= 4096:
            self.flush()

    def flush(self):
        self.out.write("".join(self.buffer))
        self.buffer.clear()

    def later(self, t, fn):
        self.seq += 1
        heapq.heappush(self.retries, (t, self.seq, fn))

    def run_due(self, until):
        while self.retries and self.retries[0][0] <= until:
            t, _, fn = heapq.heappop(self.retries)
            fn(t)


def queue_id(rng):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(rng.choice((9, 10, 10, 11))))


def pick(rng, weighted):
    total = sum(w for w, _ in weighted)
    x = rng.uniform(0, total)
    for w, item in weighted:
        x -= w
        if x <= 0:
            return item
    return weighted[-1][1]


DOMAIN_CHOICES = [(w, d) for d, (w, *_rest) in DOMAINS.items()]


def recipient(rng):
    dom = pick(rng, DOMAIN_CHOICES)
    local = rng.choice(FIRST)
    style = rng.random()
    if style < 0.4:
        local += "." + rng.choice(LAST)
    elif style < 0.6:
        local += str(rng.randint(1, 99))
    return f"{local}@{dom}", dom


def delays(rng, total):
    a = round(rng.uniform(0.01, 0.3), 2)
    b = round(rng.uniform(0.0, 0.05), 2)
    c = round(rng.uniform(0.05, 0.6), 2)
    d = round(max(total - a - b - c, 0.01), 2)
    return f"delays={a}/{b}/{c}/{d}"


def delivery_line(log, t, qid, rcpt, dom, failure, attempt_delay):
    rng = log.rng
    _w, mx, ip, _profile = DOMAINS[dom]
    pid = rng.randint(3000, 3999)
    delay = round(attempt_delay + rng.uniform(0.2, 2.5), 1)
    if failure is None:
        relay = f"{mx}[{ip}]:25"
        queued = queue_id(rng)
        said = rng.choice([f"250 2.0.0 Ok: queued as {queued}", f"250 2.0.0 OK  1764321{rng.randint(100000, 999999)} "
                           f"x{rng.randint(10, 99)}si{rng.randint(1000, 9999)}abc.{rng.randint(10, 99)} - gsmtp",
                           f"250 2.6.0 <{qid}@example.org> [InternalId={rng.randint(10**9, 10**10)}] Queued mail for "
                           "delivery"])
        log.emit(t, "smtp", pid, f"{qid}: to=<{rcpt}>, relay={relay}, delay={delay}, {delays(rng, delay)}, "
                 f"dsn=2.0.0, status=sent ({said})")
        return
    kind, dsn, text = F[failure]
    relay = f"{mx}[{ip}]:25" if mx else "none"
    text = text.format(mx=mx or dom, ip=ip or "", rcpt=rcpt, dom=dom)
    status = "deferred" if kind == "defer" else "bounced"
    log.emit(t, "smtp", pid, f"{qid}: to=<{rcpt}>, relay={relay}, delay={delay}, {delays(rng, delay)}, "
             f"dsn={dsn}, status={status} ({text})")


def message(log, t, max_recipients):
    rng = log.rng
    host, ip, sender = rng.choice(SENDERS)
    qid = queue_id(rng)
    spid = rng.randint(2000, 2999)
    cpid = rng.randint(2000, 2999)
    nrcpt = 1 if rng.random() < 0.85 else rng.randint(2, max_recipients)
    rcpts = [recipient(rng) for _ in range(nrcpt)]
    size = rng.randint(1800, 90000)
    log.emit(t, "smtpd", spid, f"connect from {host}[{ip}]")
    log.emit(t, "smtpd", spid, f"{qid}: client={host}[{ip}]")
    log.emit(t, "cleanup", cpid, f"{qid}: message-id=<{time.strftime('%Y%m%d%H%M%S', time.gmtime(t))}."
             f"{qid}@example.org>")
    log.emit(t, "qmgr", log.qmgr_pid, f"{qid}: from=<{sender}>, size={size}, nrcpt={nrcpt} (queue active)")
    log.emit(t, "smtpd", spid, f"disconnect from {host}[{ip}] ehlo=1 mail=1 rcpt={nrcpt} data=1 quit=1 "
             f"commands={4 + nrcpt}")
    state = {"open": nrcpt, "bounced": False}

    def done(when):
        state["open"] -= 1
        if state["open"] == 0:
            if state["bounced"]:
                bounce_notice(log, when + 0.5, qid, sender)
            log.emit(when + 1, "qmgr", log.qmgr_pid, f"{qid}: removed")

    for rcpt, dom in rcpts:
        profile = DOMAINS[dom][3]
        sent_weight, failures = PROFILES[profile]
        failure = pick(rng, [(sent_weight, None)] + failures)
        attempt(log, t + rng.uniform(0.3, 3.0), qid, rcpt, dom, failure, 0.0, 0, state, done, sender)


def attempt(log, t, qid, rcpt, dom, failure, age, tries, state, done, sender):
    rng = log.rng
    delivery_line(log, t, qid, rcpt, dom, failure, age)
    if failure is None:
        done(t)
        return
    kind = F[failure][0]
    if kind == "bounce":
        state["bounced"] = True
        done(t)
        return
    # Deferred: Postfix retries with a growing backoff; most get through, a few expire.
    backoff = min(300 * (2 ** tries), 4000) * rng.uniform(0.9, 1.3)
    if tries >= 5:
        log.emit(t + backoff, "qmgr", log.qmgr_pid, f"{qid}: from=<{sender}>, status=expired, returned to sender")
        state["bounced"] = True
        done(t + backoff)
        return
    if DOMAINS[dom][3] in ("unresolvable",) and failure == "dns_temp" and rng.random() < 0.5:
        nxt = "dns_temp"
    elif failure in ("greylist", "greylist_plain"):
        nxt = None if rng.random() < 0.97 else failure
    else:
        nxt = None if rng.random() < 0.7 else failure
    log.later(t + backoff, lambda when: attempt(log, when, qid, rcpt, dom, nxt, age + backoff, tries + 1, state,
                                                done, sender))


def bounce_notice(log, t, qid, sender):
    rng = log.rng
    nid = queue_id(rng)
    log.emit(t, "cleanup", rng.randint(2000, 2999), f"{nid}: message-id=<{time.strftime('%Y%m%d%H%M%S', time.gmtime(t))}"
             f".{nid}@mx1.example.org>")
    log.emit(t, "bounce", rng.randint(4000, 4999), f"{qid}: sender non-delivery notification: {nid}")
    log.emit(t, "qmgr", log.qmgr_pid, f"{nid}: from=<>, size={rng.randint(3000, 9000)}, nrcpt=1 (queue active)")
    log.emit(t + 0.2, "local", rng.randint(5000, 5999), f"{nid}: to=<{sender}>, relay=local, delay=0.2, "
             "delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)")
    log.emit(t + 0.3, "qmgr", log.qmgr_pid, f"{nid}: removed")


def parse_size(s):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    s = s.strip().upper()
    if s and s[-1] in units:
        return int(float(s[:-1]) * units[s[-1]])
    return int(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, help="number of messages (default 600)")
    ap.add_argument("--size", help="approximate size instead: 100M, 1G, ...")
    ap.add_argument("--seed", type=int, default=3463)
    ap.add_argument("--max-recipients", type=int, default=4)
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = ap.parse_args()
    out = open(args.output, "w", encoding="ascii", newline="\n") if args.output else sys.stdout
    rng = random.Random(args.seed)
    log = Log(rng, time.mktime((2026, 11, 28, 6, 0, 0, 0, 0, 0)) - time.timezone, out)
    limit = parse_size(args.size) if args.size else None
    count = args.messages if args.messages is not None else (None if limit else 600)
    t = log.now
    n = 0
    while (count is None or n < count) and (limit is None or log.size < limit):
        t += rng.expovariate(1 / 6.0)
        log.run_due(t)
        message(log, t, args.max_recipients)
        log.release(t)
        n += 1
    log.run_due(float("inf"))
    log.release(float("inf"))
    log.flush()
    if out is not sys.stdout:
        out.close()
    print(f"{n} messages, {log.lines} lines, {log.size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
