// The reply's files: chosen with the picker, dropped on the editor, or pasted. Images dropped or pasted show
// inline where the caret is; every file is uploaded to the Files API at once and sent with the reply by id
// (HubSpot's message has attachments, not images inside its rich text, so an inline image travels as a file).
import { uploadFile } from './actions.js';
import { fileKind, sizeText, typeAllowed } from './file-kinds.js';

let nextKey = 0;

export function setUpAttachments(form, showError) {
  const compose = form.querySelector('.compose');
  const list = form.querySelector('.pending-files');
  const limits = {
    maxFiles: Number(form.dataset.maxFiles || Infinity),
    maxBytes: Number(form.dataset.maxFileBytes || Infinity),
    types: (form.dataset.allowedTypes || '').split(',').filter(Boolean),
    accepted: form.dataset.accepted || '',
  };
  /**
   * @type {{ key: string, file: File, state: 'uploading'|'ready'|'failed', id?: string, error?: string, url?: string
   * }[]}
   */
  let pending = [];

  // An inline image counts while its picture is still in the reply: deleting the picture drops the file.
  const imageOf = (p) => (p.url ? compose.querySelector(`img[data-upload="${p.key}"]`) : null);
  const present = (p) => !p.url || imageOf(p) !== null;

  function render() {
    list.replaceChildren(
      ...pending
        .filter((p) => !p.url)
        .map((p) => {
          const li = document.createElement('li');
          li.className = p.state;
          const label =
            p.state === 'uploading'
              ? 'uploading…'
              : p.state === 'failed'
                ? `not attached: ${p.error}`
                : `${fileKind(p.file)}, ${sizeText(p.file.size)}`;
          li.append(`${p.file.name} (${label})`);
          const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: '×' });
          remove.setAttribute('aria-label', `Remove ${p.file.name}`);
          remove.addEventListener('click', () => {
            pending = pending.filter((x) => x !== p);
            render();
          });
          li.append(remove);
          return li;
        }),
    );
  }

  function problemWith(file) {
    const counted = pending.filter((p) => p.state !== 'failed' && present(p)).length;
    if (counted >= limits.maxFiles)
      return `this channel takes at most ${limits.maxFiles} file${limits.maxFiles === 1 ? '' : 's'} per message`;
    if (file.size > limits.maxBytes)
      return `${sizeText(file.size)} is over this channel's limit of ${sizeText(limits.maxBytes)}`;
    if (!typeAllowed(file.type, limits.types))
      return limits.accepted
        ? `this channel takes only ${limits.accepted}`
        : 'this channel does not take this kind of file';
    return undefined;
  }

  function insertImage(entry, range) {
    const img = Object.assign(document.createElement('img'), {
      src: entry.url,
      alt: entry.file.name,
      className: 'uploading',
    });
    img.dataset.upload = entry.key;
    let at = range;
    if (!at || !compose.contains(at.commonAncestorContainer)) {
      at = document.createRange();
      at.selectNodeContents(compose);
      at.collapse(false);
    }
    at.insertNode(img);
    at.setStartAfter(img);
    at.collapse(true);
    if (document.activeElement === compose) {
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(at);
    }
  }

  function dropImage(entry) {
    imageOf(entry)?.remove();
    URL.revokeObjectURL(entry.url);
    delete entry.url;
  }

  async function add(file, range) {
    const entry = { key: `f${++nextKey}`, file, state: 'uploading' };
    const problem = problemWith(file);
    pending.push(entry);
    if (problem) {
      Object.assign(entry, { state: 'failed', error: problem });
      render();
      return showError(`${file.name} was not attached: ${problem}.`);
    }
    if (file.type.startsWith('image/')) {
      entry.url = URL.createObjectURL(file);
      insertImage(entry, range);
    }
    render();
    try {
      entry.id = (await uploadFile(file)).id;
      entry.state = 'ready';
      imageOf(entry)?.classList.remove('uploading');
    } catch (error) {
      Object.assign(entry, { state: 'failed', error: error.message });
      if (entry.url) dropImage(entry);
      showError(`${file.name} could not be uploaded: ${error.message}`);
    }
    render();
  }

  /** Adds files as the picker, a drop or a paste gives them; images go in at `range` (default: the end). */
  function addFiles(files, range) {
    showError();
    const at = range?.cloneRange(); // moves past each image put in, so several keep their order
    for (const file of files) void add(file, at);
  }

  const picker = form.querySelector('input[type=file]');
  picker.addEventListener('change', () => {
    addFiles([...picker.files]);
    picker.value = '';
  });

  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  for (const type of ['dragenter', 'dragover']) {
    form.addEventListener(type, (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      form.classList.add('dropping');
    });
  }
  form.addEventListener('dragleave', (event) => {
    if (!form.contains(event.relatedTarget)) form.classList.remove('dropping');
  });
  form.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    form.classList.remove('dropping');
    addFiles([...event.dataTransfer.files], document.caretRangeFromPoint?.(event.clientX, event.clientY) ?? undefined);
  });
  // A file dropped just beside the editor would otherwise replace the whole page with that file.
  for (const type of ['dragover', 'drop']) {
    document.addEventListener(type, (event) => {
      if (carriesFiles(event) && !form.contains(event.target)) event.preventDefault();
    });
  }

  compose.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return; // text and formatting paste as the browser does
    event.preventDefault();
    const selection = window.getSelection();
    addFiles(files, selection.rangeCount ? selection.getRangeAt(0) : undefined);
  });

  return {
    /** Files uploaded and still part of the reply. */
    ready: () => pending.filter((p) => p.state === 'ready' && present(p)),
    uploading: () => pending.some((p) => p.state === 'uploading' && present(p)),
    /** After sending: forget every file (the editor empties the reply itself). */
    clear() {
      for (const p of pending) if (p.url) URL.revokeObjectURL(p.url);
      pending = [];
      render();
    },
  };
}
