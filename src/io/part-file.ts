/**
 * One part file of a split, written to a temporary file beside its path and renamed into
 * place once every part is whole (values known only at the end are patched in place first).
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { XliffError } from '../errors.js';

const FLUSH_BYTES = 1 << 20;

export class PartFile {
  /** UTF-8 bytes written so far (buffered ones included). */
  bytes = 0;
  private buffered: string[] = [];
  private bufferedBytes = 0;
  private readonly temporary: string;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    temporary: string,
  ) {
    this.temporary = temporary;
  }

  static async create(path: string): Promise<PartFile> {
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      return new PartFile(path, await open(temporary, 'wx'), temporary);
    } catch (error) {
      throw new XliffError('XLIFF_IO', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  async write(text: string): Promise<void> {
    const size = Buffer.byteLength(text);
    this.buffered.push(text);
    this.bytes += size;
    this.bufferedBytes += size;
    if (this.bufferedBytes >= FLUSH_BYTES) await this.flush();
  }

  /** Overwrites bytes at `offset` (a placeholder of the same length). */
  async patch(offset: number, text: string): Promise<void> {
    await this.flush();
    await this.io(() => this.handle.write(text, offset, 'utf8'));
  }

  /** Ends writing (the file stays temporary until `commit`). */
  async close(): Promise<void> {
    await this.flush();
  }

  async commit(): Promise<void> {
    await this.io(() => this.handle.close());
    await this.io(() => rename(this.temporary, this.path));
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.bufferedBytes = 0;
    await this.io(() => this.handle.write(text, null, 'utf8'));
  }

  private async io<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw new XliffError('XLIFF_IO', `cannot write ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }
}
