// The frame every page shares: the navigation, the caller's name and role, and small builders of DOM elements
// (text only, never HTML from data: a hub id that reached a page can never become markup).

// Bidirectional controls (U+202E reverses what follows it) in data such as a model name or a comment would reorder
// the console's own words around them: they are shown as their code points, never applied. The console's own text
// has none.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text as the console shows it: bidirectional controls written out. */
export function shown(text) {
  return String(text).replace(BIDI_CONTROLS, (c) => `<U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : shown(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(shown(c)));
  }
  return e;
}

/** A titled panel of a page. */
export function panel(id, title, ...children) {
  const heading = el('h2', { id: `${id}-title` }, title);
  return el('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, heading, ...children);
}

/** A panel's content replaced, its heading kept; absent children (null, undefined) and nested lists allowed. */
export function refill(section, ...children) {
  section.replaceChildren(section.firstChild, ...children.flat().filter((c) => c !== null && c !== undefined));
}

/** A table with a caption for screen readers; rows are arrays of cells (strings or nodes). */
export function table(caption, columns, rows, empty) {
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.title)));
  const body = rows.length
    ? rows.map((r) => el('tr', {}, r.map((cell, i) => el('td', { class: columns[i].numeric ? 'num' : null }, cell))))
    : [el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, empty))];
  return el('div', { class: 'table-wrap' },
    el('table', {}, el('caption', { class: 'visually-hidden' }, caption), el('thead', {}, head), el('tbody', {}, body)));
}

/** The navigation: one link per page, the current one marked. */
export function showNavigation(pages, current) {
  const nav = document.getElementById('nav');
  nav.replaceChildren(el('ul', {}, pages.map((p) => el('li', {},
    el('a', { href: `#/${p.id}`, id: `nav-${p.id}`, 'aria-current': p.id === current ? 'page' : null }, p.title)))));
  nav.hidden = false;
}

export function showCaller(caller) {
  document.getElementById('who-name').textContent = shown(caller.name);
  const role = document.getElementById('who-role');
  role.textContent = caller.role;
  role.title = caller.role === 'admin' ? 'reads and changes the node' : 'reads only';
  document.getElementById('who').hidden = false;
}

export function hideFrame() {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
}
