#!/usr/bin/env python3
"""Writes the hostile card corpus into the folder given (the build dir, so the
large files stay out of git) and a manifest.json beside them: for every file,
the error kind (Status::kind()) the importer must refuse it with and a word or
two its message must contain.

    make_bad.py OUT_DIR
"""
import base64, io, json, os, struct, sys, zipfile, zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
manifest = []


def put(name, data, kind, message, why):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    manifest.append({"file": name, "kind": kind, "message": message, "why": why})


def chunk(t, d, crc=None):
    c = zlib.crc32(t + d) if crc is None else crc
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", c & 0xFFFFFFFF)


SIG = b"\x89PNG\r\n\x1a\n"
IHDR = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
IDAT = chunk(b"IDAT", zlib.compress(b"\0\x80"))
IEND = chunk(b"IEND", b"")


def card_doc(name="Hostile", **extra):
    data = {"name": name, "description": "a hostile test card", "first_mes": "hi"}
    data.update(extra)
    return {"spec": "chara_card_v2", "spec_version": "2.0", "data": data}


def png_with(*chunks):
    return SIG + IHDR + IDAT + b"".join(chunks) + IEND


def b64(doc_bytes):
    return base64.b64encode(doc_bytes)


def zeros_deflated(total, wbits=zlib.MAX_WBITS):
    """`total` zero bytes, deflated, without holding them in memory."""
    z = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"\0" * (1 << 20)
    parts = []
    for _ in range(total >> 20):
        parts.append(z.compress(block))
    parts.append(z.flush())
    return b"".join(parts)


good_text = chunk(b"tEXt", b"chara\0" + b64(json.dumps(card_doc()).encode()))
good_png = png_with(good_text)

# --- PNG framing -----------------------------------------------------------
put("truncated.png", good_png[: len(good_png) - 40], "truncated", "truncated",
    "a valid card PNG cut off inside its card chunk")
put("no_iend.png", SIG + IHDR + IDAT + good_text, "truncated", "IEND",
    "every chunk is whole but the file ends without IEND")
put("wrong_crc.png", png_with(chunk(b"tEXt", b"chara\0" + b64(json.dumps(card_doc()).encode()), crc=0xDEADBEEF)),
    "crc_mismatch", "CRC mismatch", "the card text chunk's CRC is wrong")
huge = struct.pack(">I", 0x7FFFFFF0) + b"tEXt" + b"chara\0" + b"A" * 64
put("huge_chunk_length.png", SIG + IHDR + IDAT + huge, "truncated", "declares",
    "a text chunk declares 2 GiB but the file ends first")
huge2 = struct.pack(">I", 0xFFFFFFFF) + b"IDAT" + b"x" * 64
put("chunk_length_ffffffff.png", SIG + IHDR + huge2, "truncated", "declares",
    "a chunk length of 0xFFFFFFFF (past the PNG maximum of 2^31-1)")
put("signature_only.png", SIG, "truncated", "IEND", "an 8-byte PNG signature and nothing else")
put("no_card.png", png_with(), "no_card", "chara", "a valid PNG without a card chunk")
put("bad_base64.png", png_with(chunk(b"tEXt", b"chara\0" + b"!!!not base64!!!")), "bad_base64", "base64",
    "the chara chunk is neither JSON nor base64")

# --- inflate bombs ---------------------------------------------------------
bomb = zeros_deflated(1 << 30)  # 1 GiB of zeros in about 1 MiB
put("ztxt_bomb.png", png_with(chunk(b"zTXt", b"chara\0\0" + bomb)), "too_large", "exceeds",
    "a zTXt card chunk that inflates to 1 GiB")
put("itxt_bomb.png", png_with(chunk(b"iTXt", b"ccv3\0\1\0en\0\0" + bomb)), "too_large", "exceeds",
    "an iTXt card chunk that inflates to 1 GiB")
put("ztxt_corrupt.png", png_with(chunk(b"zTXt", b"chara\0\0" + bomb[:2] + b"\xff" * 32)), "bad_compression",
    "corrupt", "a zTXt card chunk whose deflate stream is garbage")
put("ztxt_cut.png", png_with(chunk(b"zTXt", b"chara\0\0" + zlib.compress(b64(json.dumps(card_doc()).encode()))[:20])),
    "bad_compression", "ends early", "a zTXt card chunk whose deflate stream stops half way")

# --- JSON ------------------------------------------------------------------
put("deep_array.json", b"[" * 100000, "unknown_format", "not a PNG",
    "100,000 nested '[' (a parser stack bomb); a card is an object, so it is refused before parsing")
deep_in_card = ('{"spec":"chara_card_v2","spec_version":"2.0","data":{"name":"x","extensions":{"a":'
                + "[" * 100000 + "]" * 100000 + "}}}").encode()
put("deep_in_card.json", deep_in_card, "json_too_deep", "deeper", "a card whose extensions nest 100,000 arrays")
put("deep_in_png.png", png_with(chunk(b"tEXt", b"chara\0" + b64(deep_in_card))), "json_too_deep", "deeper",
    "the same deep card inside a PNG")
put("deep_object.json", b'{"a":' * 100000 + b"1" + b"}" * 100000, "json_too_deep", "deeper",
    "100,000 nested objects")
bad_utf8 = json.dumps(card_doc(description="PLACEHOLDER")).encode().replace(b"PLACEHOLDER", b"caf\xc3\x28 \xff\xfe")
put("invalid_utf8.json", bad_utf8, "bad_json", "UTF-8", "a description with invalid UTF-8 bytes")
put("invalid_utf8.png", png_with(chunk(b"tEXt", b"chara\0" + b64(bad_utf8))), "bad_json", "UTF-8",
    "invalid UTF-8 inside a PNG card chunk")
put("nul_in_name.json", json.dumps(card_doc(name="Evil\u0000.png")).encode(), "bad_field", "NUL",
    "a name with an escaped NUL character")
put("raw_nul_in_name.json", json.dumps(card_doc(name="EvilXX")).encode().replace(b"EvilXX", b"Evil\0X"),
    "bad_json", "invalid JSON", "a raw NUL byte inside the name string")
put("name_not_string.json", json.dumps(card_doc(name=12345)).encode(), "bad_field", "name",
    "the name is a number")
put("not_a_card.json", b'{"hello": "world"}', "wrong_spec", "not a character card", "JSON that is no card")
put("unterminated.json", b'{"spec":"chara_card_v2","data":{"name":"x"', "bad_json", "invalid JSON",
    "JSON cut off in the middle")
put("empty.json", b"", "unknown_format", "not a PNG", "an empty file")
put("garbage.png", os.urandom(0) + b"GIF89a" + b"\0" * 64, "unknown_format", "not a PNG",
    "a GIF named .png")
put("huge_number.json", json.dumps(card_doc()).encode().replace(b'"first_mes"', b'"n": 1' + b"0" * 5000 + b', "first_mes"'),
    "bad_json", "invalid JSON", "a number with 5,000 digits")


# --- CharX (zip) -----------------------------------------------------------
def charx(entries, card=True):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if card:
            z.writestr("card.json", json.dumps(dict(card_doc(), spec="chara_card_v3", spec_version="3.0")))
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def raw_zip_entry(name, compressed, size, crc):
    """A zip with card.json plus one deflated entry whose headers say `size`."""
    card = json.dumps(dict(card_doc(), spec="chara_card_v3", spec_version="3.0")).encode()
    entries, central, off = [], b"", 0
    for n, comp, method, usize, c in ((b"card.json", card, 0, len(card), zlib.crc32(card)),
                                      (name, compressed, 8, size, crc)):
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, c, len(comp), usize, len(n), 0) + n + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, c, len(comp), usize,
                               len(n), 0, 0, 0, 0, 0, off) + n
        entries.append(local)
        off += len(local)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), off, 0)
    return b"".join(entries) + central + end


put("zip_bomb.charx", charx([("assets/other/zeros.bin", b"\0" * (300 << 20))]), "too_large", "limit",
    "an asset that inflates to 300 MiB (declared honestly)")
raw_bomb = zeros_deflated(1 << 30, wbits=-15)
put("zip_bomb_lying.charx", raw_zip_entry(b"assets/other/zeros.bin", raw_bomb, 1000, 0), "too_large", "limit",
    "an asset whose headers claim 1,000 bytes but that inflates to 1 GiB")
put("zip_many_entries.charx", charx([(f"assets/other/{i}.txt", b"x") for i in range(10001)]),
    "too_many_entries", "10002 entries", "card.json and 10,001 tiny entries (over the limit of 10,000)")
put("zip_10000_entries_no_card.charx", charx([(f"a/{i}.txt", b"x") for i in range(10000)], card=False),
    "no_card", "card.json", "exactly 10,000 tiny entries and no card.json")
put("zip_dotdot.charx", charx([("../escape.txt", b"x")]), "unsafe_path", "'..'", "an entry named ../escape.txt")
put("zip_dotdot_deep.charx", charx([("assets/../../escape.txt", b"x")]), "unsafe_path", "'..'",
    "an entry that climbs out through assets/../../")
put("zip_absolute.charx", charx([("/tmp/charchive-escape.txt", b"x")]), "unsafe_path", "absolute",
    "an entry with an absolute path")
put("zip_backslash.charx", charx([("..\\escape.txt", b"x")]), "unsafe_path", "backslash",
    "an entry with Windows separators")
put("zip_drive.charx", charx([("C:/escape.txt", b"x")]), "unsafe_path", "drive letter", "an entry named C:/…")
put("zip_no_card.charx", charx([("readme.txt", b"x")], card=False), "no_card", "card.json", "a zip without card.json")
put("zip_truncated.charx", charx([("readme.txt", b"x" * 1000)])[:-30], "bad_zip", "zip", "a zip cut before its end record")
put("zip_garbage.charx", b"PK\x03\x04" + b"\x00" * 100, "bad_zip", "zip", "a zip signature followed by zeros")

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
print(f"{len(manifest)} hostile files in {out}")
