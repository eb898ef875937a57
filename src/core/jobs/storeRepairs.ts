import type { EmbeddingStore } from '../cache/embeddingStore';

/** What opening the cache had to repair or set aside, in words for the log and the result. */
export function describeStoreRepairs(store: EmbeddingStore): string[] {
  const messages: string[] = [];
  const repair = store.repairs;
  if (repair) {
    messages.push(`dropped ${repair.droppedBytes} bytes after ${repair.keptRecords} good records (${repair.reason}); the affected images are embedded again`);
  }
  if (store.setAside) messages.push(`an incompatible cache was moved aside to ${store.setAside}`);
  return messages;
}
