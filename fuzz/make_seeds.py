#!/usr/bin/env python3
"""Writes small seed cards for the fuzzers into the folder given: JSON V1/V2/V3,
a PNG with tEXt, zTXt and iTXt card chunks, and a CharX zip."""
import base64, json, struct, sys, zipfile, zlib, io

out = sys.argv[1]
v2 = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {
    "name": "Seed", "description": "d", "personality": "p", "scenario": "s", "first_mes": "hi",
    "mes_example": "", "creator_notes": "", "system_prompt": "", "post_history_instructions": "",
    "alternate_greetings": ["a"], "tags": ["t"], "creator": "c", "character_version": "1",
    "extensions": {"talkativeness": "0.5"},
    "character_book": {"extensions": {}, "entries": [{"keys": ["k"], "content": "c", "extensions": {},
                                                       "enabled": True, "insertion_order": 1}]}}}
v3 = dict(v2, spec="chara_card_v3", spec_version="3.0")
v3["data"] = dict(v2["data"], group_only_greetings=[], nickname="n",
                  assets=[{"type": "icon", "uri": "embeded://assets/icon/images/main.png", "name": "main", "ext": "png"}])
v1 = {"name": "Old", "description": "d", "first_mes": "hi", "creatorcomment": "c", "tags": "a, b"}
for name, doc in (("v1.json", v1), ("v2.json", v2), ("v3.json", v3)):
    open(f"{out}/{name}", "w").write(json.dumps(doc))

def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
idat = chunk(b"IDAT", zlib.compress(b"\0\x80\x80\0\x80\x80"))
b64 = base64.b64encode(json.dumps(v2).encode())
sig = b"\x89PNG\r\n\x1a\n"
open(f"{out}/text.png", "wb").write(sig + ihdr + idat + chunk(b"tEXt", b"chara\0" + b64) + chunk(b"IEND", b""))
open(f"{out}/ztxt.png", "wb").write(sig + ihdr + idat + chunk(b"zTXt", b"ccv3\0\0" + zlib.compress(b64)) + chunk(b"IEND", b""))
open(f"{out}/itxt.png", "wb").write(sig + ihdr + idat + chunk(b"iTXt", b"chara\0\1\0en\0\0" + zlib.compress(b64)) + chunk(b"IEND", b""))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("card.json", json.dumps(v3))
    z.writestr("assets/icon/images/main.png", sig + ihdr + idat + chunk(b"IEND", b""))
open(f"{out}/card.charx", "wb").write(buf.getvalue())

# inflate_fuzz: zlib streams, plain and of card text.
open(f"{out}/text.zlib", "wb").write(zlib.compress(b64))
open(f"{out}/empty.zlib", "wb").write(zlib.compress(b""))
open(f"{out}/bomb.zlib", "wb").write(zlib.compress(b"\0" * (2 << 20), 9))  # 2 MiB out: past the bound
open(f"{out}/trailing.zlib", "wb").write(zlib.compress(b"card") + b"trailing bytes")
# activity_fuzz: inbox bodies.
note = {"id": "https://hub.example/ap/cards/1", "type": "Note", "mediaType": "application/json",
        "content": json.dumps(v3), "updated": "2026-01-01T00:00:00Z", "image": {"url": "https://hub.example/i.png"}}
for kind, obj in (("create", note), ("delete", "https://hub.example/ap/cards/1"),
                  ("follow", "https://archive.example/ap/actor"), ("undo", {"type": "Follow", "id": "x"})):
    open(f"{out}/activity-{kind}.json", "w").write(json.dumps(
        {"@context": "https://www.w3.org/ns/activitystreams", "id": f"https://hub.example/a/{kind}",
         "type": kind.capitalize(), "actor": "https://hub.example/ap/actor", "object": obj}))
# multipart_upload_fuzz: bodies under the boundary the target's head names.
def multipart(*files):
    body = b""
    for name, data in files:
        body += (b'--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="' + name +
                 b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + data + b"\r\n")
    return body + b"--fuzzboundary--\r\n"
open(f"{out}/upload-one.multipart", "wb").write(multipart((b"v2.json", json.dumps(v2).encode())))
open(f"{out}/upload-two.multipart", "wb").write(multipart(
    (b"text.png", sig + ihdr + idat + chunk(b"tEXt", b"chara\0" + b64) + chunk(b"IEND", b"")),
    (b"card.charx", buf.getvalue())))
# actor_document_fuzz: signers' actor documents.
actor = "https://hub.example/ap/actor"
key = {"id": actor + "#main-key", "owner": actor, "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"}
for kind, doc in (("one-key", {"id": actor, "type": "Service", "inbox": actor + "/inbox", "publicKey": key}),
                  ("key-list", {"id": actor, "inbox": actor + "/inbox", "publicKey": [{"id": "other"}, key]}),
                  ("wrong-types", {"id": 5, "inbox": [], "publicKey": {"id": False, "publicKeyPem": 1}})):
    open(f"{out}/actor-{kind}.json", "w").write(json.dumps(doc))
# peer_answer_fuzz: a scenario byte, then the answer (fuzz/peer_answer_fuzz.cc's table).
answers = [
    (0, {"pkgVersion": "1.19.0", "agent": "SillyTavern:1.19.0"}), (1, {"token": "t"}),
    (2, {"file_name": "Seed"}), (3, {"json_data": json.dumps(v2)}),
    (4, [{"avatar": "a.png", "json_data": json.dumps(v2)}]), (5, {"ok": True}),
    (6, {"success": True, "filename": "a.png"}), (7, {"json": json.dumps(v2), "mtime": 1795548313763}),
    (8, {"image": base64.b64encode(b"png").decode()}),
    (9, {"cards": [{"file": "a.png", "json": json.dumps(v2), "mtime": 1}]}),
    (10, {"status": "ok", "timestamp": "2026-01-01T00:00:00Z"}), (11, {"items": [], "total": 0}),
    (12, {"meta": {"id": "c1", "spec": "v2", "updatedAt": "2026-01-01"}, "data": v2}),
    (13, [{"meta": {"id": "c1"}, "data": v2}]), (14, {"card": {"meta": {"id": "c1"}}}),
    (15, {"user": {"id": 1, "username": "fuzz"}}), (16, {"user": {"id": 1, "username": "fuzz"}}),
    (17, {"data": {"slug": "c1"}}),
    (18, {"slug": "c1", "versionId": "v1", "contentHash": "00", "visibility": "public", "downloadsCount": 1}),
    (20, {"items": [{"slug": "c1"}, {"slug": "c2"}], "hasMore": True}),
    (21, {"links": [{"rel": "self", "href": "http://127.0.0.1/ap/actor"}]}),
    (22, {"id": "x", "inbox": "y", "publicKey": {}, "name": "n", "outbox": "o"}),
    (0, {"fullPath": "a/b", "name": "n", "nTokens": 3, "topics": ["x"], "definition": {"name": "n"}}),
    (0, {"id": 1, "path": "a/b", "tags": ["t"], "isNSFW": False, "entries": [{"keys": ["k"], "enabled": True}]}),
]
for i, (scenario, answer) in enumerate(answers):
    open(f"{out}/peer-{i:02d}.bin", "wb").write(bytes([scenario]) + json.dumps(answer).encode())
