// The script of Milestone Studio's webviews. The extension renders the HTML (from src/core/progress);
// this script shows it, makes the pictures keyboard-operable (Tab to a period, Enter or Space to
// act, arrow keys to move), sends the user's actions to the extension, and reports what it shows
// ('rendered', read from the DOM) so tests can assert the content.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('root'));
  const ACTIONABLE = '[data-period-id],[data-index],[data-action]';

  /** @param {Element} el */
  function activate(el) {
    const h = /** @type {HTMLElement} */ (el);
    if (h.dataset.action) vscode.postMessage({ type: h.dataset.action, value: h.dataset.value });
    else if (h.dataset.periodId) vscode.postMessage({ type: 'selectPeriod', targetRuleId: Number(h.closest('[data-target]')?.getAttribute('data-target')), periodId: Number(h.dataset.periodId) });
    else if (h.dataset.index) vscode.postMessage({ type: 'reveal', index: Number(h.dataset.index) });
  }

  // A legend's keys (svg.key) draw shapes with the pictures' classes: they are not part of a picture.
  const count = (/** @type {string} */ sel) => Array.from(root.querySelectorAll(sel)).filter((e) => !e.closest('svg.key')).length;
  function summary() {
    return {
      kind: document.body.dataset.kind,
      heading: root.querySelector('h1')?.textContent ?? '',
      titles: Array.from(root.querySelectorAll('h2')).map((h) => h.textContent ?? ''),
      periods: count('.period'),
      achieved: count('.period.achieved'),
      current: count('.period.current'),
      selected: count('.period.selected'),
      cells: count('.cell'),
      gaps: count('rect.gap'),
      overlaps: count('rect.overlap'),
      today: count('line.today') > 0,
      values: count('text.dv'),
      events: count('table.events tbody tr'),
      // The legend's entries and the states the pictures draw (`bar-missed`, `box-past`): each drawn one must have an entry.
      legend: Array.from(root.querySelectorAll('[data-legend]')).map((e) => /** @type {HTMLElement} */ (e).dataset.legend ?? ''),
      drawn: Array.from(
        new Set(
          Array.from(root.querySelectorAll('svg.picture rect.bar, svg.picture rect.cell, svg.picture rect.box')).map((e) => {
            const c = Array.from(e.classList);
            return `${c[0] === 'cell' ? 'bar' : c[0]}-${c[1] ?? ''}`;
          }),
        ),
      ),
      notices: Array.from(root.querySelectorAll('.notice,.error')).map((n) => n.textContent ?? ''),
      text: (root.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 4000),
    };
  }

  document.addEventListener('click', (e) => {
    const el = /** @type {Element} */ (e.target).closest(ACTIONABLE);
    if (el) activate(el);
  });
  document.addEventListener('keydown', (e) => {
    const el = /** @type {Element} */ (e.target);
    if (!(el instanceof Element) || !el.matches('[data-period-id],[data-index]')) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate(el);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const all = Array.from((el.closest('svg') ?? root).querySelectorAll('[data-period-id],[data-index]'));
      const next = all[all.indexOf(el) + (e.key === 'ArrowRight' ? 1 : -1)];
      if (next) {
        e.preventDefault();
        /** @type {SVGElement} */ (next).focus();
      }
    }
  });

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'render' && typeof m.html === 'string') {
      // Keep the keyboard focus on the same period across re-renders.
      const focused = document.activeElement;
      const key = focused instanceof Element ? focused.getAttribute('data-key') : null;
      root.innerHTML = m.html;
      if (key) /** @type {HTMLElement | null} */ (root.querySelector(`[data-key="${CSS.escape(key)}"]`))?.focus();
      vscode.postMessage({ type: 'rendered', summary: summary() });
    } else if (m.type === 'activate' && typeof m.selector === 'string') {
      // Tests: act on an element as a click would.
      const el = root.querySelector(m.selector);
      if (el) activate(el);
      vscode.postMessage({ type: 'activated', found: el !== null });
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
