// Writes docs/events.md from the event schemas (libs/platform/contracts/src/event-schemas.ts):
//   node -r ./tools/register.js tools/docs/events-doc.ts
// tools/docs/events-doc.unit.spec.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventsDoc } from '@accord/contracts';

export const EVENTS_DOC_PATH = join(__dirname, '..', '..', 'docs', 'events.md');

if (require.main === module) {
  writeFileSync(EVENTS_DOC_PATH, renderEventsDoc());
  console.log(`wrote ${EVENTS_DOC_PATH}`);
}
