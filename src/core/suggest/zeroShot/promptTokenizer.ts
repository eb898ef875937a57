// Turns class-name prompts ("a photo of a golden retriever") into the token ids a text encoder
// reads. The vocabulary is a plain text file with one token per line (the line number is the id),
// as BERT-style text towers ship it (`vocab.txt`); words are split greedily into the longest
// tokens the vocabulary has, continuation pieces spelt "##piece" (WordPiece). CLIP's own
// byte-level BPE needs its merges file as well and is not read here.
// Each prompt becomes: start token, pieces, end token, then padding up to the context length.
import { readFile } from 'node:fs/promises';

/** Start / end / padding / unknown tokens, in the spellings CLIP-style and BERT-style vocabularies use. */
const START_TOKENS = ['<|startoftext|>', '[CLS]', '<s>'];
const END_TOKENS = ['<|endoftext|>', '[SEP]', '</s>'];
const PAD_TOKENS = ['[PAD]', '<pad>'];
const UNKNOWN_TOKENS = ['[UNK]', '<unk>', '<|unk|>'];

export interface TokenizedPrompts {
  /** [prompts, contextLength], row-major. */
  ids: BigInt64Array;
  /** 1 where a row holds a real token, 0 on padding. */
  attentionMask: BigInt64Array;
  contextLength: number;
  /** Position of each prompt's end token (CLIP pools the text features there). */
  endPositions: number[];
}

export class PromptTokenizer {
  private readonly ids: Map<string, number>;
  private readonly start: number | undefined;
  private readonly end: number | undefined;
  private readonly pad: number;
  private readonly unknown: number | undefined;

  constructor(tokens: readonly string[], private readonly source = 'the vocabulary') {
    this.ids = new Map();
    tokens.forEach((token, id) => {
      if (token !== '' && !this.ids.has(token)) this.ids.set(token, id);
    });
    if (this.ids.size === 0) throw new Error(`Vocabulary ${source} holds no tokens (expected one token per line).`);
    const find = (spellings: string[]) => spellings.map((s) => this.ids.get(s)).find((id) => id !== undefined);
    this.start = find(START_TOKENS);
    this.end = find(END_TOKENS);
    // CLIP pads with id 0 and masks by the end position; BERT has a [PAD] token (also id 0 in practice).
    this.pad = find(PAD_TOKENS) ?? 0;
    this.unknown = find(UNKNOWN_TOKENS);
  }

  static async fromFile(path: string): Promise<PromptTokenizer> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the text encoder's vocabulary ${path}: ${(error as Error).message}`);
    }
    return new PromptTokenizer(text.split(/\r?\n/).map((line) => line.trim()), path);
  }

  get vocabularySize(): number {
    return this.ids.size;
  }

  /** The token ids of one text, without start/end tokens. */
  pieces(text: string): number[] {
    const ids: number[] = [];
    for (const word of words(text)) ids.push(...this.wordPieces(word));
    return ids;
  }

  encode(prompts: readonly string[], contextLength: number): TokenizedPrompts {
    const ids = new BigInt64Array(prompts.length * contextLength).fill(BigInt(this.pad));
    const attentionMask = new BigInt64Array(prompts.length * contextLength);
    const endPositions: number[] = [];
    prompts.forEach((prompt, row) => {
      const body = this.pieces(prompt);
      const room = contextLength - (this.start !== undefined ? 1 : 0) - (this.end !== undefined ? 1 : 0);
      if (body.length > room) throw new Error(`The prompt "${prompt}" needs ${body.length} tokens; the text encoder reads at most ${room} besides its start and end tokens.`);
      const sequence = [...(this.start !== undefined ? [this.start] : []), ...body, ...(this.end !== undefined ? [this.end] : [])];
      sequence.forEach((id, i) => {
        ids[row * contextLength + i] = BigInt(id);
        attentionMask[row * contextLength + i] = 1n;
      });
      endPositions.push(sequence.length - 1);
    });
    return { ids, attentionMask, contextLength, endPositions };
  }

  /** Greedy longest match from the left; a word with a piece the vocabulary lacks becomes one unknown token. */
  private wordPieces(word: string): number[] {
    const whole = this.ids.get(word);
    if (whole !== undefined) return [whole];
    const found: number[] = [];
    let at = 0;
    while (at < word.length) {
      let id: number | undefined;
      let stop = word.length;
      for (; stop > at; stop--) {
        id = this.ids.get((at > 0 ? '##' : '') + word.slice(at, stop));
        if (id !== undefined) break;
      }
      if (id === undefined) {
        if (this.unknown === undefined) throw new Error(`The word "${word}" cannot be spelt with the tokens of ${this.source}, which has no unknown token.`);
        return [this.unknown];
      }
      found.push(id);
      at = stop;
    }
    return found;
  }
}

/** Lower-case words and single punctuation marks, as both tokenizer families pre-split text. */
function words(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
}
