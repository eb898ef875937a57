import assert from 'node:assert/strict';
import { takeTurn } from '../../../src/core/util/turnQueue';

const tick = (ms = 10): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('takeTurn', () => {
  it('gives turns in the order asked, one at a time', async () => {
    const order: string[] = [];
    const first = await takeTurn('order', 1000);
    const second = takeTurn('order', 1000).then((release) => (order.push('second'), release));
    const third = takeTurn('order', 1000).then((release) => (order.push('third'), release));
    await tick();
    assert.deepEqual(order, [], 'both wait while the first holds its turn');
    first!();
    (await second)!();
    (await third)!();
    assert.deepEqual(order, ['second', 'third']);
  });

  it('a turn whose wait runs out leaves the queue without holding up those behind it', async () => {
    const first = await takeTurn('timeout', 1000);
    const impatient = takeTurn('timeout', 20);
    const patient = takeTurn('timeout', 1000);
    assert.equal(await impatient, undefined);
    let patientGotIt = false;
    void patient.then(() => (patientGotIt = true));
    await tick(30);
    assert.equal(patientGotIt, false, 'still behind the first');
    first!();
    const release = await patient;
    assert.ok(release);
    release();
    // Released twice is harmless, and the key is free again.
    release();
    assert.ok(await takeTurn('timeout', 10));
  });
});
