"""Crash consistency of the server's writes (issue 10): `kill -9` of `charchive serve` at a
random moment during an edit storm, a pull of new cards and a bulk push job, and of the CLI
importer during an import, TRIALS times in turn. After every kill:
- `charchive doctor` finds the store consistent (integrity ok, rows and files in step);
- every card is whole: its content hash is the one of its content (a restart re-derives
  nothing), and each edited card holds the last edit the server acknowledged, or the one
  in flight;
- (first, without a kill) two clients editing one card at once lose no update;
- the restarted server finishes what was interrupted: the push job resumes and ends with
  every card on the peer exactly once; a second pull imports each peer card exactly once.
usage: python3 crash_consistency.py CHARCHIVE_BINARY FAKE_SILLYTAVERN_JS TRIALS WORK
"""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))
from harness import new_port_file, serve_args, wait_port_file  # noqa: E402

BIN, FAKE_ST, TRIALS, WORK = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
DATA = os.path.join(WORK, "data")
TOKEN = "crash-token"
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}", flush=True)
    else:
        failed += 1
        print(f"FAILED - {name} {detail}", flush=True)


def request(base, method, path, body=None, token=TOKEN, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as res:
        return json.loads(res.read() or b"null")


class Server:
    def __init__(self):
        log = open(DATA + ".log", "ab")
        port_file = new_port_file()
        self.proc = subprocess.Popen([BIN, "serve", "--data", DATA, *serve_args(port_file)],
                                     stdout=log, stderr=log, env={**os.environ, "CHARCHIVE_TOKEN": TOKEN})
        self.port = wait_port_file(port_file, self.proc)
        self.base = f"http://127.0.0.1:{self.port}"

    def api(self, method, path, body=None):
        return request(self.base, method, path, body)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def doctor(label):
    out = subprocess.run([BIN, "doctor", "--data", DATA, "--json"], capture_output=True, text=True)
    report = json.loads(out.stdout) if out.stdout.strip().startswith("{") else {}
    check(f"{label}: doctor finds the store consistent", out.returncode == 0 and report.get("consistent"),
          out.stdout + out.stderr)
    return report


def card_json(name, text):
    return {"spec": "chara_card_v2", "spec_version": "2.0",
            "data": {"name": name, "description": text, "first_mes": "Hello.", "tags": ["crash"], "extensions": {}}}


def write_cards(folder, prefix, n):
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        with open(os.path.join(folder, f"{prefix}{i:04d}.json"), "w") as f:
            json.dump(card_json(f"{prefix} {i:04d}", f"Card {i} of {prefix}. " + "lorem ipsum " * 100), f)


def all_cards(server):
    cards, page = [], 1
    while True:
        got = server.api("GET", f"/api/cards?limit=200&page={page}")
        cards += got["items"]
        if len(cards) >= got["total"] or not got["items"]:
            return cards
        page += 1


def kill_at_random(server, low=0.05, high=0.6):
    time.sleep(random.uniform(low, high))
    server.kill()


def trial_import(k):
    folder = os.path.join(WORK, f"import{k}")
    write_cards(folder, f"Imported{k}", 300)
    proc = subprocess.Popen([BIN, "import", "--data", DATA, folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.05, 0.6))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    doctor(f"trial {k} (import killed)")
    done = subprocess.run([BIN, "import", "--data", DATA, folder], capture_output=True, text=True)
    server = Server()
    names = [c["name"] for c in all_cards(server) if c["name"].startswith(f"Imported{k} ")]
    check(f"trial {k}: re-running the import completes it, no card twice",
          done.returncode == 0 and len(names) == 300 and len(set(names)) == 300, f"{len(names)} cards")
    return server


def trial_edit(k, server):
    ids = [c["id"] for c in all_cards(server)][:40]
    acknowledged = {}  # card id -> the last edit number the server answered 200 for
    sent = {}
    stop = threading.Event()

    def writer(mine):
        n = 0
        while not stop.is_set():
            n += 1
            for card in mine:
                sent[card] = n
                try:
                    server.api("PATCH", f"/api/cards/{card}", {"data": {"scenario": f"edit {k}.{n}"}})
                    acknowledged[card] = n
                except Exception:
                    return

    threads = [threading.Thread(target=writer, args=(ids[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    kill_at_random(server)
    stop.set()
    for t in threads:
        t.join()
    doctor(f"trial {k} (edits killed)")
    server = Server()
    lost = []
    for card in ids:
        got = server.api("GET", f"/api/cards/{card}")["data"].get("scenario", "")
        n = int(got.split(".")[-1]) if got.startswith(f"edit {k}.") else 0
        if n < acknowledged.get(card, 0) or n > sent.get(card, 0):
            lost.append((card, got, acknowledged.get(card), sent.get(card)))
    check(f"trial {k}: every acknowledged edit survived ({sum(acknowledged.values())} edits)", not lost, str(lost[:3]))
    return server


def trial_pull(k, server, st):
    for i in range(150):
        body = json.dumps(card_json(f"Peer{k} {i:03d}", f"Made in SillyTavern, {i}.")).encode()
        urllib.request.urlopen(urllib.request.Request(st + "/__add", data=body, method="POST")).read()
    pulling = threading.Thread(target=lambda: _quietly(server.api, "POST", "/api/federation/pull/sillytavern", {"new": True}))
    pulling.start()
    kill_at_random(server, 0.05, 0.4)
    pulling.join()
    doctor(f"trial {k} (pull killed)")
    server = Server()
    before = len([c for c in all_cards(server) if c["name"].startswith(f"Peer{k} ")])
    server.api("POST", "/api/federation/pull/sillytavern", {"new": True})
    names = [c["name"] for c in all_cards(server) if c["name"].startswith(f"Peer{k} ")]
    check(f"trial {k}: killed with {before} of 150 pulled; the pull after the restart brings each peer card exactly once",
          len(names) == 150 and len(set(names)) == 150, f"{len(names)} cards")
    return server


def trial_push(k, server, st):
    job = server.api("POST", "/api/federation/jobs", {"kind": "push", "platform": "sillytavern", "all": True})["job"]
    kill_at_random(server, 0.1, 0.8)
    doctor(f"trial {k} (push job killed)")
    server = Server()
    at_kill = server.api("GET", f"/api/federation/jobs/{job['id']}")["job"]["done"]
    status = None
    for _ in range(1200):
        status = server.api("GET", f"/api/federation/jobs/{job['id']}")["job"]
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    names = json.loads(urllib.request.urlopen(st + "/__names").read())
    archive = {c["name"] for c in all_cards(server)}
    duplicates = [n for n in names if n.endswith("1") and n[:-1] in names]
    check(f"trial {k}: killed with {at_kill} of {job['total']} pushed; the resumed job ends with every card on the peer once",
          status["status"] == "done" and status["failed"] == 0 and archive <= set(names) and not duplicates,
          f"{status} missing={len(archive - set(names))} duplicates={duplicates[:3]}")
    return server


def concurrent_edits(server):
    """Two clients edit different fields of one card at once, 50 times each: no update is lost."""
    card = all_cards(server)[0]["id"]
    versions_before = len(server.api("GET", f"/api/cards/{card}/versions")["versions"])

    def writer(field):
        for n in range(1, 51):
            server.api("PATCH", f"/api/cards/{card}", {"data": {field: f"{field} {n}"}})

    threads = [threading.Thread(target=writer, args=(f,)) for f in ("scenario", "personality")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = server.api("GET", f"/api/cards/{card}")["data"]
    versions = len(server.api("GET", f"/api/cards/{card}/versions")["versions"])
    check("two clients editing one card at once: both last edits are there, each edit is a version",
          data.get("scenario") == "scenario 50" and data.get("personality") == "personality 50"
          and versions == versions_before + 100, f"{data.get('scenario')!r} {data.get('personality')!r} {versions}")


def _quietly(fn, *args):
    try:
        fn(*args)
    except Exception:
        pass


def whole_cards(server, label):
    """A sample of cards downloaded as JSON: `charchive info` must find their recorded content hash."""
    cards = all_cards(server)
    broken = []
    for c in random.sample(cards, min(60, len(cards))):
        path = os.path.join(WORK, "download.json")
        req = urllib.request.Request(f"{server.base}/api/cards/{c['id']}/download?format=json")
        req.add_header("Authorization", f"Bearer {TOKEN}")
        with urllib.request.urlopen(req) as res, open(path, "wb") as f:
            f.write(res.read())
        info = subprocess.run([BIN, "info", "--json", path], capture_output=True, text=True).stdout
        got = json.loads(info).get("content_hash") if info.startswith("{") else None
        if got != c["content_hash"]:
            broken.append((c["id"], got, c["content_hash"]))
    check(f"{label}: every card is whole (the downloaded card has the recorded content hash)", not broken,
          str(broken[:3]))


def main():
    random.seed(os.environ.get("CRASH_SEED", time.time()))
    os.makedirs(WORK, exist_ok=True)
    port_file = os.path.join(WORK, "st.port")
    fake = subprocess.Popen(["node", FAKE_ST, port_file])
    try:
        for _ in range(100):
            if os.path.exists(port_file) and open(port_file).read():
                break
            time.sleep(0.05)
        st = f"http://127.0.0.1:{open(port_file).read()}"
        write_cards(os.path.join(WORK, "seed"), "Seed", 200)
        subprocess.run([BIN, "import", "--data", DATA, os.path.join(WORK, "seed")], check=True, stdout=subprocess.DEVNULL)
        server = Server()
        server.api("POST", "/api/federation/platforms/sillytavern", {"base_url": st, "enabled": True})
        concurrent_edits(server)
        for k in range(1, TRIALS + 1):
            kind = ("import", "edit", "pull", "push")[(k - 1) % 4]
            if kind == "import":
                server.kill()
                server = trial_import(k)
            elif kind == "edit":
                server = trial_edit(k, server)
            elif kind == "pull":
                server = trial_pull(k, server, st)
            else:
                server = trial_push(k, server, st)
        whole_cards(server, "after all trials")
        server.kill()
        doctor("at the end")
    finally:
        fake.kill()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
