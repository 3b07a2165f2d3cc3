// @ts-check
/**
 * A job's codify report (Terraform import blocks for its unmanaged resources), fetched once per
 * job and split into one block per resource, so an item's own block can be shown beside it.
 */
import { fetchReport } from './api.js';

/** @typedef {import('./api.js').DriftPage['items'][number]} DriftItem */
/** @typedef {{ to: string, id: string, text: string }} CodifyBlock */
/** @typedef {{ text: string, blocks: CodifyBlock[] }} CodifyFile */

/** @type {Map<string, Promise<CodifyFile>>} */
const files = new Map();

/**
 * The job's codify file; a failed fetch is forgotten, so the next call tries again.
 * @param {string} jobId
 */
export function codifyFile(jobId) {
  let file = files.get(jobId);
  if (!file) {
    file = fetchReport(jobId, 'codify')
      .then((blob) => blob.text())
      .then((text) => ({ text, blocks: splitBlocks(text) }));
    files.set(jobId, file);
    file.catch(() => files.delete(jobId));
  }
  return file;
}

/**
 * Each `import {…}` block with the `resource` skeleton after it; the file's header comment is dropped.
 * @param {string} text
 * @returns {CodifyBlock[]}
 */
export function splitBlocks(text) {
  return text
    .split(/^(?=import \{$)/m)
    .filter((chunk) => chunk.startsWith('import {'))
    .map((chunk) => ({
      to: /^\s+to = (\S+)$/m.exec(chunk)?.[1] ?? '',
      id: /^\s+id = (.*)$/m.exec(chunk)?.[1] ?? '',
      text: chunk.trimEnd(),
    }));
}

/**
 * The item's block: codify imports it to the item's address, or to that address with a `_N`
 * suffix when several resources share a name; among those, the one importing the item's id.
 * @param {CodifyFile} file
 * @param {DriftItem} item
 */
export function blockFor(file, item) {
  const prefix = `${item.address}_`;
  const candidates = file.blocks.filter(
    (b) => b.to === item.address || (b.to.startsWith(prefix) && /^\d+$/.test(b.to.slice(prefix.length))),
  );
  return candidates.find((b) => b.id === JSON.stringify(item.id)) ?? candidates[0];
}
