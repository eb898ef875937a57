// Section 1 of the suggestion benchmark: partial-label self-distillation (METHODS.md section 5)
// under symmetric label noise on MNIST embeddings.
// For each noise level and seed it trains, on the noisy training labels:
//  - an early-stopped teacher (20 epochs, the one whose out-of-fold predictions judge the flags)
//    and the teacher trained to convergence (100 epochs, where its fit of the noisy training
//    labels stops growing: the paper's setting);
//  - students from each teacher with the candidate-set loss (GCE on the top-2 set) and with
//    the paper's soft target (cross-entropy on the two-hot top-2 target);
//  - the k-NN baseline.
// Which of these to trust is chosen without the test set: the same six are trained on 80% of the
// training images and scored on the other 20% against their given (noisy) labels. Under symmetric
// noise, accuracy on noisy labels is (1 - eta) acc + eta (1 - acc) / (C - 1), increasing in the
// clean accuracy, so the noisy validation ranks models as clean labels would.
import { predictProbabilities } from '../../src/core/math/linearHead';
import { topIndices } from '../../src/core/math/probabilities';
import { SeededRandom } from '../../src/core/math/seededRandom';
import { centredUnitRows, columnMean, pickRows, type VectorRows } from '../../src/core/math/vectorRows';
import { KnnLabelPropagator } from '../../src/core/suggest/knnLabelPropagator';
import { DISTILLER_DEFAULTS, PartialLabelDistiller, type StudentLoss } from '../../src/core/suggest/partialLabelDistiller';
import type { LabelledPool, SoftLabels } from '../../src/core/suggest/types';
import type { BenchData } from './mnistData';

const EARLY_TEACHER_EPOCHS = 20;
const CONVERGED_TEACHER_EPOCHS = 100;

export const MODELS = [
  { key: 'teacherEarly', name: `teacher, ${EARLY_TEACHER_EPOCHS} epochs (early-stopped)`, short: 'T20', teacherEpochs: EARLY_TEACHER_EPOCHS },
  { key: 'studentFromEarly', name: 'student from it, candidate-set GCE (the default before)', short: 'T20 student set-GCE', teacherEpochs: EARLY_TEACHER_EPOCHS, studentLoss: 'candidate-set' },
  { key: 'studentFromEarlyTwoHot', name: 'student from it, two-hot CE', short: 'T20 student two-hot CE', teacherEpochs: EARLY_TEACHER_EPOCHS, studentLoss: 'two-hot-ce' },
  { key: 'teacherConverged', name: `teacher, ${CONVERGED_TEACHER_EPOCHS} epochs (to convergence)`, short: 'T100', teacherEpochs: CONVERGED_TEACHER_EPOCHS },
  { key: 'studentConvergedTwoHot', name: "student from it, two-hot CE (the paper's soft target)", short: 'T100 student two-hot CE', teacherEpochs: CONVERGED_TEACHER_EPOCHS, studentLoss: 'two-hot-ce' },
  { key: 'studentConverged', name: 'student from it, candidate-set GCE', short: 'T100 student set-GCE', teacherEpochs: CONVERGED_TEACHER_EPOCHS, studentLoss: 'candidate-set' },
] as const satisfies ReadonlyArray<{ key: string; name: string; short: string; teacherEpochs: number; studentLoss?: StudentLoss }>;

/** The model `PartialLabelDistiller` ships: its defaults' teacher epochs and student loss. */
export const SHIPPED_MODEL: ModelKey = MODELS.find((m) => 'studentLoss' in m && m.teacherEpochs === DISTILLER_DEFAULTS.teacherEpochs && m.studentLoss === DISTILLER_DEFAULTS.studentLoss)!.key;

export type ModelKey = (typeof MODELS)[number]['key'];

export interface FlagQuality {
  threshold: number;
  flagged: number;
  precision: number;
  recall: number;
}

export interface NoiseRow {
  noise: number;
  seed: number;
  flipped: number;
  /** Clean test accuracy of each model trained on all training images. */
  test: Record<ModelKey, number>;
  /** Accuracy against the given (noisy) labels of the held-out 20%, each model trained on the other 80%. */
  validation: Record<ModelKey, number>;
  knnAccuracy: number;
  /** Share of the training labels each teacher reproduces (above 1 - noise: it fits flipped labels too). */
  fitOfGiven: { early: number; converged: number };
  /** Share of the flipped training labels whose wrong label is the teacher's top class. */
  memorisedFlips: { early: number; converged: number };
  pllFlags: FlagQuality[];
  knnFlags: FlagQuality[];
  seconds: number;
}

export const THRESHOLDS = [0, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];
const VALIDATION_SHARE = 0.2;

export function labelNoiseExperiment(data: BenchData, noise: number, seed: number): NoiseRow {
  const started = performance.now();
  const classes = data.classNames.length;
  const random = new SeededRandom(seed);
  const train = [...data.truth.keys()].filter((row) => !data.isTest[row]);
  const test = [...data.truth.keys()].filter((row) => data.isTest[row]);
  const labels = new Int32Array(data.truth.length).fill(-1);
  for (const row of train) labels[row] = data.truth[row];
  // Symmetric noise: exactly round(noise * n) training labels moved to a different, uniformly drawn class.
  const flipped = new Set(random.permutation(train.length).slice(0, Math.round(noise * train.length)).map((i) => train[i]));
  for (const row of flipped) labels[row] = (data.truth[row] + 1 + random.int(classes - 1)) % classes;
  const pool: LabelledPool = { features: data.embedding, labels, classNames: data.classNames };

  // The product's run: out-of-fold early-stopped teachers for the flags, the shipped student.
  const pll = new PartialLabelDistiller({ seed }).run(pool);
  const knn = new KnnLabelPropagator().run(pool);

  // Centred on every image's mean, as the distiller does.
  const features = centredUnitRows(data.embedding, columnMean([data.embedding], data.embedding.width));
  const held = new Set(random.permutation(train.length).slice(0, Math.round(VALIDATION_SHARE * train.length)).map((i) => train[i]));
  const fit = train.filter((row) => !held.has(row));
  const validationRows = train.filter((row) => held.has(row));
  const full = trainModels(features, train, labels, classes, seed);
  const split = trainModels(features, fit, labels, classes, seed);

  const accuracy = (key: ModelKey, models: TrainedModels, rows: number[], truth: Int32Array) => accuracyOn(predictProbabilities(models[key], pickRows(features, rows)), classes, Int32Array.from(rows, (row) => truth[row]));
  const byKey = <T>(f: (key: ModelKey) => T) => Object.fromEntries(MODELS.map((m) => [m.key, f(m.key)])) as Record<ModelKey, T>;
  const trainProbabilities = (key: ModelKey) => predictProbabilities(full[key], pickRows(features, train));
  const earlyOnTrain = trainProbabilities('teacherEarly');
  const convergedOnTrain = trainProbabilities('teacherConverged');
  const flippedIndices = train.flatMap((row, i) => (flipped.has(row) ? [i] : []));
  const given = Int32Array.from(train, (row) => labels[row]);
  const row: NoiseRow = {
    noise,
    seed,
    flipped: flipped.size,
    test: byKey((key) => accuracy(key, full, test, data.truth)),
    validation: byKey((key) => accuracy(key, split, validationRows, labels)),
    knnAccuracy: accuracyOn(pickProbabilities(knn.probabilities, test, classes), classes, Int32Array.from(test, (r) => data.truth[r])),
    fitOfGiven: { early: accuracyOn(earlyOnTrain, classes, given), converged: accuracyOn(convergedOnTrain, classes, given) },
    memorisedFlips: {
      early: accuracyOn(pickProbabilities(earlyOnTrain, flippedIndices, classes), classes, Int32Array.from(flippedIndices, (i) => given[i])),
      converged: accuracyOn(pickProbabilities(convergedOnTrain, flippedIndices, classes), classes, Int32Array.from(flippedIndices, (i) => given[i])),
    },
    pllFlags: THRESHOLDS.map((t) => flagQuality(pll, flipped, t)),
    knnFlags: THRESHOLDS.map((t) => flagQuality(knn, flipped, t)),
    seconds: (performance.now() - started) / 1000,
  };
  // The shipped pipeline and the re-implementation here must agree on the shipped student.
  const productStudent = accuracyOn(pickProbabilities(pll.probabilities, test, classes), classes, Int32Array.from(test, (r) => data.truth[r]));
  if (Math.abs(productStudent - row.test[SHIPPED_MODEL]) > 1e-9) process.stderr.write(`WARNING noise ${noise} seed ${seed}: shipped student ${productStudent} in the product, ${row.test[SHIPPED_MODEL]} here\n`);
  process.stderr.write(`noise ${noise} seed ${seed}: ${row.seconds.toFixed(0)} s\n`);
  return row;
}

type TrainedModels = Record<ModelKey, ReturnType<PartialLabelDistiller['trainTeacher']>>;

/** Both teachers on `rows` and every student from them. */
function trainModels(features: VectorRows, rows: number[], labels: Int32Array, classes: number, seed: number): TrainedModels {
  const x = pickRows(features, rows);
  const y = Int32Array.from(rows, (row) => labels[row]);
  const teachers = new Map<number, ReturnType<PartialLabelDistiller['trainTeacher']>>();
  const models = {} as TrainedModels;
  for (const model of MODELS) {
    let teacher = teachers.get(model.teacherEpochs);
    if (!teacher) {
      teacher = new PartialLabelDistiller({ seed, teacherEpochs: model.teacherEpochs }).trainTeacher(x, y, classes);
      teachers.set(model.teacherEpochs, teacher);
    }
    models[model.key] = 'studentLoss' in model ? new PartialLabelDistiller({ seed, studentLoss: model.studentLoss }).trainStudent(x, teacher) : teacher;
  }
  return models;
}

function pickProbabilities(probabilities: Float64Array, rows: readonly number[], classes: number): Float64Array {
  const out = new Float64Array(rows.length * classes);
  rows.forEach((row, i) => out.set(probabilities.subarray(row * classes, (row + 1) * classes), i * classes));
  return out;
}

function accuracyOn(probabilities: Float64Array, classes: number, truth: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (topIndices(probabilities.subarray(i * classes, (i + 1) * classes), 1)[0] === truth[i]) correct++;
  return truth.length > 0 ? correct / truth.length : 0;
}

/** Precision/recall of "given label not in top 2 and top class >= threshold" against the flipped rows. */
function flagQuality(result: SoftLabels, flipped: ReadonlySet<number>, threshold: number): FlagQuality {
  let flagged = 0;
  let hits = 0;
  result.evidence.forEach((e, row) => {
    if (e === null || e.givenInTop2 || e.pPredicted < threshold) return;
    flagged++;
    if (flipped.has(row)) hits++;
  });
  return { threshold, flagged, precision: flagged > 0 ? hits / flagged : 0, recall: flipped.size > 0 ? hits / flipped.size : 0 };
}

/** The model a user would pick: the best noisy-validation accuracy (the first on ties). */
export function selectedByValidation(row: NoiseRow): ModelKey {
  return MODELS.reduce((best, m) => (row.validation[m.key] > row.validation[best] ? m.key : best), MODELS[0].key as ModelKey);
}
