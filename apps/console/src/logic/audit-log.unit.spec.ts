import {
  AUDIT_EVENT_TYPES,
  auditExportQuery,
  auditLogQuery,
  eventTypeLabel,
  exportFileName,
  NO_FILTER,
} from './audit-log';
import { withQuery } from '../api/client';

describe('the audit log filter as the API’s query', () => {
  it('asks for a first page with no filter', () =>
    expect(withQuery('/log', auditLogQuery(NO_FILTER))).toBe('/log?limit=50'));

  it('sends type, actor and range; the "to" day is included (the API’s `to` is exclusive)', () =>
    expect(
      withQuery(
        '/log',
        auditLogQuery({ type: 'RoleChanged', actorId: 'u-1', from: '2030-01-31', to: '2030-02-28' }, 'YmVmb3JlOjQy'),
      ),
    ).toBe('/log?limit=50&type=RoleChanged&actorId=u-1&from=2030-01-31&to=2030-03-01&after=YmVmb3JlOjQy'));

  it('a one-day range is that whole day', () =>
    expect(auditLogQuery({ ...NO_FILTER, from: '2030-12-31', to: '2030-12-31' })).toMatchObject({
      from: '2030-12-31',
      to: '2031-01-01',
    }));

  it('passes what is not a date on as typed, for the API to name the field', () =>
    expect(auditLogQuery({ ...NO_FILTER, to: 'tomorrow' })).toMatchObject({ to: 'tomorrow' }));

  it('the export takes the range only', () =>
    expect(auditExportQuery({ type: 'RoleChanged', actorId: 'u-1', from: '2030-01-01', to: '' })).toEqual({
      from: '2030-01-01',
      to: undefined,
    }));
});

describe('audit log wording', () => {
  it.each([
    ['RoleChanged', 'Role changed'],
    ['ApiTokenIssued', 'API token issued'],
    ['InvitationSettingsChanged', 'Invitation settings changed'],
  ])('%s reads "%s"', (type, label) => expect(eventTypeLabel(type)).toBe(label));

  it('lists each event type once', () => expect(new Set(AUDIT_EVENT_TYPES).size).toBe(AUDIT_EVENT_TYPES.length));

  it('names the export file as the server does, or after the account', () => {
    expect(exportFileName('attachment; filename="audit-a1.jsonl"', 'a1')).toBe('audit-a1.jsonl');
    expect(exportFileName(null, 'a1')).toBe('audit-a1.jsonl');
    expect(exportFileName('attachment; filename="../../etc"', 'a1')).toBe('audit-a1.jsonl');
  });
});
