// Clientside callbacks of the tables page (callbacks/tables_page.py names them).
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.tables = {
  // The address bar follows the filters: replaceState changes it without a
  // navigation (Dash Pages would otherwise rebuild the page); returns the link to
  // the same rows in the other language.
  address: function (search) {
    if (!search) { return window.dash_clientside.no_update; }
    if (window.location.search !== search) {
      window.history.replaceState(null, '', window.location.pathname + search);
    }
    const p = new URLSearchParams(search);
    p.set('lang', p.get('lang') === 'en' ? 'vi' : 'en');
    return window.location.pathname + '?' + p;
  },
};
