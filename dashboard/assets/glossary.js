// The glossary page (/chi-so) is drawn after the page has loaded, so the browser
// cannot scroll to the entry the address names (#fund_pct) by itself: once the
// entry exists, scroll to it and highlight it.
(function () {
  var done = '';
  function show() {
    var key = decodeURIComponent(window.location.hash.slice(1));
    if (window.location.pathname !== '/chi-so' || !key || key === done) {
      return;
    }
    var entry = document.getElementById(key);
    if (!entry || !entry.classList.contains('gloss-entry')) {
      return;
    }
    done = key;
    document.querySelectorAll('.gloss-target').forEach(function (el) {
      el.classList.remove('gloss-target');
    });
    entry.classList.add('gloss-target');
    entry.scrollIntoView();
  }
  new MutationObserver(show).observe(document.documentElement,
    {childList: true, subtree: true});
  window.addEventListener('hashchange', function () { done = ''; show(); });
})();
