import { formatReport } from './report';
import { runDrills } from './run-drills';

// The short form of `npm run drills`, inside `npm test`: every drill on a private PostgreSQL and
// NATS of its own, shorter outages. The table is printed; any failed assertion fails the spec.
describe('fault drills (short form): nothing acknowledged is lost, everything recovers by itself', () => {
  it('every drill holds every assertion', async () => {
    const results = await runDrills({ short: true, log: (line) => process.stderr.write(`${line}\n`) });
    process.stderr.write(`${formatReport(results)}\n`);
    expect(results.map((result) => ({ drill: result.drill, failures: result.failures }))).toEqual(
      results.map((result) => ({ drill: result.drill, failures: [] })),
    );
    expect(results).toHaveLength(7);
  }, 900_000);
});
