// The presentation view (/present): one slide at a time; the arrow keys,
// PageUp/PageDown (what a presentation clicker sends), Space, Home and End move
// between slides, F toggles full screen.  Nothing is fetched: every slide is on
// the page already.
(function () {
  function slides() {
    return Array.from(document.querySelectorAll('#present-slides > .slide'));
  }
  function current(all) {
    const i = all.findIndex(s => s.classList.contains('active'));
    return i < 0 ? 0 : i;
  }
  function show(index) {
    const all = slides();
    if (!all.length) return;
    const next = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((s, i) => s.classList.toggle('active', i === next));
    const counter = document.getElementById('present-counter');
    if (counter) counter.textContent = (next + 1) + '/' + all.length;
    // a graph drawn while hidden has no size: let Plotly measure it again
    window.dispatchEvent(new Event('resize'));
  }
  window.presentShow = show;
  document.addEventListener('keydown', function (event) {
    if (!document.getElementById('present-slides')) return;
    const tag = (event.target && event.target.tagName) || '';
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    const all = slides();
    const at = current(all);
    const moves = {
      ArrowRight: at + 1, ArrowDown: at + 1, PageDown: at + 1, ' ': at + 1,
      ArrowLeft: at - 1, ArrowUp: at - 1, PageUp: at - 1,
      Home: 0, End: all.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      show(moves[event.key]);
    } else if (event.key === 'f' || event.key === 'F') {
      const root = document.getElementById('present');
      if (document.fullscreenElement) document.exitFullscreen();
      else if (root && root.requestFullscreen) root.requestFullscreen();
    }
  });
  document.addEventListener('click', function (event) {
    const button = event.target.closest && event.target.closest('#present-prev, #present-next');
    if (!button) return;
    const at = current(slides());
    show(button.id === 'present-next' ? at + 1 : at - 1);
  });
})();

// Clientside callbacks of the presentation view (callbacks/present_page.py).
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.present = {
  // Another quarter: the same page for it (the address says which, and the tree
  // of its province: across 1 July 2025 the province becomes its counterpart).
  quarter: function (quarter, params) {
    if (!quarter || !params) { return window.dash_clientside.no_update; }
    const wanted = '/present?quarter=' + encodeURIComponent(quarter)
      + '&province=' + encodeURIComponent(params.province)
      + '&tree=' + encodeURIComponent(params.tree || '')
      + '&lang=' + encodeURIComponent(params.lang);
    const here = new URLSearchParams(window.location.search).get('quarter');
    if (here !== quarter && !(here === null && quarter === params.first)) {
      window.location.assign(wanted);
    }
    return window.dash_clientside.no_update;
  },
};
