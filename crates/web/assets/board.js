// Keeps the bank office's board live. It subscribes to `shiftChanges` for the board's trust over
// the graphql-ws protocol at /graphql/ws (signed in by the page's session) and, when a shift
// changes, reads this page again and swaps in the grid cell and the list day that the change
// touched. Without this script the board is the same on a refresh.
const board = document.querySelector('[data-board]');
const live = document.getElementById('board-live');
const trustId = board?.dataset.trust;

const SUBSCRIPTION =
  'subscription Board($trustId: UUID!) { shiftChanges(trustId: $trustId) { wardId day change } }';

let pending = new Map();
let timer = null;
let retry = 1000;
let connectedBefore = false;

function say(text) {
  if (!live) return;
  live.hidden = false;
  live.textContent = text;
}

/** Reads the board again and replaces what the changes touched. */
async function redraw() {
  timer = null;
  const changes = [...pending.values()];
  pending = new Map();
  const response = await fetch(window.location.href, {
    credentials: 'same-origin',
    headers: { accept: 'text/html' },
  });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
  const touched = [];
  for (const { wardId, day } of changes) {
    for (const id of [`cell-${wardId}-${day}`, `list-${day}`]) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next && now.innerHTML !== next.innerHTML) {
        now.innerHTML = next.innerHTML;
        now.classList.remove('app-board-changed');
        // Restart the highlight.
        void now.offsetWidth;
        now.classList.add('app-board-changed');
        if (id.startsWith('cell-')) touched.push(now);
      }
    }
  }
  if (touched.length > 0) {
    const stamp = new Date().toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit' });
    say(`Live: the board changed at ${stamp}.`);
  }
}

function changed(change) {
  pending.set(`${change.wardId}|${change.day}`, change);
  if (timer === null) timer = setTimeout(() => { redraw().catch(() => {}); }, 250);
}

function connect() {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${window.location.host}/graphql/ws`, 'graphql-transport-ws');
  socket.addEventListener('open', () => {
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'connection_ack') {
      retry = 1000;
      if (connectedBefore) {
        // Changes made while the connection was down were missed: redraw every cell.
        for (const cell of document.querySelectorAll('[id^="cell-"]')) {
          const m = cell.id.match(/^cell-(.+)-(\d{4}-\d{2}-\d{2})$/);
          if (m) pending.set(`${m[1]}|${m[2]}`, { wardId: m[1], day: m[2] });
        }
        if (timer === null) timer = setTimeout(() => { redraw().catch(() => {}); }, 250);
      }
      connectedBefore = true;
      socket.send(JSON.stringify({
        id: 'board',
        type: 'subscribe',
        payload: { query: SUBSCRIPTION, variables: { trustId } },
      }));
      say('Live: the board updates as shifts are booked or cancelled.');
      board.dataset.live = 'on';
    } else if (message.type === 'next' && message.payload?.data?.shiftChanges) {
      changed(message.payload.data.shiftChanges);
    } else if (message.type === 'ping') {
      socket.send(JSON.stringify({ type: 'pong' }));
    } else if (message.type === 'error') {
      say('Live updates are off: refresh the page to see changes.');
    }
  });
  socket.addEventListener('close', () => {
    board.dataset.live = 'off';
    say('Live updates paused: reconnecting.');
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 30000);
  });
}

if (board && trustId && 'WebSocket' in window) connect();
