// 'Tải bản đồ' (layouts/map_page.py print_menu): a printed-map link carries the
// view the page shows, which its address always says (map_page.js address),
// and whether unit names are on.
document.addEventListener('click', function (event) {
  const link = event.target.closest('a.map-print-link');
  if (!link) { return; }
  const url = new URL(link.getAttribute('href'), window.location.href);
  const view = new URLSearchParams(window.location.search);
  view.forEach(function (value, key) { url.searchParams.set(key, value); });
  const names = document.querySelector('#map-labels-on');
  url.searchParams.set('labels', names && names.checked ? '1' : '0');
  link.setAttribute('href', url.pathname + url.search);
}, true);
