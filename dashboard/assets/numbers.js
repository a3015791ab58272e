// Numbers as the pages write them, Vietnamese "1.234,5" and English "1,234.5"
// (the same as layouts/formatting.py on the server).  Used by the tables' cell
// formatters (dashAgGridFunctions.js) and the map's ranking (map_page.js).
(function () {
  'use strict';
  var numbers = (window.pageNumbers = window.pageNumbers || {});

  // ``value`` in the language's format; ``options`` as Intl.NumberFormat's
  // (e.g. {maximumFractionDigits: 2}).
  numbers.format = function (value, lang, options) {
    return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', options)
      .format(Number(value));
  };

  // The number in a text the server formatted ("≥ 1.234,5" in Vietnamese,
  // "≥ 1,234.5" in English): NaN when there is none.
  numbers.parse = function (text, lang) {
    var plain = lang === 'vi' ?
      text.replace(/[^0-9,]/g, '').replace(',', '.') :
      text.replace(/[^0-9.]/g, '');
    return parseFloat(plain);
  };
})();
