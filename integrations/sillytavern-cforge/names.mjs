// File names in a user's characters folder: turning a requested name into a safe one
// (import), and refusing anything but a plain stored name (the :file routes).
// The sanitizing rules are those SillyTavern applies to character names (its
// `sanitize-filename` dependency), so a name means the same file here as in SillyTavern.
import path from 'node:path';
import { Buffer } from 'node:buffer';

/** A client error: the request named a file it may not name. */
export class NameError extends Error {}

// Keeps room for `_<n>` and `.png` within the usual 255-byte limit of a file name.
const MAX_BASE_BYTES = 240;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

function truncateUtf8(text, maxBytes) {
    if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
    let out = '';
    let bytes = 0;
    for (const ch of text) { // whole code points, never half a surrogate pair
        const size = Buffer.byteLength(ch, 'utf8');
        if (bytes + size > maxBytes) break;
        out += ch;
        bytes += size;
    }
    return out;
}

/**
 * SillyTavern's sanitizing of a name: drops / ? < > \ : * | " and control characters
 * (U+0000-U+001F, U+0080-U+009F); a name of only dots and the Windows device names
 * (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with any extension) become empty; trailing dots
 * and spaces are dropped. Unicode letters, emoji and inner spaces are kept.
 */
export function sanitizeName(name) {
    let out = name.replace(/[/?<>\\:*|"]/g, '').replace(/[\u0000-\u001f\u0080-\u009f]/g, '');
    if (/^\.+$/.test(out) || WINDOWS_RESERVED.test(out)) out = '';
    out = out.replace(/[. ]+$/, '');
    out = truncateUtf8(out, MAX_BASE_BYTES).replace(/[. ]+$/, '');
    return out;
}

/**
 * The base name (without `.png`) an import writes to, from the requested `filename`.
 * Path parts are stripped (`sub/Alice` -> `Alice`); a `..` part or a NUL is refused as a
 * traversal attempt; a trailing `.png` (any case) is dropped; the rest is sanitized.
 * Throws NameError when nothing usable is left.
 * @param {string} requested
 * @returns {string}
 */
export function importBaseName(requested) {
    if (requested.includes('\0')) throw new NameError('filename contains a NUL character');
    const parts = requested.split(/[/\\]/);
    if (parts.some(part => part.trim() === '..')) throw new NameError(`filename "${requested}" is a path traversal`);
    const last = parts[parts.length - 1].replace(/\.png$/i, '');
    const base = sanitizeName(last);
    if (base === '') throw new NameError(`filename "${requested}" has no usable characters after sanitizing`);
    return base;
}

function hasTraversal(name) {
    return name.includes('/') || name.includes('\\') || name.includes('\0') || name === '.' || name === '..';
}

/**
 * The absolute path of a stored card named by a client (`Alice.png`), inside `directory`.
 * Refuses path separators, NUL, `.`/`..`, the same hidden behind another layer of
 * percent-encoding, and names not ending in `.png`. Throws NameError.
 * @param {string} directory
 * @param {unknown} name
 * @returns {string}
 */
export function storedCardPath(directory, name) {
    if (typeof name !== 'string' || name === '') throw new NameError('no file name given');
    let decoded = name;
    try {
        decoded = decodeURIComponent(name);
    } catch {
        // A lone `%` is an ordinary character in a file name.
    }
    if (hasTraversal(name) || hasTraversal(decoded)) throw new NameError(`"${name}" is not a plain file name`);
    if (!name.endsWith('.png')) throw new NameError(`"${name}" is not a .png file name`);
    if (Buffer.byteLength(name, 'utf8') > 255) throw new NameError('the file name is longer than 255 bytes');
    const root = path.resolve(directory);
    const full = path.resolve(root, name);
    if (path.dirname(full) !== root) throw new NameError(`"${name}" is not a plain file name`);
    return full;
}
