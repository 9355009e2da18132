/** Why a WebVTT file was refused, and on which line (1-based), for the author to fix it. */
export interface WebVttProblem {
  line: number;
  reason: string;
}

export interface WebVttCue {
  start: number;
  end: number;
  text: string;
}

export type WebVttCheck =
  { ok: true; text: string; cues: WebVttCue[] } | { ok: false; problem: WebVttProblem };

/** More cues than any training video needs; one a second is 2¾ hours. */
export const maxCues = 10_000;

// `mm:ss.ttt` or `hh:mm:ss.ttt` (hours may have more digits), as the WebVTT spec writes them.
const timestamp = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const timingLine = new RegExp(String.raw`^${timestamp}[ \t]+-->[ \t]+${timestamp}(?:[ \t].*)?$`);

/**
 * Checks a WebVTT file the way a browser will read it, strictly enough that what a player
 * shows is what the author saw: the `WEBVTT` header, one timing line per cue with its end
 * after its start, cues in order of their start, and no empty cue. Line endings are made
 * `\n` and a byte order mark is dropped; the text is otherwise kept as sent.
 */
export function checkWebVtt(input: string): WebVttCheck {
  const lines = input.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const fail = (line: number, reason: string): WebVttCheck => ({
    ok: false,
    problem: { line, reason },
  });

  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    return fail(1, 'the file must start with the line WEBVTT');
  }

  const cues: WebVttCue[] = [];
  let index = 1;
  // The header's own lines run to the first blank line.
  while (index < lines.length && lines[index] !== '') index += 1;

  while (index < lines.length) {
    if (lines[index] === '') {
      index += 1;
      continue;
    }
    const blockStart = index;
    const block: string[] = [];
    while (index < lines.length && lines[index] !== '') block.push(lines[index++] as string);

    const first = block[0] as string;
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first)) {
      if (cues.length > 0 && first.startsWith('STYLE')) {
        return fail(blockStart + 1, 'STYLE blocks must come before the first cue');
      }
      continue;
    }

    // An optional identifier line, then the timing line.
    const timingAt = first.includes('-->') ? 0 : 1;
    const timing = block[timingAt];
    const lineNumber = blockStart + timingAt + 1;
    if (timing === undefined || !timing.includes('-->')) {
      return fail(blockStart + 1, 'a cue needs a timing line such as 00:01.000 --> 00:04.000');
    }
    const match = timingLine.exec(timing);
    if (!match) {
      return fail(lineNumber, 'the timing line must read mm:ss.ttt --> mm:ss.ttt or with hours');
    }
    const start = seconds(match.slice(1, 5));
    const end = seconds(match.slice(5, 9));
    if (end <= start) return fail(lineNumber, 'a cue must end after it starts');
    const previous = cues.at(-1);
    if (previous && start < previous.start) {
      return fail(lineNumber, 'cues must be in the order of their start times');
    }
    const text = block.slice(timingAt + 1).join('\n');
    if (text.trim() === '') return fail(lineNumber, 'a cue needs some text');
    if (text.includes('-->')) {
      return fail(
        lineNumber + 1,
        "a cue's text must not contain -->; separate cues by a blank line",
      );
    }
    if (cues.length === maxCues) return fail(lineNumber, `at most ${maxCues} cues are accepted`);
    cues.push({ start, end, text });
  }

  if (cues.length === 0) return fail(lines.length, 'the file holds no cue');
  return { ok: true, text: `${lines.join('\n').replace(/\n*$/, '')}\n`, cues };
}

function seconds([hours, minutes, secs, millis]: (string | undefined)[]): number {
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(secs) + Number(millis) / 1000;
}
