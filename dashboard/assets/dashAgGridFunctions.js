// Cell formatters of the tables page (dash-ag-grid looks functions up here).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// A number in the language's format (numbers.js); a suppressed abuse count shows
// as "<5".
dagfuncs.tableNumber = function (params, lang, suffix) {
  if (params.value === null || params.value === undefined || params.value === "") {
    return params.data && params.data.suppressed ? "<5" : "";
  }
  return window.pageNumbers.format(params.value, lang, { maximumFractionDigits: 2 }) + suffix;
};

// ISO text (2024-05-01, 2024-05-01T08:09:04) as dd/mm/yyyy, mm/yyyy or with time.
dagfuncs.tableDate = function (value, unit) {
  if (!value) {
    return "";
  }
  var d = value.slice(8, 10), m = value.slice(5, 7), y = value.slice(0, 4);
  if (unit === "month") {
    return m + "/" + y;
  }
  if (unit === "minute") {
    return d + "/" + m + "/" + y + " " + value.slice(11, 16);
  }
  return d + "/" + m + "/" + y;
};
