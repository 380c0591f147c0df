import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScoringPass } from '../../src/services/scoring-pass.ts';
import { createApiKey } from '../../src/store/api-keys.ts';
import { ingestEvents } from '../../src/store/events.ts';
import { createMembers } from '../../src/store/members.ts';
import { type Api, NOW, apiFor } from '../helpers/api.ts';
import { STORES, type TestStore } from '../helpers/stores.ts';

const DEFAULT_POLICY = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
const candidate = (from: string) =>
  DEFAULT_POLICY.replace('version: "2025-09"', 'version: "next"')
    .replace('effective_from: 2025-09-01', `effective_from: ${from}`)
    .replace(/forum\.post\.created:\n    points: 6/, 'forum.post.created:\n    points: 9');

describe.each(STORES)('scoring over HTTP ($name)', (kind) => {
  let store: TestStore;
  let api: Api;
  let member: number;
  beforeEach(async () => {
    store = await kind.open();
    api = apiFor(store.db);
    member = (await createMembers(store.db, [{ roles: ['student'] }], 'test'))[0]!;
    const post = (n: number, words: number) => ({
      source: 'forum',
      source_event_id: `post-${n}`,
      action: 'forum.post.created',
      actor: { member_id: member },
      occurred_at: `2025-10-0${n}T10:00:00+03:00`,
      attributes: { words },
    });
    await ingestEvents(store.db, [post(1, 120), post(2, 12), post(3, 80)], { atomic: true, unknownIdentity: () => 'create' });
    await runScoringPass(store.db, { now: NOW });
  });
  afterEach(async () => store.destroy());

  it("returns a member's awards newest first, each with its trail and the reason in English and Russian", async () => {
    const first = await api.request('GET', `/api/v1/members/${member}/awards?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.awards).toHaveLength(2);
    const [newest, second] = first.body.awards;
    expect(newest).toMatchObject({ action: 'forum.post.created', points: expect.any(Number), policy_version: '2025-09' });
    expect(newest.trail[0]).toEqual({ rule: 'base', value: 6 });
    expect(newest.why.en).toMatch(/^base 6, .*= \d+$/);
    expect(newest.why.ru).toMatch(/^база 6, .*= \d+$/);
    expect(second.points).toBe(0);
    expect(second.why.en).toContain('words 12');
    const rest = await api.request('GET', `/api/v1/members/${member}/awards?limit=2&cursor=${first.body.next_cursor}`);
    expect(rest.body.awards).toHaveLength(1);
    expect(rest.body.next_cursor).toBeNull();
    expect(Date.parse(rest.body.awards[0].at)).toBeLessThan(Date.parse(second.at));
  });

  it('names the field when the member or the cursor is wrong', async () => {
    expect((await api.request('GET', '/api/v1/members/abc/awards')).body.errors).toEqual([{ field: 'id', reason: 'must be a positive integer' }]);
    expect((await api.request('GET', `/api/v1/members/${member + 1000}/awards`)).status).toBe(404);
    const bad = await api.request('GET', `/api/v1/members/${member}/awards?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
    expect((await api.request('GET', `/api/v1/members/${member}/awards?limit=0`)).body.errors[0].field).toBe('limit');
  });

  it('compares a candidate policy over the history without changing anything', async () => {
    const before = await api.request('GET', `/api/v1/members/${member}/awards`);
    const report = await api.request('POST', '/api/v1/policies/what-if', { text: candidate('2025-09-01') });
    expect(report.status).toBe(200);
    // 9 base points for a post instead of 6: half as much again, give or take each award's rounding.
    expect(report.body.total.candidate / report.body.total.current).toBeCloseTo(1.5, 0);
    expect(report.body.total.candidate).toBeGreaterThan(report.body.total.current);
    expect(report.body.gainers).toEqual([expect.objectContaining({ member, difference: report.body.total.candidate - report.body.total.current })]);
    expect(report.body.by_kind.contribution.candidate).toBe(report.body.total.candidate);
    expect((await api.request('GET', `/api/v1/members/${member}/awards`)).body).toEqual(before.body);
    expect((await api.request('GET', '/api/v1/policies')).body.policies.map((p: { version: string }) => p.version)).toEqual(['2025-09']);
  });

  it('adopts a policy forward or with a re-score, refuses the past without one, and only for admins', async () => {
    const past = await api.request('POST', '/api/v1/policies', { text: candidate('2025-10-02'), mode: 'forward' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('effective_from');
    const broken = await api.request('POST', '/api/v1/policies', { text: candidate('2025-10-02').replace('then: 0.5', 'then: 5'), mode: 'rescore' });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]).toMatchObject({ field: expect.stringContaining('then'), line: expect.any(Number) });
    const sameDay = await api.request('POST', '/api/v1/policies', { text: candidate('2025-09-01'), mode: 'rescore' });
    expect(sameDay.status).toBe(400);
    expect(sameDay.body.errors[0].field).toBe('effective_from');
    const sameName = await api.request('POST', '/api/v1/policies', { text: DEFAULT_POLICY.replace('effective_from: 2025-09-01', 'effective_from: 2025-10-05'), mode: 'rescore' });
    expect(sameName.status).toBe(400);
    expect(sameName.body.errors[0].field).toBe('version');
    const { key } = await createApiKey(store.db, 'reader', ['read'], 'test');
    const forbidden = await apiFor(store.db, { key }).request('POST', '/api/v1/policies', { text: candidate('2025-10-02'), mode: 'rescore' });
    expect(forbidden.status).toBe(403);
    expect((await api.request('GET', '/api/v1/policies')).body.policies).toHaveLength(1);

    const adopted = await api.request('POST', '/api/v1/policies', { text: candidate('2025-10-02'), mode: 'rescore' });
    expect(adopted.status).toBe(201);
    expect(adopted.body).toMatchObject({ policy: { version: 'next', effective_from: '2025-10-02', adopted_by: expect.any(String) }, members_marked: 1 });
    await runScoringPass(store.db, { now: NOW });
    const awards = (await api.request('GET', `/api/v1/members/${member}/awards`)).body.awards;
    expect(awards.map((a: { policy_version: string }) => a.policy_version)).toEqual(['next', 'next', '2025-09']);
    expect(awards[0].trail[0]).toEqual({ rule: 'base', value: 9 });
  });

  it('lists the routes in the OpenAPI document', async () => {
    const doc = (await apiFor(store.db, { key: null }).request('GET', '/api/openapi.json')).body;
    for (const path of ['/api/v1/members/{id}/awards', '/api/v1/members/{id}/achievements', '/api/v1/policies', '/api/v1/policies/what-if']) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});
