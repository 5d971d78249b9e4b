import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  toCanonicalContact,
  toCanonicalLocation,
} from '../../packages/bridge/src/providers/whatsapp/shared-content.js';

const message = (name: string) =>
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/whatsapp', `${name}.json`), 'utf8'))
    .entry[0].changes[0].value.messages[0];

describe('location and contact cards in the proposed canonical shapes', () => {
  it('keeps every location field, and only those present', () => {
    assert.deepEqual(toCanonicalLocation(message('location').location), {
      latitude: 37.483307,
      longitude: -122.148981,
      name: 'Main office',
      address: '1 Hacker Way, Menlo Park, CA 94025',
      url: 'https://example.com/office',
    });
    assert.deepEqual(toCanonicalLocation(message('location-pin').location), { latitude: 51.5007, longitude: -0.1246 });
  });

  it('keeps every contact field, named as HubSpot CONTACT attachments name them', () => {
    assert.deepEqual(toCanonicalContact(message('contacts').contacts[0]), {
      name: {
        formattedName: 'Barbara J. Johnson',
        firstName: 'Barbara',
        lastName: 'Johnson',
        middleName: 'Joana',
        prefix: 'Dr.',
        suffix: 'Esq.',
      },
      phones: [{ phone: '+1 (650) 555-1234', type: 'WORK', providerUserId: '16505551234' }],
      emails: [{ email: 'bjohnson@example.com', type: 'WORK' }],
      addresses: [
        {
          street: '1 Hacker Way',
          city: 'Menlo Park',
          state: 'CA',
          zip: '94025',
          country: 'United States',
          countryCode: 'us',
          type: 'WORK',
        },
      ],
      urls: [{ url: 'https://www.example.com', type: 'WORK' }],
      org: { company: 'Example Inc.', department: 'Sales', title: 'Sales Manager' },
      birthday: '1990-01-31',
    });
  });

  it('reads a sparse contact without inventing fields', () => {
    assert.deepEqual(
      toCanonicalContact({ name: { formatted_name: 'Ann' }, phones: [{ phone: '+44 7700 900000' }, { type: 'HOME' }] }),
      {
        name: { formattedName: 'Ann' },
        phones: [{ phone: '+44 7700 900000' }],
        emails: [],
        addresses: [],
        urls: [],
      },
    );
  });
});
