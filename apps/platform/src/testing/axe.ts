import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * axe-core from node_modules, run inside a page of the console. The console's Content-Security-Policy
 * allows scripts from 'self' only, so a <script> tag with axe's source (page.addScriptTag) would be
 * refused; page.evaluate runs through the DevTools protocol, which the page's CSP does not govern,
 * and the console is checked under the very policy it is served with.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** CSS selectors of the offending elements, with a piece of their HTML. */
  readonly nodes: readonly string[];
}

/** Impacts that fail the browser suite. */
export const BLOCKING_IMPACTS: readonly string[] = ['serious', 'critical'];

/** Every axe-core violation on the page as it is now (WCAG 2.x A and AA, and axe's best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; html: string }[];
      }[];
    }
    const win = globalThis as unknown as {
      axe: { run: (context: unknown, options: object) => Promise<AxeResult> };
      document: unknown;
    };
    const result = await win.axe.run(win.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}  ${n.html.slice(0, 160)}`),
    }));
  });
}

/** The serious and critical violations only: what the suite refuses. */
export async function blockingViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page)).filter((v) => v.impact !== null && BLOCKING_IMPACTS.includes(v.impact));
}

/** A readable report of violations for a failing expectation. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n}`).join('\n')}`)
    .join('\n');
}
