import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Layout checks for the sandbox's pages, for any page a test has open in playwright-core's Chromium:
 * what is cut off, covered or out of reach at the current viewport, what the Tab key visits, and
 * screenshots at the widths people use. Each problem is a sentence a reviewer can act on.
 *
 * ```ts
 * await page.setViewportSize({ width: 1280, height: 720 });
 * assert.deepEqual(await layoutProblems(page), []);
 * assert.deepEqual(await layoutProblemsAt(page, LAPTOP_SIZES), []);
 * await eachSize(page, [{ width: 640, height: 360, deviceScaleFactor: 2 }], async () => { … }); // 1280×720 at 200 %
 * const walk = await tabWalk(page, 40); // walk.stops: 'button "Send"', …; walk.problems: focus not visible, …
 * await screenshotWidths(page, '.tmp/screenshots', 'inbox'); // inbox-1280.png, inbox-1440.png, inbox-1920.png
 * ```
 *
 * Controls are the visible elements matching CONTROL_SELECTOR; one drawn as its label (an invisible file input
 * inside a styled label) is checked as that label; elements under `[inert]` and empty boxes are left out, and while
 * a modal `<dialog>` is open only its controls count (the page behind it is inert).
 */

/** What counts as a control: anything a person can click, type in or Tab to. */
export const CONTROL_SELECTOR =
  'a[href], button, input, select, textarea, summary, [role=button], [role=switch], [role=textbox], [contenteditable=true], [tabindex]';

export interface ViewportSize {
  readonly width: number;
  readonly height: number;
  /**
   * 2 emulates 200 % zoom of a screen twice the size: `{ width: 640, height: 360, deviceScaleFactor: 2 }` is 1280×720
   * at 200 %.
   */
  readonly deviceScaleFactor?: number;
}

/** A laptop screen, a common desktop one, full HD, and 1280×720 at 200 % zoom (WCAG 1.4.4 / 1.4.10). */
export const LAPTOP_SIZES: readonly ViewportSize[] = [
  { width: 1280, height: 720 },
  { width: 1440, height: 800 },
  { width: 1920, height: 800 },
  { width: 640, height: 360, deviceScaleFactor: 2 },
];

/** The widths `screenshotWidths` takes by default, at a height of 800. */
export const SCREENSHOT_WIDTHS: readonly number[] = [1280, 1440, 1920];

export interface LayoutOptions {
  /**
   * Whether the document itself may scroll vertically (a long settings page may; an app shell whose panes
   * scroll on their own should not). Horizontal scrolling of the document is always a problem.
   * @default true
   */
  readonly allowVerticalScroll?: boolean;
  /** CSS selectors of controls to leave out (say why at the call site). */
  readonly ignore?: readonly string[];
}

// The text of a control's label without the control's own text (a select's options, say).
const LABEL_TEXT = String.raw`const labelText = (el) => {
    const label = el.labels?.[0];
    if (!label) return '';
    const copy = label.cloneNode(true);
    copy.querySelectorAll('select, input, textarea, button').forEach((c) => c.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim().slice(0, 60);
  };`;

// Runs in the page. A string, not a function: tsx would wrap a function with helpers the page does not have.
const CHECK_SCRIPT = String.raw`(({ selector, allowVerticalScroll, ignore }) => {
  const problems = [];
  const root = document.scrollingElement || document.documentElement;
  const vw = window.innerWidth, vh = window.innerHeight;
  const size = vw + '×' + vh;
  if (root.scrollWidth > vw + 1) problems.push('the page is ' + root.scrollWidth + 'px wide in a ' + size + ' viewport: it scrolls sideways');
  if (!allowVerticalScroll && root.scrollHeight > vh + 1) problems.push('the page is ' + root.scrollHeight + 'px tall in a ' + size + ' viewport: it scrolls as a whole instead of in its panes');
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  ${LABEL_TEXT}
  const nameOf = (el) => {
    const labelled = el.getAttribute('aria-labelledby');
    if (labelled) return clean(labelled.split(/\s+/).map((id) => document.getElementById(id)?.textContent).join(' '));
    return clean(el.getAttribute('aria-label')) || labelText(el) || clean(el.getAttribute('title'))
      || clean(el.getAttribute('placeholder')) || clean(el.textContent) || clean(el.getAttribute('name')) || clean(el.getAttribute('alt'));
  };
  const where = (el) => {
    if (el.id) return '#' + el.id;
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.classList.length ? '.' + [...e.classList].slice(0, 2).join('.') : ''));
    }
    return parts.join(' > ');
  };
  const describe = (el) => {
    const role = el.getAttribute('role');
    const kind = role ? el.tagName.toLowerCase() + '[role=' + role + ']' : el.tagName.toLowerCase() + (el.type && el.tagName === 'INPUT' ? '[type=' + el.type + ']' : '');
    const name = nameOf(el);
    return kind + (name ? ' "' + name + '"' : ' (no name)') + ' at ' + where(el);
  };
  const clips = (el) => { const s = getComputedStyle(el); return s.overflowX !== 'visible' || s.overflowY !== 'visible'; };
  const scrollers = (el) => {
    const out = [];
    for (let e = el.parentElement; e; e = e.parentElement) if (e.scrollHeight > e.clientHeight || e.scrollWidth > e.clientWidth) out.push([e, e.scrollLeft, e.scrollTop]);
    out.push([root, root.scrollLeft, root.scrollTop]);
    return out;
  };
  const px = (n) => Math.round(n) + 'px';
  const shown = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  // A control drawn as its label (a styled file picker) is checked as that label.
  // While a modal dialog is open the rest of the page is inert: only the dialog's controls can be used.
  const modal = document.querySelector('dialog:modal');
  const controls = [...(modal || document).querySelectorAll(selector)]
    .filter((el) => !ignore.some((s) => el.matches(s)) && !el.closest('[inert]'))
    .map((el) => (shown(el) ? el : [...(el.labels || [])].find(shown)))
    .filter((el, i, all) => el && all.indexOf(el) === i);
  for (const el of controls) {
    const first = el.getBoundingClientRect();
    if (first.width < 1 || first.height < 1) continue;
    // Reach it as the keyboard would: focus scrolls a control into view in every pane that holds it.
    const saved = scrollers(el);
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = el.getBoundingClientRect();
    const label = describe(el);
    const out = [];
    // Sideways, where it sits with the page unscrolled: scrolling the whole page sideways is no way to reach it.
    const left = r.left + window.scrollX, right = r.right + window.scrollX;
    if (left < -1) out.push(px(-left) + ' past the left edge');
    if (right > vw + 1) out.push(px(right - vw) + ' past the right edge');
    if (r.top < -1) out.push(px(-r.top) + ' above the top');
    if (r.bottom > vh + 1) out.push(px(r.bottom - vh) + ' below the bottom');
    if (out.length) problems.push(label + ' is cut off by the viewport: ' + out.join(', '));
    let positioned = false;
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (positioned) break;
      const box = a.getBoundingClientRect();
      const sticks = [];
      if (r.left < box.left - 1) sticks.push(px(box.left - r.left) + ' on the left');
      if (r.right > box.right + 1) sticks.push(px(r.right - box.right) + ' on the right');
      if (r.top < box.top - 1) sticks.push(px(box.top - r.top) + ' at the top');
      if (r.bottom > box.bottom + 1) sticks.push(px(r.bottom - box.bottom) + ' at the bottom');
      if (sticks.length) {
        problems.push(label + (clips(a) ? ' is cut off by ' : ' sticks out of ') + where(a) + ': ' + sticks.join(', '));
        break;
      }
      // An absolutely placed ancestor (a popover) may overhang what contains it.
      positioned = ['absolute', 'fixed'].includes(getComputedStyle(a).position);
    }
    const cx = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1), cy = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
    const hit = document.elementFromPoint(cx, cy);
    const ownLabel = hit && hit.tagName === 'LABEL' && el.labels && [...el.labels].includes(hit);
    if (hit && hit !== el && !el.contains(hit) && !ownLabel) problems.push(label + ' is covered at its centre by ' + where(hit));
    for (const [e, left, top] of saved) { e.scrollLeft = left; e.scrollTop = top; }
  }
  return problems;
})`;

/**
 * Problems with the page's layout at the current viewport, as sentences; [] when there are none:
 * - the document scrolls sideways (or, with `allowVerticalScroll: false`, at all);
 * - a visible control is cut off by the viewport: beyond its left or right edge with the page unscrolled, or above
 *   or below it even after scrolling the control into view in every pane that holds it, as keyboard focus does;
 * - a control sticks out of (or is clipped by) a box that contains it;
 * - a control's centre is covered by another element, so a click there would not reach it.
 * Scroll positions are restored afterwards.
 */
export async function layoutProblems(page: Page, options: LayoutOptions = {}): Promise<string[]> {
  const args = {
    selector: CONTROL_SELECTOR,
    allowVerticalScroll: options.allowVerticalScroll ?? true,
    ignore: options.ignore ?? [],
  };
  return (await page.evaluate(`${CHECK_SCRIPT}(${JSON.stringify(args)})`)) as string[];
}

/**
 * `layoutProblems` at each size (default LAPTOP_SIZES), each problem prefixed with its size; the viewport is put back
 * after.
 */
export async function layoutProblemsAt(
  page: Page,
  sizes: readonly ViewportSize[] = LAPTOP_SIZES,
  options: LayoutOptions = {},
): Promise<string[]> {
  const problems: string[] = [];
  await eachSize(page, sizes, async (size) => {
    for (const p of await layoutProblems(page, options)) problems.push(`${sizeName(size)}: ${p}`);
  });
  return problems;
}

/**
 * Runs `check` with the page at each size, then puts the page back as it was. Playwright sets a
 * deviceScaleFactor only on a new context, so here a zoomed size is emulated over the DevTools protocol
 * (`Emulation.setDeviceMetricsOverride`) on the same page, which keeps its URL, storage and state (Chromium only).
 */
export async function eachSize(
  page: Page,
  sizes: readonly ViewportSize[],
  check: (size: ViewportSize) => Promise<void>,
): Promise<void> {
  // What the page had, read from the page itself: an outer eachSize (or a context made with a scale) may have set it.
  const original = (await page.evaluate(
    '({ width: innerWidth, height: innerHeight, deviceScaleFactor: devicePixelRatio })',
  )) as Required<ViewportSize>;
  const cdp = await page.context().newCDPSession(page);
  const apply = async (size: ViewportSize) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await cdp.send('Emulation.setDeviceMetricsOverride', {
      width: size.width,
      height: size.height,
      deviceScaleFactor: size.deviceScaleFactor ?? 1,
      mobile: false,
    });
    await settle(page);
  };
  try {
    for (const size of sizes) {
      await apply(size);
      await check(size);
    }
  } finally {
    // Set back explicitly rather than cleared: clearing would drop Playwright's own viewport too.
    await apply(original).catch(() => undefined);
    await cdp.detach().catch(() => undefined);
  }
}

export const sizeName = (size: ViewportSize) =>
  `${size.width}×${size.height}${size.deviceScaleFactor && size.deviceScaleFactor !== 1 ? ` at ${size.deviceScaleFactor * 100} %` : ''}`;

/** Two animation frames: media queries, resize handlers and layout have run. */
const settle = (page: Page) =>
  page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');

export interface TabWalk {
  /** Each control Tab reached, in order, described by tag (or role) and accessible name: `button "Send"`. */
  readonly stops: string[];
  /** Stops with no visible focus indicator (no outline, no box shadow), focused out of view, or without a name. */
  readonly problems: string[];
}

const FOCUS_SCRIPT = String.raw`(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return undefined;
  ${LABEL_TEXT}
  const name = (el.getAttribute('aria-label') || labelText(el) || el.getAttribute('title') || el.getAttribute('placeholder') || el.textContent || el.getAttribute('name') || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  const role = el.getAttribute('role');
  const kind = role ? el.tagName.toLowerCase() + '[role=' + role + ']' : el.tagName.toLowerCase() + (el.tagName === 'INPUT' ? '[type=' + el.type + ']' : '');
  // A control drawn as its label (a styled file picker) shows its focus on that label.
  const drawn = el.checkVisibility({ checkOpacity: true }) ? el : (el.labels?.[0] ?? el);
  const s = getComputedStyle(drawn);
  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  const r = drawn.getBoundingClientRect();
  const inView = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  return { label: kind + (name ? ' "' + name + '"' : ' (no name)'), visible, inView, named: name !== '' };
})()`;

/**
 * Presses Tab up to `steps` times from where focus is now and records each control it lands on. A stop
 * is a problem when its focus is not visible (no outline or box shadow), it is out of view, or it has no name.
 * Stops early when focus leaves the page or comes back to the first stop.
 */
export async function tabWalk(page: Page, steps: number): Promise<TabWalk> {
  const stops: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < steps; i += 1) {
    await page.keyboard.press('Tab');
    const focus = (await page.evaluate(FOCUS_SCRIPT)) as
      { label: string; visible: boolean; inView: boolean; named: boolean } | undefined;
    if (!focus || (stops.length > 0 && focus.label === stops[0])) break;
    stops.push(focus.label);
    if (!focus.visible) problems.push(`${focus.label} shows no visible focus`);
    if (!focus.inView) problems.push(`${focus.label} is focused out of view`);
    if (!focus.named) problems.push(`${focus.label} has no accessible name`);
  }
  return { stops, problems };
}

export interface ScreenshotOptions {
  /** @default SCREENSHOT_WIDTHS (1280, 1440, 1920) */
  readonly widths?: readonly number[];
  /** @default 800 */
  readonly height?: number;
}

/**
 * Saves `{folder}/{name}-{width}.png` at each width (height 800 unless told), creating the folder, and puts
 * the viewport back. Returns the paths written.
 */
export async function screenshotWidths(
  page: Page,
  folder: string,
  name: string,
  options: ScreenshotOptions = {},
): Promise<string[]> {
  fs.mkdirSync(folder, { recursive: true });
  const height = options.height ?? 800;
  const paths: string[] = [];
  await eachSize(
    page,
    (options.widths ?? SCREENSHOT_WIDTHS).map((width) => ({ width, height })),
    async ({ width }) => {
      const file = path.join(folder, `${name}-${width}.png`);
      await page.screenshot({ path: file });
      paths.push(file);
    },
  );
  return paths;
}
