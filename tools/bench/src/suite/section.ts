/**
 * One section of `npm run bench`, in a process of its own (the orchestrator, bench.ts, starts it
 * with --expose-gc and reads its rows over IPC):  section.ts <name>
 */
import 'reflect-metadata';
import { runAppendSection } from './append.section';
import { runAuthzLoadSection, runAuthzOneAccountSection, runAuthzSeedSection } from './authz.section';
import { runEmbeddedSection } from './embedded.section';
import { runRebuildSection } from './rebuild.section';
import { runServicesSection } from './services.section';

export const SECTIONS: Record<string, () => Promise<void>> = {
  append: runAppendSection,
  services: runServicesSection,
  embedded: runEmbeddedSection,
  'authz-seed': runAuthzSeedSection,
  authz: runAuthzLoadSection,
  'authz-one-account': runAuthzOneAccountSection,
  rebuild: runRebuildSection,
};

if (require.main === module) {
  const name = process.argv[2] ?? '';
  const run = SECTIONS[name];
  if (!run) {
    console.error(`unknown section "${name}"; one of ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
  run().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
