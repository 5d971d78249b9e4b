// What the rep reads about a file in the editor: "PDF document, 23 KB", never a MIME type.
// The server says the same in ../file-kinds.ts; keep the two tables alike.

const EXACT = {
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
const FAMILY = { image: 'image', audio: 'audio', video: 'video', text: 'text file' };

/** Sizes as people read them; the server's limit hint rounds the same way. */
export const sizeText = (n) =>
  n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** "PNG image", "PDF document", "EXE file": from the file's type, else from its name. */
export function fileKind(file) {
  const type = (file.type || '').toLowerCase();
  if (EXACT[type]) return EXACT[type];
  const [family, sub = ''] = type.split('/');
  const ext = /\.([a-z0-9]{1,8})$/i.exec(file.name || '')?.[1]?.toUpperCase();
  const noun = FAMILY[family];
  if (noun) {
    const label = ext ?? sub.replace(/^x-/, '').toUpperCase();
    return label && noun !== 'text file' ? `${label} ${noun}` : noun;
  }
  return ext ? `${ext} file` : 'file';
}

/** Whether a channel's allowedFileAttachmentMimeTypes (`image/*` and exact types) take this type. */
export function typeAllowed(type, allowed) {
  if (allowed.length === 0) return true;
  return allowed.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))));
}
