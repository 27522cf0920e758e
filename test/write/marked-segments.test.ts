/**
 * The writer on 1.2 units segmented with `mrk mtype="seg"` (Trados Studio, Okapi, Matecat):
 * segment updates go inside the target's `mrk` of the same `mid`, a missing target is made on
 * the seg-source's structure, states reach the tools' own attributes. Exact bytes for each case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XliffError } from '../../src/index.js';
import type { UnitUpdate } from '../../src/write/update.js';
import { doc12, write } from './documents.js';

const SDL = 'http://sdl.com/FileTypes/SdlXliff/1.0';

/** A Trados-like unit of two segments; `target` and `defs` replace the target and the seg-defs. */
function sdlUnit(target: string | undefined, defs = '<sdl:seg id="1" origin="not-translated"/><sdl:seg id="2" conf="Draft" origin="mt"/>'): string {
  return [
    `<trans-unit id="1" xmlns:sdl="${SDL}">`,
    '      <source>Hello. Bye.</source>',
    '      <seg-source><mrk mtype="seg" mid="1">Hello.</mrk> <mrk mtype="seg" mid="2">Bye.</mrk></seg-source>',
    ...(target === undefined ? [] : [`      ${target}`]),
    `      <sdl:seg-defs>${defs}</sdl:seg-defs>`,
    '    </trans-unit>',
  ].join('\n');
}

const EMPTY_MARKS = '<target><mrk mtype="seg" mid="1"/> <mrk mtype="seg" mid="2"/></target>';

interface Case {
  readonly name: string;
  readonly unit: string;
  readonly update: UnitUpdate;
  readonly after: string;
  /** Each segment's target text read back (`undefined`: none), and the unit's state. */
  readonly segments?: readonly (string | undefined)[];
  readonly state?: string | undefined;
}

const CASES: Case[] = [
  {
    name: 'a segment by index: only its mrk in the target changes',
    unit: sdlUnit(EMPTY_MARKS),
    update: { segments: [{ index: 1, target: 'Au revoir.' }] },
    after: sdlUnit('<target><mrk mtype="seg" mid="1"/> <mrk mtype="seg" mid="2">Au revoir.</mrk></target>'),
    segments: ['', 'Au revoir.'],
  },
  {
    name: 'segments by id (the mid), every one with a state: target/@state and each sdl:seg/@conf',
    unit: sdlUnit(EMPTY_MARKS),
    update: { segments: [{ id: '2', target: 'Au revoir.', state: 'translated' }, { id: '1', target: 'Salut.', state: 'signed-off' }] },
    after: sdlUnit(
      '<target state="translated"><mrk mtype="seg" mid="1">Salut.</mrk> <mrk mtype="seg" mid="2">Au revoir.</mrk></target>',
      '<sdl:seg id="1" origin="not-translated" conf="ApprovedTranslation"/><sdl:seg id="2" conf="Translated" origin="mt"/>',
    ),
    segments: ['Salut.', 'Au revoir.'],
    state: 'translated',
  },
  {
    name: 'a state on some segments only: their sdl:seg/@conf, the target state stays',
    unit: sdlUnit('<target state="new"><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2">B</mrk></target>'),
    update: { segments: [{ index: 0, state: 'translated' }] },
    after: sdlUnit('<target state="new"><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2">B</mrk></target>', '<sdl:seg id="1" origin="not-translated" conf="Translated"/><sdl:seg id="2" conf="Draft" origin="mt"/>'),
    segments: ['A', 'B'],
    state: 'new',
  },
  {
    name: 'no target: one is made on the seg-source, segments not given left empty',
    unit: sdlUnit(undefined),
    update: { segments: [{ index: 0, target: { xml: 'Sa<x id="1"/>lut.' } }], state: 'needs-review-translation' },
    after: sdlUnit('<target state="needs-review-translation"><mrk mtype="seg" mid="1">Sa<x id="1"/>lut.</mrk> <mrk mtype="seg" mid="2"/></target>'),
    segments: ['Salut.', ''],
    state: 'needs-review-translation',
  },
  {
    name: 'an empty target is filled on the seg-source',
    unit: sdlUnit('<target xml:lang="fr"></target>'),
    update: { segments: [{ index: 1, target: 'B' }] },
    after: sdlUnit('<target xml:lang="fr"><mrk mtype="seg" mid="1"/> <mrk mtype="seg" mid="2">B</mrk></target>'),
    segments: ['', 'B'],
  },
  {
    name: 'a self-closing target is opened and filled on the seg-source',
    unit: sdlUnit('<target/>'),
    update: { segments: [{ index: 0, target: 'A' }, { index: 1, target: 'B' }] },
    after: sdlUnit('<target><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2">B</mrk></target>'),
    segments: ['A', 'B'],
  },
  {
    name: 'a unit-level target holding the mrk segments itself is written whole',
    unit: sdlUnit(EMPTY_MARKS),
    update: { target: { xml: '<mrk mtype="seg" mid="1">A</mrk><mrk mtype="seg" mid="2">B</mrk>' } },
    after: sdlUnit('<target><mrk mtype="seg" mid="1">A</mrk><mrk mtype="seg" mid="2">B</mrk></target>'),
    segments: ['A', 'B'],
  },
  {
    name: 'segments inside g (as Trados writes them): the g tags are copied from the seg-source',
    unit: '<trans-unit id="1">\n      <source><g id="1">A. B.</g></source>\n      <seg-source><g id="1"><mrk mtype="seg" mid="1">A.</mrk> <mrk mtype="seg" mid="2">B.</mrk></g></seg-source>\n    </trans-unit>',
    update: { segments: [{ index: 0, target: 'X.' }, { index: 1, target: 'Y.' }] },
    after: '<trans-unit id="1">\n      <source><g id="1">A. B.</g></source>\n      <seg-source><g id="1"><mrk mtype="seg" mid="1">A.</mrk> <mrk mtype="seg" mid="2">B.</mrk></g></seg-source>\n      <target><g id="1"><mrk mtype="seg" mid="1">X.</mrk> <mrk mtype="seg" mid="2">Y.</mrk></g></target>\n    </trans-unit>',
    segments: ['X.', 'Y.'],
  },
  {
    name: 'a unit-level target on a unit of one mrk segment goes inside its mrk',
    unit: '<trans-unit id="1">\n      <source>A.</source>\n      <seg-source><mrk mtype="seg" mid="7">A.</mrk></seg-source>\n      <target><mrk mtype="seg" mid="7">Old.</mrk></target>\n    </trans-unit>',
    update: { target: 'New & new.', state: 'translated' },
    after: '<trans-unit id="1">\n      <source>A.</source>\n      <seg-source><mrk mtype="seg" mid="7">A.</mrk></seg-source>\n      <target state="translated"><mrk mtype="seg" mid="7">New &amp; new.</mrk></target>\n    </trans-unit>',
    segments: ['New & new.'],
    state: 'translated',
  },
  {
    name: 'without seg-source, segment 0 is the whole unit',
    unit: '<trans-unit id="1">\n      <source>A.</source>\n    </trans-unit>',
    update: { segments: [{ index: 0, target: 'B.', state: 'translated' }] },
    after: '<trans-unit id="1">\n      <source>A.</source>\n      <target state="translated">B.</target>\n    </trans-unit>',
    segments: ['B.'],
    state: 'translated',
  },
  {
    name: 'a segment the target lacks goes after the one before it, with the text between them in the seg-source',
    unit: sdlUnit('<target><mrk mtype="seg" mid="1">A</mrk></target>'),
    update: { segments: [{ index: 1, target: 'B' }] },
    after: sdlUnit('<target><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2">B</mrk></target>'),
    segments: ['A', 'B'],
  },
  {
    name: 'a segment the target lacks, with none before it: before the one after it',
    unit: sdlUnit('<target><mrk mtype="seg" mid="2">B</mrk></target>'),
    update: { segments: [{ index: 0, target: 'A' }] },
    after: sdlUnit('<target><mrk mtype="seg" mid="1">A</mrk> <mrk mtype="seg" mid="2">B</mrk></target>'),
    segments: ['A', 'B'],
  },
  {
    name: 'memoQ: the unit state sets mq:status',
    unit: '<trans-unit id="1" xmlns:mq="MQXliff" mq:status="NotStarted" mq:segmentguid="g">\n      <source>A.</source>\n      <target></target>\n    </trans-unit>',
    update: { target: 'B.', state: 'translated' },
    after: '<trans-unit id="1" xmlns:mq="MQXliff" mq:status="ManuallyConfirmed" mq:segmentguid="g">\n      <source>A.</source>\n      <target state="translated">B.</target>\n    </trans-unit>',
    segments: ['B.'],
    state: 'translated',
  },
  {
    name: 'memoQ: a needs-review state is PartiallyEdited',
    unit: '<trans-unit id="1" xmlns:mq="MQXliff" mq:status="ManuallyConfirmed">\n      <source>A.</source>\n      <target>B.</target>\n    </trans-unit>',
    update: { target: 'B!', state: 'needs-review-translation' },
    after: '<trans-unit id="1" xmlns:mq="MQXliff" mq:status="PartiallyEdited">\n      <source>A.</source>\n      <target state="needs-review-translation">B!</target>\n    </trans-unit>',
    segments: ['B!'],
    state: 'needs-review-translation',
  },
  {
    name: 'memoQ: final is Proofread (the second review)',
    unit: '<trans-unit id="1" xmlns:mq="MQXliff" mq:status="Reviewer1Confirmed">\n      <source>A.</source>\n      <target state="signed-off">B.</target>\n    </trans-unit>',
    update: { target: 'B.', state: 'final' },
    after: '<trans-unit id="1" xmlns:mq="MQXliff" mq:status="Proofread">\n      <source>A.</source>\n      <target state="final">B.</target>\n    </trans-unit>',
    segments: ['B.'],
    state: 'final',
  },
];

for (const c of CASES) {
  test(`1.2 segments: ${c.name}`, async () => {
    const { raw, before, after } = await write(doc12(`    ${c.unit}`), c.update);
    assert.equal(before.raw, c.unit);
    assert.equal(raw, c.after);
    if (c.segments) assert.deepEqual(after.segments.map((s) => s.target?.text), c.segments);
    if (c.state !== undefined) assert.equal(after.state, c.state);
  });
}

const REFUSED: [string, string, UnitUpdate, RegExp][] = [
  ['a plain unit-level target on a unit of two segments', sdlUnit(EMPTY_MARKS), { target: 'Tout.' }, /the unit has 2 segments, and one `target` for all of them would lose them: give `segments`/],
  ['unit-level parts without the mrk segments', sdlUnit(EMPTY_MARKS), { target: { parts: [{ type: 'text', text: 'Tout.' }] } }, /the unit has 2 segments/],
  ['a target with text but no mrk segments', sdlUnit('<target>Tout.</target>'), { segments: [{ index: 0, target: 'A' }] }, /the target holds no mrk mtype="seg" segment to write into/],
];

for (const [name, unit, update, pattern] of REFUSED) {
  test(`1.2 segments, refused: ${name}`, async () => {
    await assert.rejects(write(doc12(`    ${unit}`), update), (e: unknown) => e instanceof XliffError && e.code === 'XLIFF_BAD_UPDATE' && e.unitId === '1' && pattern.test(e.message));
  });
}
