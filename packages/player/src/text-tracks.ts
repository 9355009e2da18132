import type { Playback } from '@lectern/sdk';
import type { Chapter, TextTrackSource } from './player-view.js';

type PlaybackTrack = Playback['tracks'][number];

/** Captions and subtitles to choose from, in the order of the menu. */
export function captionSources(tracks: readonly PlaybackTrack[]): TextTrackSource[] {
  return tracks.filter((track) => track.kind !== 'chapters').map(sourceOf);
}

/** The chapters in `language`, else in the first language there are some. */
export function chapterSource(
  tracks: readonly PlaybackTrack[],
  language: string,
): TextTrackSource | undefined {
  const sources = tracks.filter((track) => track.kind === 'chapters').map(sourceOf);
  return sources[Math.max(0, preferredIndex(sources, language))];
}

/** The first source in the language (`de` also takes `de-CH`), or -1. */
export function preferredIndex(sources: readonly TextTrackSource[], language: string): number {
  return sources.findIndex((source) => source.lang.split('-')[0] === language);
}

/** A loaded chapters track as the menu lists it. */
export function chaptersOf(track: TextTrack): Chapter[] {
  return [...(track.cues ?? [])].map((cue) => ({
    start: cue.startTime,
    title: (cue as VTTCue).text.replace(/\s+/g, ' ').trim(),
  }));
}

function sourceOf(track: PlaybackTrack): TextTrackSource {
  return { kind: track.kind, src: track.url, lang: track.language, label: track.label };
}
