import { CONSUMERS, eventPatternFor, ROUTES } from '@heed/contracts';
import { describe, expect, it } from 'vitest';
import { InvalidPatternError, matchesPattern } from '../src/event-pattern';

// Cases follow the examples of the EventBridge documentation on event patterns.
const event = {
  version: '0',
  id: 'abc',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-10-02T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'arn:aws:s3:::bucket'],
  detail: {
    state: 'running',
    'c-count': 5,
    'd-count': 0.5,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    FileName: 'photo.PNG',
    nullable: null,
    empty: '',
    tags: ['red', 'Green'],
    nested: { deep: { flag: true } },
  },
};

const cases: Array<[string, Record<string, unknown>, boolean]> = [
  ['exact string', { source: ['aws.ec2'] }, true],
  ['exact string is case-sensitive', { source: ['AWS.EC2'] }, false],
  ['any of a list', { source: ['aws.s3', 'aws.ec2'] }, true],
  ['AND across keys', { source: ['aws.ec2'], region: ['eu-west-1'] }, false],
  ['nested object', { detail: { nested: { deep: { flag: [true] } } } }, true],
  ['exact number by value', { detail: { 'c-count': [5.0] } }, true],
  ['number does not equal string', { detail: { 'c-count': ['5'] } }, false],
  ['null literal', { detail: { nullable: [null] } }, true],
  ['null does not match a missing field', { detail: { missing: [null] } }, false],
  ['empty string', { detail: { empty: [''] } }, true],
  ['prefix', { time: [{ prefix: '2017-10-02' }] }, true],
  ['prefix miss', { time: [{ prefix: '2018' }] }, false],
  ['prefix ignoring case', { detail: { FileName: [{ prefix: { 'equals-ignore-case': 'PHOTO' } }] } }, true],
  ['suffix is case-sensitive', { detail: { FileName: [{ suffix: '.png' }] } }, false],
  ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but same string', { detail: { state: [{ 'anything-but': 'running' }] } }, false],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, false],
  ['anything-but number', { detail: { 'c-count': [{ 'anything-but': 123 }] } }, true],
  ['anything-but prefix', { region: [{ 'anything-but': { prefix: 'us-' } }] }, false],
  ['anything-but suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
  [
    'anything-but ignoring case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'RUNNING' } }] } },
    false,
  ],
  ['anything-but wildcard', { detail: { FileName: [{ 'anything-but': { wildcard: '*.PNG' } }] } }, false],
  ['anything-but does not match a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric range miss', { detail: { 'd-count': [{ numeric: ['<', 0.5] }] } }, false],
  ['numeric equality', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, true],
  ['numeric on a string never matches', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists true on a missing field', { detail: { missing: [{ exists: true }] } }, false],
  ['exists false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists only works on leaves', { detail: { nested: [{ exists: true }] } }, false],
  ['exists false under a missing parent', { nothere: { child: [{ exists: false }] } }, true],
  [
    'equals-ignore-case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    true,
  ],
  ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, true],
  ['wildcard miss', { source: [{ wildcard: 'aws.s*' }] }, false],
  ['escaped star is literal', { source: [{ wildcard: 'aws.ec\\*' }] }, false],
  ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr miss', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
  ['array value matches if any element matches', { resources: ['arn:aws:s3:::bucket'] }, true],
  ['array of tags', { detail: { tags: ['Green'] } }, true],
  ['array of tags, none match', { detail: { tags: ['blue'] } }, false],
  [
    '$or of two branches, second matches',
    { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] },
    true,
  ],
  ['$or with neither', { $or: [{ source: ['aws.s3'] }, { region: ['eu-west-1'] }] }, false],
  [
    '$or inside detail',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [0.5] }] } },
    true,
  ],
  ['several matchers in one leaf OR together', { detail: { state: [{ prefix: 'stop' }, 'running'] } }, true],
];

describe('matchesPattern (EventBridge semantics)', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it.each([
    [{ source: 'aws.ec2' }],
    [{ source: [{ numeric: ['>'] }] }],
    [{ source: [{ unknown: 1 }] }],
    [{ $or: [{ source: ['x'] }] }],
  ])('rejects malformed pattern %j', (pattern) => {
    expect(() => matchesPattern(pattern, { source: 'aws.ec2', detail: {} })).toThrow(InvalidPatternError);
  });

  it('routes every detail-type of the routing table to exactly its consumers', () => {
    for (const consumer of CONSUMERS) {
      for (const other of CONSUMERS) {
        for (const type of ROUTES[other]) {
          const matched = matchesPattern(eventPatternFor(consumer), { source: 'heed', 'detail-type': type });
          expect(matched, `${type} -> ${consumer}`).toBe(ROUTES[consumer].includes(type));
        }
      }
      expect(
        matchesPattern(eventPatternFor(consumer), { source: 'other', 'detail-type': ROUTES[consumer][0] }),
      ).toBe(false);
    }
  });
});
