"""The server against hostile HTTP clients: oversized bodies, slow-loris
heads, malformed request lines and headers, path traversal in every path
parameter and file name (a canary file beside the data dir and the UI dir is
never served), SQL and FTS syntax in every query parameter, auth on every
registered /api route, the failed-login limit, and security headers on every
kind of response. Talks only to 127.0.0.1.

    http_hostile.py CHARCHIVE_BINARY SOURCE_DIR
"""
import json, os, re, socket, subprocess, sys, threading, time, uuid
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, card_total, status_of, workdir  # noqa: E402
from routes import registered_routes  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
t = Checks()
work = workdir()
data = os.path.join(work, "data")
CANARY = "CANARY-" + uuid.uuid4().hex
for where in (os.path.join(work, "canary.txt"), "/tmp/charchive-canary.txt"):
    open(where, "w").write(CANARY)
ui = os.path.join(work, "ui")
os.makedirs(os.path.join(ui, "assets"))
open(os.path.join(ui, "index.html"), "w").write(
    '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>')
open(os.path.join(ui, "assets", "app.js"), "w").write("console.log(1)")
os.environ["CHARCHIVE_UI_DIR"] = ui

server = Server(BIN, data)
try:
    # One card, so card ids and versions exist for the parameters below.
    doc = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Target", "description": "d"}}
    status, body, _ = server.upload("target.json", json.dumps(doc).encode())
    t.check(f"a card to aim at was imported ({status})", status == 201)
    card_id = body["results"][0]["id"]

    # --- request deadlines, body limits, keep-alive ------------------------
    def hwm():
        return server.peak_rss_mib()

    before = hwm()
    def post_huge(path, results):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {256 << 20}\r\n\r\n".encode())
        resp = b""
        try:  # the answer comes from the head alone
            s.settimeout(5)
            while b"}" not in resp:
                got = s.recv(65536)
                if not got:
                    break
                resp += got
        except OSError:
            pass
        block, sent = b"x" * (1 << 20), 0
        try:  # and the body is sent all the same, as an attacker would
            while sent < (256 << 20):
                s.sendall(block)
                sent += len(block)
        except OSError:
            pass
        s.close()
        results.append(status_of(resp))

    huge = []
    senders = [threading.Thread(target=post_huge, args=(p, huge)) for p in ("/", "/assets/app.js", "/ap/outbox", "/nope")]
    for th in senders:
        th.start()
    for th in senders:
        th.join()
    after = hwm()
    t.check(f"four 256 MiB bodies to paths that take none: 413 each ({huge})", huge == [413] * 4)
    t.check(f"... and the server's peak RSS grew by under 32 MiB ({before:.0f} -> {after:.0f} MiB)",
            after - before < 32, (before, after))

    resp = server.raw(f"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {64 << 10}\r\n\r\n".encode(), read_timeout=5)
    t.check(f"a 64 KiB login body is refused from the head: 413 ({status_of(resp)})", status_of(resp) == 413, resp[:200])

    # curl -X POST sends no Content-Length: an empty body (RFC 9112 6.3), answered at once.
    started = time.time()
    curl = subprocess.run(["curl", "-s", "-m", "10", "-X", "POST", "-H", f"Authorization: Bearer {server.token}",
                           f"http://127.0.0.1:{server.port}/api/cards/{card_id}/favorite"], capture_output=True)
    took = time.time() - started
    t.check(f"curl -X POST (no Content-Length) is read as an empty body, answered in {took:.2f}s: {curl.stdout[:120]!r}",
            took < 2 and curl.stdout.startswith(b"{") and b"request failed" not in curl.stdout)

    # 70 clients trickling login bodies (more than the old pool's 64 threads).
    stop_trickle = threading.Event()
    def trickle_login():
        try:
            s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            s.sendall(b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 4000\r\n\r\n")
            while not stop_trickle.is_set():
                s.send(b" ")
                stop_trickle.wait(0.5)
            s.close()
        except OSError:
            pass
    tricklers = [threading.Thread(target=trickle_login) for _ in range(70)]
    for th in tricklers:
        th.start()
    time.sleep(2)
    health_times = []
    for _ in range(3):
        started = time.time()
        try:
            status, _, _ = server.request("GET", "/api/health", auth=False, timeout=5)
        except OSError:
            status = 0
        health_times.append((status, round(time.time() - started, 3)))
    stop_trickle.set()
    for th in tricklers:
        th.join()
    t.check(f"70 clients trickling login bodies: /api/health answers within 1 s ({health_times})",
            all(st == 200 and took < 1 for st, took in health_times))

    # Keep-alive: 20 requests on one connection against 20 new connections.
    def timed_requests(keep_alive):
        def read_response(sock, buf):
            while b"\r\n\r\n" not in buf:
                buf += sock.recv(65536)
            head, rest = buf.split(b"\r\n\r\n", 1)
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            while len(rest) < length:
                rest += sock.recv(65536)
            return head, rest[length:]
        req = (f"GET /api/cards?limit=5 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.token}\r\n\r\n").encode()
        times, heads, sock = [], [], None
        for i in range(21):
            started = time.perf_counter()
            if sock is None or not keep_alive:
                if sock:
                    sock.close()
                sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(req)
            head, _ = read_response(sock, b"")
            if i:  # the first request of a kept-alive connection pays no stall
                times.append(time.perf_counter() - started)
            heads.append(head)
        sock.close()
        return sorted(times)[len(times) // 2], heads

    kept_median, kept_heads = timed_requests(True)
    new_median, _ = timed_requests(False)
    t.check(f"20 requests on one kept-alive connection without a Nagle stall: median {kept_median * 1000:.1f} ms, "
            f"new connection each {new_median * 1000:.1f} ms", kept_median < 2 * new_median + 0.002)
    t.check("... all on the one connection, which says timeout=60, max=100",
            all(b"Connection: close" not in h for h in kept_heads) and b"timeout=60, max=100" in kept_heads[0])

    status, h, _ = server.request("GET", "/assets/app.js", auth=False, headers={"Accept-Encoding": "gzip, br"})
    t.check(f"hashed assets are cached for good and not compressed per request (no app.js.br: no brotli) ({h.get('cache-control')!r}, "
            f"{h.get('content-encoding')!r})", status == 200 and h.get("cache-control") ==
            "public, max-age=31536000, immutable" and h.get("content-encoding") != "br")
    status, h, _ = server.request("GET", "/", auth=False)
    t.check(f"index.html is asked for again each time ({h.get('cache-control')!r})", h.get("cache-control") == "no-cache")

    # --- oversized bodies -------------------------------------------------
    def content_length(resp):
        head = resp.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        for line in head.split("\r\n"):
            if line.startswith("content-length:"):
                return int(line.split(":", 1)[1])
        return 0

    def send_large(path, size, chunked=False, auth=True):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        if auth:
            head += f"Authorization: Bearer {server.token}\r\n"
        head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {size}\r\n\r\n"
        s.sendall(head.encode())
        # The server may answer from the head alone, before any of the body.
        s.settimeout(1.0)
        try:
            early = s.recv(65536)
        except socket.timeout:
            early = b""
        if early:
            # The answer may come in more than one segment: read to its Content-Length.
            s.settimeout(10)
            try:
                while b"\r\n\r\n" not in early or len(early.split(b"\r\n\r\n", 1)[1]) < content_length(early):
                    more = s.recv(65536)
                    if not more:
                        break
                    early += more
            except OSError:
                pass
            s.close()
            return early
        block = b"x" * (1 << 20)
        sent = 0
        try:
            while sent < size:
                piece = block if not chunked else b"%x\r\n" % len(block) + block + b"\r\n"
                s.sendall(piece)
                sent += len(block)
            if chunked:
                s.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may answer and close before all of it arrived
        s.settimeout(60)
        resp = b""
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                resp += b
                if b"\r\n\r\n" in resp and len(resp.split(b"\r\n\r\n", 1)[1]) >= 2 and resp.rstrip().endswith(b"}"):
                    break
        except OSError:
            pass
        s.close()
        return resp

    big = (256 << 20) + (1 << 20)
    resp = send_large("/api/cards", big)
    t.check(f"an upload over 256 MiB: 413 with JSON error ({status_of(resp)})",
            status_of(resp) == 413 and b'"error"' in resp and b"MiB" in resp, resp[:200])
    resp = send_large(f"/api/cards/{card_id}", big)
    t.check(f"a PATCH body over 256 MiB: 413 ({status_of(resp)})", status_of(resp) == 413, resp[:200])
    resp = send_large("/api/cards", big, chunked=True)
    t.check(f"a chunked upload (httplib would buffer any size): 411 with JSON error ({status_of(resp)})",
            status_of(resp) == 411 and b'"error"' in resp, resp[:200])
    resp = send_large("/api/cards", big, auth=False)
    t.check(f"an unauthenticated large upload: refused from the head, before the body ({status_of(resp)})",
            status_of(resp) in (401, 413), resp[:200])
    resp = server.raw(b"POST /api/cards HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.token.encode()
                      + b"\r\nContent-Length: 999999999999999999999\r\n\r\n")
    t.check(f"an absurd Content-Length: 4xx ({status_of(resp)})", 400 <= status_of(resp) < 500, resp[:200])
    t.check(f"the server's peak RSS stayed under 400 MiB ({server.peak_rss_mib():.0f})", server.peak_rss_mib() < 400)

    # --- slow-loris -------------------------------------------------------
    HEAD_TIMEOUT = 10  # ServerOptions::head_timeout_ms
    slow_results = []

    def slow_client(i):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=HEAD_TIMEOUT + 20)
        started = time.time()
        payload = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        closed_after = None
        for b in payload:
            try:
                s.send(bytes([b]))
                s.settimeout(1.0)
                got = s.recv(4096)
                if got == b"" or got:
                    closed_after = time.time() - started
                    break
            except socket.timeout:
                continue
            except OSError:
                closed_after = time.time() - started
                break
        s.close()
        slow_results.append(closed_after)

    slow = [threading.Thread(target=slow_client, args=(i,)) for i in range(12)]
    for th in slow:
        th.start()
    time.sleep(2)
    started = time.time()
    status, _, _ = server.request("GET", "/api/health", auth=False, timeout=5)
    took = time.time() - started
    t.check(f"12 slow-loris clients (more than httplib's 8 threads) do not block others: 200 in {took:.2f}s",
            status == 200 and took < 2)
    for th in slow:
        th.join()
    t.check(f"every slow-loris connection was cut off within {HEAD_TIMEOUT}+3 s: {slow_results}",
            len(slow_results) == 12 and all(r is not None and r < HEAD_TIMEOUT + 3 for r in slow_results))

    # A body trickled past the request's deadline is cut off: the deadline
    # covers the whole request (a body earns time only at 16 KiB/s or more).
    s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    body = json.dumps({"favorite": True}).encode()
    s.sendall(f"POST /api/cards/{card_id}/favorite HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.token}\r\n"
              f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
    started = time.time()
    resp, cut_after = b"", None
    for b in body:
        try:
            s.send(bytes([b]))
            s.settimeout(1.0)
            got = s.recv(65536)
            resp += got
            if got == b"":
                cut_after = time.time() - started
                break
        except socket.timeout:
            continue
        except OSError:
            cut_after = time.time() - started
            break
    s.close()
    t.check(f"a body trickled 1 byte/s is cut off at the request deadline ({cut_after}, {status_of(resp)})",
            cut_after is not None and cut_after < HEAD_TIMEOUT + 3 and status_of(resp) in (0, 408))

    # --- malformed request lines and headers -----------------------------
    malformed = {
        "garbage line": b"GARBAGE\r\n\r\n",
        "method only": b"GET\r\n\r\n",
        "no version": b"GET /api/health\r\n\r\n",
        "bad version": b"GET /api/health HTTP/9.9\r\n\r\n",
        "NUL in target": b"GET /api/he\0alth HTTP/1.1\r\nHost: x\r\n\r\n",
        "URI over 8 KiB": b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        "header over 8 KiB": b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10000 + b"\r\n\r\n",
        "negative Content-Length": b"POST /api/cards HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "text Content-Length": b"POST /api/cards HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "bad chunk size": b"POST /api/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nx\r\n0\r\n\r\n",
        "binary junk": bytes(range(256)) + b"\r\n\r\n",
        "bad percent escape": b"GET /api/cards/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
    }
    for name, payload in malformed.items():
        resp = server.raw(payload, read_timeout=15)
        code = status_of(resp)
        t.check(f"malformed request ({name}): 4xx, not 5xx ({code})", 400 <= code < 500, resp[:120])
    # httplib skips a header line without a colon; the request itself is fine.
    resp = server.raw(b"GET /api/health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", read_timeout=15)
    t.check(f"a header line without a colon is ignored or refused, never 5xx ({status_of(resp)})",
            status_of(resp) in (200, 400))
    status, _, _ = server.request("GET", "/api/health", auth=False)
    t.check("the server still answers after the malformed requests", status == 200)

    # --- path traversal ---------------------------------------------------
    evil = ["..", "%2e%2e", "%2E%2E", "..%2f..%2fcanary.txt", "%2e%2e%2f%2e%2e%2fcanary.txt",
            "../../canary.txt", "..%5c..%5ccanary.txt", "%00", "canary.txt%00.png", "%2fetc%2fpasswd",
            "/tmp/charchive-canary.txt", "%2ftmp%2fcharchive-canary.txt", "....//....//canary.txt", "%252e%252e"]
    prefixes = ["", "/assets/", "/api/cards/", f"/api/cards/{card_id}/versions/", "/api/federation/platforms/",
                f"/api/federation/cards/{card_id}/push/", f"/api/federation/cards/{card_id}/diff/",
                "/api/federation/jobs/", "/api/hub/cards/", "/ap/cards/", f"/api/cards/{card_id}/download?format="]
    leaks, bad_codes = [], []
    for prefix in prefixes:
        for e in evil:
            path = (prefix or "/") + e
            for method in ("GET", "POST"):
                req = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {server.token}\r\n"
                       "Content-Length: 2\r\nConnection: close\r\n\r\n{}").encode()
                resp = server.raw(req)
                code = status_of(resp)
                if CANARY.encode() in resp or b"root:x:0:0" in resp:
                    leaks.append(path)
                if not 400 <= code < 500:
                    bad_codes.append(f"{method} {path} -> {code}")
    t.check("no traversal request served a file outside the data and UI dirs", not leaks, leaks[:5])
    t.check("every traversal request got a 4xx", not bad_codes, bad_codes[:8])
    # File names in uploads are never used as paths.
    for name in ("../../canary.txt", "/tmp/charchive-canary.txt", "..\\..\\x.json", "a\0b.json", "%2e%2e/x.json"):
        body = dict(doc, data=dict(doc["data"], name="Upload " + name.replace("\0", "")))
        server.upload(name, json.dumps(body).encode())
    t.check("uploads named like paths wrote nothing outside the data dir",
            sorted(os.listdir(work)) == sorted(["canary.txt", "data", "ui"] +
                                               [f for f in os.listdir(work) if f.startswith("server-")]))
    t.check("the canaries are untouched", open(os.path.join(work, "canary.txt")).read() == CANARY
            and open("/tmp/charchive-canary.txt").read() == CANARY)

    # --- SQL and FTS syntax in every query parameter ----------------------
    nasty = ["'; DROP TABLE cards; --", "%", "_", "'", '"', "\\", "%25", "\0", "NULL", "1 OR 1=1", "a" * 2000,
             '"unbalanced', "AND OR", "*", "NEAR(", "NEAR(a b", "a NEAR/2 b", "(", ")", "-", "^", "name:x", "{a b}",
             "a OR", "OR", "NOT", "\"\"", "'''", "+", "a*b", "col:", "x\" OR \"1\"=\"1", "☃", "\udcff"]
    params = {"/api/cards": ["q", "tags", "exclude_tags", "creator", "source", "spec", "favorite", "has_lorebook",
                             "page", "limit", "sort", "order", "since", "sync", "platform", "status"],
              "/api/federation/events": ["card", "before", "limit", "platform", "status"],
              "/api/federation/platforms/sillytavern/cards": ["status"],
              "/api/federation/jobs": ["status", "limit"],
              f"/api/cards/{card_id}/download": ["format"],
              "/.well-known/webfinger": ["resource"], "/ap/outbox": ["page", "since"]}
    fivehundreds = []
    for path, names in params.items():
        for name in names:
            for value in nasty:
                q = quote(value.encode("utf-8", "surrogatepass"), safe="")
                status, _, raw = server.request("GET", f"{path}?{name}={q}")
                if status >= 500 or not raw.startswith((b"{", b"[")):
                    fivehundreds.append(f"{path}?{name}={value[:20]!r} -> {status}")
    t.check("SQL/FTS syntax in every query parameter: 200 or 4xx with JSON, never 5xx",
            not fivehundreds, fivehundreds[:8])
    t.check(f"the cards table survived ({card_total(server)} cards)", card_total(server) >= 1)

    # --- auth on every registered /api route ------------------------------
    routes = registered_routes(SRC)
    api_routes = [(m, p) for m, p, _ in routes if p.startswith("/api")]
    open_routes = {("GET", "/api/health"), ("POST", "/api/session")}
    t.check(f"the route reader found the /api routes ({len(api_routes)})", len(api_routes) >= 45)
    unguarded = []
    for method, path in api_routes:
        if (method, path) in open_routes:
            continue
        status, _, raw = server.request(method, path, body=b"{}", auth=False,
                                        headers={"Content-Type": "application/json"})
        if status != 401 or b'"error"' not in raw:
            unguarded.append(f"{method} {path} -> {status}")
    t.check(f"all {len(api_routes) - len(open_routes)} guarded /api routes answer 401 without a token",
            not unguarded, unguarded)
    status, _, _ = server.request("GET", "/api/no-such-route", auth=False)
    t.check(f"an unknown /api path answers 401 too, not 404 (routes are not enumerable) ({status})", status == 401)

    # --- security headers on every kind of response -----------------------
    def header_problems(h):
        problems = []
        csp = h.get("content-security-policy", "")
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        script = directives.get("script-src", directives.get("default-src", ""))
        if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
            problems.append(f"script policy {script!r}")
        if directives.get("frame-ancestors") != "frame-ancestors 'none'":
            problems.append("frame-ancestors")
        for name, want in (("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
                           ("referrer-policy", "no-referrer")):
            if h.get(name) != want:
                problems.append(f"{name}={h.get(name)!r}")
        return problems

    probes = [("GET", "/", False), ("GET", "/index.html", False), ("GET", "/assets/app.js", False),
              ("GET", "/api/health", False), ("GET", "/api/cards", False), ("GET", "/api/cards", True),
              ("GET", "/nope.txt", False), ("GET", "/api/cards/999999", True), ("GET", "/ap/actor", False),
              ("POST", "/api/cards", True), ("GET", f"/api/cards/{card_id}/image", True)]
    missing = []
    for method, path, auth in probes:
        status, h, _ = server.request(method, path, body=b"" if method == "POST" else None, auth=auth)
        if header_problems(h):
            missing.append(f"{method} {path} ({status}): {header_problems(h)}")
    resp = server.raw(b"GARBAGE\r\n\r\n")
    raw_headers = {}
    for line in resp.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        k, _, v = line.decode().partition(":")
        raw_headers[k.strip().lower()] = v.strip()
    if header_problems(raw_headers):
        missing.append(f"400 for a garbage request line: {header_problems(raw_headers)}")
    t.check("security headers on the UI, static files, API, errors and 4xx", not missing, missing)
    dist = os.path.join(SRC, "..", "ui", "dist", "index.html")
    for index in [p for p in (os.path.join(SRC, "..", "ui", "index.html"), dist) if os.path.exists(p)]:
        html = open(index).read()
        inline = [m for m in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S) if m[1].strip()]
        t.check(f"{os.path.relpath(index, os.path.join(SRC, '..'))} has no inline script (the CSP would block it)",
                not inline, inline[:2])

    # --- cross-site login storms count for nothing ------------------------
    storm = []
    for i in range(20):
        status, _, _ = server.request("POST", "/api/session", b'{"token":"guess"}', auth=False,
                                      headers={"Content-Type": "text/plain;charset=UTF-8",
                                               "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site",
                                               "Sec-Fetch-Mode": "no-cors"})
        storm.append(status)
    t.check(f"20 cross-site no-cors logins: 403 each, uncounted ({set(storm)})", set(storm) == {403})
    status, _, _ = server.request("GET", "/api/cards")
    t.check(f"after the storm the bearer token still works ({status})", status == 200)

    # --- failed logins are limited per address (last: it locks 127.0.0.1) -
    codes = [server.json("POST", "/api/session", {"token": f"guess-{i}"}, auth=False)[0] for i in range(5)]
    t.check(f"five wrong logins: 401 each ({codes})", codes == [401] * 5)
    status, h, raw = server.request("POST", "/api/session", json.dumps({"token": "guess-6"}).encode(), auth=False,
                                    headers={"Content-Type": "application/json"})
    retry = h.get("retry-after", "")
    t.check(f"the sixth: 429 with Retry-After ({status}, {retry!r}) and JSON error",
            status == 429 and retry.isdigit() and 1 <= int(retry) <= 60 and b'"error"' in raw)
    status, _, _ = server.request("POST", "/api/session", json.dumps({"token": server.token}).encode(), auth=False,
                                  headers={"Content-Type": "application/json"})
    t.check(f"while locked even the right token is refused at the login ({status})", status == 429)
    status, _, _ = server.request("GET", "/api/cards")
    t.check(f"and as a Bearer token ({status})", status == 429)
    status, _, _ = server.request("GET", "/api/health", auth=False)
    t.check("health still answers", status == 200)
finally:
    server.stop()
t.finish()
