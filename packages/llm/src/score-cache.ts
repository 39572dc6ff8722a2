import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KolmoError, writeFileAtomic } from '@kolmo/core';
import type { ScoredDocument } from './scored-document.ts';

/** Entries being written by this process (two runs of a sweep may score the same document at once). */
const writing = new Set<string>();

/** Bumped when the file layout or the meaning of a key changes, so old files are never misread. */
const cacheVersion = 1;

/**
 * Scored documents on disk, one JSON file per document under `<dir>/llm/<backend>/<ab>/<key>.json`, keyed by
 * the backend's id and the SHA-256 of everything that changes the numbers: the text, the context prefix and the
 * window settings. Files are written atomically (a temporary name, then a rename), so an interrupted run
 * leaves only whole entries: a rerun resumes without rescoring them, and a finished run's rerun asks the backend
 * nothing. JSON keeps every double exactly (shortest round-trip form). Entries hold the backend's token table,
 * never the text, a URL or a key.
 */
export class ScoreCache {
  private readonly folder: string;

  constructor(dir: string, backendId: string) {
    this.folder = join(dir, 'llm', digest(backendId).slice(0, 32));
  }

  /** The key of one document under given settings (`settings` must name everything besides the text that changes the bits). */
  static key(text: string, settings: unknown): string {
    return digest(`${cacheVersion}\n${JSON.stringify(settings)}\n${text}`);
  }

  async get(key: string): Promise<ScoredDocument | undefined> {
    let content: string;
    try {
      content = await readFile(this.path(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KolmoError('input', `llm cache: cannot read ${this.path(key)}: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
    }
    try {
      return fromJson(JSON.parse(content));
    } catch (error) {
      throw new KolmoError('input', `llm cache: ${this.path(key)} is not a scored document (${(error as Error).message}); delete it or run with --no-cache`, { cause: error });
    }
  }

  async put(key: string, document: ScoredDocument): Promise<void> {
    const path = this.path(key);
    // The same entry (same bits) is already being written: its temporary name is this one's, so let it finish alone.
    if (writing.has(path)) return;
    writing.add(path);
    try {
      await mkdir(join(this.folder, key.slice(0, 2)), { recursive: true });
      await writeFileAtomic(path, JSON.stringify(toJson(document)));
    } finally {
      writing.delete(path);
    }
  }

  private path(key: string): string {
    return join(this.folder, key.slice(0, 2), `${key}.json`);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface ScoredDocumentJson {
  v: number;
  ids: number[];
  start: number[];
  end: number[];
  logProbs: number[];
  pieces?: string[];
  topIds?: number[];
  topLogProbs?: number[];
}

function toJson(document: ScoredDocument): ScoredDocumentJson {
  return {
    v: cacheVersion,
    ids: Array.from(document.ids),
    start: Array.from(document.start),
    end: Array.from(document.end),
    logProbs: Array.from(document.logProbs),
    pieces: document.pieces ? [...document.pieces] : undefined,
    topIds: document.topIds && Array.from(document.topIds),
    topLogProbs: document.topLogProbs && Array.from(document.topLogProbs),
  };
}

function fromJson(json: ScoredDocumentJson): ScoredDocument {
  if (json.v !== cacheVersion) throw new Error(`version ${json.v}, expected ${cacheVersion}`);
  const n = json.ids.length;
  if (json.start.length !== n || json.end.length !== n || json.logProbs.length !== n) throw new Error('columns of different lengths');
  for (const value of json.logProbs) if (!(Number.isFinite(value) && value <= 0)) throw new Error(`log-prob ${value} is not finite and ≤ 0`);
  return {
    ids: Int32Array.from(json.ids),
    start: Int32Array.from(json.start),
    end: Int32Array.from(json.end),
    logProbs: Float64Array.from(json.logProbs),
    pieces: json.pieces,
    topIds: json.topIds && Int32Array.from(json.topIds),
    topLogProbs: json.topLogProbs && Float64Array.from(json.topLogProbs),
  };
}
