import { ErrorCode } from '../../contract/errors.js';
import { type ImportFile, importObjectKey } from '../../contract/imports.js';
import { ApiError } from '../errors.js';
import { boundaryOf, formParts } from './multipart.js';

/**
 * Bytes buffered per part of a multipart upload to R2: its minimum, so an upload holds at most
 * this much of a file in memory. Every part but the last must be the same size.
 */
const PART_BYTES = 5 * 1024 * 1024;
/** R2's most parts in one upload: the largest file an import takes is their product (about 48 GiB). */
const MAX_PARTS = 10_000;
export const MAX_STREAMED_IMPORT_BYTES = PART_BYTES * MAX_PARTS;

/** Streams `chunks` into `key`, one part at a time; returns the object's size. */
async function putStream(bucket: R2Bucket, key: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const part = new Uint8Array(PART_BYTES);
  let filled = 0;
  let total = 0;
  let upload: R2MultipartUpload | undefined;
  const uploaded: R2UploadedPart[] = [];
  const flush = async () => {
    upload ??= await bucket.createMultipartUpload(key);
    uploaded.push(await upload.uploadPart(uploaded.length + 1, part.slice(0, filled)));
    filled = 0;
  };
  try {
    for await (const chunk of chunks) {
      total += chunk.length;
      for (let at = 0; at < chunk.length; ) {
        const n = Math.min(chunk.length - at, PART_BYTES - filled);
        part.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === PART_BYTES) await flush();
      }
    }
    if (!upload) {
      await bucket.put(key, part.subarray(0, filled));
      return total;
    }
    if (filled > 0) await flush();
    await upload.complete(uploaded);
    return total;
  } catch (err) {
    await upload?.abort().catch(() => {});
    throw err;
  }
}

async function* streamChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (body) yield* body;
}

/**
 * Keeps the uploaded files of an import request in the bucket, reading the body as it arrives:
 * each `file` field of a multipart form (named by `name`, else its file name), or a JSON body
 * as one file. The same refusals as a synchronous import: no file, `name` with several files,
 * two files of one name, another content type.
 */
export async function storeUploads(
  req: Request,
  name: string | undefined,
  bucket: R2Bucket,
  importId: string,
): Promise<ImportFile[]> {
  const type = req.headers.get('content-type') ?? '';
  const files: ImportFile[] = [];
  try {
    if (type.startsWith('application/json')) {
      const fileName = name ?? 'terraform.tfstate';
      files.push({
        name: fileName,
        bytes: await putStream(bucket, importObjectKey(importId, 0), streamChunks(req.body)),
      });
      return files;
    }
    if (!type.startsWith('multipart/form-data')) {
      throw new ApiError(
        415,
        ErrorCode.badRequest,
        'send multipart/form-data with a file field, or the state as application/json',
      );
    }
    if (!req.body) throw new ApiError(400, ErrorCode.badRequest, 'file: the request has no body');
    for await (const part of formParts(req.body, boundaryOf(type))) {
      if (part.name !== 'file' || part.filename === undefined) continue;
      if (name !== undefined && files.length > 0) throw severalNamed();
      const fileName = name ?? (part.filename || 'terraform.tfstate');
      if (files.some((f) => f.name === fileName))
        throw new ApiError(400, ErrorCode.badRequest, `file: two files named ${fileName}`);
      const bytes = await putStream(bucket, importObjectKey(importId, files.length), part.body);
      files.push({ name: fileName, bytes });
    }
    if (files.length === 0)
      throw new ApiError(400, ErrorCode.badRequest, 'file: no file field in the form (use -F file=@terraform.tfstate)');
    return files;
  } catch (err) {
    await deleteUploads(bucket, importId, files.length + 1);
    throw err;
  }
}

function severalNamed(): ApiError {
  return new ApiError(
    400,
    ErrorCode.badRequest,
    'name: names one state, but several files were sent; import them one at a time',
  );
}

/** Drops an import's uploaded files. */
export async function deleteUploads(bucket: R2Bucket, importId: string, files: number): Promise<void> {
  const keys = Array.from({ length: files }, (_, i) => importObjectKey(importId, i));
  if (keys.length > 0) await bucket.delete(keys);
}
