import { existsSync, readFileSync } from 'node:fs';
import { EVENT_SCHEMAS, renderEventsDoc } from '@accord/contracts';
import { EVENTS_DOC_PATH } from './events-doc';

describe('docs/events.md', () => {
  it('is generated from the event schemas and up to date (run: node -r ./tools/register.js tools/docs/events-doc.ts)', () => {
    expect(existsSync(EVENTS_DOC_PATH)).toBe(true);
    expect(readFileSync(EVENTS_DOC_PATH, 'utf8')).toBe(renderEventsDoc());
  });

  it('documents every event type', () => {
    const doc = renderEventsDoc();
    for (const type of Object.keys(EVENT_SCHEMAS)) expect(doc).toContain(`### ${type}\n`);
  });
});
