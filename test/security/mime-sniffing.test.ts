import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gradientPng } from '../helpers/generic-media.js';
import { SAMPLES } from '../helpers/whatsapp-media.js';
import { startMediaWorld, type MediaWorld } from './support/media-world.js';

const PDF = SAMPLES.pdf();
const PNG = gradientPng(64, 48, [200, 40, 40], [40, 40, 200]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
const ZIP = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(300, 7)]);

/**
 * Security check 4: a file is typed by its bytes (file-type), not by the label it came with. Inbound,
 * what the HubSpot sandbox stores in Files; outbound, what the generic connector emulator receives;
 * a type the channel does not carry becomes the readable note or the FAILED reason.
 */
describe('security: an attachment whose MIME type lies about its content is sniffed', { timeout: 240_000 }, () => {
  let world: MediaWorld;
  before(async () => {
    world = await startMediaWorld();
  });
  after(() => world.stop());

  describe('customer → HubSpot', () => {
    it('stores a PDF sent as "photo.jpg", image/jpeg, as application/pdf named photo.pdf, attached as a file', async () => {
      const { message, files } = await world.customerSends({
        kind: 'image',
        url: world.serve('photo.jpg', PDF, 'image/jpeg'),
        contentType: 'image/jpeg',
        filename: 'photo.jpg',
      });
      assert.equal(files.length, 1);
      assert.equal(files[0]!.contentType, 'application/pdf');
      assert.equal(`${files[0]!.name}.${files[0]!.extension}`, 'photo.pdf');
      assert.ok(files[0]!.bytes.equals(PDF));
      assert.deepEqual(
        message.attachments.map((a) => a.fileUsageType),
        ['OTHER'],
      );
    });

    it('stores a PNG sent as a PDF as image/png, keeping it a file (a kind is never upgraded)', async () => {
      const { message, files } = await world.customerSends({
        kind: 'file',
        url: world.serve('report.pdf', PNG, 'application/pdf'),
        contentType: 'application/pdf',
        filename: 'report.pdf',
      });
      assert.equal(files[0]!.contentType, 'image/png');
      assert.equal(`${files[0]!.name}.${files[0]!.extension}`, 'report.png');
      assert.deepEqual(
        message.attachments.map((a) => a.fileUsageType),
        ['OTHER'],
      );
    });

    it('refuses a program sent as "cat.jpg", image/jpeg, with a note saying what it is', async () => {
      const { message, files } = await world.customerSends({
        kind: 'image',
        url: world.serve('cat.jpg', EXE, 'image/jpeg'),
        contentType: 'image/jpeg',
        filename: 'cat.jpg',
      });
      assert.deepEqual(files, []);
      assert.match(
        message.text,
        /\[An image "cat\.jpg" was sent but could not be carried: it is application\/x-msdownload, though it was sent as image\/jpeg; files of that type are not accepted by HubSpot\]/,
      );
    });

    it('keeps an honest label, and a label the bytes cannot contradict (plain text has no signature)', async () => {
      const honest = await world.customerSends({
        kind: 'image',
        url: world.serve('real.png', PNG, 'image/png'),
        contentType: 'image/png',
        filename: 'real.png',
      });
      assert.equal(honest.files[0]!.contentType, 'image/png');
      assert.deepEqual(
        honest.message.attachments.map((a) => a.fileUsageType),
        ['IMAGE'],
      );
      const text = await world.customerSends({
        kind: 'file',
        url: world.serve('notes.txt', Buffer.from('order 1042, please call back\n'), 'text/plain'),
        contentType: 'text/plain',
        filename: 'notes.txt',
      });
      assert.equal(text.files[0]!.contentType, 'text/plain');
    });
  });

  describe('rep → customer', () => {
    it('delivers a PDF attached as "diagram.png", image/png, as application/pdf named diagram.pdf, kind file', async () => {
      const { statuses, delivered } = await world.repSends('diagram.png', 'image/png', PDF);
      assert.deepEqual(
        statuses.map((s) => s.statusType),
        ['SENT'],
      );
      assert.deepEqual(
        delivered.map(({ kind, contentType, filename }) => ({ kind, contentType, filename })),
        [{ kind: 'file', contentType: 'application/pdf', filename: 'diagram.pdf' }],
      );
      assert.ok(delivered[0]!.bytes.equals(PDF));
    });

    it('does not send a program attached as "invoice.pdf", and tells the rep why', async () => {
      const { statuses, delivered } = await world.repSends('invoice.pdf', 'application/pdf', EXE);
      assert.deepEqual(delivered, []);
      assert.equal(statuses.at(-1)?.statusType, 'FAILED');
      assert.match(
        statuses.at(-1)?.errorMessage ?? '',
        /"invoice\.pdf" is a program \(application\/x-msdownload\), not the application\/pdf it was attached as; it was not sent/,
      );
    });

    it('fails a ZIP attached as "photo.jpg" on WhatsApp, which takes no ZIP, with WhatsApp\'s reason', async () => {
      const { statuses } = await world.repSends('photo.jpg', 'image/jpeg', ZIP, 'whatsapp');
      assert.equal(statuses.at(-1)?.statusType, 'FAILED');
      assert.match(
        statuses.at(-1)?.errorMessage ?? '',
        /"photo\.zip" is application\/zip, a format WhatsApp does not accept/,
      );
    });
  });
});
