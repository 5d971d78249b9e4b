/**
 * The customer page's Location and Contact buttons and its business-number picker (page.ts), served after
 * page-script.ts in the same module, whose post() sends through the same one-at-a-time path as a text.
 */
export const SHARE_SCRIPT = String.raw`
function toggleShare(which, open) {
  const panel = $(which + '-form'), button = $('open-' + which);
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) { panel.querySelector('input').focus(); toggleShare(which === 'location' ? 'contact' : 'location', false); }
}

function sendLocation() {
  const latitude = Number($('loc-lat').value.replace(',', '.')), longitude = Number($('loc-lon').value.replace(',', '.'));
  if (!$('loc-lat').value.trim() || !$('loc-lon').value.trim() || !Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    $('error').textContent = 'a location needs a latitude and a longitude, e.g. 51.5033 and -0.1196';
    return;
  }
  const name = $('loc-name').value.trim(), address = $('loc-address').value.trim();
  const location = Object.assign({ latitude: latitude, longitude: longitude }, name ? { name: name } : {}, address ? { address: address } : {});
  post(async () => ({ type: 'location', location: location }), () => toggleShare('location', false));
}

/** A contact card as WhatsApp sends one: name and phone, with the phone's type. */
function sendContact() {
  const phone = $('contact-phone').value.trim(), first = $('contact-first').value.trim(), last = $('contact-last').value.trim();
  if (!phone || !first) { $('error').textContent = 'a contact needs a phone number and a first name'; return; }
  const name = Object.assign({ formatted_name: [first, last].filter(Boolean).join(' '), first_name: first }, last ? { last_name: last } : {});
  post(async () => ({ type: 'contacts', contacts: [{ name: name, phones: [{ phone: phone, type: 'CELL' }] }] }), () => toggleShare('contact', false));
}

/** The business numbers of this sandbox, to switch to another one's chat. */
async function loadNumbers() {
  try {
    const { numbers } = await (await fetch('/_sandbox/whatsapp/numbers')).json();
    const pick = $('number-pick');
    pick.replaceChildren(...numbers.map((n) => new Option(n.verifiedName + ' (+' + n.displayPhoneNumber + ')', n.customerPage, false, n.phoneNumberId === document.body.dataset.number)));
  } catch (e) { /* keeps the one number it has */ }
}

$('number-pick').addEventListener('change', (e) => { location.href = e.target.value; });
for (const which of ['location', 'contact']) {
  $('open-' + which).addEventListener('click', () => toggleShare(which, $(which + '-form').hidden));
  $('close-' + which).addEventListener('click', () => { toggleShare(which, false); $('open-' + which).focus(); });
}
$('send-location').addEventListener('click', sendLocation);
$('send-contact').addEventListener('click', sendContact);
loadNumbers();
`;
