// The library, the review workflow and the tenant's settings, as the API shows them.

/** Where a video is on its way from upload to viewers, in the order it moves. */
export const videoStates = [
  'uploading',
  'processing',
  'in_review',
  'published',
  'rejected',
  'failed',
] as const;
export type VideoState = (typeof videoStates)[number];

export function isVideoState(value: unknown): value is VideoState {
  return typeof value === 'string' && (videoStates as readonly string[]).includes(value);
}

/** A video as its viewer may see it. Times are ISO 8601 strings. */
export interface VideoView {
  id: string;
  title: string;
  description: string;
  state: VideoState;
  /** The uploader's user id; null once that user is gone. */
  ownerId: string | null;
  /** True when the caller uploaded it. */
  mine: boolean;
  /** The original's size in bytes, once the upload is complete. */
  size: number | null;
  durationSeconds: number | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/** A critic's decision on a video, kept after the video moves on. */
export interface VideoReview {
  decision: 'approved' | 'rejected';
  comment: string;
  /** The critic's user id; null once that user is gone. */
  reviewerId: string | null;
  at: string;
}

/** One video; `reviews` (newest first) is there for its owner, critics and admins. */
export interface VideoDetails extends VideoView {
  reviews?: VideoReview[];
}

export interface VideoListQuery {
  /** Only videos in this state. */
  state?: VideoState;
  /** Only the caller's own videos. */
  mine?: boolean;
  /** At most this many videos, 1 to 100; the server sends 50 unless told. */
  limit?: number;
  /** The `next` cursor of the page before, to read the page after it. */
  before?: string;
}

/** A page of the library, newest first; `next` is null on the last page. */
export interface VideoList {
  videos: VideoView[];
  next: string | null;
}

/** What an owner may change about a video; send at least one. */
export interface VideoChanges {
  title?: string;
  description?: string;
}

/** The videos waiting for the caller's review, oldest first; never the caller's own. */
export interface ReviewQueue {
  videos: VideoView[];
}

/** A critic's decision. A rejection needs a comment: the author has to learn why. */
export type ReviewDecision =
  { decision: 'approve'; comment?: string } | { decision: 'reject'; comment: string };

export interface TenantSettings {
  review: {
    /** No video is published before a critic approves it. */
    required: boolean;
  };
  upload: {
    /** The largest single upload, in bytes. */
    maxFileBytes: number;
    /** All stored and in-progress uploads of the tenant together, in bytes. */
    quotaBytes: number;
  };
}

/** Any part of the settings; what is left out stays as it is. */
export interface TenantSettingsPatch {
  review?: Partial<TenantSettings['review']>;
  upload?: Partial<TenantSettings['upload']>;
}

/** One rendition of a video's HLS stream. */
export interface PlaybackRendition {
  name: string;
  width: number;
  height: number;
}

/** Captions (with sounds described), subtitles (speech only) or chapter titles. */
export type TrackKind = 'captions' | 'subtitles' | 'chapters';

/** A WebVTT file of a video, for players under the playback token. */
export interface PlaybackTrack {
  kind: TrackKind;
  /** A BCP 47 language tag, such as `de` or `en-GB`. */
  language: string;
  label: string;
  /** Absolute URL of the WebVTT text; carries the playback token like the playlists. */
  url: string;
}

/** What `getPlayback` returns: where to stream a video from, and until when. */
export interface Playback {
  /** Absolute URL of the HLS master playlist; carries the playback token in its path. */
  playlistUrl: string;
  posterUrl: string | null;
  /** When the playback token in `playlistUrl` (and its key and segment URLs) expires. */
  expiresAt: string;
  renditions: PlaybackRendition[];
  tracks: PlaybackTrack[];
}

/** A WebVTT file of a video as the people who manage it see it. */
export interface TextTrackView {
  kind: TrackKind;
  language: string;
  label: string;
  cues: number;
  bytes: number;
  updatedAt: string;
}

export interface TextTrackList {
  tracks: TextTrackView[];
}

/** A WebVTT file to store for a kind and language; `label` defaults to the language's name. */
export interface TextTrackInput {
  vtt: string;
  label?: string;
}
