import type { ScoringEvent, TrailStep } from '../types.ts';
import type { EventContext, Rule } from './rule.ts';

/** The kind's weight: contribution to others above one's own learning. */
export class KindRule implements Rule {
  private readonly step: TrailStep;

  constructor(kind: string, private readonly factor: number) {
    this.step = Object.freeze({ rule: 'kind', kind, factor });
  }

  apply(_event: ScoringEvent, c: EventContext): number {
    c.steps.push(this.step);
    return this.factor;
  }
}

/** The role's weight, for a member who holds the role the action belongs to. */
export class RoleRule implements Rule {
  private readonly step: TrailStep;

  constructor(private readonly role: string, private readonly factor: number) {
    this.step = Object.freeze({ rule: 'role', role, factor });
  }

  apply(_event: ScoringEvent, c: EventContext): number {
    if (!c.members.roles[c.row]!.includes(this.role)) return 1;
    c.steps.push(this.step);
    return this.factor;
  }
}
