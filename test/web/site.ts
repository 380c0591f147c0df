import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { StoreKind, TestStore } from '../helpers/stores.ts';
import { webApp } from './app.ts';
import { NOW, type Seeded, seedCommunity } from './seed.ts';

export interface SeededSite {
  store: TestStore;
  seeded: Seeded;
  app: ReturnType<typeof webApp>;
}

/** The seeded community on a store for a describe block, with a fresh web app for each test. */
export function seededSite(kind: StoreKind): SeededSite {
  const site = {} as SeededSite;
  beforeAll(async () => {
    site.store = await kind.open();
    site.seeded = await seedCommunity(site.store.db);
  });
  afterAll(async () => site.store.destroy());
  beforeEach(() => {
    site.app = webApp(site.store.db, { now: () => NOW });
  });
  return site;
}
