#!/usr/bin/env python3
"""Scale benchmark (make bench, BENCH_SCALE cards): builds an archive of COUNT small cards
with the project's generator (bench/gen_load_cards.py) and measures, in this order:

- import: `charchive import` of the whole corpus; the overall rate and the rate over the
  last tenth of the cards (sustained to the end), from the row count sampled every second
  (a progress line every 30 s, so a run cut short still tells its rate), and the CPU time
  the import spent per card (user + system, all its threads: what the machine's load does
  not change);
- start: `charchive serve` from exec to the first 200 of /api/health, and its idle RSS;
- queries over HTTP on kept-alive connections: list page, one word, two words, a word found
  in nearly every card, a tag; p50/p99 with 1 client and with 8 clients (processes) at once,
  and the server's CPU time per request of the 1-client run;
- one keep-alive connection: the latency of requests 2 to 100 (a Nagle or delayed-ACK stall
  shows as ~40 ms);
- `charchive doctor` time, and what the database and the files weigh per card.

usage: scale_bench.py BUILD_DIR COUNT [--keep-archive]   (the corpus is cached in
BUILD_DIR/bench-scale/COUNT; the archive is rebuilt on every run, unless --keep-archive: then
the archive the last run left there is measured again, without the import). Prints a table and one JSON line (`scale: {...}`).
"""
import hashlib, http.client, json, multiprocessing, os, random, resource, shutil, sqlite3, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_load_cards as gen  # noqa: E402

TOKEN = "scale-bench-token"
REQUESTS_ONE = 200    # per query kind, one client
REQUESTS_EACH = 50    # per query kind and client, 8 clients
CLIENTS = 8


def corpus(build, count):
    root = os.path.join(build, "bench-scale", str(count))
    with open(os.path.join(HERE, "gen_load_cards.py"), "rb") as f:
        stamp = hashlib.sha256(f.read()).hexdigest()[:16] + f" {count}"
    stamp_file = os.path.join(root, ".stamp")
    if not os.path.exists(stamp_file) or open(stamp_file).read() != stamp:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        print(f"scale: generating {count:,} cards into {root}/corpus", flush=True)
        gen.main(os.path.join(root, "corpus"), count)
        open(stamp_file, "w").write(stamp)
    return root


def row_count(db):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT max(id) FROM cards").fetchone()[0] or 0
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(binary, data, corpus_dir, count):
    db = os.path.join(data, "cards.db")
    cpu_before = children_cpu_s()
    start = time.monotonic()
    proc = subprocess.Popen([binary, "import", "--data", data, corpus_dir], stdout=subprocess.DEVNULL)
    samples = []
    while proc.poll() is None:
        time.sleep(1)
        samples.append((time.monotonic() - start, row_count(db)))
        if len(samples) % 30 == 0:
            (t0, n0), (t1, n1) = samples[-30], samples[-1]
            print(f"scale: import {t1:7.0f} s  {n1:>9,} cards  {n1 / t1:6.0f} cards/s overall, "
                  f"{(n1 - n0) / (t1 - t0):6.0f} over the last 30 s", flush=True)
    elapsed = time.monotonic() - start
    cpu = children_cpu_s() - cpu_before
    if proc.returncode != 0:
        sys.exit(f"scale: charchive import exited with {proc.returncode}")
    samples.append((elapsed, count))
    # The last tenth: from the first sample at or past 90 % of the cards to the end.
    t0, n0 = next(((t, n) for t, n in samples if n >= 0.9 * count), samples[0])
    tail = (count - n0) / (elapsed - t0) if elapsed > t0 and count > n0 else count / elapsed
    return {"import_s": round(elapsed, 1), "import_rate": round(count / elapsed),
            "import_tail_rate": round(tail), "import_cpu_ms_per_card": round(cpu * 1000 / count, 3)}


def process_cpu_ms(pid):
    """The process's user + system time so far, all threads."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def start_server(binary, data):
    port_file = tempfile.mktemp(prefix="charchive-scale-port.")
    log = open(data + ".log", "ab")
    env = dict(os.environ, CHARCHIVE_TOKEN=TOKEN)
    start = time.monotonic()
    proc = subprocess.Popen([binary, "serve", "--data", data, "--port", "0", "--port-file", port_file],
                            stdout=log, stderr=log, env=env)
    while True:
        if proc.poll() is not None:
            sys.exit(f"scale: the server exited with {proc.returncode}; see {data}.log")
        try:
            port = int(open(port_file).read())
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                break
        except (OSError, ValueError, http.client.HTTPException):
            time.sleep(0.005)
    started = time.monotonic() - start
    os.unlink(port_file)
    return proc, port, started


def queries(count, kind, rng):
    """COUNT request paths of one kind, drawn with rng."""
    rare = gen.RARE_WORDS
    out = []
    for _ in range(count):
        if kind == "list":
            path = f"/api/cards?limit=50&page={rng.randint(1, 20)}"
        elif kind == "one-word":  # ranks 50-2000: ~0.06-2 % of the cards each
            path = f"/api/cards?limit=50&q={rare[rng.randint(50, 2000)]}"
        elif kind == "two-word":  # two of the 300 most frequent rare words
            path = f"/api/cards?limit=50&q={rare[rng.randint(0, 300)]}%20{rare[rng.randint(0, 300)]}"
        elif kind == "frequent-word":  # in nearly every card
            path = f"/api/cards?limit=50&q={rng.choice(gen.WORDS)}"
        else:  # tag: one in 8 cards has each
            path = f"/api/cards?limit=50&tags={rng.choice(gen.WORDS)}"
        out.append(path)
    return out


KINDS = ("list", "one-word", "two-word", "frequent-word", "tag")


def timed_requests(port, paths, read_totals=True):
    """Runs paths in order on one kept-alive connection; returns each latency in ms and, with
    read_totals, the totals seen (parsing each body costs the client CPU the server shares)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    latencies, totals = [], []
    for path in paths:
        t = time.perf_counter()
        c.request("GET", path, headers=headers)
        r = c.getresponse()
        body = r.read()
        latencies.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            raise RuntimeError(f"{path}: HTTP {r.status} {body[:200]!r}")
        if read_totals:
            totals.append(json.loads(body).get("total"))
        if r.getheader("Connection", "").lower() == "close":
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.close()
    return latencies, totals


def _client(args):
    port, paths = args
    return timed_requests(port, paths, read_totals=False)[0]


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    build, count = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    keep_archive = sys.argv[3:] == ["--keep-archive"]
    binary = os.path.join(build, "charchive")
    root = corpus(build, count)
    data = os.path.join(root, "data")
    result = {"cards": count, "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d", time.gmtime())}
    if keep_archive and os.path.exists(os.path.join(data, "cards.db")):
        print(f"scale: measuring the archive of the last run ({data}); no import", flush=True)
        result.update({"import_s": None, "import_rate": None, "import_tail_rate": None, "import_cpu_ms_per_card": None})
    else:
        shutil.rmtree(data, ignore_errors=True)
        # Start the import with no one else's dirty pages waiting to be written.
        subprocess.run(["sync"], check=True)
        print(f"scale: importing {count:,} cards", flush=True)
        result.update(run_import(binary, data, os.path.join(root, "corpus"), count))
        # The import leaves gigabytes of dirty pages; their writeback took CPU from the first
        # queries (8-client p99 130 ms at 100,000 cards right after it, 20-31 ms again later).
        subprocess.run(["sync"], check=True)

    files = subprocess.run(["du", "-sb", os.path.join(data, "files")], capture_output=True, text=True)
    db_bytes = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data) if f.startswith("cards.db"))
    result["db_bytes_per_card"] = round(db_bytes / count)
    result["file_bytes_per_card"] = round(int(files.stdout.split()[0]) / count)

    # At a million cards the import's corpus and files outweigh the page cache's room and push
    # parts of the database out: searches that read them from the disk took ten times as long.
    # A server that has been running holds its index in the page cache; read the database
    # once, so the queries measure that (and say what the read took).
    start = time.monotonic()
    for f in sorted(os.listdir(data)):
        if f.startswith("cards.db"):
            with open(os.path.join(data, f), "rb") as db_file:
                while db_file.read(1 << 22):
                    pass
    result["db_read_s"] = round(time.monotonic() - start, 1)

    proc, port, started = start_server(binary, data)
    try:
        result["start_s"] = round(started, 3)
        time.sleep(2)
        result["idle_rss_mib"] = rss_mib(proc.pid)
        rng = random.Random(20261201)
        per_kind = {}
        for kind in KINDS:
            timed_requests(port, queries(5, kind, rng))  # warm the statement and page caches
            cpu_before = process_cpu_ms(proc.pid)
            one, totals = timed_requests(port, queries(REQUESTS_ONE, kind, rng))
            cpu_per_request = (process_cpu_ms(proc.pid) - cpu_before) / REQUESTS_ONE
            with multiprocessing.Pool(CLIENTS) as pool:
                jobs = [(port, queries(REQUESTS_EACH, kind, rng)) for _ in range(CLIENTS)]
                many = [ms for part in pool.map(_client, jobs) for ms in part]
            per_kind[kind] = {"p50_1": percentile(one, 50), "p99_1": percentile(one, 99),
                              "p50_8": percentile(many, 50), "p99_8": percentile(many, 99),
                              "cpu_ms_1": round(cpu_per_request, 2),
                              "total_median": sorted(totals, key=lambda t: (isinstance(t, str), t))[len(totals) // 2]}
        result["queries"] = per_kind
        keepalive, _ = timed_requests(port, ["/api/cards?limit=50"] * 100)
        result["keepalive_ms"] = [round(ms, 2) for ms in keepalive[1:]]
        result["rss_after_mib"] = rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait()

    start = time.monotonic()
    doctor = subprocess.run([binary, "doctor", "--data", data], capture_output=True, text=True)
    result["doctor_s"] = round(time.monotonic() - start, 1)
    result["doctor_exit"] = doctor.returncode

    print(f"\nscale: {count:,} cards, {result['cores']} cores, {result['date']}")
    if result["import_s"] is not None:
        print(f"import        {result['import_s']:>8} s  {result['import_rate']:>7,} cards/s overall, "
              f"{result['import_tail_rate']:,} cards/s over the last tenth, "
              f"{result['import_cpu_ms_per_card']} ms of CPU per card")
    print(f"weight        database {result['db_bytes_per_card']:,} B/card, files {result['file_bytes_per_card']:,} B/card"
          f" (the database read into the page cache in {result['db_read_s']} s)")
    print(f"start         {result['start_s']:>8} s  idle RSS {result['idle_rss_mib']} MiB "
          f"(after the queries {result['rss_after_mib']} MiB)")
    print(f"doctor        {result['doctor_s']:>8} s  (exit {result['doctor_exit']})")
    print(f"{'query':<15}{'p50 1c':>9}{'p99 1c':>9}{'p50 8c':>9}{'p99 8c':>9}{'cpu/req':>9}  total (median)")
    for kind, q in result["queries"].items():
        print(f"{kind:<15}{q['p50_1']:>9.2f}{q['p99_1']:>9.2f}{q['p50_8']:>9.2f}{q['p99_8']:>9.2f}"
              f"{q['cpu_ms_1']:>9.2f}  {q['total_median']}")
    ka = result["keepalive_ms"]
    print(f"keep-alive    requests 2-100 on one connection: max {max(ka):.2f} ms, median {percentile(ka, 50):.2f} ms: "
          + " ".join(f"{ms:.1f}" for ms in ka))
    print("scale: " + json.dumps(result), flush=True)
    if result["doctor_exit"] != 0:
        sys.exit("scale: doctor found the archive inconsistent:\n" + doctor.stdout + doctor.stderr)


if __name__ == "__main__":
    main()
