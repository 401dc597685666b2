// The booking journey with the keyboard alone: Tab and Shift+Tab to each link and button, Enter
// to follow it. At every step the focused element is the one expected, and it shows a visible
// focus (the NHS yellow, or an outline or shadow that is not there without focus).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { look, newPage, launch, signIn } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** What the focused element is, and how it looks focused and not. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = (e) => {
      const s = getComputedStyle(e);
      return {
        background: s.backgroundColor,
        outline: s.outlineStyle === 'none' ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
        shadow: s.boxShadow,
      };
    };
    const on = style(el);
    // The same element unfocused, for comparison; focus goes straight back.
    el.blur();
    const off = style(el);
    el.focus();
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.innerText || el.value || '').trim().replace(/\s+/g, ' '),
      card: el.closest('.nhsuk-card')?.innerText ?? '',
      on,
      off,
    };
  });
}

function assertVisibleFocus(f, what) {
  const yellow = f.on.background === 'rgb(255, 235, 59)' || f.on.shadow.includes('rgb(255, 235, 59)');
  const changed = f.on.background !== f.off.background || f.on.outline !== f.off.outline
    || f.on.shadow !== f.off.shadow;
  assert.ok(yellow || changed, `${what} shows no visible focus: ${JSON.stringify(f)}`);
  assert.ok(changed, `${what} looks the same focused and not: ${JSON.stringify(f)}`);
}

/** Presses Tab (or Shift+Tab) until the focused element's text matches, at most `max` times. */
async function tabTo(page, text, { back = false, tag = undefined, card = undefined, max = 80 } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && (typeof text === 'string' ? f.text === text : text.test(f.text))
      && (!tag || f.tag === tag) && (!card || card.test(f.card))) {
      assertVisibleFocus(f, `"${f.text}"`);
      return f;
    }
  }
  throw new Error(`Tab never reached ${text}`);
}

async function enter(page) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

test('a worker books a shift and sees it in their bookings by keyboard alone', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker');

  // The menu's "Find shifts".
  await tabTo(page, 'Find shifts', { tag: 'a' });
  await enter(page);
  assert.match(page.url(), /\/worker\/shifts$/);

  // The first shift in the list (after the filters' summary, which Tab passes).
  await tabTo(page, 'Filter shifts');
  const first = await tabTo(page, /^\w+day \d+ \w+ \d{4}, /, { tag: 'a' });
  await enter(page);
  assert.match(page.url(), /\/worker\/shifts\/[0-9a-f-]+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), first.text);

  // "Book this shift", then back one step with Shift+Tab and forward again.
  await tabTo(page, 'Book this shift', { tag: 'a' });
  await tabTo(page, 'Back to find shifts', { tag: 'a' });
  await tabTo(page, 'Book this shift', { back: true, tag: 'a' });
  await enter(page);
  await page.getByRole('heading', { level: 1, name: 'Check the shift before you book' }).waitFor();

  await tabTo(page, 'Confirm booking', { tag: 'button' });
  await enter(page);
  await page.getByRole('heading', { level: 1, name: 'Shift booked' }).waitFor();
  await look(page, 'keyboard-booked');

  await tabTo(page, 'View my bookings', { tag: 'a' });
  await enter(page);
  await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor();
  // The booking just made (a shift can also carry an earlier, cancelled booking).
  const card = await tabTo(page, first.text, { tag: 'a', card: /\bBooked\b/ });
  await enter(page);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), card.text);
  assert.match(await page.locator('main').innerText(), /Booked/);

  // Cancel: the link, then the reason typed, Continue, and the warning button.
  await tabTo(page, 'Cancel this booking', { tag: 'a' });
  await enter(page);
  await tabTo(page, '', { tag: 'textarea' });
  await page.keyboard.type('My childcare fell through.');
  await tabTo(page, 'Continue', { tag: 'button' });
  await enter(page);
  await tabTo(page, 'Yes, cancel this booking', { tag: 'button' });
  await enter(page);
  await page.getByRole('heading', { level: 1, name: 'Booking cancelled' }).waitFor();
  await look(page, 'keyboard-cancelled');
  await page.context().close();
});
