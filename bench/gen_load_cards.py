#!/usr/bin/env python3
"""Makes COUNT small distinct PNG cards fast, for the load benchmark (100,000 by default).

usage: gen_load_cards.py OUT_DIR COUNT

Each card is a 48x48 RGB PNG (one of 64 noise images, so thumbnails do real work) with a
V2 `chara` chunk of about 1.5 KB: a name, a creator, tags and a description of common
words (so searches match thousands of cards). The same arguments give the same files.
"""
import base64, json, os, random, struct, sys, zlib

out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(20261129)
WORDS = ("forest healer magic ancient guardian whisper shadow light water people river storm knight "
         "dragon tavern library merchant scholar pirate witch garden winter summer city mountain").split()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def image(seed):
    r = random.Random(seed)
    rows = b"".join(b"\0" + bytes(r.getrandbits(8) for _ in range(48 * 3)) for _ in range(48))
    return chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 6))


images = [image(i) for i in range(64)]
for i in range(count):
    words = " ".join(rng.choice(WORDS) for _ in range(120))
    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {
        "name": f"Load {i:06d}", "creator": f"creator{i % 500}", "tags": rng.sample(WORDS, 3),
        "description": f"Card {i}. {words}", "first_mes": "Hello.", "extensions": {}}}
    text = chunk(b"tEXt", b"chara\0" + base64.b64encode(json.dumps(card).encode()))
    with open(os.path.join(out, f"load{i:06d}.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + images[i % 64] + text + chunk(b"IEND", b""))
