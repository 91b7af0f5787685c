#!/usr/bin/env bash
# Our parser against the reference TypeScript parser (@character-foundry/character-foundry,
# loader's parseCard) on the fixture cards and on cards this script writes itself,
# independently of our writer: V1, V2, V3 and SillyTavern-hybrid JSON; a V2 PNG (`chara`
# only); a V3 PNG with both chunks; a PNG whose chunk holds raw (not base64) JSON; a CharX;
# and a zTXt PNG. Every text field is filled, with non-ASCII text, escapes and CRLFs, so a
# field we drop or mangle shows. Our writer's output (convert of the fixture to V2/V3 JSON,
# PNG and CharX) is checked the same way.
# Skipped (exit 77, SKIP_RETURN_CODE in CMakeLists.txt) only where Node is absent.
set -euo pipefail
BIN=${1:?usage: reference_crosscheck_test.sh CHARCHIVE_BINARY}
FIXTURES="${CHARCHIVE_BUILD_DIR:-$(dirname "$BIN")}/fixtures/cards"  # scripts/make-fixtures.sh
SRC=${CHARCHIVE_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${CHARCHIVE_BUILD_DIR:-$SRC/build}
REF="$BUILD/reference"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node not found; the reference cross-check needs Node.js"
  exit 77
fi
bash "$SRC/scripts/install-reference.sh" "$BUILD"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FIXTURE_FILES=("$FIXTURES"/*)
SERAPHINA="$FIXTURES/default_Seraphina.png"

# Our writer's output.
"$BIN" convert "$SERAPHINA" "$WORK/ours.v2.json" --spec v2
"$BIN" convert "$SERAPHINA" "$WORK/ours.v3.json" --spec v3
"$BIN" convert "$SERAPHINA" "$WORK/ours.png"
"$BIN" convert "$SERAPHINA" "$WORK/ours.charx"

# Cards written here, byte by byte.
python3 - "$WORK" <<'PY'
import base64, json, struct, sys, zipfile, zlib
work = sys.argv[1]

def text(label):
    return (f"{label}: {{{{char}}}} says \"hi\" to {{{{user}}}}.\r\nSecond line\twith a tab, a backslash \\, "
            f"Ünïcödé, 日本語, and an emoji 🌙 (outside the BMP).\n\n*{label} ends here.*")

data = {
    "name": "Crosscheck Ærin 🌙",
    "description": text("description"), "personality": text("personality"),
    "scenario": text("scenario"), "first_mes": text("first_mes"), "mes_example": "<START>\n" + text("mes_example"),
    "creator_notes": text("creator_notes"), "system_prompt": text("system_prompt"),
    "post_history_instructions": text("post_history_instructions"),
    "alternate_greetings": [text(f"greeting {i}") for i in range(3)],
    "tags": ["fantasy", "test"], "creator": "crosscheck", "character_version": "2.1",
    "extensions": {"talkativeness": "0.5", "fav": False, "world": "Aerinworld",
                   "depth_prompt": {"prompt": "", "depth": 4, "role": "system"}, "x-unknown": [1, {"a": None}]},
    "character_book": {"name": "Aerinworld", "extensions": {}, "entries": [
        {"id": i, "keys": [f"key{i}", "shared"], "secondary_keys": [], "comment": f"entry {i}",
         "content": text(f"entry {i}"), "constant": i == 0, "selective": False, "insertion_order": 100 + i,
         "enabled": True, "position": "before_char", "use_regex": False, "extensions": {"depth": 4}}
        for i in range(5)]},
}
v2 = {"spec": "chara_card_v2", "spec_version": "2.0", "data": data}
v3 = {"spec": "chara_card_v3", "spec_version": "3.0",
      "data": dict(data, group_only_greetings=[text("group greeting")], nickname="Ærin", assets=[
          {"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}])}
v1 = {k: data[k] for k in ("name", "description", "personality", "scenario", "first_mes", "mes_example")}
# SillyTavern's export: V2 with the V1 fields mirrored at the top level.
hybrid = dict(v2, **v1, fav=False, chat="Crosscheck - 2026-11-24", create_date="2026-11-24T12:00:00.000Z",
              talkativeness="0.5", creatorcomment=data["creator_notes"], avatar="none", tags=data["tags"])

def dump(doc):
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()

def b64(doc):
    return base64.b64encode(json.dumps(doc, ensure_ascii=False).encode())

def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))

def png(*text_chunks):
    rows = b"".join(b"\0" + bytes(range(i * 16, i * 16 + 12)) for i in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + b"".join(text_chunks) + chunk(b"IEND", b""))

files = {
    "gen.v1.json": dump(v1),
    "gen.v2.json": dump(v2),
    "gen.v3.json": dump(v3),
    "gen.hybrid.json": dump(hybrid),
    "gen.v2.png": png(chunk(b"tEXt", b"chara\0" + b64(v2))),
    # As SillyTavern writes a V3 card: the V2 view in `chara`, the V3 card in `ccv3`.
    "gen.v3.png": png(chunk(b"tEXt", b"chara\0" + b64(v2)), chunk(b"tEXt", b"ccv3\0" + b64(v3))),
    "gen.rawjson.png": png(chunk(b"tEXt", b"chara\0" + json.dumps(v2).encode())),
    # zTXt as the PNG spec defines it: method 0, a zlib stream.
    "gen.ztxt.png": png(chunk(b"zTXt", b"chara\0\0" + zlib.compress(b64(v2)))),
}
for name, content in files.items():
    open(f"{work}/{name}", "wb").write(content)
with zipfile.ZipFile(f"{work}/gen.charx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("card.json", dump(v3))
    z.writestr("assets/icon/images/main.png", files["gen.v2.png"])
PY

# FILE=PROXY: the reference reads PROXY instead, only if it cannot read FILE. The reference
# (0.5.0) inflates zTXt as raw deflate, so it finds no text in a spec-conforming zTXt
# chunk (a zlib stream); its tEXt twin holds the same card.
node "$SRC/tests/reference_crosscheck.mjs" "$BIN" "$REF" "${FIXTURE_FILES[@]}" \
  "$WORK"/ours.v2.json "$WORK"/ours.v3.json "$WORK"/ours.png "$WORK"/ours.charx \
  "$WORK"/gen.v1.json "$WORK"/gen.v2.json "$WORK"/gen.v3.json "$WORK"/gen.hybrid.json \
  "$WORK"/gen.v2.png "$WORK"/gen.v3.png "$WORK"/gen.rawjson.png "$WORK"/gen.charx \
  "$WORK/gen.ztxt.png=$WORK/gen.v2.png"
