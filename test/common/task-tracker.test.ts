import { createTaskTracker } from '../../src/common/task-tracker';

describe('the task tracker', () => {
  it('settles only after every tracked task, including ones started while waiting', async () => {
    const tracker = createTaskTracker(() => undefined);
    const order: string[] = [];
    void tracker.run('first', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('first');
      void tracker.run('second', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push('second');
      });
    });
    await tracker.settle();
    expect(order).toEqual(['first', 'second']);
    expect(tracker.pending).toBe(0);
  });

  it('reports a failure and still rejects to the caller', async () => {
    const failures: string[] = [];
    const tracker = createTaskTracker((label) => failures.push(label));
    await expect(tracker.run('boom', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await tracker.settle();
    expect(failures).toEqual(['boom']);
  });
});
