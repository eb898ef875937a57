import * as assert from 'node:assert/strict';
import { SharedOrExclusive } from '../../../src/core/util/sharedOrExclusive';

const tick = (ms = 5) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('SharedOrExclusive', () => {
  it('runs shared tasks at the same time', async () => {
    const gate = new SharedOrExclusive();
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await tick();
      running--;
    };
    await Promise.all([gate.shared(task), gate.shared(task), gate.shared(task)]);
    assert.equal(most, 3);
  });

  it('runs an exclusive task only after the running shared ones, and holds back shared ones asked for meanwhile', async () => {
    const gate = new SharedOrExclusive();
    const events: string[] = [];
    let running = 0;
    const shared = (name: string) =>
      gate.shared(async () => {
        running++;
        events.push(`${name} start`);
        await tick(10);
        events.push(`${name} end`);
        running--;
      });
    const first = [shared('a'), shared('b')];
    await tick(1);
    const alone = gate.alone(async () => {
      assert.equal(running, 0, 'no shared task runs beside the exclusive one');
      events.push('alone start');
      await tick(10);
      events.push('alone end');
    });
    const later = shared('c');
    await Promise.all([...first, alone, later]);
    assert.deepEqual(events.slice(4), ['alone start', 'alone end', 'c start', 'c end']);
    assert.deepEqual(events.slice(0, 2).sort(), ['a start', 'b start']);
  });

  it('runs two exclusive tasks one after the other, and passes errors through', async () => {
    const gate = new SharedOrExclusive();
    let inside = 0;
    const alone = (fail: boolean) =>
      gate.alone(async () => {
        assert.equal(++inside, 1);
        await tick();
        inside--;
        if (fail) throw new Error('decode failed');
        return 'ok';
      });
    const results = await Promise.allSettled([alone(true), alone(false), gate.shared(async () => 'shared')]);
    assert.equal(results[0].status, 'rejected');
    assert.deepEqual(results.slice(1).map((r) => (r.status === 'fulfilled' ? r.value : r.reason)), ['ok', 'shared']);
  });
});
