/**
 * The customer page's Location and Contact buttons (page.ts), served after page-script.ts in the same module, whose
 * post() sends through the same one-at-a-time path as a text. A location with a place name and an address goes as a
 * venue, as Telegram's map picker sends one; a contact carries a vCard, as the apps pass one along.
 */
export const SHARE_SCRIPT = String.raw`
/** A location, venue or contact: JSON to the same place a text goes, from the same writer. */
function share(content, after) {
  if (sending) return;
  const fields = new FormData();
  const target = sendTarget(fields);
  if (!target) { error.textContent = emptyHint(); return; }
  const body = Object.assign(Object.fromEntries(fields), content, replyTo !== null ? { reply_to_message_id: replyTo } : {});
  return post(target, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, after);
}

function toggleShare(which, open) {
  const panel = $(which + '-form'), button = $('open-' + which);
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) { panel.querySelector('input').focus(); toggleShare(which === 'location' ? 'contact' : 'location', false); }
}
for (const which of ['location', 'contact']) {
  $('open-' + which).addEventListener('click', () => toggleShare(which, $(which + '-form').hidden));
  $('close-' + which).addEventListener('click', () => { toggleShare(which, false); $('open-' + which).focus(); });
}

$('send-location').addEventListener('click', () => {
  const latitude = Number($('loc-lat').value.replace(',', '.')), longitude = Number($('loc-lon').value.replace(',', '.'));
  if (!$('loc-lat').value.trim() || !$('loc-lon').value.trim() || !Number.isFinite(latitude) || !Number.isFinite(longitude)) { error.textContent = 'a location needs a latitude and a longitude, e.g. 52.52 and 13.405'; return; }
  const title = $('loc-title').value.trim(), address = $('loc-address').value.trim();
  share(title && address ? { venue: { latitude, longitude, title, address } } : { location: { latitude, longitude } }, () => toggleShare('location', false));
});

$('send-contact').addEventListener('click', () => {
  const phone = $('contact-phone').value.trim(), first = $('contact-first').value.trim(), last = $('contact-last').value.trim();
  if (!phone || !first) { error.textContent = 'a contact needs a phone number and a first name'; return; }
  // Telegram's apps pass the contact's card along as a vCard.
  const vcard = ['BEGIN:VCARD', 'VERSION:3.0', 'N:' + last + ';' + first + ';;;', 'FN:' + [first, last].filter(Boolean).join(' '), 'TEL;TYPE=CELL:' + phone, 'END:VCARD'].join('\n');
  share({ contact: Object.assign({ phone_number: phone, first_name: first, vcard }, last ? { last_name: last } : {}) }, () => toggleShare('contact', false));
});
`;
