// Reads the vector log front to back in large chunks and verifies every record, stopping at the
// first one that is cut short or damaged. Only headers are kept; payloads are checked and discarded.
import type { FileHandle } from 'node:fs/promises';
import { parseRecordHeader, recordChecksumMatches, type RecordHeader } from './recordFormat';

export interface LogScanResult {
  /** Offset just past the last verified record; everything after it must be dropped. */
  goodEnd: number;
  recordCount: number;
  /** Why scanning stopped before the end of the file; undefined when the whole file verified. */
  problem: string | undefined;
}

/** Calls `onRecord` for every verified record in order, with the record's offset in the file. */
export async function scanRecordLog(
  handle: FileHandle,
  fileSize: number,
  onRecord: (offset: number, header: RecordHeader) => void,
): Promise<LogScanResult> {
  const reader = new ChunkedReader(handle, fileSize);
  let offset = 0;
  let recordCount = 0;
  while (offset < fileSize) {
    const problem = await verifyRecordAt(reader, offset, fileSize, (header) => {
      onRecord(offset, header);
      offset += header.totalLength;
      recordCount++;
    });
    if (problem) return { goodEnd: offset, recordCount, problem: `record ${recordCount} at byte ${offset}: ${problem}` };
  }
  return { goodEnd: offset, recordCount, problem: undefined };
}

async function verifyRecordAt(
  reader: ChunkedReader,
  offset: number,
  fileSize: number,
  onVerified: (header: RecordHeader) => void,
): Promise<string | undefined> {
  let wanted = 0;
  for (;;) {
    const bytes = await reader.view(offset, wanted);
    if (bytes.length < wanted) return 'file ended while reading';
    const parsed = parseRecordHeader(bytes);
    if (parsed.status === 'corrupt') return parsed.reason;
    if (parsed.status === 'need') {
      if (offset + parsed.bytes > fileSize) return `truncated header (${fileSize - offset} bytes left)`;
      wanted = parsed.bytes;
      continue;
    }
    const { header } = parsed;
    if (offset + header.totalLength > fileSize) {
      return `truncated: needs ${header.totalLength} bytes, ${fileSize - offset} left`;
    }
    const whole = await reader.view(offset, header.totalLength);
    if (whole.length < header.totalLength) return 'file ended while reading';
    if (!recordChecksumMatches(whole)) return 'checksum mismatch';
    onVerified(header);
    return undefined;
  }
}

/**
 * Serves byte ranges of a file from a reusable chunk buffer. A returned view is valid only until the
 * next call. Asking for `length` 0 returns whatever the current chunk holds from `offset` on.
 */
class ChunkedReader {
  private buffer = Buffer.alloc(0);
  private start = 0;
  private filled = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly fileSize: number,
    private readonly chunkSize = 4 << 20,
  ) {}

  async view(offset: number, length: number): Promise<Buffer> {
    const bufferedEnd = this.start + this.filled;
    const end = Math.min(offset + length, this.fileSize);
    if (offset >= this.start && end <= bufferedEnd && (length > 0 || offset < bufferedEnd)) {
      const available = length > 0 ? end : bufferedEnd;
      return this.buffer.subarray(offset - this.start, available - this.start);
    }
    const size = Math.min(Math.max(length, this.chunkSize), this.fileSize - offset);
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await this.handle.read(this.buffer, filled, size - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.start = offset;
    this.filled = filled;
    return this.buffer.subarray(0, length > 0 ? Math.min(length, filled) : filled);
  }
}
