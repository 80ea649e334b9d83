import { Command } from 'commander';
import { asAccordEnvelope, type AccordEnvelope } from '@accord/contracts';
import { accessAt } from '@accord/membership-domain';
import * as arg from '../io/arguments';
import { printJson, printLine } from '../io/output';
import { openStore } from '../io/store-connection';
import { withDataDir, type GlobalOptions } from '../global-options';

interface AccessAtOptions extends GlobalOptions {
  readonly account: string;
  readonly user: string;
  readonly permission: string;
  readonly billingAccount?: string;
  readonly at: string;
  readonly json?: boolean;
}

/**
 * `accord access-at`: whether a user held a permission at an instant, and the events that made it so
 * (or the reason they did not). The answer is the live check's own evaluation (`accessAt` folds the
 * account's stream up to the instant and asks `evaluateMember`), so at "now" both agree.
 */
export function accessAtCommand(): Command {
  return withDataDir(
    new Command('access-at')
      .description('did a user hold a permission at an instant, and through which grants')
      .requiredOption('--account <id>', 'the account', arg.accountId)
      .requiredOption('--user <id>', 'the user id (the identity provider sub)', arg.userId)
      .requiredOption('--permission <p>', 'e.g. billing:read or compute:instances:*', arg.permission)
      .option('--billing-account <id>', 'the billing account the check is about', arg.billingAccountId)
      .option('--at <iso>', 'the instant (default: now)', arg.instant)
      .option('--json', 'print the answer as one JSON object'),
  ).action(async (options: AccessAtOptions) => {
    const connection = await openStore(options);
    try {
      const stream = await connection.store.readStream(`account-${options.account}`);
      const events = stream.map(asAccordEnvelope).filter((e): e is AccordEnvelope => e !== null);
      const answer = accessAt(events, {
        userId: options.user,
        permission: options.permission,
        ...(options.billingAccount ? { billingAccountId: options.billingAccount } : {}),
        at: options.at ?? new Date().toISOString(),
      });
      if (options.json)
        printJson({ accountId: options.account, userId: options.user, permission: options.permission, ...answer });
      else {
        printLine(
          `${answer.allowed ? 'ALLOWED' : 'DENIED'}: ${options.user} ${answer.allowed ? 'held' : 'did not hold'} ` +
            `${options.permission} on account ${options.account} at ${answer.at} (${answer.reason}).`,
        );
        if (answer.role) printLine(`Role: ${answer.role}; scope: ${JSON.stringify(answer.scope)}.`);
        for (const grant of answer.grants) {
          const actor = grant.actor.impersonatorId
            ? `${grant.actor.userId} via ${grant.actor.via} by ${grant.actor.impersonatorId}`
            : `${grant.actor.userId} via ${grant.actor.via}`;
          printLine(`  ${grant.occurredAt}  ${grant.type}  ${grant.eventId}  by ${actor}: ${grant.what}`);
        }
      }
      // A denial is an answer, not a failed check: exit 0 either way (scripts read --json).
    } finally {
      await connection.close();
    }
  });
}
