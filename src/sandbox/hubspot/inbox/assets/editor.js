// The reply editor: formatting toolbar, link entry, file uploads through the Files API, send.
import { sendReply, uploadFile } from './actions.js';
import { refreshAll } from './live.js';
import { toPlainText, toRichText } from './rich-text.js';

const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
// Sizes as people read them; the server-rendered limit hint rounds the same way.
const kb = (n) => (n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function mimeAllowed(type, allowed) {
  if (allowed.length === 0) return true;
  return allowed.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))));
}

export function setUpEditor(form) {
  const compose = form.querySelector('.compose');
  const errorBox = form.querySelector('.error');
  const list = form.querySelector('.pending-files');
  const picker = form.querySelector('input[type=file]');
  const limits = {
    maxFiles: Number(form.dataset.maxFiles || Infinity),
    maxBytes: Number(form.dataset.maxFileBytes || Infinity),
    types: (form.dataset.allowedTypes || '').split(',').filter(Boolean),
  };
  /** @type {{ file: File, state: 'uploading'|'ready'|'failed', id?: string, error?: string }[]} */
  let pending = [];
  let savedRange;

  const showError = (message) => {
    errorBox.textContent = message ?? '';
    errorBox.hidden = !message;
  };

  function renderFiles() {
    list.replaceChildren(
      ...pending.map((p) => {
        const li = document.createElement('li');
        li.className = p.state;
        const label = p.state === 'uploading' ? 'uploading…' : p.state === 'failed' ? `not attached: ${p.error}` : kb(p.file.size);
        li.append(`${p.file.name} (${label})`);
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = '×';
        remove.setAttribute('aria-label', `Remove ${p.file.name}`);
        remove.addEventListener('click', () => {
          pending = pending.filter((x) => x !== p);
          renderFiles();
        });
        li.append(remove);
        return li;
      }),
    );
  }

  async function addFile(file) {
    const entry = { file, state: 'uploading' };
    const problem =
      pending.filter((p) => p.state !== 'failed').length >= limits.maxFiles ? `this channel takes at most ${limits.maxFiles} file(s) per message`
      : file.size > limits.maxBytes ? `${kb(file.size)} is over this channel's limit of ${kb(limits.maxBytes)}`
      : !mimeAllowed(file.type, limits.types) ? `this channel does not accept ${file.type || 'this file type'}`
      : undefined;
    pending.push(entry);
    if (problem) Object.assign(entry, { state: 'failed', error: problem });
    renderFiles();
    if (problem) return showError(`${file.name} was not attached: ${problem}.`);
    try {
      entry.id = (await uploadFile(file)).id;
      entry.state = 'ready';
    } catch (error) {
      Object.assign(entry, { state: 'failed', error: error.message });
      showError(`${file.name} could not be uploaded: ${error.message}`);
    }
    renderFiles();
  }

  picker.addEventListener('change', () => {
    showError();
    for (const file of picker.files) addFile(file);
    picker.value = '';
  });

  // Keep the caret in the reply box when a toolbar button is pressed, so formatting applies where the rep is typing.
  form.querySelector('.toolbar').addEventListener('mousedown', (event) => {
    if (event.target.closest('button[data-format]')) event.preventDefault();
  });
  form.querySelector('.toolbar').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-format]');
    if (!button) return;
    const format = button.dataset.format;
    if (format === 'link') return openLinkForm(button);
    compose.focus();
    document.execCommand(format);
  });

  // A small inline form instead of window.prompt, which blocks the page and cannot be styled.
  function openLinkForm(button) {
    const selection = window.getSelection();
    savedRange = selection.rangeCount && compose.contains(selection.anchorNode) ? selection.getRangeAt(0).cloneRange() : undefined;
    form.querySelector('.link-form')?.remove();
    const box = document.createElement('span');
    box.className = 'link-form';
    box.innerHTML = '<input type="url" placeholder="https://…" aria-label="Link address"><button type="button">Add link</button>';
    button.after(box);
    const input = box.querySelector('input');
    input.focus();
    const apply = () => {
      const href = input.value.trim();
      if (!/^(https?:\/\/|mailto:)\S+$/i.test(href)) return showError('A link must start with https://, http:// or mailto:.');
      showError();
      box.remove();
      compose.focus();
      const selection = window.getSelection();
      selection.removeAllRanges();
      if (savedRange) selection.addRange(savedRange);
      if (savedRange && !savedRange.collapsed) document.execCommand('createLink', false, href);
      else document.execCommand('insertHTML', false, `<a href="${escape(href)}">${escape(href)}</a>&nbsp;`);
    };
    box.querySelector('button').addEventListener('click', apply);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        apply();
      } else if (e.key === 'Escape') {
        box.remove();
        compose.focus();
      }
    });
  }

  // Ctrl+Enter (Cmd+Enter on a Mac) sends, as in HubSpot's editor; Enter alone makes a new line.
  compose.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = toPlainText(compose);
    const ready = pending.filter((p) => p.state === 'ready');
    if (pending.some((p) => p.state === 'uploading')) return showError('Wait for the files to finish uploading.');
    if (!text && ready.length === 0) return showError('Write a reply or attach a file before sending.');
    showError();
    const send = form.querySelector('button[type=submit]');
    send.disabled = true;
    try {
      await sendReply(form.dataset.thread, { text, richText: toRichText(compose), fileIds: ready.map((p) => p.id) });
      compose.replaceChildren();
      pending = [];
      renderFiles();
      await refreshAll();
    } catch (error) {
      showError(`The reply was not sent: ${error.message}`);
    } finally {
      send.disabled = false;
    }
  });
}
