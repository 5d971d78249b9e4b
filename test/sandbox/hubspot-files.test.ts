import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../helpers/hubspot-sandbox.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function form(parts: {
  file?: { bytes: Buffer; name: string; type: string };
  fields?: Record<string, string>;
}): FormData {
  const data = new FormData();
  if (parts.file)
    data.set('file', new Blob([new Uint8Array(parts.file.bytes)], { type: parts.file.type }), parts.file.name);
  for (const [k, v] of Object.entries(parts.fields ?? {})) data.set(k, v);
  return data;
}
const privateOptions = JSON.stringify({
  access: 'PRIVATE',
  ttl: 'P1Y',
  overwrite: false,
  duplicateValidationStrategy: 'NONE',
});

/** Files v3: multipart upload with `options` as a JSON string, metadata, and signed URLs that serve the bytes. */
describe('HubSpot sandbox: files', () => {
  let hs: Sandbox;
  before(async () => {
    hs = await startSandbox({ maxFileBytes: 64 * 1024 });
  });
  after(() => hs.close());
  const upload = (data: FormData, token?: string | null) => hs.call('POST', '/files/v3/files', { body: data, token });

  it('uploads a file into a folder path and describes it', async () => {
    const res = await upload(
      form({
        file: { bytes: png, name: 'receipt.png', type: 'image/png' },
        fields: { folderPath: '/conversations', options: privateOptions },
      }),
    );
    assert.equal(res.status, 201);
    assert.deepEqual(
      [res.body.name, res.body.extension, res.body.path, res.body.size, res.body.type, res.body.access],
      ['receipt', 'png', '/conversations/receipt.png', png.length, 'IMG', 'PRIVATE'],
    );
    const got = await hs.call('GET', `/files/v3/files/${res.body.id}`);
    assert.equal(got.body.id, res.body.id);
  });

  it('serves the bytes at a signed URL, and refuses the private file at its plain url', async () => {
    const file = (
      await upload(
        form({
          file: { bytes: png, name: 'a.png', type: 'image/png' },
          fields: { folderPath: '/x', options: privateOptions },
        }),
      )
    ).body;
    const signed = await hs.call('GET', `/files/v3/files/${file.id}/signed-url?expirationSeconds=60`);
    assert.equal(signed.status, 200);
    assert.ok(Date.parse(signed.body.expiresAt) > Date.now());
    const download = await fetch(signed.body.url);
    assert.equal(download.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), png);
    assert.equal((await fetch(file.url)).status, 403);
  });

  it('stops serving a signed URL once it expired', async () => {
    const file = (
      await upload(
        form({
          file: { bytes: png, name: 'b.png', type: 'image/png' },
          fields: { folderPath: '/x', options: privateOptions },
        }),
      )
    ).body;
    const signed = await hs.call('GET', `/files/v3/files/${file.id}/signed-url?expirationSeconds=1`);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await fetch(signed.body.url)).status, 403);
  });

  it('serves a public file at its url', async () => {
    const file = (
      await upload(
        form({
          file: { bytes: Buffer.from('hello'), name: 'hello.txt', type: 'text/plain' },
          fields: { folderPath: '/public', options: JSON.stringify({ access: 'PUBLIC_NOT_INDEXABLE' }) },
        }),
      )
    ).body;
    assert.equal(await (await fetch(file.url)).text(), 'hello');
  });

  it('renames a second file with the same path, or returns the first with RETURN_EXISTING', async () => {
    const fields = { folderPath: '/dupes', options: privateOptions };
    const first = (await upload(form({ file: { bytes: png, name: 'same.png', type: 'image/png' }, fields }))).body;
    const second = (await upload(form({ file: { bytes: png, name: 'same.png', type: 'image/png' }, fields }))).body;
    assert.equal(second.path, '/dupes/same-1.png');
    const existing = await upload(
      form({
        file: { bytes: png, name: 'same.png', type: 'image/png' },
        fields: {
          ...fields,
          options: JSON.stringify({ access: 'PRIVATE', duplicateValidationStrategy: 'RETURN_EXISTING' }),
        },
      }),
    );
    assert.equal(existing.body.id, first.id);
  });

  it('refuses an upload without options, with options that are not JSON, or without access', async () => {
    const file = { bytes: png, name: 'c.png', type: 'image/png' };
    const missing = await upload(form({ file, fields: { folderPath: '/x' } }));
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].in, 'options');
    assert.equal((await upload(form({ file, fields: { folderPath: '/x', options: '{access:PRIVATE}' } }))).status, 400);
    const noAccess = await upload(form({ file, fields: { folderPath: '/x', options: '{"ttl":"P1D"}' } }));
    assert.equal(noAccess.status, 400);
    assert.equal(noAccess.body.errors[0].in, 'access');
  });

  it('wants exactly one of folderPath and folderId, and a file part', async () => {
    const file = { bytes: png, name: 'd.png', type: 'image/png' };
    assert.equal((await upload(form({ file, fields: { options: privateOptions } }))).status, 400);
    assert.equal(
      (await upload(form({ file, fields: { folderPath: '/x', folderId: '1', options: privateOptions } }))).status,
      400,
    );
    assert.equal((await upload(form({ fields: { folderPath: '/x', options: privateOptions } }))).status, 400);
  });

  it('refuses a JSON body, a file past the size limit, and a call without a token', async () => {
    const json = await hs.call('POST', '/files/v3/files', { json: { file: 'x' } });
    assert.equal(json.status, 400);
    const big = await upload(
      form({
        file: { bytes: Buffer.alloc(65 * 1024), name: 'big.bin', type: 'application/octet-stream' },
        fields: { folderPath: '/x', options: privateOptions },
      }),
    );
    assert.equal(big.status, 413);
    assert.equal(
      (
        await upload(
          form({
            file: { bytes: png, name: 'e.png', type: 'image/png' },
            fields: { folderPath: '/x', options: privateOptions },
          }),
          null,
        )
      ).status,
      401,
    );
  });

  it('answers 404 for a file that does not exist, and 400 for a bad expirationSeconds', async () => {
    assert.equal((await hs.call('GET', '/files/v3/files/999/signed-url')).status, 404);
    const file = (
      await upload(
        form({
          file: { bytes: png, name: 'f.png', type: 'image/png' },
          fields: { folderPath: '/x', options: privateOptions },
        }),
      )
    ).body;
    assert.equal((await hs.call('GET', `/files/v3/files/${file.id}/signed-url?expirationSeconds=0`)).status, 400);
  });

  it('names the file and its url in a message that attaches it', async () => {
    const channelId = (await hs.registerChannel()).id;
    const accountId = (await hs.createAccount(channelId)).id;
    const file = (
      await upload(
        form({
          file: { bytes: png, name: 'photo.png', type: 'image/png' },
          fields: { folderPath: '/conversations', options: privateOptions },
        }),
      )
    ).body;
    const res = await hs.publish(
      channelId,
      hs.incoming(accountId, { text: ' ', attachments: [{ type: 'FILE', fileId: file.id, fileUsageType: 'IMAGE' }] }),
    );
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.attachments[0], {
      type: 'FILE',
      fileId: file.id,
      fileUsageType: 'IMAGE',
      name: 'photo.png',
      url: file.url,
    });
  });

  it('answers every FILE attachment with a fileUsageType (PublicFile requires it), from the file when the publisher named none', async () => {
    const channelId = (await hs.registerChannel()).id;
    const accountId = (await hs.createAccount(channelId)).id;
    const photo = (
      await upload(
        form({
          file: { bytes: png, name: 'plain.png', type: 'image/png' },
          fields: { folderPath: '/conversations', options: privateOptions },
        }),
      )
    ).body;
    const pdf = (
      await upload(
        form({
          file: { bytes: Buffer.from('%PDF-1.4 x'), name: 'label.pdf', type: 'application/pdf' },
          fields: { folderPath: '/conversations', options: privateOptions },
        }),
      )
    ).body;
    const res = await hs.publish(
      channelId,
      hs.incoming(accountId, {
        text: ' ',
        attachments: [
          { type: 'FILE', fileId: photo.id },
          { type: 'FILE', fileId: pdf.id },
        ],
      }),
    );
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.body.attachments.map((a: { fileUsageType: string }) => a.fileUsageType),
      ['IMAGE', 'OTHER'],
    );
    const read = await hs.call('GET', `/conversations/v3/custom-channels/${channelId}/messages/${res.body.id}`);
    assert.deepEqual(
      read.body.attachments.map((a: { fileUsageType: string }) => a.fileUsageType),
      ['IMAGE', 'OTHER'],
    );
  });
});
