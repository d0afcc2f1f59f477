// The console's shell: sign-in with a bearer token, the navigation, and one page at a time (by the URL's hash).
import * as api from './api.js';
import { pages } from './pages.js';
import { el, hideFrame, shown, showCaller, showNavigation } from './layout.js';

const signIn = document.getElementById('sign-in');
const form = document.getElementById('sign-in-form');
const tokenInput = document.getElementById('token');
const signInError = document.getElementById('sign-in-error');
const pageRoot = document.getElementById('page');
let caller = null;
let stopPage = null;
/** Counts the pages stopped: a route whose page module loads after another route or a sign-out mounts nothing. */
let routes = 0;

function stopCurrent() {
  routes += 1;
  if (stopPage) stopPage();
  stopPage = null;
  pageRoot.replaceChildren();
}

function showSignIn(message) {
  stopCurrent();
  caller = null;
  hideFrame();
  signIn.hidden = false;
  signInError.textContent = shown(message || '');
  document.title = 'Sign in · CSP edge node console';
  tokenInput.focus();
}

/** Who the token belongs to; null (and the sign-in shown with why) when the node refuses it. */
async function whoAmI() {
  try {
    return await api.get('/v1/caller');
  } catch (e) {
    api.forgetToken();
    const why = e instanceof api.ApiError && e.status === 401
      ? 'The node did not accept this token.'
      : `The node could not be asked: ${e.message}`;
    showSignIn(why);
    return null;
  }
}

async function route() {
  if (!caller) return;
  const id = (location.hash.match(/^#\/([a-z-]+)/) || [])[1];
  const page = pages.find((p) => p.id === id) || pages[0];
  if (page.id !== id) {
    history.replaceState(null, '', `#/${page.id}`);
  }
  stopCurrent();
  const route = routes;
  showNavigation(pages, page.id);
  document.title = `${page.title} · CSP edge node console`;
  const module = await page.load();
  if (route !== routes || !caller) return; // overtaken while the module loaded: its page would run unseen
  const container = el('div', { class: 'page', id: `page-${page.id}` });
  pageRoot.replaceChildren(container);
  stopPage = module.mount(container, { api, caller, signedOut: () => showSignIn('The node no longer accepts this token.') });
}

async function start() {
  if (!api.token()) {
    showSignIn();
    return;
  }
  caller = await whoAmI();
  if (!caller) return;
  signIn.hidden = true;
  showCaller(caller);
  await route();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = tokenInput.value.trim();
  if (!value) return;
  api.keepToken(value);
  tokenInput.value = '';
  await start();
  if (caller) document.getElementById('main').focus();
});

document.getElementById('sign-out').addEventListener('click', () => {
  api.forgetToken();
  showSignIn('Signed out.');
});

window.addEventListener('hashchange', () => {
  route();
});

start();
