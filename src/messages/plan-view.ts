import type { Plan, Step } from '../lifecycle/plan.js';
import { capitalise, operationTitle } from './labels.js';
import { context, header, text, type Block, type Message } from './message.js';

/**
 * The dry run: every step the operation would take against the state just read, and what each is
 * expected to do. Blockers come first, because they decide whether anything happens at all.
 */
export function renderPlan(plan: Plan): Message {
  const what = capitalise(operationTitle(plan.operation, plan.cluster));
  return {
    title: `Dry run: ${what}${plan.blockers.length > 0 ? ' (blocked)' : ''}`,
    blocks: [
      header(`Dry run: ${what}`),
      ...planBlocks(plan),
      context('Nothing was changed. The plan is rebuilt from the live state when the operation runs, and every step checks again before it acts.'),
    ],
  };
}

/** Blockers and numbered steps; the approval request shows the same. */
export function planBlocks(plan: Plan): Block[] {
  const blockers: Block[] =
    plan.blockers.length === 0
      ? [text('Nothing blocks this plan.', 'success')]
      : [
          text(
            `BLOCKED: this operation would be refused without touching the cluster. ${plan.blockers.length} problem(s):\n` +
              plan.blockers.map((b) => `- ${b}`).join('\n'),
            'danger',
          ),
        ];
  const count = (kind: Step['expect']['kind']): number => plan.steps.filter((s) => s.expect.kind === kind).length;
  return [
    ...blockers,
    text(`${plan.steps.length} steps: ${count('act')} to do, ${count('skip')} to skip, ${count('blocked')} blocked`, 'strong'),
    text(plan.steps.map(stepLine).join('\n')),
  ];
}

export function stepLine(step: Step): string {
  const expect = step.expect;
  switch (expect.kind) {
    case 'act':
      return `${step.id}. ${step.title}: will do`;
    case 'skip':
      return `${step.id}. ${step.title}: will skip: ${expect.reason}`;
    case 'blocked':
      return `${step.id}. ${step.title}: BLOCKED: ${expect.reason}`;
  }
}
