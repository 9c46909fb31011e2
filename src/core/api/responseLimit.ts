/**
 * The response size limit: no answer of the platform comes near it (a page of tracked events or
 * a target group with hundreds of periods is well under 1 MB), so a body past it is a proxy, a
 * wrong base URL or a fault, and reading on would only fill the memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Thrown by readBodyCapped when a body is larger than the limit (the rest is not read). */
export class ResponseTooLarge extends Error {
  constructor(
    readonly limit: number,
    /** The Content-Length the server announced, when it did. */
    readonly announced: number | undefined,
  ) {
    super(`response body larger than ${limit} bytes`);
  }
}

/** "64 MB", "1.5 MB", "512 KB", "100 bytes". */
export function formatLimit(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  const kb = bytes / 1024;
  if (kb >= 1) return `${Number.isInteger(kb) ? kb : kb.toFixed(1)} KB`;
  return `${bytes} bytes`;
}

interface Body extends AsyncIterable<Buffer | Uint8Array | string> {
  destroy(error?: Error): unknown;
  text(): Promise<string>;
}

/** The announced Content-Length, when it is a number. */
export function announcedLength(contentLength: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  return raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

function asBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Reads a response body chunk by chunk, handing each chunk to `onChunk` as it arrives, with the
 * same limit as readBodyCapped (a larger Content-Length is refused before reading, a body growing
 * past the limit is destroyed there). Returns the body's bytes in their chunks, for a caller whose
 * incremental reading failed to fall back on the text (`bodyText`); the caller drops them after.
 */
export async function readBodyChunks(
  body: Body,
  contentLength: string | string[] | undefined,
  limit: number,
  onChunk: (chunk: Buffer) => void,
): Promise<{ chunks: Buffer[]; size: number }> {
  const announced = announcedLength(contentLength);
  if (announced !== undefined && announced > limit) {
    body.destroy();
    throw new ResponseTooLarge(limit, announced);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = asBuffer(chunk);
    size += buf.length;
    if (size > limit) {
      body.destroy();
      throw new ResponseTooLarge(limit, announced);
    }
    chunks.push(buf);
    onChunk(buf);
  }
  return { chunks, size };
}

/** The text of a body read in chunks, decoded as readBodyCapped decodes it (undici's text() skips a UTF-8 BOM when a length was announced). */
export function bodyText(chunks: Buffer[], size: number, contentLength: string | string[] | undefined): string {
  const all = Buffer.concat(chunks, size);
  const bom = announcedLength(contentLength) !== undefined && all.length > 2 && all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf;
  return all.toString('utf8', bom ? 3 : 0);
}

/**
 * Reads a response body as UTF-8 text, at most `limit` bytes: a larger Content-Length is refused
 * before reading, and a body that grows past the limit is destroyed at that point (its socket is
 * closed, nothing more is buffered). Throws ResponseTooLarge.
 */
export async function readBodyCapped(body: Body, contentLength: string | string[] | undefined, limit: number): Promise<string> {
  const announced = announcedLength(contentLength);
  if (announced !== undefined && announced > limit) {
    body.destroy();
    throw new ResponseTooLarge(limit, announced);
  }
  // A body with a Content-Length within the limit cannot grow past it (undici fails a body longer
  // than announced): read it the fast way.
  if (announced !== undefined) return body.text();
  const { chunks, size } = await readBodyChunks(body, contentLength, limit, () => undefined);
  return Buffer.concat(chunks, size).toString('utf8');
}
