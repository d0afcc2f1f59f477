// The console's pages, in the navigation's order: each is a module under pages/ (listed in files.list too) whose
// mount(container, context) draws the page and returns a function that stops it (streams, timers).
// context: { api, caller } where caller is GET /v1/caller ({ name, role }); a page shows its changes only to admin.
export const pages = [
  { id: 'live', title: 'Live', load: () => import('./pages/live.js') },
  { id: 'analysis', title: 'Analysis', load: () => import('./pages/analysis.js') },
  { id: 'control', title: 'Control', load: () => import('./pages/control.js') },
];
