import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWebVtt, maxCues } from '../../../src/media/tracks/webvtt.ts';

const refusal = (text: string) => {
  const checked = checkWebVtt(text);
  assert.equal(checked.ok, false, `accepted:\n${text}`);
  return (checked as Extract<typeof checked, { ok: false }>).problem;
};

describe('WebVTT check', () => {
  it('reads cues with identifiers, hours, settings, notes and styles, as a browser would', () => {
    const checked = checkWebVtt(
      '\uFEFFWEBVTT - Einführung\r\nKind: captions\r\n\r\nSTYLE\r\n::cue { color: yellow }\r\n\r\n' +
        'NOTE written by the author\r\n\r\nintro\r\n00:00.000 --> 00:02.500 line:90%\r\n' +
        '<v Anna>Willkommen!</v>\r\n\r\n01:00:00.000 --> 01:00:03.000\r\nZwei\r\nZeilen\r\n',
    );
    assert.ok(checked.ok);
    assert.deepEqual(checked.cues, [
      { start: 0, end: 2.5, text: '<v Anna>Willkommen!</v>' },
      { start: 3600, end: 3603, text: 'Zwei\nZeilen' },
    ]);
    assert.ok(checked.text.startsWith('WEBVTT - Einführung\nKind: captions\n\nSTYLE'));
    assert.ok(!checked.text.includes('\r'));
    assert.ok(checked.text.endsWith('Zeilen\n'));
  });

  it('refuses what a player would show wrongly, naming the line', () => {
    assert.deepEqual(refusal('1\n00:00.000 --> 00:01.000\nHallo\n'), {
      line: 1,
      reason: 'the file must start with the line WEBVTT',
    });
    assert.equal(refusal('WEBVTTX\n\n00:00.000 --> 00:01.000\nA\n').line, 1);
    assert.equal(refusal('WEBVTT\n\n00:00.000 -> 00:01.000\nA\n').line, 3);
    assert.match(refusal('WEBVTT\n\n0:00.000 --> 0:01.000\nA\n').reason, /timing line/);
    assert.match(refusal('WEBVTT\n\n00:61.000 --> 01:01.000\nA\n').reason, /timing line/);
    assert.deepEqual(refusal('WEBVTT\n\n00:02.000 --> 00:01.000\nA\n'), {
      line: 3,
      reason: 'a cue must end after it starts',
    });
    assert.deepEqual(
      refusal('WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:01.000 --> 00:02.000\nB\n'),
      { line: 6, reason: 'cues must be in the order of their start times' },
    );
    assert.equal(
      refusal('WEBVTT\n\nid\n00:01.000 --> 00:02.000\n\n').reason,
      'a cue needs some text',
    );
    assert.equal(refusal('WEBVTT\n\nid only\n').line, 3);
    assert.match(
      refusal('WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\nB\n').reason,
      /blank line/,
    );
    assert.equal(refusal('WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nSTYLE\n::cue {}\n').line, 6);
    assert.equal(refusal('WEBVTT\n').reason, 'the file holds no cue');
  });

  it(`takes at most ${maxCues} cues`, () => {
    const cue = (index: number) => {
      const at = (seconds: number) =>
        `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}.000`;
      return `${at(index)} --> ${at(index + 1)}\nline ${index}\n`;
    };
    const cues = Array.from({ length: maxCues }, (_, index) => cue(index));
    assert.ok(checkWebVtt(`WEBVTT\n\n${cues.join('\n')}`).ok);
    assert.match(refusal(`WEBVTT\n\n${[...cues, cue(maxCues)].join('\n')}`).reason, /at most/);
  });
});
