#!/usr/bin/env python3
"""The floor of a bulk push to SillyTavern: a minimal client that imports card
files one after another with SillyTavern's own recipe (GET /csrf-token, then
multipart POST /api/characters/import with field `avatar` and file_type=png,
docs/peers.md "SillyTavern's native API"), on one kept-alive connection, and nothing
else (no read-back, no bookkeeping).

usage: st_floor_import.py BASE_URL DIR   -> prints {"cards", "seconds", "cards_per_s"}
"""
import http.client, json, os, sys, time, urllib.parse, uuid

base, folder = sys.argv[1], sys.argv[2]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
files = sorted(f for f in os.listdir(folder) if f.endswith(".png"))
start = time.perf_counter()
conn.request("GET", "/csrf-token")
res = conn.getresponse()
token = json.loads(res.read())["token"]
cookies = "; ".join(v.split(";", 1)[0] for k, v in res.getheaders() if k.lower() == "set-cookie")
for name in files:
    boundary = uuid.uuid4().hex
    data = open(os.path.join(folder, name), "rb").read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"{name}\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + (
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\npng\r\n"
            f"--{boundary}--\r\n").encode()
    conn.request("POST", "/api/characters/import", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookies, "X-CSRF-Token": token})
    answer = json.loads(conn.getresponse().read())
    if "file_name" not in answer:
        sys.exit(f"import of {name} failed: {answer}")
seconds = time.perf_counter() - start
print(json.dumps({"cards": len(files), "seconds": round(seconds, 2), "cards_per_s": round(len(files) / seconds, 1)}))
