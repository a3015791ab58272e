// Clientside callbacks of the map page (callbacks/map_page.py names them):
// they run in the browser on what the page already holds.
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.map = {
  // The map's pixel size, for fitting the view.  Read from the window, not the
  // graph: when this first runs the graph is not laid out yet.  Mirrors the
  // page's CSS (the map column is 8/12 wide from 992 px; its height is
  // min(68vh, 620 px), at least 380 px; the legend is below it).
  size: function (lang) {
    const w = window.innerWidth, h = window.innerHeight;
    const width = (w >= 992 ? (w - 24) * 8 / 12 : w) - 24;
    const height = Math.max(Math.min(0.68 * h, 620), 380);
    return [Math.round(Math.max(width, 280)), Math.round(height)];
  },

  // The URL always says what the page shows: replaceState changes it without a
  // navigation (Dash Pages would otherwise rebuild the page and refetch
  // boundaries).  Returns the link to the same view in the other language.
  address: function (view, selected, theme, period, category, types, measure,
                     classes, lang) {
    const p = new URLSearchParams();
    p.set('unit', view.unit);
    p.set('tree', view.tree || 'legacy');  // codes repeat across the reform
    if (view.groups) { p.set('groups', '1'); }
    if (selected && selected.code) { p.set('sel', selected.code); }
    p.set('theme', theme);
    p.set('period', period);
    if (theme === 'incidents') {
      p.set('cat', category);
      if (types && types.length) { p.set('types', types.join(',')); }
      p.set('measure', measure);
    }
    p.set('classes', classes);
    p.set('lang', lang);
    window.history.replaceState(null, '', window.location.pathname + '?' + p);
    p.set('lang', lang === 'vi' ? 'en' : 'vi');
    return window.location.pathname + '?' + p;
  },

  // The ranking beside the map, built from the values the map already holds.
  ranking: function (figure, lang) {
    const numbers = window.pageNumbers;
    const layer = figure.data[1] || {};
    const meta = (figure.layout || {}).meta || {};
    const names = layer.text || [], custom = layer.customdata || [];
    const classes = layer.z || [];
    const digits = meta.decimals || 0;
    const shown = {minimumFractionDigits: digits, maximumFractionDigits: digits};
    // a suppressed small count arrives as the text "<5": shown, ranked last;
    // a lower bound as "≥ 53" (its abuse part is "<5"): ranked by its number
    const bound = (text) => {
      if (!text.startsWith('≥')) { return null; }
      const number = numbers.parse(text, lang);
      return isNaN(number) ? null : number;
    };
    const rows = names.map((name, i) => {
      const value = custom[i] ? custom[i][0] : null;
      const key = meta.label ? classes[i] :
        (typeof value === 'string' ? bound(value) : value);
      return {name: name, value: value, key: key};
    });
    rows.sort((a, b) => (a.key == null) - (b.key == null) ||
      (b.key - a.key) || a.name.localeCompare(b.name, lang));
    const cell = (text, cls) => ({type: 'Td', namespace: 'dash_html_components',
      props: {children: text, className: cls}});
    return rows.map(r => ({type: 'Tr', namespace: 'dash_html_components',
      props: {children: [
        cell(r.name, ''),
        cell(r.value == null ? (meta.no_data || '') :
             (meta.label || typeof r.value === 'string') ? r.value :
             numbers.format(r.value, lang, shown) + (meta.suffix || ''),
             'text-end'),
      ]}}));
  },

  // The legend under the map, from the colour bar the figure carries (its ticks
  // and title): HTML at body size, wrapping on narrow screens.
  legend: function (figure) {
    const layer = (figure.data || [])[1] || {};
    const bar = layer.colorbar || {};
    const labels = bar.ticktext || [], scale = layer.colorscale || [];
    const html = (type, props) => ({type: type, namespace: 'dash_html_components',
      props: props});
    const items = labels.map((label, i) => html('Li', {children: [
      html('Span', {className: 'legend-swatch',
        style: {backgroundColor: (scale[2 * i] || [0, '#fff'])[1]}}),
      label]}));
    const title = (bar.title || {}).text || '';
    // the measure's glossary entry (layouts.glossary.link_props), in a new tab
    const help = ((figure.layout || {}).meta || {}).help;
    const heading = help ? [title, ' ', html('A', {children: '?', href: help.href,
      target: '_blank', rel: 'noopener', title: help.label,
      'aria-label': help.label, className: 'gloss-help'})] : title;
    return [html('Div', {children: heading, className: 'map-legend-title'}),
            html('Ul', {children: items, className: 'map-legend-items'})];
  },

  // Unit names over the map: HTML labels that follow the map (map_labels.js).
  labels: function (labels, on, figure) {
    return window.mapLabels ? window.mapLabels.draw(labels, on) : null;
  },
};
