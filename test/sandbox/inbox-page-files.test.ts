import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JSHandle, Page } from 'playwright-core';
import { screenshotPath } from '../helpers/browser.js';
import { drawMedia, startInbox, type InboxFixture } from './inbox-page-fixture.js';

interface FileSpec {
  readonly name: string;
  readonly type: string;
  readonly bytes: Buffer;
}

/** A DataTransfer holding these files, made in the page, as a drag from the desktop or a paste would carry them. */
function dataTransfer(page: Page, files: readonly FileSpec[]): Promise<JSHandle> {
  const specs = JSON.stringify(files.map((f) => ({ name: f.name, type: f.type, base64: f.bytes.toString('base64') })));
  return page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    for (const f of ${specs}) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  })()`);
}

/** Drags files over the reply editor and drops them, as Playwright can: the drag events with a real DataTransfer. */
async function dropOnEditor(page: Page, files: readonly FileSpec[]): Promise<void> {
  const transfer = await dataTransfer(page, files);
  const compose = page.locator('.compose');
  await compose.dispatchEvent('dragenter', { dataTransfer: transfer });
  await compose.dispatchEvent('dragover', { dataTransfer: transfer });
  assert.equal(await page.locator('form.editor.dropping').count(), 1, 'the editor shows where to drop');
  await compose.dispatchEvent('drop', { dataTransfer: transfer });
  assert.equal(await page.locator('form.editor.dropping').count(), 0);
}

/** Pastes files into the reply, as Ctrl+V with a copied screenshot does. */
async function pasteInEditor(page: Page, files: readonly FileSpec[]): Promise<void> {
  const transfer = await dataTransfer(page, files);
  await page.locator('.compose').evaluate((el, dt) => {
    el.focus();
    el.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: dt as DataTransfer, bubbles: true, cancelable: true }),
    );
  }, transfer);
}

/** The reply editor's files: by drag and drop and by paste, images inline; and file kinds in words, not MIME types. */
describe('inbox page: dropping and pasting files and images into a reply', () => {
  let inbox: InboxFixture;
  let threadId: string;
  let png: Buffer;
  const pdf: FileSpec = { name: 'label.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4 shipping label') };
  before(async () => {
    inbox = await startInbox();
    const account = await inbox.createAccount('Acme on Telegram');
    threadId = (
      await inbox.publish(account.id, {
        thread: 'tg:jane',
        name: 'Jane Doe',
        phone: '+15551234567',
        text: 'My parcel arrived broken.',
      })
    ).conversationsThreadId;
    png = (await drawMedia(inbox.browser)).png;
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const openThread = async () => {
    await inbox.page.goto(`${inbox.url}/?thread=${threadId}`);
    await inbox.page.locator('.conversation-header h2', { hasText: 'Jane Doe' }).waitFor();
  };
  const lastReply = () => [...inbox.state.messages.values()].filter((m) => m.direction === 'OUTGOING').at(-1)!;
  const fileOf = (id: unknown) => inbox.state.files.get(String(id))!;

  it('attaches files dropped on the editor, shows a dropped image inline, and sends both as attachments', async () => {
    await openThread();
    const page = inbox.page;
    await page.getByRole('textbox', { name: 'Reply' }).pressSequentially('Here is the label and the photo: ');
    await dropOnEditor(page, [pdf, { name: 'photo.png', type: 'image/png', bytes: png }]);
    await page.locator('.pending-files li.ready', { hasText: 'label.pdf (PDF document, 23 bytes)' }).waitFor();
    const inline = page.locator('.compose img[data-upload]');
    await page.locator('.compose img[data-upload]:not(.uploading)').waitFor();
    assert.equal(await inline.getAttribute('alt'), 'photo.png');
    assert.equal(
      await page.locator('.pending-files li', { hasText: 'photo.png' }).count(),
      0,
      'an inline image is not listed again',
    );
    await page.screenshot({ path: screenshotPath('inbox-reply-inline-image') });
    await page.getByRole('button', { name: 'Send' }).click();

    const sent = page.locator('.message.out', { hasText: 'Here is the label and the photo:' });
    await sent.waitFor();
    const reply = lastReply();
    assert.equal(reply.text, 'Here is the label and the photo:');
    assert.doesNotMatch(reply.richText ?? '', /<img/, 'rich text carries no images; the image is an attachment');
    assert.deepEqual(
      reply.attachments.map((a) => [fileOf(a.fileId).name, a.fileUsageType]),
      [
        ['label', 'OTHER'],
        ['photo', 'IMAGE'],
      ],
    );
    await sent.locator('img.attachment.image[alt="photo.png"]').waitFor();
    assert.equal(await sent.locator('a.attachment.file').textContent(), 'Download label.pdf (PDF document, 23 bytes)');
    assert.equal(await page.locator('.compose img').count(), 0, 'the editor is cleared');
  });

  it('shows a pasted image inline, and leaves it out if the rep deletes it before sending', async () => {
    await openThread();
    const page = inbox.page;
    const compose = page.getByRole('textbox', { name: 'Reply' });
    await compose.click();
    await pasteInEditor(page, [{ name: 'image.png', type: 'image/png', bytes: png }]);
    await page.locator('.compose img[data-upload]:not(.uploading)').waitFor();
    await compose.pressSequentially(' the scratch is here');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message.out', { hasText: 'the scratch is here' }).waitFor();
    assert.deepEqual(
      lastReply().attachments.map((a) => fileOf(a.fileId).name),
      ['image'],
    );

    await pasteInEditor(page, [{ name: 'image.png', type: 'image/png', bytes: png }]);
    await page.locator('.compose img[data-upload]:not(.uploading)').waitFor();
    await compose.press('Backspace'); // the caret is after the picture
    assert.equal(await page.locator('.compose img').count(), 0);
    await compose.pressSequentially('No picture after all.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message.out', { hasText: 'No picture after all.' }).waitFor();
    assert.deepEqual(lastReply().attachments, []);
  });

  it('refuses a dropped file the channel does not take, in words a rep reads, and names no MIME type', async () => {
    await openThread();
    const page = inbox.page;
    await dropOnEditor(page, [{ name: 'tool.exe', type: 'application/x-msdownload', bytes: Buffer.alloc(10) }]);
    await page
      .locator('form.editor .error', {
        hasText: 'tool.exe was not attached: this channel takes only images, audio, video, PDFs and text files.',
      })
      .waitFor();
    assert.equal(await page.locator('.pending-files li.failed').count(), 1);
    const hint = (await page.locator('.limits').textContent()) ?? '';
    assert.equal(
      hint,
      'Drop files or paste images into the reply. Up to 5 files, 195 KB each: images, audio, video, PDFs and text files',
    );
    const visible = (await page.locator('main').innerText()) ?? '';
    assert.doesNotMatch(visible, /\b(image|audio|video|application|text)\/[\w*.+-]+/, 'no MIME type on screen');
  });

  it('keeps a file dropped beside the editor from replacing the page, and does not attach it', async () => {
    await openThread();
    const page = inbox.page;
    const transfer = await dataTransfer(page, [pdf]);
    // A cancelled drop is what stops the browser from opening the file in place of the inbox.
    const cancelled = await page.locator('.messages').evaluate((el, dt) => {
      const drop = new DragEvent('drop', { dataTransfer: dt as DataTransfer, bubbles: true, cancelable: true });
      el.dispatchEvent(drop);
      return drop.defaultPrevented;
    }, transfer);
    assert.equal(cancelled, true);
    assert.equal(await page.locator('.pending-files li').count(), 0, 'only a drop on the editor attaches');
  });
});
