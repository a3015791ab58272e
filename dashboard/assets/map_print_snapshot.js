// The browser's own print of the map page (Ctrl+P; the print rules in app.css).
// The map is a WebGL canvas whose picture is dropped once it is on screen (no
// preserved drawing buffer), so a printout would show an empty box.  Before
// printing, each map is redrawn at once and its picture, read in the same
// task while it is still there, is put in an image over the canvas; after
// printing the image goes.
(function () {
  function snapshot(gd) {
    const layout = gd._fullLayout;
    const subplot = layout && layout.map && layout.map._subplot;
    const map = subplot && subplot.map;
    if (!map || typeof map.redraw !== 'function') { return; }
    map.redraw();
    const image = document.createElement('img');
    image.className = 'map-print-snapshot';
    image.alt = '';
    image.src = map.getCanvas().toDataURL('image/png');
    map.getContainer().appendChild(image);
  }
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('.js-plotly-plot').forEach(snapshot);
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('img.map-print-snapshot').forEach(function (image) {
      image.remove();
    });
  });
})();
