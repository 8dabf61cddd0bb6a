import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/common/clock';
import { openSqliteStore } from '../../src/storage/sqlite';
import type { Store } from '../../src/use-cases/ports/store';
import { describeStoreContract, T0 } from './contract';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'napter-contract-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let databases = 0;

// A file per test: a second connection (another process, as far as SQLite knows) can open it too.
describeStoreContract('SQLite', async () => {
  databases += 1;
  const path = join(dir, `contract-${databases}.db`);
  const clock = new ManualClock(T0);
  const connections: Store[] = [];
  const connect = async () => {
    const store = openSqliteStore({ path, clock });
    connections.push(store);
    return store;
  };
  return {
    store: await connect(),
    clock,
    connect,
    dispose: async () => {
      for (const store of connections) await store.close();
    },
  };
});
