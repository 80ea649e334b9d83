import { connect, AckPolicy } from 'nats';
import { ensureEventsStream } from './libs/messaging/src/events-stream';
async function main() {
  const s = 'nats://127.0.0.1:14999';
  const mem = await connect({ servers: s, user: 'membership', pass: 'p-MEMBERSHIP', inboxPrefix: '_INBOX.membership' });
  await ensureEventsStream(await mem.jetstreamManager(), { streamName: 'ACCORD_EVENTS', subjectRoot: 'accord.events', duplicateWindowMs: 60000 });
  let got = 0;
  mem.subscribe('accord.cmd.membership.remove-member', { callback: (_e, m) => { got++; console.log('membership got', m.subject, m.reply); } });
  await mem.js ?? null;
  await mem.jetstream().publish('accord.events.membership.MemberRemoved', new TextEncoder().encode('{"id":"x","data":{}}'));
  const r = await connect({ servers: s, user: 'events-reader', pass: 'p-EVENTS_READER', inboxPrefix: '_INBOX.events-reader' });
  const jsm = await r.jetstreamManager();
  try { await jsm.consumers.add('ACCORD_EVENTS', { durable_name: 'events-reader', ack_policy: AckPolicy.None, deliver_subject: 'accord.cmd.membership.remove-member' }); console.log('push consumer created'); } catch (e: any) { console.log('create err', e.message); }
  await new Promise((d) => setTimeout(d, 1500));
  console.log('membership received', got);
  await r.close(); await mem.close();
}
main();
