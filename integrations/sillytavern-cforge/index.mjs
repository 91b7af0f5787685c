// CForge: the SillyTavern server plugin through which Character Archive pushes cards into
// a user's SillyTavern library and pulls them back. Routes under /api/plugins/cforge/; the
// protocol is specified in README.md beside this file. SillyTavern loads this module once
// per server; handlers share only read-only state (settings, the default avatar), and
// concurrent imports of one name are made safe by the file system (link never replaces).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Buffer } from 'node:buffer';
import { fileURLToPath } from 'node:url';

import { PngError, embedCard, readCardFile, cardTextOfBytes } from './png.mjs';
import { NameError, importBaseName, storedCardPath } from './names.mjs';

export const VERSION = '1.0.0';

export const info = {
    id: 'cforge',
    name: 'CForge',
    description: 'Character Archive sync: import, list, fetch and trash character cards over HTTP.',
};

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TRASH_FOLDER = 'cforge-trash';
const MAX_NAME_TRIES = 10000;
const LIST_CONCURRENCY = 8;
const SPECS = ['chara_card_v2', 'chara_card_v3'];

/** An error answered as `status` with `{error: message}`. */
class HttpError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

/** config.json beside this file; the CFORGE_TOKEN environment variable overrides its token. */
function loadSettings() {
    let token = '';
    const file = path.join(HERE, 'config.json');
    if (fs.existsSync(file)) {
        const config = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (config.token !== undefined && config.token !== null && typeof config.token !== 'string') {
            throw new Error(`${file}: "token" must be a string`);
        }
        token = config.token ?? '';
    }
    if (process.env.CFORGE_TOKEN !== undefined) token = process.env.CFORGE_TOKEN;
    return { token };
}

/** SillyTavern's package directory: the server chdirs there; else two levels above us. */
function findServerDirectory() {
    for (const dir of [process.cwd(), path.resolve(HERE, '..', '..')]) {
        try {
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
            if (pkg.name === 'sillytavern') return { dir, version: String(pkg.version) };
        } catch {
            // not this one
        }
    }
    return { dir: process.cwd(), version: null };
}

function sha256(text) {
    return crypto.createHash('sha256').update(String(text), 'utf8').digest();
}

/** Every route needs the token when one is configured: `Authorization: Bearer` or `X-CForge-Token`. */
function requireToken(token) {
    const wanted = sha256(token);
    return (request, response, next) => {
        const bearer = /^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '');
        const candidates = [bearer?.[1].trim(), request.get('x-cforge-token')].filter(v => v !== undefined);
        // Both digests are 32 bytes, so the comparison takes the same time whatever was sent.
        if (candidates.some(given => crypto.timingSafeEqual(sha256(given), wanted))) return next();
        response.set('WWW-Authenticate', 'Bearer realm="cforge"');
        response.status(401).json({
            error: candidates.length === 0
                ? 'this CForge plugin requires a token: send "Authorization: Bearer <token>" or "X-CForge-Token: <token>"'
                : 'wrong CForge token',
        });
    };
}

const handle = fn => (request, response, next) => {
    Promise.resolve().then(() => fn(request, response)).catch(next);
};

function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkUser(request, user) {
    const handleName = request.user?.profile?.handle;
    if (user === undefined || user === null || user === '' || user === 'default' || user === handleName) return;
    throw new HttpError(403, `"user" is "${user}" but this session is SillyTavern user "${handleName}"; `
        + 'log in as that user (or omit "user")');
}

function checkCard(cardData) {
    if (!isObject(cardData)) throw new HttpError(400, '"cardData" must be the card as a JSON object');
    if (!SPECS.includes(cardData.spec)) {
        throw new HttpError(400, `"cardData.spec" must be "chara_card_v2" or "chara_card_v3" (got ${JSON.stringify(cardData.spec)})`);
    }
    if (!isObject(cardData.data)) throw new HttpError(400, '"cardData.data" must be an object');
    if (typeof cardData.data.name !== 'string' || cardData.data.name.trim() === '') {
        throw new HttpError(400, '"cardData.data.name" must be a non-empty string');
    }
}

function decodeImage(image) {
    if (typeof image !== 'string') throw new HttpError(400, '"image" must be a base64 string of a PNG');
    const text = image.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
        throw new HttpError(400, '"image" is not valid base64');
    }
    return Buffer.from(text, 'base64');
}

async function syncDirectory(directory) {
    try {
        const dir = await fs.promises.open(directory, 'r');
        try {
            await dir.sync();
        } finally {
            await dir.close();
        }
    } catch {
        // Not every file system lets a directory be fsynced; the rename is still atomic.
    }
}

async function exists(file) {
    try {
        await fs.promises.lstat(file);
        return true;
    } catch (error) {
        if (error.code === 'ENOENT') return false;
        throw error;
    }
}

/** Links `source` as `target` unless `target` exists; false when it does. */
async function linkNew(source, target) {
    try {
        await fs.promises.link(source, target);
        return true;
    } catch (error) {
        if (error.code === 'EEXIST') return false;
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(error.code)) throw error;
    }
    try { // a file system without hard links: still never replaces
        await fs.promises.copyFile(source, target, fs.constants.COPYFILE_EXCL);
        return true;
    } catch (error) {
        if (error.code === 'EEXIST') return false;
        throw error;
    }
}

/**
 * Writes `bytes` as `<base>.png` in `directory`: a temp file, fsynced, then renamed over
 * the target (overwrite) or linked to the first free name of `<base>.png`, `<base>_1.png`, …
 */
async function writeCard(directory, base, bytes, overwrite) {
    const temp = path.join(directory, `.cforge-${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`);
    const file = await fs.promises.open(temp, 'wx', 0o644);
    try {
        await file.writeFile(bytes);
        await file.sync();
    } finally {
        await file.close();
    }
    try {
        if (overwrite) {
            const name = `${base}.png`;
            const existed = await exists(path.join(directory, name));
            await fs.promises.rename(temp, path.join(directory, name));
            return { name, overwritten: existed };
        }
        for (let n = 0; n < MAX_NAME_TRIES; n++) {
            const name = n === 0 ? `${base}.png` : `${base}_${n}.png`;
            if (await linkNew(temp, path.join(directory, name))) return { name, overwritten: false };
        }
        throw new HttpError(409, `no free file name for "${base}" after ${MAX_NAME_TRIES} tries`);
    } finally {
        await fs.promises.rm(temp, { force: true });
        await syncDirectory(directory);
    }
}

/** SillyTavern regenerates a thumbnail only when none is cached. */
async function dropThumbnail(request, name) {
    const folder = request.user.directories.thumbnailsAvatar;
    if (folder) await fs.promises.rm(path.join(folder, name), { force: true });
}

async function mapLimited(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

function cardName(json) {
    const doc = JSON.parse(json);
    if (typeof doc?.data?.name === 'string') return doc.data.name;
    return typeof doc?.name === 'string' ? doc.name : null;
}

export async function init(router) {
    const settings = loadSettings();
    const server = findServerDirectory();
    const defaultAvatarPath = path.join(server.dir, 'public', 'img', 'ai4.png');
    let defaultAvatar = null;

    if (settings.token !== '') router.use(requireToken(settings.token));

    router.get('/probe', (request, response) => {
        response.json({
            ok: true,
            plugin: info.id,
            version: VERSION,
            sillytavern: server.version,
            user: request.user?.profile?.handle ?? null,
        });
    });

    router.post('/sync/import', handle(async (request, response) => {
        const body = request.body;
        if (!request.is('application/json') || !isObject(body)) {
            throw new HttpError(400, 'the body must be a JSON object sent with "Content-Type: application/json"');
        }
        const { cardData, filename, image, overwrite = false, user } = body;
        checkUser(request, user);
        checkCard(cardData);
        if (typeof overwrite !== 'boolean') throw new HttpError(400, '"overwrite" must be true or false');
        if (filename !== undefined && filename !== null && typeof filename !== 'string') {
            throw new HttpError(400, '"filename" must be a string');
        }
        const base = importBaseName(filename ? filename : cardData.data.name);

        let png;
        if (image === undefined || image === null || image === '') {
            defaultAvatar ??= await fs.promises.readFile(defaultAvatarPath);
            png = defaultAvatar;
        } else {
            png = decodeImage(image);
        }
        let bytes;
        try {
            bytes = embedCard(png, JSON.stringify(cardData));
        } catch (error) {
            if (error instanceof PngError) throw new HttpError(400, `"image" is not a valid PNG: ${error.message}`);
            throw error;
        }

        const directory = request.user.directories.characters;
        await fs.promises.mkdir(directory, { recursive: true });
        const { name, overwritten } = await writeCard(directory, base, bytes, overwrite);
        if (overwritten) await dropThumbnail(request, name);
        response.json({ success: true, filename: name, path: `/characters/${encodeURIComponent(name)}`, overwritten });
    }));

    router.get('/cards', handle(async (request, response) => {
        const directory = request.user.directories.characters;
        let names = [];
        try {
            names = await fs.promises.readdir(directory);
        } catch (error) {
            if (error.code !== 'ENOENT') throw error;
        }
        names = names.filter(name => name.endsWith('.png')).sort();
        const cards = [];
        const skipped = [];
        const results = await mapLimited(names, LIST_CONCURRENCY, async (file) => {
            const full = path.join(directory, file);
            try {
                const stat = await fs.promises.stat(full);
                if (!stat.isFile()) return null;
                const json = await readCardFile(full);
                if (json === null) return { file, error: 'no character card in this PNG' };
                let name;
                try {
                    name = cardName(json);
                } catch {
                    return { file, error: 'the card JSON does not parse' };
                }
                return { card: { file, name, json, mtime: Math.trunc(stat.mtimeMs), size: stat.size } };
            } catch (error) {
                if (error.code === 'ENOENT') return null; // deleted while listing
                return { file, error: error instanceof PngError ? error.message : `unreadable: ${error.message}` };
            }
        });
        for (const result of results) {
            if (result?.card) cards.push(result.card);
            else if (result) skipped.push(result);
        }
        response.json({ cards, skipped });
    }));

    // A :file with a path inside it (`/cards/a/b`, `/cards/../x`) never names a card.
    router.all(/^\/cards\/[^/]*\/.*/, (request, response) => {
        response.status(400).json({ error: 'a card is named by a plain file name, without "/"' });
    });

    router.get('/cards/:file', handle(async (request, response) => {
        const full = storedCardPath(request.user.directories.characters, request.params.file);
        let bytes;
        let stat;
        try {
            stat = await fs.promises.stat(full);
            if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
            bytes = await fs.promises.readFile(full);
        } catch (error) {
            if (error.code === 'ENOENT') throw new HttpError(404, `no card file "${request.params.file}"`);
            throw error;
        }
        response.json({
            file: request.params.file,
            json: cardTextOfBytes(bytes),
            image: bytes.toString('base64'),
            mtime: Math.trunc(stat.mtimeMs),
            size: bytes.length,
        });
    }));

    router.delete('/cards/:file', handle(async (request, response) => {
        const directory = request.user.directories.characters;
        const name = request.params.file;
        const full = storedCardPath(directory, name);
        const trash = path.join(request.user.directories.root, TRASH_FOLDER);
        await fs.promises.mkdir(trash, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        for (let n = 0; n < MAX_NAME_TRIES; n++) {
            const trashed = n === 0 ? `${stamp}_${name}` : `${stamp}_${n}_${name}`;
            let linked;
            try {
                if ((await fs.promises.lstat(full)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOENT' });
                linked = await linkNew(full, path.join(trash, trashed));
            } catch (error) {
                if (error.code === 'ENOENT') throw new HttpError(404, `no card file "${name}"`);
                throw error;
            }
            if (!linked) continue;
            await fs.promises.rm(full, { force: true });
            await syncDirectory(trash);
            await syncDirectory(directory);
            await dropThumbnail(request, name);
            response.json({ success: true, trashed: `${TRASH_FOLDER}/${trashed}` });
            return;
        }
        throw new HttpError(409, `no free name in ${TRASH_FOLDER} for "${name}"`);
    }));

    // Errors as JSON; anything unexpected is logged and answered 500.
    router.use((error, request, response, next) => { // eslint-disable-line no-unused-vars
        if (error instanceof HttpError) return response.status(error.status).json({ error: error.message });
        if (error instanceof NameError) return response.status(400).json({ error: error.message });
        console.error('[cforge]', request.method, request.originalUrl, error);
        response.status(500).json({ error: `internal error: ${error.message}` });
    });

    console.log(`[cforge] CForge ${VERSION} ready at /api/plugins/cforge (token ${settings.token ? 'required' : 'not required'})`);
}
