import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshotPath } from '../helpers/browser.js';
import { drawMedia, startInbox, wavTone, type InboxFixture } from './inbox-page-fixture.js';

/** A conversation with media, the reply editor, and the ticks that follow what the integration reports. */
describe('inbox page: media, replies and delivery status', () => {
  let inbox: InboxFixture;
  let threadId: string;
  // The Files API refuses more than 100 KB here, the channel more than 200 KB: both limits have a readable error.
  before(async () => {
    inbox = await startInbox({ maxFileBytes: 100_000 });
    const account = await inbox.createAccount('Acme on Telegram');
    const media = await drawMedia(inbox.browser);
    const file = async (name: string, type: string, bytes: Buffer, fileUsageType: string) => ({
      type: 'FILE',
      fileId: (await inbox.uploadFile(name, type, bytes)).id,
      fileUsageType,
    });
    const jane = { thread: 'tg:jane', name: 'Jane Doe', phone: '+15551234567' };
    const first = await inbox.publish(account.id, {
      ...jane,
      text: 'My parcel arrived like this:',
      attachments: [await file('parcel.png', 'image/png', media.png, 'IMAGE')],
    });
    threadId = first.conversationsThreadId;
    await inbox.publish(account.id, {
      ...jane,
      text: '',
      attachments: [await file('sad.png', 'image/png', media.sticker, 'STICKER')],
    });
    await inbox.publish(account.id, {
      ...jane,
      text: '',
      attachments: [await file('voice.wav', 'audio/wav', wavTone(1.5), 'VOICE_RECORDING')],
    });
    await inbox.publish(account.id, {
      ...jane,
      text: 'And the unboxing:',
      attachments: [
        await file('unboxing.webm', 'video/webm', media.webm, 'OTHER'),
        await file('jingle.wav', 'audio/wav', wavTone(1, 660), 'AUDIO'),
      ],
    });
  });
  after(async () => {
    await inbox.close();
    assert.deepEqual(inbox.pageErrors, [], 'no script errors on the page');
  });

  const openThread = async () => {
    await inbox.page.goto(`${inbox.url}/?thread=${threadId}`);
    await inbox.page.locator('.conversation-header h2', { hasText: 'Jane Doe' }).waitFor();
  };
  const outgoing = () => [...inbox.state.messages.values()].filter((m) => m.direction === 'OUTGOING');

  it('shows images and stickers, and plays voice notes, audio and video inline from signed URLs', async () => {
    await openThread();
    const page = inbox.page;
    await page.waitForFunction(
      `[...document.querySelectorAll('img.attachment')].every((i) => i.complete && i.naturalWidth > 0)`,
    );
    assert.equal(await page.locator('img.attachment.image').getAttribute('alt'), 'parcel.png');
    assert.equal(await page.locator('img.attachment.sticker').count(), 1);
    assert.equal(await page.locator('.attachment.voice audio[controls]').count(), 1);
    assert.equal(await page.locator('.attachment.audio audio[controls]').count(), 1);
    assert.equal(await page.locator('video.attachment[controls]').count(), 1);
    // Metadata loaded means Chromium fetched and decoded the bytes: the players work, not just exist.
    await page.waitForFunction(`[...document.querySelectorAll('audio, video')].every((m) => m.readyState >= 1)`);
    for (const src of await page
      .locator('.attachment[src], .attachment [src]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('src')))) {
      assert.match(src ?? '', /^\/signed-files\//);
    }
  });

  it('sends a reply with bold, italic, a list, a link and a file, and the sandbox records the OUTGOING message', async () => {
    await openThread();
    const page = inbox.page;
    const compose = page.getByRole('textbox', { name: 'Reply' });
    await compose.click();
    await compose.pressSequentially('Your order ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await compose.pressSequentially('ships today');
    await page.getByRole('button', { name: 'Bold' }).click();
    await compose.pressSequentially('. ');
    await page.getByRole('button', { name: 'Italic' }).click();
    await compose.pressSequentially('Sorry about the box!');
    await page.getByRole('button', { name: 'Italic' }).click();
    await compose.press('Enter');
    await page.getByRole('button', { name: 'Bulleted list' }).click();
    await compose.pressSequentially('New box');
    await compose.press('Enter');
    await compose.pressSequentially('Free shipping');
    await compose.press('Enter');
    await compose.press('Enter');
    await page.getByRole('button', { name: 'Link' }).click();
    await page.getByLabel('Link address').fill('https://track.example.com/1042');
    await page.getByRole('button', { name: 'Add link' }).click();
    await page.locator('input[type=file]').setInputFiles({
      name: 'label.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 shipping label'),
    });
    await page.locator('.pending-files li.ready', { hasText: 'label.pdf' }).waitFor();
    await page.screenshot({ path: screenshotPath('inbox-reply-editor') });
    await page.getByRole('button', { name: 'Send' }).click();

    const shown = page.locator('.message.out', { hasText: 'ships today' });
    await shown.waitFor();
    assert.equal(await shown.locator('.body b').textContent(), 'ships today');
    assert.equal(await shown.locator('a[href="https://track.example.com/1042"]').count(), 1);
    assert.equal(await page.getByRole('textbox', { name: 'Reply' }).textContent(), '', 'the editor is cleared');

    const reply = outgoing().at(-1)!;
    assert.equal(reply.conversationsThreadId, threadId);
    assert.equal(reply.recipients[0]?.deliveryIdentifier.value, '+15551234567');
    assert.match(reply.richText ?? '', /Your order <b>ships today<\/b>\. <i>Sorry about the box!<\/i>/);
    assert.match(reply.richText ?? '', /<ul><li>New box<\/li><li>Free shipping<\/li><\/ul>/);
    assert.match(reply.richText ?? '', /<a href="https:\/\/track\.example\.com\/1042">/);
    assert.equal(
      reply.text,
      'Your order ships today. Sorry about the box!\n- New box\n- Free shipping\nhttps://track.example.com/1042',
    );
    const fileId = String(reply.attachments[0]?.fileId);
    const file = (await inbox.api('GET', `/files/v3/files/${fileId}`)) as { name: string; extension: string };
    assert.deepEqual([file.name, file.extension], ['label', 'pdf']);
    const signed = (await inbox.api('GET', `/files/v3/files/${fileId}/signed-url`)) as { url: string };
    assert.equal(await (await fetch(signed.url)).text(), '%PDF-1.4 shipping label');
  });

  it('moves the ticks when the integration reports SENT, then READ, and shows the reason of a FAILED reply', async () => {
    await openThread();
    const page = inbox.page;
    // One reply with the Send button, one with Ctrl+Enter.
    const sendReply = async (text: string, keyboard = false) => {
      await page.getByRole('textbox', { name: 'Reply' }).fill(text);
      if (keyboard) await page.getByRole('textbox', { name: 'Reply' }).press('Control+Enter');
      else await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('.message.out', { hasText: text }).locator('.status.sending').waitFor();
      return outgoing().at(-1)!.id;
    };
    const delivered = await sendReply('We sent a new box.');
    const blocked = await sendReply('Tracking number: 1Z999', true);
    const status = (id: string) => page.locator(`#message-${id} .status`);

    await inbox.setStatus(delivered, { statusType: 'SENT' });
    await status(delivered).filter({ hasText: '✓ Sent' }).waitFor();
    await inbox.setStatus(delivered, { statusType: 'READ' });
    await status(delivered).filter({ hasText: '✓✓ Read' }).waitFor();
    await inbox.setStatus(blocked, { statusType: 'FAILED', errorMessage: 'Recipient blocked the bot' });
    await status(blocked).filter({ hasText: '⚠ Failed: Recipient blocked the bot' }).waitFor();
    const formatted = outgoing()[0]!.id;
    await inbox.setStatus(formatted, { statusType: 'SENT' });
    await status(formatted).filter({ hasText: '✓ Sent' }).waitFor();
    // A taller window, so the shot holds the voice note, the video and the three kinds of ticks.
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.locator('.messages').evaluate((list) => list.scrollTo(0, list.scrollHeight));
    await page.screenshot({ path: screenshotPath('inbox-conversation') });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says what is wrong when the reply is empty or a file is too large', async () => {
    await openThread();
    const page = inbox.page;
    const error = page.locator('form.editor .error');
    await page.getByRole('button', { name: 'Send' }).click();
    assert.equal(await error.textContent(), 'Write a reply or attach a file before sending.');

    // Over the channel's maxFileAttachmentSizeBytes: refused before uploading.
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(250_000) });
    await error
      .filter({ hasText: "huge.png was not attached: 244 KB is over this channel's limit of 195 KB." })
      .waitFor();
    // Within the channel's limit but over what the Files API takes: HubSpot's own answer is shown.
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(150_000) });
    await error.filter({ hasText: 'big.png could not be uploaded: File is larger than 100000 bytes' }).waitFor();
    // A type the channel does not take.
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.alloc(10) });
    await error
      .filter({
        hasText: 'tool.exe was not attached: this channel takes only images, audio, video, PDFs and text files.',
      })
      .waitFor();
    assert.equal(await page.locator('.pending-files li.failed').count(), 3);

    await page.getByRole('button', { name: 'Link' }).click();
    await page.getByLabel('Link address').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Add link' }).click();
    await error.filter({ hasText: 'A link must start with https://, http:// or mailto:.' }).waitFor();
    const before = outgoing().length;
    await page.getByRole('button', { name: 'Send' }).click();
    await error.filter({ hasText: 'Write a reply or attach a file before sending.' }).waitFor();
    assert.equal(outgoing().length, before, 'nothing was sent');
  });
});
