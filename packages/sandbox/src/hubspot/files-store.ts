import { conflict, validationError } from './errors.js';
import { SandboxEvent, type HubSpotSandboxState, type SandboxFile } from './state.js';

export const FILE_ACCESS = [
  'PRIVATE',
  'PUBLIC_INDEXABLE',
  'PUBLIC_NOT_INDEXABLE',
  'SENSITIVE',
  'HIDDEN_INDEXABLE',
  'HIDDEN_NOT_INDEXABLE',
  'HIDDEN_PRIVATE',
  'HIDDEN_SENSITIVE',
] as const;

export interface NewFile {
  readonly portalId: string;
  readonly bytes: Buffer;
  /** The uploaded file's name, with its extension. */
  readonly fileName: string;
  readonly contentType: string;
  readonly access?: string;
  /** Exactly one of folderPath and folderId; neither means the root folder "/". */
  readonly folderPath?: string;
  readonly folderId?: string;
  readonly duplicateValidationStrategy?: 'NONE' | 'REJECT' | 'RETURN_EXISTING';
}

function fileType(contentType: string, extension: string): SandboxFile['type'] {
  if (contentType.startsWith('image/')) return 'IMG';
  if (contentType.startsWith('audio/')) return 'AUDIO';
  if (contentType.startsWith('video/')) return 'MOVIE';
  if (/^(pdf|docx?|xlsx?|pptx?|txt|csv|odt|rtf)$/.test(extension) || contentType.startsWith('text/')) return 'DOCUMENT';
  return 'OTHER';
}

/** Folder ids are stable per portal and path; a missing folderPath is created, as HubSpot does. */
function folderIdFor(state: HubSpotSandboxState, portalId: string, folderPath: string): string {
  const key = `${portalId}:${folderPath}`;
  let id = state.folders.get(key);
  if (!id) {
    id = state.nextId();
    state.folders.set(key, id);
  }
  return id;
}

function folderPathFor(state: HubSpotSandboxState, portalId: string, folderId: string): string | undefined {
  for (const [key, id] of state.folders)
    if (id === folderId && key.startsWith(`${portalId}:`)) return key.slice(portalId.length + 1);
  return undefined;
}

/** Stores a file as the Files API would; used by `POST /files/v3/files` and by a rep's upload. */
export function storeFile(state: HubSpotSandboxState, input: NewFile): SandboxFile {
  if (input.bytes.length > state.options.maxFileBytes) {
    throw validationError(`File is larger than the ${state.options.maxFileBytes} bytes the sandbox accepts`);
  }
  const folderPath = input.folderId
    ? folderPathFor(state, input.portalId, input.folderId)
    : `/${(input.folderPath ?? '').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  if (folderPath === undefined)
    throw validationError(`Folder ${input.folderId} does not exist`, [{ message: 'unknown folderId', in: 'folderId' }]);
  const dot = input.fileName.lastIndexOf('.');
  const baseName = dot > 0 ? input.fileName.slice(0, dot) : input.fileName;
  const extension = dot > 0 ? input.fileName.slice(dot + 1).toLowerCase() : '';
  const pathOf = (name: string) => `${folderPath}/${name}${extension ? `.${extension}` : ''}`;
  const sameName = (name: string) =>
    [...state.files.values()].find((f) => f.portalId === input.portalId && !f.archived && f.path === pathOf(name));
  const existing = sameName(baseName);
  if (existing && input.duplicateValidationStrategy === 'RETURN_EXISTING') return existing;
  if (existing && input.duplicateValidationStrategy === 'REJECT')
    throw conflict(`A file already exists at ${existing.path}`);
  let name = baseName;
  for (let n = 1; sameName(name); n += 1) name = `${baseName}-${n}`;
  const now = new Date().toISOString();
  const file: SandboxFile = {
    id: state.nextId(),
    portalId: input.portalId,
    name,
    extension,
    path: pathOf(name),
    parentFolderId: folderIdFor(state, input.portalId, folderPath || '/'),
    size: input.bytes.length,
    type: fileType(input.contentType, extension),
    contentType: input.contentType,
    access: input.access ?? 'PRIVATE',
    createdAt: now,
    updatedAt: now,
    archived: false,
    bytes: input.bytes,
  };
  state.files.set(file.id, file);
  state.events.emit(SandboxEvent.fileCreated, { id: file.id });
  return file;
}
