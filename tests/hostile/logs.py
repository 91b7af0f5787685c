"""The operator log (docs/logging.md): one line for each request and each
refusal, with its reason; JSON lines that parse; and no secret in it.

A hub node (`serve --public-url`, JSON log at debug) is logged into, given
platforms with a known API key and password that point at a peer echoing every
request back, pushed to, asked with secret-looking query strings and
Authorization headers, refused (no credentials, a wrong token, a body too
large, a chunked body, no route, unsigned and badly signed inbox POSTs, a
login lockout) and stopped. Then a text-format server, and bad option values.

    logs.py CHARCHIVE_BINARY
"""
import base64, hashlib, json, os, re, socket, subprocess, sys, time, uuid
from email.utils import formatdate

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, EchoPeer, Server, workdir  # noqa: E402

BIN = sys.argv[1]
t = Checks()
work = workdir()
TOKEN = "tok-" + uuid.uuid4().hex
WRONG = "wrong-" + uuid.uuid4().hex
KEY = "sk-log-" + uuid.uuid4().hex
PASSWORD = "pw-log-" + uuid.uuid4().hex
QUERY_SECRET = "q-" + uuid.uuid4().hex
SECRETS = {"API token": TOKEN, "wrong token": WRONG, "API key": KEY, "password": PASSWORD,
           "basic credential": base64.b64encode(f"owner:{PASSWORD}".encode()).decode(),
           "query secret": QUERY_SECRET}

peer = EchoPeer()
server = Server(BIN, os.path.join(work, "data"), token=TOKEN, public=True,
                extra=["--log-format", "json", "--log-level", "debug"])
sent = []  # (method, path, status) of every request made, to find in the log


def call(method, target, doc=None, headers=None, auth=True):
    body = json.dumps(doc).encode() if doc is not None else b""
    h = {"Content-Type": "application/json", **(headers or {})}
    status, rh, raw = server.request(method, target, body, headers=h, auth=auth)
    sent.append((method, target.split("?")[0], status))
    try:
        return status, rh, json.loads(raw)
    except ValueError:
        return status, rh, None


def raw_status(payload):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        s.sendall(payload)
        return int(s.recv(4096).split(b" ", 2)[1])
    finally:
        s.close()


try:
    # Logged in with the token; the session cookie and CSRF token are secrets too.
    status, headers, body = call("POST", "/api/session", {"token": TOKEN}, auth=False)
    t.check(f"log in ({status})", status == 200)
    cookie = headers.get("set-cookie", "").split(";")[0]
    SECRETS["session cookie"] = cookie.split("=", 1)[1]
    SECRETS["CSRF token"] = body["csrfToken"]
    status, _, _ = call("GET", "/api/cards", headers={"Cookie": cookie}, auth=False)
    t.check(f"the session cookie works ({status})", status == 200)

    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Logged", "description": "d"}}
    status, up, _ = server.upload("card.json", json.dumps(card).encode())
    sent.append(("POST", "/api/cards", status))
    card_id = up["results"][0]["id"]
    s1, _, _ = call("POST", "/api/federation/platforms/architect",
                    {"base_url": peer.url, "enabled": True, "auth_kind": "bearer", "api_key": KEY})
    s2, _, _ = call("POST", "/api/federation/platforms/sillytavern",
                    {"base_url": peer.url, "enabled": True, "auth_kind": "basic", "username": "owner",
                     "api_key": PASSWORD})
    t.check(f"platforms configured with a key and a password ({s1}, {s2})", s1 == 200 and s2 == 200)
    call("POST", "/api/federation/platforms/architect/test")
    status, _, _ = call("POST", f"/api/federation/cards/{card_id}/push/sillytavern")
    t.check(f"a push to the echoing peer fails ({status})", status >= 400)
    status, _, queued = call("POST", "/api/federation/jobs", {"kind": "push", "platform": "architect",
                                                             "cardIds": [card_id]})
    t.check(f"a push job is queued ({status})", status == 202)
    job = queued["job"]
    deadline = time.time() + 60
    while time.time() < deadline:  # the job's own state, polled until it ends
        _, _, j = call("GET", f"/api/federation/jobs/{job['id']}")
        if j["job"]["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    t.check("the push job ended", j["job"]["status"] in ("done", "failed"), str(j))

    # Secrets in query strings and headers.
    call("GET", f"/api/cards?token={QUERY_SECRET}&api_key={QUERY_SECRET}&limit=1")
    call("GET", f"/api/health?access_token={QUERY_SECRET}", auth=False)
    status, _, _ = call("GET", "/api/cards", headers={"Authorization": f"Bearer {WRONG}"}, auth=False)
    t.check(f"a wrong bearer token is refused ({status})", status == 401)
    status, _, _ = call("GET", "/api/cards", auth=False)
    t.check(f"no credentials is refused ({status})", status == 401)
    call("GET", "/api/no/such/route")

    # Refused before the body is read.
    t.check("a body over the limit is refused (413)",
            raw_status(b"POST /api/cards HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN.encode() +
                       b"\r\nContent-Length: 999999999999\r\n\r\n") == 413)
    sent.append(("POST", "/api/cards", 413))
    t.check("a chunked body is refused (411)",
            raw_status(b"POST /api/cards HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 411)
    sent.append(("POST", "/api/cards", 411))

    # The inbox: no activity, no signature, a signer whose key cannot be had.
    status, _, _ = call("POST", "/ap/inbox", {"hello": "world"}, auth=False)
    t.check(f"an inbox POST that is no activity is refused ({status})", status == 400)
    activity = {"type": "Follow", "actor": peer.url + "/actor", "object": server.base + "/ap/actor"}
    status, _, _ = call("POST", "/ap/inbox", activity, auth=False)
    t.check(f"an unsigned inbox POST is refused ({status})", status == 401)
    body = json.dumps(activity).encode()
    signed = {"Date": formatdate(usegmt=True),
              "Digest": "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode(),
              "Signature": f'keyId="{peer.url}/actor#main-key",algorithm="rsa-sha256",'
                           f'headers="(request-target) host date digest",signature="AAAA"'}
    status, _, _ = server.request("POST", "/ap/inbox", body, headers={"Content-Type": "application/activity+json",
                                                                      **signed}, auth=False)
    sent.append(("POST", "/ap/inbox", status))
    t.check(f"an inbox POST signed with a key that cannot be fetched is refused ({status})", status == 401)

    # A login lockout, last: it locks this client out (the wrong bearer token above counted too).
    statuses = [call("POST", "/api/session", {"token": WRONG}, auth=False)[0] for _ in range(6)]
    t.check(f"wrong logins are refused, then locked out ({statuses})", statuses[0] == 401 and statuses[-1] == 429)
finally:
    server.stop()
peer.stop()

text = open(server.log_path, encoding="utf-8", errors="replace").read()
events, stray = [], []
for line in text.splitlines():
    if not line.strip():
        continue
    try:
        events.append(json.loads(line))
    except ValueError:
        stray.append(line)
t.check("every log line is a JSON object (the only other line is the serving notice on stdout)",
        all(isinstance(e, dict) for e in events) and all(s.startswith("charchive serving ") for s in stray),
        "\n".join(stray[:5]))
requests = [e for e in events if e.get("event") == "http_request"]
for method, path, status in sent:
    t.check(f"logged: {method} {path} {status}",
            any(r.get("method") == method and r.get("path") == path and r.get("status") == status for r in requests))
# A head httplib could not parse (path "-") was never routed: it has no start time or client.
t.check("every routed request's line has method, path, status, ms, client and a whole-number byte count",
        all({"method", "path", "status", "ms", "client"} <= r.keys() and isinstance(r.get("bytes", 0), int)
            for r in requests if r["path"] != "-"), str([r for r in requests if "ms" not in r][:3]))


def refused(status, reason, path=None):
    return any(r["status"] == status and r.get("reason") == reason and (path is None or r["path"] == path)
               for r in requests)


for status, reason, path in [(401, "no_credentials", "/api/cards"), (401, "wrong_token", "/api/cards"),
                             (401, "wrong_token", "/api/session"), (429, "login_rate_limited", "/api/session"),
                             (413, "body_too_large", "/api/cards"), (411, "chunked_body", "/api/cards"),
                             (404, "no_route", "/api/no/such/route"), (400, "bad_activity", "/ap/inbox"),
                             (401, "unsigned", "/ap/inbox"), (401, "unknown_key", "/ap/inbox")]:
    t.check(f"the {status} on {path} is logged with reason {reason}", refused(status, reason, path))
inbox = [e for e in events if e.get("event") == "inbox_refused"]
for reason in ("bad_activity", "unsigned", "unknown_key"):
    t.check(f"inbox_refused with reason {reason}", any(e.get("reason") == reason and e.get("message") for e in inbox))
t.check("the signed refusal names the activity and its actor",
        any(e.get("activity") == "Follow" and e.get("actor") == peer.url + "/actor" for e in inbox))
syncs = [e for e in events if e.get("event") == "sync_event"]
t.check("the connection test and the failed pushes are sync_events with platform, card and outcome",
        any(e["action"] == "test" and e["platform"] == "architect" and e["status"] == "error" for e in syncs) and
        any(e["action"] == "push" and e["platform"] == "sillytavern" and e.get("card") == card_id and
            e["status"] == "error" and e.get("trigger") == "api" for e in syncs) and
        any(e["action"] == "push" and e["platform"] == "architect" and e.get("trigger") == "job" for e in syncs),
        json.dumps(syncs)[:600])
names = [e.get("event") for e in events]
t.check("the job has a start and a finish line with counts",
        any(e.get("event") == "job_started" and e.get("job") == job["id"] and e.get("cards") == 1 for e in events) and
        any(e.get("event") == "job_finished" and e.get("job") == job["id"] and e.get("total") == 1 and
            e.get("failed") == 1 for e in events))
started = [e for e in events if e.get("event") == "server_started"]
t.check("server_started has the address, data dir and version",
        len(started) == 1 and started[0].get("address") == f"127.0.0.1:{server.port}" and
        started[0].get("data_dir", "").endswith("data") and re.match(r"\d+\.\d+", started[0].get("version", "")))
t.check("the stop is logged (signal, then stopped)",
        "server_stopping" in names and "server_stopped" in names and names.index("server_stopping") < names.index("server_stopped"))
for what, secret in SECRETS.items():
    at = text.find(secret)
    t.check(f"the {what} is nowhere in the log", at < 0, text[max(0, at - 200):at + 50])

# Text format, the default: a line per request, key=value.
text_server = Server(BIN, os.path.join(work, "text-data"), token=TOKEN)
try:
    text_server.request("GET", f"/api/cards?token={QUERY_SECRET}")
    text_server.request("GET", "/api/cards", auth=False)
finally:
    text_server.stop()
text_log = open(text_server.log_path, encoding="utf-8", errors="replace").read()
ts = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
t.check("text: a request is one key=value line",
        re.search(ts + r" info http_request method=GET path=/api/cards status=200 ms=[\d.]+ client=127\.0\.0\.1 bytes=\d+\n",
                  text_log), text_log[-800:])
t.check("text: a refusal names its reason",
        re.search(ts + r" warn http_request method=GET path=/api/cards status=401 .*reason=no_credentials", text_log))
t.check("text: no debug lines at the default level, no secret", " debug " not in text_log and QUERY_SECRET not in text_log
        and TOKEN not in text_log)

# Bad values: exit 2, one line, nothing started.
for args in (["serve", "--log-level", "loud"], ["serve", "--log-format", "xml"],
             ["push", "--platform", "architect", "--all", "--log-level", "verbose"],
             ["source", "sync", "chub", "--log-format", "yaml"]):
    p = subprocess.run([BIN, *args, "--data", os.path.join(work, "bad-data")], capture_output=True, text=True,
                       timeout=30)
    lines = p.stderr.strip().splitlines()
    t.check(f"{' '.join(args)}: exit 2 with one line ({p.returncode}: {p.stderr.strip()})",
            p.returncode == 2 and len(lines) == 1 and "bad_flag" in lines[0] and p.stdout == "")
t.check("a bad log option touches no data dir", not os.path.exists(os.path.join(work, "bad-data")))
t.finish()
