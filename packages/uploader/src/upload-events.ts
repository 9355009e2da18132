declare global {
  // Typed listeners: `addEventListener('lectern-upload-complete', (e) => e.detail.videoId)`.
  interface HTMLElementEventMap {
    'lectern-upload-start': CustomEvent<{ name: string; size: number; resumed: boolean }>;
    'lectern-upload-progress': CustomEvent<{ bytesUploaded: number; bytesTotal: number }>;
    'lectern-upload-pause': CustomEvent<{ reason: 'user' | 'offline' }>;
    'lectern-upload-resume': CustomEvent<{ reason: 'user' | 'online' }>;
    'lectern-upload-complete': CustomEvent<{ videoId: string | undefined }>;
    'lectern-upload-error': CustomEvent<{ code: string; message: string }>;
    'lectern-upload-cancel': CustomEvent<{ name: string }>;
  }
}

/** The names of the events `<lectern-uploader>` sends. */
export type UploaderEventName = Extract<keyof HTMLElementEventMap, `lectern-upload-${string}`>;

/** The events `<lectern-uploader>` sends, by name. */
export type UploaderEventMap = Pick<HTMLElementEventMap, UploaderEventName>;

export type UploaderEventDetail<K extends UploaderEventName> = UploaderEventMap[K]['detail'];
