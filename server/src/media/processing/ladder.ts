/** One rung of the HLS ladder as it will be encoded. */
export interface RenditionPlan {
  name: '360p' | '720p' | '1080p';
  width: number;
  height: number;
  /** Target video bitrate in kbit/s; the peak is capped at 1.5 times this. */
  videoKbps: number;
  /** x264 level, and the matching `avc1` codec string (High profile). */
  level: string;
  videoCodec: string;
}

const rungs = [
  { name: '360p', height: 360, videoKbps: 800, level: '3.0', videoCodec: 'avc1.64001e' },
  { name: '720p', height: 720, videoKbps: 2800, level: '3.1', videoCodec: 'avc1.64001f' },
  { name: '1080p', height: 1080, videoKbps: 5000, level: '4.0', videoCodec: 'avc1.640028' },
] as const;

/** AAC-LC, as ffmpeg's native encoder writes it. */
export const audioCodec = 'mp4a.40.2';

/**
 * The renditions for a source picture: every rung up to the source's height, never an
 * upscale. A source below the lowest rung still gets one rendition, at its own size.
 */
export function planLadder(source: { width: number; height: number }): RenditionPlan[] {
  const fitting = rungs.filter((rung) => rung.height <= source.height);
  const chosen = fitting.length > 0 ? fitting : [rungs[0]];
  return chosen.map((rung) => {
    const height = even(Math.min(rung.height, source.height));
    // H.264 in 4:2:0 needs even sides; the width keeps the source's shape.
    const width = even((source.width * height) / source.height);
    return { ...rung, width, height };
  });
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
