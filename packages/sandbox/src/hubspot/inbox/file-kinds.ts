// What a rep reads about a file: "PDF document, 23 KB", "images, PDFs and text files", never a MIME type.
// assets/file-kinds.js says the same in the browser; keep the two tables alike.

const EXACT: Record<string, string> = {
  'application/pdf': 'PDF document',
  'text/plain': 'text file',
  'text/csv': 'CSV file',
  'application/zip': 'ZIP archive',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'image/svg+xml': 'SVG image',
  'image/jpeg': 'JPEG image',
  'audio/mpeg': 'MP3 audio',
  'audio/ogg': 'Ogg audio',
  'video/quicktime': 'QuickTime video',
};
const FAMILY: Record<string, string> = { image: 'image', audio: 'audio', video: 'video', text: 'text file' };

/** Groups a channel accepts, in the plural a sentence needs ("images, audio and PDFs"). */
const ACCEPTED: Record<string, string> = {
  'image/*': 'images',
  'audio/*': 'audio',
  'video/*': 'video',
  'text/*': 'text files',
  'application/pdf': 'PDFs',
  'text/plain': 'text files',
  'text/csv': 'CSV files',
  'application/zip': 'ZIP archives',
};

const extensionOf = (name: string | undefined) => /\.([a-z0-9]{1,8})$/i.exec(name ?? '')?.[1]?.toUpperCase();

/** "PNG image", "PDF document", "WAV audio", "EXE file": from the content type, else from the file name. */
export function fileKind(contentType: string | undefined, name?: string): string {
  const type = (contentType ?? '').toLowerCase().split(';')[0]!.trim();
  const known = EXACT[type];
  if (known) return known;
  const [family, sub = ''] = type.split('/');
  const noun = family ? FAMILY[family] : undefined;
  const ext = extensionOf(name);
  if (noun) {
    const label = ext ?? sub.replace(/^x-/, '').toUpperCase();
    return label && noun !== 'text file' ? `${label} ${noun}` : noun;
  }
  return ext ? `${ext} file` : 'file';
}

/** Sizes as people read them; the editor's script rounds the same way. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "images, audio, video, PDFs and text files" for a channel's allowedFileAttachmentMimeTypes. */
export function acceptedKinds(types: readonly string[]): string {
  const names = [...new Set(types.map((t) => ACCEPTED[t.toLowerCase()] ?? `${fileKind(t)}s`))];
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
