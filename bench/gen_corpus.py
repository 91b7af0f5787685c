#!/usr/bin/env python3
"""Generates a deterministic benchmark corpus of realistic character cards.

usage: gen_corpus.py OUT_DIR [COUNT] [MAX_IMAGE_KB [MIN_IMAGE_KB]]

Realistic means shaped like real cards (the Seraphina fixture): a 10-30 KB card
JSON with description, first message, alternate greetings, tags and a lorebook of
about ten entries; PNGs with both `chara` (V2) and `ccv3` chunks, like SillyTavern
writes, and one IDAT chunk of 300-700 KB by default, about 500 KB like the fixture's
(random bytes: parsers skip image data by length, so its content does not matter, only
its size; with MAX_IMAGE_KB alone the range is MAX/6..MAX). 85 % PNG, 10 % JSON,
5 % CharX; V2 and V3 mixed. The same arguments always give the same files.
"""
import base64, io, json, os, random, struct, sys, zipfile, zlib

out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
max_image = int(sys.argv[3]) * 1000 if len(sys.argv) > 3 else 700_000
if len(sys.argv) > 4:
    min_image = int(sys.argv[4]) * 1000
else:
    min_image = max_image // 6 if len(sys.argv) > 3 else 300_000
os.makedirs(out, exist_ok=True)
rng = random.Random(20261124)
WORDS = ("the of and a to in is you that it he was for on are as with his they at be this have from or one "
         "had by word but not what all were we when your can said there use an each which she do how their if "
         "will up other about out many then them these so some her would make like him into time has look two "
         "more write go see number no way could people my than first water been call who oil its now find long "
         "down day did get come made may part forest healer magic ancient guardian whisper shadow light").split()

def text(n_words):
    return " ".join(rng.choice(WORDS) for _ in range(n_words)).capitalize() + "."

def card(i):
    v3 = rng.random() < 0.5
    data = {
        "name": f"Bench Character {i}", "description": "\n\n".join(text(120) for _ in range(rng.randint(3, 8))),
        "personality": text(40), "scenario": text(60), "first_mes": "\n\n".join(text(80) for _ in range(3)),
        "mes_example": "<START>\n{{user}}: " + text(15) + "\n{{char}}: " + text(40),
        "creator_notes": text(30), "system_prompt": "", "post_history_instructions": "",
        "alternate_greetings": [text(60) for _ in range(rng.randint(0, 4))],
        "tags": rng.sample(["fantasy", "sci-fi", "romance", "adventure", "comedy", "horror", "female", "male", "oc"], 3),
        "creator": f"creator{i % 97}", "character_version": "1.0",
        "extensions": {"talkativeness": "0.5", "fav": False, "world": "", "depth_prompt": {"prompt": "", "depth": 4, "role": "system"}},
        "character_book": {"name": "", "extensions": {}, "entries": [
            {"id": k, "keys": [rng.choice(WORDS), rng.choice(WORDS)], "secondary_keys": [], "comment": text(3),
             "content": text(rng.randint(40, 120)), "constant": False, "selective": True, "insertion_order": 100,
             "enabled": True, "position": "before_char", "use_regex": True,
             "extensions": {"position": 0, "depth": 4, "probability": 100, "useProbability": True}}
            for k in range(rng.randint(6, 14))]},
    }
    if v3:
        data["group_only_greetings"] = []
    doc = {"spec": "chara_card_v3" if v3 else "chara_card_v2", "spec_version": "3.0" if v3 else "2.0", "data": data}
    # SillyTavern-style V1 mirrors on half of them.
    if rng.random() < 0.5:
        for f in ("name", "description", "personality", "scenario", "first_mes", "mes_example"):
            doc[f] = data[f]
        doc.update(fav=False, chat=f"Bench Character {i} - 2026-11-24", create_date="2026-11-24T12:00:00.000Z")
    return doc

def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

def png(doc):
    size = rng.randint(min_image, max_image)
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 400, 600, 8, 2, 0, 0, 0))
    v2 = dict(doc, spec="chara_card_v2", spec_version="2.0")
    v3 = dict(doc, spec="chara_card_v3", spec_version="3.0")
    return (b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", rng.randbytes(size))
            + chunk(b"tEXt", b"chara\0" + base64.b64encode(json.dumps(v2).encode()))
            + chunk(b"tEXt", b"ccv3\0" + base64.b64encode(json.dumps(v3).encode())) + chunk(b"IEND", b""))

for i in range(count):
    doc = card(i)
    kind = rng.random()
    if kind < 0.85:
        open(f"{out}/card{i:05d}.png", "wb").write(png(doc))
    elif kind < 0.95:
        open(f"{out}/card{i:05d}.json", "w").write(json.dumps(doc, indent=2))
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("card.json", json.dumps(dict(doc, spec="chara_card_v3", spec_version="3.0")))
        open(f"{out}/card{i:05d}.charx", "wb").write(buf.getvalue())
