// app.js — the console's shell: hash routing between the six pages, the
// admin-token sign-in, the gateway status in the rail, and the timers that
// keep a page live. Each page module exports {title, subtitle, render(page)};
// render builds the page into page.main and may ask for periodic refreshes
// with page.every(ms, fn), which stop when the operator leaves the page.
import { AuthRequired, adminToken, setAdminToken, internal, health } from './api.js';
import { toast } from './ui.js';
import dashboard from './page_dashboard.js';
import playground from './page_playground.js';
import replay from './page_replay.js';
import limits from './page_limits.js';
import dlq from './page_dlq.js';
import docs from './page_docs.js';

const PAGES = { dashboard, playground, replay, limits, dlq, docs };

let current = null;  // {timers, alive} of the page on screen

// What a page is given: where to draw, and helpers bound to its lifetime.
function pageContext(main, actions) {
  const state = { timers: [], alive: true };
  const page = {
    main,
    actions,
    get alive() { return state.alive; },
    // Runs fn now and every `ms` while the page is on screen; a run that
    // fails with AuthRequired asks for the token, others are shown once.
    every(ms, fn) {
      let shownError = false;
      const tick = async () => {
        if (!state.alive) return;
        try {
          await fn();
          shownError = false;
        } catch (e) {
          if (e instanceof AuthRequired) return askForToken(e.message);
          if (!shownError) toast(e.message, { error: true });
          shownError = true;
        }
      };
      tick();
      state.timers.push(setInterval(tick, ms));
    },
    // Runs fn, reporting failures like every() does.
    async guard(fn) {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof AuthRequired) askForToken(e.message);
        else toast(e.message, { error: true });
        return undefined;
      }
    },
  };
  return { page, state };
}

async function show() {
  const name = (location.hash.match(/^#\/(\w+)/) || [])[1] || 'dashboard';
  const module = PAGES[name] || dashboard;
  if (current) {
    current.alive = false;
    current.timers.forEach(clearInterval);
  }
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.page === name);
  }
  document.getElementById('page-title').textContent = module.title;
  document.getElementById('page-subtitle').textContent = module.subtitle;
  document.title = `${module.title} · MCC-IG console`;
  const main = document.getElementById('page');
  const actions = document.getElementById('page-actions');
  main.replaceChildren();
  actions.replaceChildren();
  main.dataset.page = name;
  const { page, state } = pageContext(main, actions);
  current = state;
  await page.guard(() => module.render(page));
  main.dataset.ready = 'true';
}

function askForToken(message) {
  const dialog = document.getElementById('sign-in');
  if (dialog.open) return;
  const error = document.getElementById('sign-in-error');
  error.hidden = !adminToken();
  error.textContent = adminToken() ? message : '';
  document.getElementById('sign-in-token').value = '';
  dialog.showModal();
}

async function refreshStatus() {
  const pill = document.getElementById('gateway-status');
  try {
    const answer = await health();
    const ok = answer.json?.status === 'ok';
    pill.dataset.state = ok ? 'ok' : 'degraded';
    const failing = Object.entries(answer.json?.checks || {}).filter(([, c]) => !c.ok).map(([k]) => k);
    pill.textContent = ok ? `ready · v${answer.json.summary?.version || '?'}` : `degraded: ${failing.join(', ')}`;
    pill.title = JSON.stringify(answer.json?.checks || {}, null, 1);
    const dlqCount = document.getElementById('nav-dlq-count');
    const size = answer.json?.summary?.dlq_size || 0;
    dlqCount.hidden = size === 0;
    dlqCount.textContent = String(size);
  } catch {
    pill.dataset.state = 'degraded';
    pill.textContent = 'gateway unreachable';
  }
}

function start() {
  document.getElementById('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = document.getElementById('sign-in-token').value.trim();
    setAdminToken(token);
    try {
      await internal('stats?window_seconds=10&step_seconds=10');
      document.getElementById('sign-in').close();
      document.getElementById('sign-out').hidden = false;
      show();
    } catch (e) {
      const error = document.getElementById('sign-in-error');
      error.hidden = false;
      error.textContent = e.message;
    }
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    setAdminToken('');
    location.reload();
  });
  document.getElementById('sign-out').hidden = !adminToken();
  window.addEventListener('hashchange', show);
  refreshStatus();
  setInterval(refreshStatus, 5000);
  show();
}

start();
