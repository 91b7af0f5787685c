"""kill -9 during a push job to another archive (platform `archive`, ActivityPub): archive A
pushes N cards to archive B, which follows A (so it takes A's Creates); A is killed at a
random moment of the job and restarted on the same port (its public URL, so B still
verifies its signatures). TRIALS times, each with fresh archives. After the restart:
- the resumed job ends `done` with no failed card;
- every card of A is linked to B's copy and `synced`; none is left in `error` on A;
- B holds each of A's cards exactly once, none in `error`.
usage: python3 crash_hub_push.py CHARCHIVE_BINARY TRIALS WORK
"""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))
from harness import Checks, new_port_file, wait_port_file  # noqa: E402

BIN, TRIALS, WORK = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TOKEN = "crash-hub-token"
CARDS = 40
checks = Checks()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """`charchive serve` on a fixed loopback port (so a restart keeps its public URL)."""

    def __init__(self, data, port):
        self.data, self.port = data, port
        self.base = f"http://127.0.0.1:{port}"
        self.start()

    def start(self):
        port_file = new_port_file()
        log = open(self.data + ".log", "ab")
        self.proc = subprocess.Popen([BIN, "serve", "--data", self.data, "--port", str(self.port),
                                      "--port-file", port_file, "--ui", "/nonexistent"],
                                     stdout=log, stderr=log, env={**os.environ, "CHARCHIVE_TOKEN": TOKEN})
        wait_port_file(port_file, self.proc)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def api(self, method, path, body=None, timeout=60):
        import urllib.request
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {TOKEN}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return json.loads(res.read() or b"null")


def eventually(what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.1)  # polling state over the API
    return what()


def cards_of(node):
    return node.api("GET", "/api/cards?limit=500")["items"]


def archive_states(node):
    return [c["status"] for c in node.api("GET", "/api/federation/platforms/archive/cards")["cards"]]


def setup(k):
    root = os.path.join(WORK, f"trial{k}")
    os.makedirs(os.path.join(root, "cards"))
    for i in range(CARDS):
        with open(os.path.join(root, "cards", f"c{i:03d}.json"), "w") as f:
            json.dump({"spec": "chara_card_v2", "spec_version": "2.0",
                       "data": {"name": f"Hub{k} {i:03d}", "description": f"Card {i}. " + "lorem ipsum " * 400,
                                "first_mes": "Hello.", "extensions": {}}}, f)
    a_data, b_data = os.path.join(root, "a"), os.path.join(root, "b")
    subprocess.run([BIN, "import", "--data", a_data, os.path.join(root, "cards")], check=True,
                   stdout=subprocess.DEVNULL)
    a, b = Node(a_data, free_port()), Node(b_data, free_port())
    for me, other in ((a, b), (b, a)):
        me.api("PUT", "/api/hub", {"enabled": True, "public_url": me.base})
        me.api("POST", "/api/federation/platforms/archive", {"base_url": other.base, "enabled": True})
    b.api("POST", "/api/hub/follow", {})  # B takes A's Creates once it follows A

    def pending_on_a():
        return any(f["actor"] == f"{b.base}/ap/actor" for f in a.api("GET", "/api/hub")["followers"])

    eventually(pending_on_a)
    a.api("POST", "/api/hub/followers/accept", {"actor": f"{b.base}/ap/actor"})

    def b_follows():
        following = b.api("GET", "/api/hub")["following"]
        return following and following[0]["state"] == "accepted"

    if not checks.check(f"trial {k}: B follows A", eventually(b_follows)):
        raise RuntimeError("no follow")
    return a, b


def trial(k):
    a, b = setup(k)
    try:
        job = a.api("POST", "/api/federation/jobs", {"kind": "push", "platform": "archive", "all": True})["job"]
        time.sleep(random.uniform(0.2, 1.5))  # a random moment of the job
        a.kill()
        a.start()
        at_kill = a.api("GET", f"/api/federation/jobs/{job['id']}")["job"]

        def finished():
            got = a.api("GET", f"/api/federation/jobs/{job['id']}")["job"]
            return got if got["status"] in ("done", "failed", "cancelled") else None

        status = eventually(finished, 180) or {}
        a_errors = [e["message"] for e in a.api("GET", "/api/federation/events?status=error&limit=5")["events"]]
        b_errors = [e["message"] for e in b.api("GET", "/api/federation/events?status=error&limit=5")["events"]]
        a_states = archive_states(a)
        names_on_b = [c["name"] for c in cards_of(b) if c["name"].startswith(f"Hub{k} ")]
        b_states = archive_states(b)
        checks.check(f"trial {k}: killed with {at_kill['done']} of {at_kill['total']} done; the resumed job ends "
                     f"done, none failed", status.get("status") == "done" and status.get("failed") == 0,
                     json.dumps(status)[:300])
        checks.check(f"trial {k}: every card of A is synced with B, none in error",
                     len(a_states) == CARDS and all(s == "synced" for s in a_states),
                     f"{len(a_states)} linked, states {sorted(set(a_states))}, "
                     f"{sum(s == 'error' for s in a_states)} in error: {a_errors[:3]}")
        checks.check(f"trial {k}: B holds each card once, none in error",
                     len(names_on_b) == CARDS and len(set(names_on_b)) == CARDS and "error" not in b_states,
                     f"{len(names_on_b)} cards ({len(set(names_on_b))} names), B states {sorted(set(b_states))}: "
                     f"{b_errors[:3]}")
    finally:
        a.stop()
        b.stop()


def main():
    random.seed(os.environ.get("CRASH_SEED", time.time()))
    for k in range(1, TRIALS + 1):
        trial(k)
    checks.finish()


main()
