/* Unit names over the map, as HTML labels that follow the map's moves.
 *
 * MapLibre draws text only with glyph files fetched from a URL; an offline map has
 * none, so the names are HTML elements placed with map.project() on every move.
 * Larger units are labelled first; a label that would overlap one already placed
 * is left out (zoom in to see it).
 */
(function () {
  'use strict';
  var state = {labels: null, on: false};

  function subplot() {
    var gd = document.querySelector('#map .js-plotly-plot');
    var layout = gd && gd._fullLayout;
    var map = layout && layout.map && layout.map._subplot && layout.map._subplot.map;
    return map || null;
  }

  function layer(map) {
    var box = map.getContainer().querySelector('.map-names');
    if (!box) {
      box = document.createElement('div');
      box.className = 'map-names';
      box.setAttribute('aria-hidden', 'true');
      map.getContainer().appendChild(box);
    }
    return box;
  }

  function place(map) {
    var box = layer(map);
    var data = state.labels;
    box.textContent = '';
    if (!state.on || !data || !data.points) { return; }
    var canvas = map.getCanvas();
    var width = canvas.clientWidth, height = canvas.clientHeight;
    var taken = [];
    data.points.forEach(function (point, i) {
      if (!point) { return; }
      var p = map.project(point);
      if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) { return; }
      var el = document.createElement('span');
      el.className = 'map-name';
      el.textContent = data.names[i];
      box.appendChild(el);
      var w = el.offsetWidth, h = el.offsetHeight;
      var rect = {l: p.x - w / 2, r: p.x + w / 2, t: p.y - h / 2, b: p.y + h / 2};
      var clash = rect.l < 0 || rect.r > width || taken.some(function (o) {
        return rect.l < o.r && rect.r > o.l && rect.t < o.b && rect.b > o.t;
      });
      if (clash) { box.removeChild(el); return; }
      taken.push(rect);
      el.style.left = rect.l + 'px';
      el.style.top = rect.t + 'px';
    });
  }

  function hook(map) {
    if (map.__namesHooked) { return; }
    map.__namesHooked = true;
    var queued = false;
    map.on('move', function () {
      if (queued) { return; }
      queued = true;
      window.requestAnimationFrame(function () { queued = false; place(map); });
    });
    map.on('resize', function () { place(map); });
  }

  function draw(labels, on, tries) {
    if (labels) { state.labels = labels; }
    state.on = !!on;
    var map = subplot();
    if (!map) {  // not drawn yet: try again shortly
      if ((tries || 0) < 40) {
        window.setTimeout(function () { draw(null, state.on, (tries || 0) + 1); }, 250);
      }
      return null;
    }
    hook(map);
    place(map);
    return null;
  }

  window.mapLabels = {draw: draw};
})();
