#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""The browser test of `esc scan --html`: the page rendered by headless Chromium.

    python3 html_report_test.py --esc build/dev/esc --source . --work build/dev/tests/html/work \
        [--report-test build/dev/tests/esc_html_report_test] [--chromium PATH]

For each sample log the page is written by esc, then Chromium
  - dumps the DOM, which must hold the sections and the numbers of the
    terminal summary and of `esc scan --json`, and nothing but the page's
    own markup (a hostile log is also rendered);
  - takes a 1280x2000 screenshot, a PNG read here with zlib (stdlib only),
    which must be of that size, not blank, and show the charts' colours, in
    the light scheme and with --force-dark-mode in the dark one;
  - loads the page with every host name unresolvable and a network log: the
    page still renders, and the log holds no request made by the page (a
    control page with an external image shows the log would tell).
With --report-test (tests/html_report_test.cpp's binary), the page of its
full sample report, which has every section and the time chart, is
rendered, checked and printed to PDF too.
Exit status 77 (a skip to CTest) when Chromium is not installed, unless
ESC_REQUIRE_BROWSER is set (CI), where that is a failure. Standard library only.
"""

import argparse
import collections
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77
WIDTH, HEIGHT = 1280, 2000

# The page's colours (examples/esc/html_report.cpp): light background, bars, dark background.
LIGHT_BG = (255, 255, 255)
DARK_BG = (0x0D, 0x11, 0x17)
DEFERRED = (0xD4, 0xA7, 0x2C)
BOUNCED = (0xCF, 0x22, 0x2E)
REJECTED = (0x82, 0x50, 0xDF)
SENT = (0x2D, 0xA4, 0x4E)

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "nav", "a", "main",
    "section", "dl", "div", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "span", "i", "code",
    "details", "summary", "ul", "li", "footer", "time", "svg", "desc", "g", "text", "rect", "line", "polyline",
    "circle"}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# --- the page's DOM ---------------------------------------------------------------------------

class Dom(html.parser.HTMLParser):
    """What the test reads of a DOM: tags, references, text by id, the rows of tables by id."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = collections.Counter()
        self.references = []
        self.text_by_id = {}
        self.tables = {}
        self._open_ids = []   # [id, [text]] of elements with an id, innermost last
        self._stack = []
        self._table = None
        self._row = None
        self._cell = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        for name in ("src", "href", "xlink:href", "srcset", "action", "data", "poster"):
            if name in a:
                self.references.append(a[name] or "")
        if "style" in a and "url(" in (a["style"] or ""):
            self.references.append(a["style"])
        if tag in ("meta",):
            return
        self._stack.append((tag, a.get("id")))
        if a.get("id") is not None:
            self._open_ids.append([a["id"], []])
        if tag == "table" and a.get("id"):
            self._table = self.tables.setdefault(a["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        while self._stack:
            t, ident = self._stack.pop()
            if ident is not None:
                i, parts = self._open_ids.pop()
                self.text_by_id[i] = " ".join("".join(parts).split())
            if t in ("td", "th") and self._cell is not None:
                self._row.append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif t == "tr" and self._row is not None:
                self._table.append(self._row)
                self._row = None
            elif t == "table":
                self._table = None
            if t == tag:
                break

    def handle_data(self, data):
        for _, parts in self._open_ids:
            parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def rows(self, table_id):
        """Rows of a table without its header row."""
        rows = self.tables.get(table_id, [])
        return rows[1:] if rows and rows[0] and table_id != "messages-table" else rows


# --- PNG, read with zlib ---------------------------------------------------------------------

def read_png(path):
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA PNG, not interlaced."""
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG")
    i, idat, header = 8, [], None
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        check(zlib.crc32(kind + body) == struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0], f"{path}: bad CRC")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        i += 12 + n
    check(header is not None, f"{path}: no IHDR")
    width, height, depth, colour, _, _, interlace = header
    check(depth == 8 and colour in (2, 6) and interlace == 0, f"{path}: unexpected PNG format {header}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    check(len(raw) == height * (stride + 1), f"{path}: {len(raw)} bytes of pixels for {width}x{height}")
    rows, prev = [], bytes(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        prev = unfilter(kind, line, prev, bpp)
        rows.append(prev if bpp == 3 else bytes(b for k, b in enumerate(prev) if k % 4 != 3))
    return width, height, rows


LOW7 = None


def unfilter(kind, line, prev, bpp):
    global LOW7
    if kind == 0:
        return line
    if kind == 2:
        # Bytewise (a + b) mod 256 on whole rows as integers: no carry crosses a byte.
        n = len(line)
        if LOW7 is None or len(LOW7) != n:
            LOW7 = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
        a, b = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
        low, high = LOW7
        return (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(n, "big")
    out = bytearray(line)
    n = len(out)
    if kind == 1:
        for k in range(bpp, n):
            out[k] = (out[k] + out[k - bpp]) & 255
    elif kind == 3:
        for k in range(n):
            left = out[k - bpp] if k >= bpp else 0
            out[k] = (out[k] + ((left + prev[k]) >> 1)) & 255
    elif kind == 4:
        for k in range(n):
            if k >= bpp:
                a, c = out[k - bpp], prev[k - bpp]
            else:
                a = c = 0
            b = prev[k]
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            out[k] = (out[k] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    else:
        raise Failure(f"PNG filter type {kind}")
    return bytes(out)


def colours(rows):
    counts = collections.Counter()
    for row in rows:
        counts.update(zip(row[0::3], row[1::3], row[2::3]))
    return counts


def near(counts, colour, tolerance=6):
    return sum(n for c, n in counts.items() if all(abs(x - y) <= tolerance for x, y in zip(c, colour)))


# --- running things ----------------------------------------------------------------------------

def run(args, timeout=60):
    started = time.monotonic()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p, time.monotonic() - started


class Browser:
    def __init__(self, path, work):
        self.path = path
        # A profile of its own: nothing of a user's, and no lock shared with another Chromium.
        self.profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
        self.seconds = 0.0

    def run(self, url, *extra):
        args = [self.path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--user-data-dir=" + self.profile, "--window-size=%d,%d" % (WIDTH, HEIGHT),
                "--hide-scrollbars", *extra, url]
        p, seconds = run(args)
        self.seconds += seconds
        check(p.returncode == 0, f"chromium {' '.join(extra)} exited {p.returncode}: {p.stderr.decode(errors='replace')[-2000:]}")
        return p.stdout.decode("utf-8")

    def dom(self, url, *extra):
        return Dom(self.run(url, "--dump-dom", *extra))

    def screenshot(self, url, png, *extra):
        if os.path.exists(png):
            os.remove(png)
        self.run(url, "--screenshot=" + png, *extra)
        check(os.path.exists(png), f"no screenshot written to {png}")
        return read_png(png)


def page_requests(netlog_path):
    """URLs that the page (not the browser's own services) asked for: requests
    whose site for cookies is the file:// page."""
    log = json.load(open(netlog_path))
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for e in log["events"]:
        params = e.get("params")
        if names.get(e["type"]) == "URL_REQUEST_START_JOB" and isinstance(params, dict):
            if "site=file://" in str(params.get("site_for_cookies", "")) and not params.get("url", "").startswith("file:"):
                urls.append(params["url"])
    return urls


# --- what esc says -----------------------------------------------------------------------------

def terminal_summary(text):
    """The terminal summary's tables, read back: dispositions, reasons, domains, status codes."""
    out = {"deliveries": {}, "reasons": [], "domains": [], "statuses": []}
    section = None
    for line in text.splitlines():
        if not line.startswith(" "):
            section = {"Deliveries": "deliveries", "Failures by reason": "reasons"}.get(line)
            if line.startswith("Failures by recipient domain"):
                section = "domains"
            elif "enhanced status codes" in line.lower():
                section = "statuses"
            continue
        if section == "deliveries":
            m = re.match(r"^  (sent|deferred|bounced|other)\s+([\d,]+)\s+(\S+)", line)
            if m:
                out["deliveries"][m.group(1)] = [m.group(2), m.group(3)]
        elif section == "reasons":
            m = re.match(r"^  (\w+)\s+([\d,]+|-)\s+([\d,]+|-)\s+([\d.]+%)", line)
            if m and m.group(1) not in ("reason", "total"):
                out["reasons"].append(list(m.groups()))
        elif section == "domains":
            m = re.match(r"^  (\S+)\s+([\d,]+)\s+([\d,]+|-)\s+([\d,]+|-)\s+([\d.]+%)\s+(\w+)$", line)
            if m:
                out["domains"].append(list(m.groups()))
        elif section == "statuses":
            m = re.match(r"^  (\d\.\d+\.\d+)\s+([\d,]+)\s+([\d.]+%)\s+(.*)$", line)
            if m:
                out["statuses"].append(list(m.groups()))
    return out


def commas(n):
    return f"{n:,}"


def check_log(esc, browser, log, work, name, dark=False):
    """esc scan --html on one log, and the page in the browser."""
    page = os.path.join(work, name + ".html")
    for stale in (page, page + ".tmp"):
        if os.path.exists(stale):
            os.remove(stale)
    plain, _ = run([esc, "--color=never", "scan", "--no-progress", log])
    p, seconds = run([esc, "--color=never", "scan", "--no-progress", "--html", page, log])
    check(p.returncode == plain.returncode, f"{name}: --html changed the exit status {plain.returncode} -> {p.returncode}")
    check(p.stdout == plain.stdout, f"{name}: --html changed the terminal summary")
    check(os.path.exists(page) and not os.path.exists(page + ".tmp"), f"{name}: page not written, or FILE.tmp left")
    url = "file://" + os.path.abspath(page)

    summary = terminal_summary(plain.stdout.decode("utf-8"))
    records = [json.loads(line) for line in run([esc, "scan", "--json", log])[0].stdout.splitlines()]
    outcomes = collections.Counter(r["outcome"] for r in records)
    expected = {"sent": outcomes["success"], "deferred": outcomes["transient"], "bounced": outcomes["permanent"]}
    check(sum(expected.values()) > 0, f"{name}: no attempts in the sample log")

    # The DOM: sections, the JSON-derived totals, the terminal's rows, nothing external.
    dom = browser.dom(url)
    failures = expected["deferred"] + expected["bounced"]
    sections = ["deliveries"] + (["reasons", "domains", "statuses"] if failures else [])
    for s in sections:
        check(s in dom.text_by_id, f"{name}: no section #{s} in the DOM")
    for key, n in expected.items():
        got = dom.text_by_id.get("total-" + key)
        check(got == commas(n), f"{name}: total-{key} is {got!r}, --json says {n}")
    check(dom.text_by_id.get("total-attempts") == commas(len(records)),
          f"{name}: total-attempts {dom.text_by_id.get('total-attempts')!r}, --json has {len(records)} records")
    rows = {r[0]: r[1:3] for r in dom.rows("deliveries-table")}
    for key, cells in summary["deliveries"].items():
        check(rows.get(key) == cells, f"{name}: deliveries row {key}: page {rows.get(key)}, terminal {cells}")
    page_reasons = [r[:4] for r in dom.rows("reasons-table") if r[0] != "total"]
    check(page_reasons == summary["reasons"], f"{name}: reasons differ:\n page {page_reasons}\n terminal {summary['reasons']}")
    page_domains = [r[:6] for r in dom.rows("domains-table")]
    check(page_domains == summary["domains"], f"{name}: domains differ:\n page {page_domains}\n terminal {summary['domains']}")
    page_statuses = [r[:4] for r in dom.rows("statuses-table")]
    check(page_statuses == summary["statuses"], f"{name}: status codes differ:\n page {page_statuses}\n terminal {summary['statuses']}")
    extra_tags = set(dom.tags) - ALLOWED_TAGS
    check(not extra_tags, f"{name}: unexpected elements {extra_tags}")
    check(all(ref.startswith("#") for ref in dom.references), f"{name}: references out of the page: {dom.references}")
    charts = (["reasons-chart", "domains-chart"] if failures else []) + (["time-chart"] if "over-time" in dom.text_by_id else [])
    for chart in charts:
        check(chart in dom.text_by_id, f"{name}: no #{chart}")
    check(dom.tags["svg"] == len(charts) and dom.tags["desc"] == len(charts), f"{name}: {dom.tags['svg']} charts")

    # The screenshot: the requested size, not blank, the charts' colours drawn.
    width, height, pixels = browser.screenshot(url, os.path.join(work, name + ".png"))
    check((width, height) == (WIDTH, HEIGHT), f"{name}: screenshot is {width}x{height}")
    counts = colours(pixels)
    background, n = counts.most_common(1)[0]
    check(background == LIGHT_BG, f"{name}: background {background}, not the light scheme's")
    ink = 1 - n / (width * height)
    check(len(counts) > 30 and ink > 0.02, f"{name}: blank screenshot? {len(counts)} colours, {ink:.1%} not background")
    if expected["deferred"]:
        check(near(counts, DEFERRED) > 200, f"{name}: no deferred bars in the screenshot")
    if expected["bounced"]:
        check(near(counts, BOUNCED) > 200, f"{name}: no bounced bars in the screenshot")
    stats = {"colours": len(counts), "ink": round(ink, 3)}
    if dark:
        _, _, pixels = browser.screenshot(url, os.path.join(work, name + "-dark.png"), "--force-dark-mode")
        dark_counts = colours(pixels)
        check(dark_counts.most_common(1)[0][0] == DARK_BG, f"{name}: dark scheme background {dark_counts.most_common(1)[0][0]}")
        stats["dark colours"] = len(dark_counts)

    # No network: every name unresolvable, every request logged; the page renders the same.
    netlog = os.path.join(work, name + "-netlog.json")
    offline = browser.dom(url, "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=" + netlog)
    check(offline.text_by_id == dom.text_by_id, f"{name}: the page renders differently without a network")
    requests = page_requests(netlog)
    check(not requests, f"{name}: the page asked for {requests}")
    print(f"ok {name}: {commas(len(records))} attempts; esc --html {seconds:.2f} s; screenshot {stats}")
    return dom


def hostile(esc, browser, work):
    """Names from a log that try to be markup come out as text."""
    log = os.path.join(work, "hostile.log")
    with open(log, "w") as f:
        f.write('Nov 28 10:00:01 mx1 postfix/smtp[1]: 4F2A1C0D3: to=<bob@x.example<script>document.title="pwned"'
                '</script>>, relay=mx.example.com[192.0.2.1]:25, delay=1, dsn=5.1.1, status=bounced (host mx said: '
                '550 5.1.1 no)\n')
        f.write("Nov 28 10:00:02 mx1 postfix/smtp[2]: 4F2A1C0D4: to=<eve@'\"><img src=//evil.example/x.png "
                "onerror=alert(1)>.example>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to x: "
                "Connection timed out)\n")
    page = os.path.join(work, "hostile.html")
    p, _ = run([esc, "--color=never", "scan", "--no-progress", "--html", page, log])
    check(p.returncode == 0, f"hostile: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    netlog = os.path.join(work, "hostile-netlog.json")
    dom = browser.dom("file://" + os.path.abspath(page), "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=" + netlog)
    extra_tags = set(dom.tags) - ALLOWED_TAGS
    check(not extra_tags, f"hostile: the log's names became elements: {extra_tags}")
    names = [r[0] for r in dom.rows("domains-table")]
    check('x.example<script>document.title="pwned"</script' in names, f"hostile: domain not shown as text: {names}")
    check("'\"><img src=//evil.example/x.png onerror=alert(1)>.example" in names, f"hostile: {names}")
    check("pwned" not in dom.text_by_id.get("counts", "") and all(ref.startswith("#") for ref in dom.references),
          "hostile: references out of the page")
    check(not page_requests(netlog), f"hostile: the page asked for {page_requests(netlog)}")
    print("ok hostile: names shown as text, no element and no request from them")


def full_report(tool, browser, work):
    """The page of a report with every section (the doctest suite's sample, which has time rows, messages
    and rejects the scanner does not fill yet): the time chart drawn too."""
    page = os.path.join(work, "full.html")
    env = dict(os.environ, ESC_HTML_REPORT_OUT=page)
    p = subprocess.run([tool, "--test-case=a full report*"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=60)
    check(p.returncode == 0 and os.path.exists(page), f"full: {tool} exited {p.returncode}")
    url = "file://" + page
    dom = browser.dom(url)
    for s in ("deliveries", "over-time", "reasons", "domains", "statuses", "relays", "senders", "messages",
              "rejects", "time-chart", "reasons-chart", "domains-chart", "per-hour-table", "delay-table"):
        check(s in dom.text_by_id, f"full: no #{s} in the DOM")
    check(len(dom.rows("per-hour-table")) == 4, f"full: per-hour rows {dom.rows('per-hour-table')}")
    check(["deferred", "20 (70 deferrals)"] in dom.rows("messages-table"), f"full: {dom.rows('messages-table')}")
    check(dom.tags["svg"] == 3 and set(dom.tags) <= ALLOWED_TAGS, f"full: elements {dict(dom.tags)}")
    _, _, pixels = browser.screenshot(url, os.path.join(work, "full.png"))
    counts = colours(pixels)
    for name, colour in (("deferred", DEFERRED), ("bounced", BOUNCED), ("rejected", REJECTED), ("sent", SENT)):
        check(near(counts, colour) > 200, f"full: no {name} colour in the screenshot")
    # Printed (the print style: light colours, no navigation, sections kept whole where they fit).
    pdf = os.path.join(work, "full.pdf")
    browser.run(url, "--no-pdf-header-footer", "--print-to-pdf=" + pdf)
    data = open(pdf, "rb").read()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    check(data.startswith(b"%PDF-") and 1 <= pages <= 10, f"full: printed to {pages} pages")
    print(f"ok full: every section, the time chart drawn; printed on {pages} pages")


def control(browser, work):
    """The network check would see a page that fetches: an image and a style sheet from elsewhere."""
    page = os.path.join(work, "control.html")
    with open(page, "w") as f:
        f.write('<!DOCTYPE html><title>control</title><img src="http://example.invalid/x.png">'
                '<link rel="stylesheet" href="https://cdn.example.invalid/a.css">\n')
    netlog = os.path.join(work, "control-netlog.json")
    browser.dom("file://" + page, "--host-resolver-rules=MAP * ~NOTFOUND", "--log-net-log=" + netlog)
    requests = page_requests(netlog)
    check(any("example.invalid" in u for u in requests), f"control: the network log did not show the page's requests: {requests}")
    print(f"ok control: a fetching page is caught ({len(requests)} requests)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--esc", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--report-test", help="esc_html_report_test, which writes the page of a full report")
    ap.add_argument("--chromium", default=os.environ.get("ESC_CHROMIUM") or shutil.which("chromium"))
    args = ap.parse_args()
    if not args.chromium or not os.path.exists(args.chromium):
        if os.environ.get("ESC_REQUIRE_BROWSER"):
            print("FAIL: chromium not found and ESC_REQUIRE_BROWSER is set", file=sys.stderr)
            return 1
        print("skipped: chromium is not installed (apt-get install --no-install-recommends chromium)")
        return SKIP
    os.makedirs(args.work, exist_ok=True)
    work = os.path.abspath(args.work)
    started = time.monotonic()
    browser = Browser(args.chromium, work)
    try:
        control(browser, work)
        check_log(args.esc, browser, os.path.join(args.source, "examples/data/postfix.log"), work, "postfix", dark=True)
        check_log(args.esc, browser, os.path.join(args.source, "tests/cli/data/mixed.log"), work, "mixed")
        hostile(args.esc, browser, work)
        if args.report_test:
            full_report(args.report_test, browser, work)
    except (Failure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(browser.profile, ignore_errors=True)
    print(f"browser test: {time.monotonic() - started:.1f} s in all, {browser.seconds:.1f} s of it in Chromium")
    return 0


if __name__ == "__main__":
    sys.exit(main())
