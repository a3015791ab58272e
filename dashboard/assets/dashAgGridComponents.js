// Cell renderers of the tables page's grid (dash-ag-grid looks them up here).
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
  window.dashAgGridComponentFunctions || {});

// An indicator's name and a "?" opening its glossary entry in a new tab
// (layouts.tables_page.glossary_cell: the row field holding the entry's key, the
// page's address, the label with "{name}", the keys that have an entry).
dagcomponentfuncs.GlossaryLink = function (props) {
  var e = React.createElement;
  var name = props.value === null || props.value === undefined ? "" : String(props.value);
  var key = props.data ? props.data[props.field] : null;
  if (!key || (props.keys || []).indexOf(key) < 0) {
    return name;
  }
  var label = String(props.label || "").replace("{name}", name);
  // the name shrinks (ellipsis) and the "?" stays visible beside it
  return e("span", {className: "gloss-cell", title: name},
    e("span", {className: "gloss-cell-name"}, name), e("a", {
    href: props.href + encodeURIComponent(key),
    target: "_blank",
    rel: "noopener",
    title: label,
    "aria-label": label,
    className: "gloss-help",
  }, "?"));
};
