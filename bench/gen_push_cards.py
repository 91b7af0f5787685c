#!/usr/bin/env python3
"""Makes COUNT distinct cards with a real image for the push benchmark.

usage: gen_push_cards.py FIXTURE_PNG OUT_DIR COUNT

Each card is the fixture's PNG (Seraphina: a real 400x600 image that SillyTavern
decodes and re-encodes on import, as it does for real cards) with its card text
replaced by a copy whose name and description are numbered, so no two cards are
the same and SillyTavern names each file after its card.
"""
import base64, json, os, struct, sys, zlib

fixture, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
png = open(fixture, "rb").read()
chunks, at = [], 8
while at < len(png):
    length, ctype = struct.unpack(">I4s", png[at:at + 8])
    chunks.append((ctype, png[at + 8:at + 8 + length]))
    at += 12 + length
card = None
for ctype, data in chunks:
    if ctype == b"tEXt" and data.split(b"\0", 1)[0].lower() == b"chara":
        card = json.loads(base64.b64decode(data.split(b"\0", 1)[1]))
body = [c for c in chunks if c[0] not in (b"tEXt", b"IEND")]

def chunk(ctype, data):
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))

os.makedirs(out, exist_ok=True)
for i in range(count):
    doc = json.loads(json.dumps(card))
    doc["name"] = doc["data"]["name"] = f"Bench {i:04d}"
    doc["data"]["description"] = f"Bench card {i}. " + doc["data"]["description"]
    text = b"chara\0" + base64.b64encode(json.dumps(doc).encode())
    data = b"\x89PNG\r\n\x1a\n" + b"".join(chunk(t, d) for t, d in body) + chunk(b"tEXt", text) + chunk(b"IEND", b"")
    open(os.path.join(out, f"bench{i:04d}.png"), "wb").write(data)
