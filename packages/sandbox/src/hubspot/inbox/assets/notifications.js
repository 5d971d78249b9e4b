// New-message notifications, which the rep can turn off with the switch in the top bar (remembered per browser):
// a notice in the page, a desktop notification when the page is not in front (if the browser allows them),
// a short sound, and the count of waiting conversations in the tab's title. Off means none of these.
import { toast } from './toast.js';

const KEY = 'inbox.notifications';

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage blocked: notifications stay on, as by default
  }
}

export const notificationsOn = () => stored() !== 'off';

/** Wires the top bar's switch; `changed(on)` runs after each flip. */
export function setUpNotificationSwitch(changed) {
  const input = document.getElementById('notifications');
  if (!input) return;
  input.checked = notificationsOn();
  input.addEventListener('change', () => {
    try {
      localStorage.setItem(KEY, input.checked ? 'on' : 'off');
    } catch {
      // Not remembered, but still applies to this page.
    }
    // Asking inside the click is the only time browsers show the permission prompt.
    if (input.checked && 'Notification' in window && Notification.permission === 'default')
      Notification.requestPermission().catch(() => {});
    changed(input.checked);
  });
}

let audio;
function chime() {
  // Browsers refuse to play sound before the rep has interacted with the page; stay quiet rather than warn.
  if (!navigator.userActivation?.hasBeenActive || !window.AudioContext) return;
  try {
    audio ??= new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.08, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch {
    // No audio device: the notice and the title still tell the rep.
  }
}

function desktop(message, url) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return; // the notice in the page is enough
  const note = new Notification(`New message from ${message.from}`, { body: message.preview, tag: message.messageId });
  note.onclick = () => {
    window.focus();
    location.href = url;
  };
}

/** Tells the rep about a customer message in a conversation that is not on screen, unless notifications are off. */
export function announce(message) {
  if (!notificationsOn()) return;
  const url = `/?thread=${encodeURIComponent(message.threadId)}`;
  const link = Object.assign(document.createElement('a'), { href: url, textContent: 'Open' });
  toast(`New message from ${message.from}: ${message.preview} `).append(link);
  desktop(message, url);
  chime();
}
