"""Imports every file of the hostile corpus (tests/bad/make_bad.py) through
`charchive import` and through POST /api/cards. Each must be refused with the
error kind and message its manifest entry names (CLI: exit 2 and one line;
HTTP: 400 with JSON {error}), with bounded memory, and nothing may be written:
the card count and the data dir's files stay as they were.

    bad_input.py CHARCHIVE_BINARY CORPUS_DIR
"""
import json, os, subprocess, sys, uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, card_total, workdir  # noqa: E402

BIN, CORPUS = sys.argv[1], sys.argv[2]
MAX_CLI_RSS_MIB = 200  # the largest allowed inflate is 50 MiB; the bombs are 1 GiB
MAX_SERVER_RSS_MIB = 400
manifest = json.load(open(os.path.join(CORPUS, "manifest.json")))
t = Checks()
work = workdir()
data = os.path.join(work, "data")

# A data dir holding one good card, so "nothing changed" has something to compare.
good = os.path.join(work, "good.json")
json.dump({"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Good", "description": "fine"}},
          open(good, "w"))
subprocess.run([BIN, "import", "--data", data, good], check=True, stdout=subprocess.DEVNULL)


def files_in(root):
    """Every file under the data dir but SQLite's own (db, -wal, -shm change on reads)."""
    out = set()
    for d, _, names in os.walk(root):
        for n in names:
            if ".db" not in n and "sqlite" not in n:
                out.add(os.path.relpath(os.path.join(d, n), root))
    return out


before = files_in(data)


def run_cli(args):
    """Runs the CLI; returns (exit code, stdout, stderr)."""
    p = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=120)
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def cli_peak_rss(args):
    """Peak RSS in MiB of one CLI run (wait4 gives this child's own rusage)."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(BIN, [BIN, *args])
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_maxrss / 1024


for entry in manifest:
    name, kind, message = entry["file"], entry["kind"], entry["message"]
    path = os.path.join(CORPUS, name)
    rc, out, err = run_cli(["import", "--data", data, path])
    lines = [l for l in err.splitlines() if l.strip()]
    t.check(f"cli {name}: exit 2 ({rc}) with one line naming '{kind}' and '{message}'",
            rc == 2 and len(lines) == 1 and f"{kind}: " in lines[0] and message in lines[0],
            f"stderr={err[:300]!r}")
    rc, out, _ = run_cli(["import", "--json", "--data", data, path])
    try:
        item = json.loads(out)[0]
    except (ValueError, IndexError, KeyError):
        item = {}
    t.check(f"cli --json {name}: error '{kind}: …'", rc == 2 and item.get("error", "").startswith(kind + ": ")
            and "id" not in item, f"got {out[:300]!r}")
    rss = cli_peak_rss(["import", "--data", data, path])
    t.check(f"cli {name}: peak RSS {rss:.0f} MiB < {MAX_CLI_RSS_MIB} MiB", rss < MAX_CLI_RSS_MIB)

t.check("the CLI imported nothing (data dir files unchanged)", files_in(data) == before,
        f"new: {sorted(files_in(data) - before)[:5]}")

server = Server(BIN, data)
before = files_in(data)  # serve creates its own files (the secret key) on the first start
try:
    total = card_total(server)
    t.check(f"the archive holds its one good card ({total})", total == 1)
    for entry in manifest:
        name, kind, message = entry["file"], entry["kind"], entry["message"]
        status, doc, raw = server.upload(name, open(os.path.join(CORPUS, name), "rb").read())
        result = (doc or {}).get("results", [{}])[0]
        t.check(f"http {name}: 400 {{error}} with kind '{kind}' and '{message}'",
                status == 400 and isinstance(doc, dict) and doc.get("error") and result.get("kind") == kind
                and message in result.get("error", "") and doc.get("imported") == 0,
                f"status={status} body={raw[:300]!r}")
    # All of them in one multipart request: each refused, nothing imported.
    boundary = "hostile" + uuid.uuid4().hex
    body = b""
    for entry in manifest:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{entry['file']}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode()
        body += open(os.path.join(CORPUS, entry["file"]), "rb").read() + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    status, doc, raw = server.json_raw("POST", "/api/cards", body,
                                       {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    kinds = [r.get("kind") for r in (doc or {}).get("results", [])]
    t.check(f"http: the whole corpus in one upload is refused file by file ({status})",
            status == 400 and kinds == [e["kind"] for e in manifest], f"kinds={kinds}")
    total = card_total(server)
    t.check(f"the card count is unchanged after every upload ({total})", total == 1)
    rss = server.peak_rss_mib()
    t.check(f"server peak RSS {rss:.0f} MiB < {MAX_SERVER_RSS_MIB} MiB", 0 < rss < MAX_SERVER_RSS_MIB)
    status, _, _ = server.request("GET", "/api/health", auth=False)
    t.check("the server still answers", status == 200)
finally:
    server.stop()
t.check("nothing was written to the data dir (no stray or staged files)", files_in(data) == before,
        f"new: {sorted(files_in(data) - before)[:5]}")
t.finish()
