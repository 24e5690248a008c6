/**
 * Still images of a call's video (SPEC M24): a frame of a stream drawn on a canvas (the agent's
 * snapshot of the visitor's video), and a photo of one's own camera at the camera's own resolution
 * (the visitor's `takePhoto`): `ImageCapture.takePhoto()` where the browser has it, else the camera
 * track's current frame at its native size.
 */

/** How long a frame may take to arrive before the capture gives up (a track that sends nothing). */
const FRAME_WAIT_MS = 5_000;

export interface CapturedImage {
  blob: Blob;
  width: number;
  height: number;
}

/** `work`'s result, or a rejection with `message` once `ms` passed without one. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const isLiveVideo = (track: MediaStreamTrack | undefined): track is MediaStreamTrack => track?.kind === 'video' && track.readyState === 'live';

function canvasBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no image'))), type, quality));
}

/**
 * One frame of a video track, at the size the track delivers (videoWidth × videoHeight), as JPEG.
 * NOTE: drawn from a detached, muted `<video>` element of its own, so it works whatever the page
 * shows (a minimised call window, a hidden tab) and never disturbs the element the user watches.
 */
export async function captureFrame(track: MediaStreamTrack, options: { type?: 'image/jpeg' | 'image/png'; quality?: number } = {}): Promise<CapturedImage> {
  if (!isLiveVideo(track)) throw new Error('no live video track');
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  try {
    const firstFrame = new Promise<void>((resolve) => {
      const ready = () => {
        if (video.videoWidth > 0 && video.videoHeight > 0) resolve();
      };
      video.addEventListener('loadeddata', ready);
      video.addEventListener('resize', ready);
      video.play().catch(() => {});
    });
    await within(firstFrame, FRAME_WAIT_MS, 'no video frame arrived');
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await canvasBlob(canvas, options.type ?? 'image/jpeg', options.quality ?? 0.92);
    return { blob, width: canvas.width, height: canvas.height };
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

interface ImageCaptureLike {
  takePhoto(): Promise<Blob>;
}
type ImageCaptureConstructor = new (track: MediaStreamTrack) => ImageCaptureLike;

/** The size of an encoded image (decoded once). */
async function imageSize(blob: Blob): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(blob);
  try {
    return { width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
}

/**
 * A photo from one's own camera track: `ImageCapture.takePhoto()` (the camera's photo resolution)
 * where the browser has it and the camera supports it, else the track's frame at its native size.
 * Throws when there is no live camera track or neither way gives an image.
 */
export async function takePhoto(track: MediaStreamTrack | undefined): Promise<CapturedImage> {
  if (!isLiveVideo(track)) throw new Error('no live camera track');
  // A camera the visitor turned off is not photographed (its frames are black anyway).
  if (!track.enabled) throw new Error('the camera is off');
  const ImageCaptureClass = (globalThis as { ImageCapture?: ImageCaptureConstructor }).ImageCapture;
  if (ImageCaptureClass) {
    try {
      // NOTE: bounded: a track turned off or stopped while the photo is taken may never answer.
      const blob = await within(new ImageCaptureClass(track).takePhoto(), FRAME_WAIT_MS, 'the camera gave no photo');
      if (blob.type === 'image/jpeg' || blob.type === 'image/png') return { blob, ...(await imageSize(blob)) };
    } catch {
      // NOTE: some cameras (and virtual ones) refuse takePhoto; the frame of the track is the fallback.
    }
  }
  if (track.readyState !== 'live' || !track.enabled) throw new Error('the camera is off');
  return captureFrame(track);
}
