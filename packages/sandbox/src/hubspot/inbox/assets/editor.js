// The reply editor: formatting toolbar, link entry, files (attachments.js), send.
import { sendReply } from './actions.js';
import { setUpAttachments } from './attachments.js';
import { refreshAll } from './live.js';
import { toPlainText, toRichText } from './rich-text.js';

const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function setUpEditor(form) {
  const compose = form.querySelector('.compose');
  const errorBox = form.querySelector('.error');
  let savedRange;

  const showError = (message) => {
    errorBox.textContent = message ?? '';
    errorBox.hidden = !message;
  };
  const files = setUpAttachments(form, showError);

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
    savedRange =
      selection.rangeCount && compose.contains(selection.anchorNode) ? selection.getRangeAt(0).cloneRange() : undefined;
    form.querySelector('.link-form')?.remove();
    const box = document.createElement('span');
    box.className = 'link-form';
    box.innerHTML =
      '<input type="url" placeholder="https://…" aria-label="Link address"><button type="button">Add link</button>';
    button.after(box);
    const input = box.querySelector('input');
    input.focus();
    const apply = () => {
      const href = input.value.trim();
      if (!/^(https?:\/\/|mailto:)\S+$/i.test(href))
        return showError('A link must start with https://, http:// or mailto:.');
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
    const ready = files.ready();
    if (files.uploading()) return showError('Wait for the files to finish uploading.');
    if (!text && ready.length === 0) return showError('Write a reply or attach a file before sending.');
    showError();
    const send = form.querySelector('button[type=submit]');
    send.disabled = true;
    try {
      // Inline images leave the rich text (its allow-list has no <img>) and travel as files.
      await sendReply(form.dataset.thread, {
        text,
        ...(text ? { richText: toRichText(compose) } : {}),
        fileIds: ready.map((p) => p.id),
      });
      compose.replaceChildren();
      files.clear();
      await refreshAll();
    } catch (error) {
      showError(`The reply was not sent: ${error.message}`);
    } finally {
      send.disabled = false;
    }
  });
}
