import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbeResult {
  /** ffprobe's container names, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  durationSeconds: number | null;
  hasVideo: boolean;
  hasAudio: boolean;
  /** The first video stream's picture, when there is one. */
  picture?: { width: number; height: number; framesPerSecond: number | null };
}

/**
 * Asks ffprobe what a URL holds. The type is decided by the content, never by the file
 * name: a text file called "talk.mp4" has no video stream and is refused.
 */
export async function probe(url: string, timeoutMs = 60_000): Promise<ProbeResult | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', url],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
    ));
  } catch {
    return undefined;
  }
  const report = JSON.parse(stdout) as {
    format?: { format_name?: string; duration?: string };
    streams?: {
      codec_type?: string;
      disposition?: { attached_pic?: number };
      width?: number;
      height?: number;
      avg_frame_rate?: string;
      r_frame_rate?: string;
    }[];
  };
  const streams = report.streams ?? [];
  // A cover picture inside an audio file is a video stream to ffprobe; it is not a video.
  const video = streams.find(
    (stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1,
  );
  const hasVideo = video !== undefined;
  const duration = Number(report.format?.duration);
  return {
    container: report.format?.format_name ?? 'unknown',
    durationSeconds: Number.isFinite(duration) ? duration : null,
    hasVideo,
    hasAudio: streams.some((stream) => stream.codec_type === 'audio'),
    ...(video?.width && video.height
      ? {
          picture: {
            width: video.width,
            height: video.height,
            framesPerSecond: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
          },
        }
      : {}),
  };
}

/** ffprobe writes rates as fractions ("30000/1001"); "0/0" means unknown. */
function rate(fraction: string | undefined): number | null {
  const [numerator, denominator] = (fraction ?? '').split('/').map(Number);
  const value = (numerator ?? Number.NaN) / (denominator ?? 1);
  return Number.isFinite(value) && value > 0 && value <= 240 ? value : null;
}
