// PNG chunks and the character card text chunks, written the way SillyTavern 1.19 writes
// them (src/character-card-parser.js `write`): every tEXt `chara`/`ccv3` chunk removed
// (keyword compared case-insensitively), then `chara` = base64 of the card JSON and
// `ccv3` = base64 of the same JSON with spec `chara_card_v3` / spec_version `3.0`,
// both inserted before the last chunk (IEND). Every other chunk is kept byte for byte;
// nothing is re-encoded. Pure functions except readCardFile; no shared state.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Buffer } from 'node:buffer';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CARD_KEYWORDS = new Set(['chara', 'ccv3']);

/** An image that is not a PNG we can work with; `message` says why. */
export class PngError extends Error {}

let crcTable = null;
function tableCrc32(bytes, crc = 0) {
    if (crcTable === null) {
        crcTable = new Uint32Array(256);
        for (let n = 0; n < 256; n++) {
            let c = n;
            for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            crcTable[n] = c >>> 0;
        }
    }
    crc = (crc ^ 0xffffffff) >>> 0;
    for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 (the PNG/zlib one), continuing from `crc`. zlib.crc32 exists from Node 20.15. */
export const crc32 = typeof zlib.crc32 === 'function' ? (bytes, crc = 0) => zlib.crc32(bytes, crc) : tableCrc32;
export const crc32Fallback = tableCrc32;

/**
 * Splits a PNG into chunks, checking the signature, every length and CRC, IHDR first and
 * IEND present. Bytes after IEND are dropped (SillyTavern drops them too).
 * @param {Buffer} png
 * @returns {{type: string, data: Buffer}[]}
 */
export function parseChunks(png) {
    if (png.length < SIGNATURE.length || !png.subarray(0, 8).equals(SIGNATURE)) {
        throw new PngError('it does not start with the PNG signature');
    }
    const chunks = [];
    let pos = 8;
    while (true) {
        if (pos + 12 > png.length) throw new PngError(`it ends inside a chunk header at byte ${pos} (no IEND)`);
        const length = png.readUInt32BE(pos);
        const type = png.toString('latin1', pos + 4, pos + 8);
        if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError(`the chunk at byte ${pos} has an invalid type`);
        if (length > 0x7fffffff || pos + 12 + length > png.length) {
            throw new PngError(`the ${type} chunk at byte ${pos} runs past the end of the file`);
        }
        const data = png.subarray(pos + 8, pos + 8 + length);
        const stored = png.readUInt32BE(pos + 8 + length);
        if (crc32(data, crc32(png.subarray(pos + 4, pos + 8))) !== stored) {
            throw new PngError(`the ${type} chunk at byte ${pos} has a wrong CRC`);
        }
        if (chunks.length === 0 && type !== 'IHDR') throw new PngError('its first chunk is not IHDR');
        chunks.push({ type, data });
        pos += 12 + length;
        if (type === 'IEND') return chunks;
    }
}

/** Joins chunks into a PNG file. */
export function encodeChunks(chunks) {
    const parts = [SIGNATURE];
    for (const { type, data } of chunks) {
        const head = Buffer.alloc(8);
        head.writeUInt32BE(data.length, 0);
        head.write(type, 4, 'latin1');
        const tail = Buffer.alloc(4);
        tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
        parts.push(head, data, tail);
    }
    return Buffer.concat(parts);
}

/** A tEXt chunk: Latin-1 keyword, NUL, text (ours is always base64, so ASCII). */
export function textChunk(keyword, text) {
    return { type: 'tEXt', data: Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.of(0), Buffer.from(text, 'latin1')]) };
}

function textKeyword(data) {
    const nul = data.indexOf(0);
    return data.toString('latin1', 0, nul < 0 ? data.length : nul);
}

/**
 * The PNG with the card written into it as SillyTavern writes it.
 * @param {Buffer} png a valid PNG (see parseChunks)
 * @param {string} json the card JSON text, stored as given in `chara`
 * @returns {Buffer}
 */
export function embedCard(png, json) {
    const chunks = parseChunks(png).filter(
        ({ type, data }) => !(type === 'tEXt' && CARD_KEYWORDS.has(textKeyword(data).toLowerCase())));
    const v3 = JSON.parse(json);
    v3.spec = 'chara_card_v3';
    v3.spec_version = '3.0';
    chunks.splice(-1, 0,
        textChunk('chara', Buffer.from(json, 'utf8').toString('base64')),
        textChunk('ccv3', Buffer.from(JSON.stringify(v3), 'utf8').toString('base64')));
    return encodeChunks(chunks);
}

/** The card JSON text of parsed chunks as SillyTavern reads it (ccv3 before chara), or null. */
export function cardText(chunks) {
    const texts = new Map();
    for (const { type, data } of chunks) {
        if (type !== 'tEXt') continue;
        const keyword = textKeyword(data).toLowerCase();
        if (CARD_KEYWORDS.has(keyword) && !texts.has(keyword)) {
            texts.set(keyword, data.toString('latin1', keyword.length + 1));
        }
    }
    const text = texts.get('ccv3') ?? texts.get('chara');
    return text === undefined ? null : Buffer.from(text, 'base64').toString('utf8');
}

/**
 * The card JSON text stored in a PNG file, or null when it has none. Reads only chunk
 * headers and tEXt chunks (an avatar's pixels are skipped), so listing a library is cheap.
 * Throws PngError when the file is not a PNG or is cut short.
 * @param {string} file
 * @returns {Promise<string|null>}
 */
export async function readCardFile(file) {
    const handle = await fs.promises.open(file, 'r');
    try {
        const head = Buffer.alloc(8);
        const read = async (buffer, position) => {
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
            return bytesRead === buffer.length;
        };
        if (!(await read(head, 0)) || !head.equals(SIGNATURE)) throw new PngError('not a PNG file');
        const chunks = [];
        let pos = 8;
        while (await read(head, pos)) {
            const length = head.readUInt32BE(0);
            const type = head.toString('latin1', 4, 8);
            if (type === 'IEND') return cardText(chunks);
            if (type === 'tEXt') {
                const data = Buffer.alloc(length);
                if (!(await read(data, pos + 8))) break;
                chunks.push({ type, data });
            }
            pos += 12 + length;
        }
        throw new PngError('the PNG is cut short (no IEND)');
    } finally {
        await handle.close();
    }
}

/**
 * The card JSON text in PNG bytes, or null when they hold none or are not a PNG. Lenient
 * like SillyTavern's reader: CRCs are not checked, a cut-short file yields what was found.
 * @param {Buffer} png
 * @returns {string|null}
 */
export function cardTextOfBytes(png) {
    if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) return null;
    const chunks = [];
    for (let pos = 8; pos + 8 <= png.length;) {
        const length = png.readUInt32BE(pos);
        const type = png.toString('latin1', pos + 4, pos + 8);
        if (type === 'IEND' || pos + 8 + length > png.length) break;
        if (type === 'tEXt') chunks.push({ type, data: png.subarray(pos + 8, pos + 8 + length) });
        pos += 12 + length;
    }
    return cardText(chunks);
}
