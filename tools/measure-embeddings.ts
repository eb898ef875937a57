// Which output of the default model makes the better embedding? Measures nearest-neighbour
// accuracy on MNIST digits (a domain neither ImageNet nor nsfwjs trained on).
//   node dist/tools/measure-embeddings.js [perClassTrain=100] [perClassTest=100] [--signed-input]
// --signed-input feeds pixels scaled to [-1, 1] (Keras's MobileNetV2 ImageNet preprocessing)
// instead of [0, 1] (what nsfwjs feeds), to see which range the frozen ImageNet layers prefer.
import * as ort from 'onnxruntime-node';
import { convertDefaultModel } from './keras-to-onnx/default-model';
import { INPUT_SIZE, mnistDigits, mnistToModelInput, stackBatch } from '../test/unit/model/sample-inputs';

const BATCH = 32;

interface Embedded {
  labels: number[];
  /** output name -> one vector per image */
  vectors: Map<string, Float32Array[]>;
  pixels: Float32Array[];
}

async function embedDigits(
  session: ort.InferenceSession,
  outputs: string[],
  perClass: number,
  start: number,
  signedInput: boolean,
): Promise<{ embedded: Embedded; milliseconds: number }> {
  const digits = Array.from({ length: 10 }, (_, digit) => mnistDigits(digit, perClass, start));
  const labels = digits.flatMap((samples, digit) => samples.map(() => digit));
  const pixels = digits.flat();
  const vectors = new Map<string, Float32Array[]>(outputs.map((name) => [name, []]));
  let milliseconds = 0;
  for (let first = 0; first < pixels.length; first += BATCH) {
    const images = (await Promise.all(pixels.slice(first, first + BATCH).map(mnistToModelInput))).map((image) =>
      signedInput ? image.map((value) => value * 2 - 1) : image,
    );
    const started = performance.now();
    const result = await session.run(
      { input: new ort.Tensor('float32', stackBatch(images), [images.length, INPUT_SIZE, INPUT_SIZE, 3]) },
      outputs,
    );
    milliseconds += performance.now() - started;
    for (const name of outputs) {
      const data = result[name].data as Float32Array;
      const width = data.length / images.length;
      for (let i = 0; i < images.length; i++) vectors.get(name)?.push(data.slice(i * width, (i + 1) * width));
    }
  }
  return { embedded: { labels, vectors, pixels }, milliseconds };
}

/** Subtracts the training mean (when centring) and scales to unit length, so a dot product is a cosine. */
function normaliser(train: Float32Array[], centre: boolean): (vector: Float32Array) => Float32Array {
  const mean = new Float32Array(train[0].length);
  if (centre) for (const vector of train) vector.forEach((value, i) => (mean[i] += value / train.length));
  return (vector) => {
    const out = vector.map((value, i) => value - mean[i]);
    const norm = Math.hypot(...out) || 1;
    return out.map((value) => value / norm);
  };
}

/** Concatenates per-part normalised vectors so that each part weighs the same in the cosine. */
function concatenated(parts: Float32Array[][]): Float32Array[] {
  return parts[0].map((_, i) => {
    const joined = new Float32Array(parts.reduce((total, part) => total + part[i].length, 0));
    let offset = 0;
    for (const part of parts) {
      joined.set(part[i], offset);
      offset += part[i].length;
    }
    return joined;
  });
}

/** k-NN accuracy with cosine similarity; votes are tied-broken by the nearest neighbour's label. */
function knnAccuracy(train: Float32Array[], trainLabels: number[], test: Float32Array[], testLabels: number[], k: number): number {
  let correct = 0;
  test.forEach((query, q) => {
    const similarities = train.map((vector, t) => {
      let dot = 0;
      for (let i = 0; i < vector.length; i++) dot += vector[i] * query[i];
      return { dot, label: trainLabels[t] };
    });
    similarities.sort((a, b) => b.dot - a.dot);
    const votes = new Array<number>(10).fill(0);
    for (const { label } of similarities.slice(0, k)) votes[label]++;
    const best = Math.max(...votes);
    const predicted = similarities.slice(0, k).find(({ label }) => votes[label] === best)?.label;
    if (predicted === testLabels[q]) correct++;
  });
  return correct / test.length;
}

async function main(): Promise<void> {
  const signedInput = process.argv.includes('--signed-input');
  const [perClassTrain = 100, perClassTest = 100] = process.argv.slice(2).filter((arg) => !arg.startsWith('--')).map(Number);
  const outputs = ['embedding', 'embedding_imagenet'];
  const session = await ort.InferenceSession.create(convertDefaultModel().onnx);

  // Train and test samples are disjoint: the test set starts after the training samples of each class.
  const train = await embedDigits(session, outputs, perClassTrain, 0, signedInput);
  const test = await embedDigits(session, outputs, perClassTest, perClassTrain, signedInput);
  const imageCount = train.embedded.labels.length + test.embedded.labels.length;

  const representations: Array<{ name: string; train: Float32Array[]; test: Float32Array[]; centre: boolean }> = [
    { name: 'raw pixels (baseline)', train: train.embedded.pixels, test: test.embedded.pixels, centre: true },
    ...outputs.flatMap((name) => [false, true].map((centre) => ({
      name,
      train: train.embedded.vectors.get(name) ?? [],
      test: test.embedded.vectors.get(name) ?? [],
      centre,
    }))),
  ];
  const rows: string[] = [];
  let concatParts: { train: Float32Array[][]; test: Float32Array[][] } = { train: [], test: [] };
  for (const representation of representations) {
    const normalise = normaliser(representation.train, representation.centre);
    const trainVectors = representation.train.map(normalise);
    const testVectors = representation.test.map(normalise);
    if (representation.centre && outputs.includes(representation.name)) {
      concatParts = { train: [...concatParts.train, trainVectors], test: [...concatParts.test, testVectors] };
    }
    rows.push(row(representation.name, representation.centre, trainVectors, testVectors, train.embedded.labels, test.embedded.labels));
  }
  rows.push(row(`${outputs.join(' + ')}`, true, concatenated(concatParts.train), concatenated(concatParts.test), train.embedded.labels, test.embedded.labels));

  const range = signedInput ? '[-1, 1]' : '[0, 1]';
  console.log(`MNIST, ${train.embedded.labels.length} train / ${test.embedded.labels.length} test images, model input in ${range}, cosine k-NN`);
  console.log('| representation | dims | centred | 1-NN | 5-NN |');
  console.log('|---|---|---|---|---|');
  for (const line of rows) console.log(line);
  console.log(`onnxruntime-node CPU forward pass: ${((train.milliseconds + test.milliseconds) / imageCount).toFixed(1)} ms/image (batches of ${BATCH})`);
}

function row(name: string, centred: boolean, train: Float32Array[], test: Float32Array[], trainLabels: number[], testLabels: number[]): string {
  const percent = (k: number): string => `${(100 * knnAccuracy(train, trainLabels, test, testLabels, k)).toFixed(1)}%`;
  return `| ${name} | ${train[0].length} | ${centred ? 'yes' : 'no'} | ${percent(1)} | ${percent(5)} |`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
