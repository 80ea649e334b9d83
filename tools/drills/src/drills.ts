import { printReport } from './report';
import { runDrills } from './run-drills';

// `npm run drills [-- --short] [-- --only=nats,postgres]`: the fault drills and their table.
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const short = args.includes('--short');
  const only = args
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
  const started = Date.now();
  const results = await runDrills({ short, ...(only ? { only } : {}) });
  printReport(results);
  console.log(
    `\n_${new Date().toISOString().slice(0, 10)}, ${short ? 'short' : 'full'} form, ${((Date.now() - started) / 60_000).toFixed(1)} min._`,
  );
  process.exitCode = results.every((result) => result.failures.length === 0) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
