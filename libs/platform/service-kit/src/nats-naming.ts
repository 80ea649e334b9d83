import { EVENTS_STREAM, EVENTS_SUBJECT_ROOT } from '@accord/contracts';

/**
 * Subjects and stream names for a NATS prefix. Production uses none (the contract's names);
 * each test run uses its own, so runs sharing the machine's NATS never see each other.
 */
export function natsNaming(prefix: string) {
  return prefix
    ? {
        requestPrefix: prefix,
        streamName: `${prefix}_${EVENTS_STREAM}`,
        subjectRoot: `${prefix}.${EVENTS_SUBJECT_ROOT}`,
      }
    : { requestPrefix: '', streamName: EVENTS_STREAM, subjectRoot: EVENTS_SUBJECT_ROOT };
}
