#!/usr/bin/env python3
"""Makes COUNT small distinct PNG cards fast, for the load and scale benchmarks.

usage: gen_load_cards.py OUT_DIR COUNT

Each card is a 48x48 RGB PNG (one of 64 noise images, so thumbnails do real work) with a
V2 `chara` chunk of about 1.5 KB: a name, a creator, 3 tags of 24 common words and a
description of 120 of those common words (each is in nearly every card: the worst case of
a search) plus 12 words of a 20,000-word made-up vocabulary drawn by Zipf's law (a rank-r
word is in about 12 * COUNT / (r * 10.5) cards: what a user's one- and two-word searches
find). `RARE_WORDS` below is that vocabulary, in rank order; bench/scale_bench.py imports
it to choose its queries. Files go into subfolders of 10,000. The same arguments give the
same files.
"""
import base64, bisect, itertools, json, os, random, struct, sys, zlib

WORDS = ("forest healer magic ancient guardian whisper shadow light water people river storm knight "
         "dragon tavern library merchant scholar pirate witch garden winter summer city mountain").split()
_SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ar", "en", "ol")]
RARE_WORDS = ["".join(p) for p in itertools.islice(
    ((x, y, z) for z in _SYLLABLES for y in _SYLLABLES for x in _SYLLABLES if x != y), 20000)]
RARE_PER_CARD = 12


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def image(seed):
    r = random.Random(seed)
    rows = b"".join(b"\0" + bytes(r.getrandbits(8) for _ in range(48 * 3)) for _ in range(48))
    return chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 6))


def main(out, count):
    rng = random.Random(20261129)
    cumulative = list(itertools.accumulate(1 / r for r in range(1, len(RARE_WORDS) + 1)))
    images = [image(i) for i in range(64)]
    for i in range(count):
        folder = os.path.join(out, f"{i // 10000:03d}")
        if i % 10000 == 0:
            os.makedirs(folder, exist_ok=True)
        words = " ".join(rng.choices(WORDS, k=120))
        rare = " ".join(RARE_WORDS[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
                        for _ in range(RARE_PER_CARD))
        card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {
            "name": f"Load {i:07d}", "creator": f"creator{i % 500}", "tags": rng.sample(WORDS, 3),
            "description": f"Card {i}. {words} {rare}", "first_mes": "Hello.", "extensions": {}}}
        text = chunk(b"tEXt", b"chara\0" + base64.b64encode(json.dumps(card).encode()))
        with open(os.path.join(folder, f"load{i:07d}.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + images[i % 64] + text + chunk(b"IEND", b""))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
