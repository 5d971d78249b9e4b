import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  toCanonicalContact,
  toCanonicalLocation,
} from '../../packages/bridge/src/providers/telegram/canonical-shared.js';
import { messageSchema, type TelegramMessage } from '../../packages/bridge/src/providers/telegram/wire-types.js';
import { telegramFixture } from '../helpers/telegram-fixtures.js';

const message = (fixture: string): TelegramMessage => messageSchema.parse(telegramFixture(fixture).message);

describe('Telegram locations and contacts in the proposed canonical shapes', () => {
  it('maps a pin and a venue onto HubSpot LOCATION fields', () => {
    assert.deepEqual(toCanonicalLocation(message('location')), { latitude: 48.85837, longitude: 2.294481 });
    assert.deepEqual(toCanonicalLocation(message('venue')), {
      latitude: 48.85837,
      longitude: 2.294481,
      name: 'Eiffel Tower',
      address: 'Champ de Mars, 5 Av. Anatole France, Paris',
    });
    assert.equal(toCanonicalLocation(message('text')), undefined);
  });

  it('maps a bare contact onto HubSpot CONTACT fields, keeping the Telegram user id', () => {
    assert.deepEqual(toCanonicalContact(message('contact')), {
      name: { formattedName: 'Pierre Martin', firstName: 'Pierre', lastName: 'Martin' },
      phones: [{ phone: '+33612345678', providerUserId: '5011223344' }],
      emails: [],
      addresses: [],
      urls: [],
    });
  });

  it('reads the rest of a contact from the vCard Telegram passes along', () => {
    assert.deepEqual(toCanonicalContact(message('contact_vcard')), {
      name: { formattedName: 'Pierre Martin', firstName: 'Pierre', lastName: 'Martin' },
      phones: [
        { phone: '+33612345678', providerUserId: '5011223344' },
        { phone: '+33140000000', type: 'WORK' },
      ],
      emails: [{ email: 'pierre@acme.example', type: 'WORK' }],
      addresses: [{ street: '5 Rue de Rivoli', city: 'Paris', zip: '75001', country: 'France', type: 'WORK' }],
      urls: [{ url: 'https://acme.example' }],
      org: { company: 'Acme', department: 'Support', title: 'Lead' },
      birthday: '1990-04-01',
    });
  });
});
