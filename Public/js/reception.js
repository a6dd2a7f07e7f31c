// Reception form: reveal one more matter row at a time, and show only the fields the chosen
// outcome needs (the unit for 转办, the reason for 不予受理). Without JavaScript every
// row and field is simply shown.
(function () {
  var form = document.getElementById('reception-form');
  if (!form) return;
  var add = document.getElementById('add-matter');
  function hiddenRows() { return form.querySelectorAll('fieldset.matter[hidden]'); }
  if (hiddenRows().length) add.hidden = false;
  add.addEventListener('click', function () {
    var rows = hiddenRows();
    if (rows.length) { rows[0].hidden = false; rows[0].querySelector('textarea').focus(); }
    if (hiddenRows().length === 0) add.hidden = true;
  });
  function sync(select) {
    var row = select.closest('fieldset.matter');
    row.querySelectorAll('[data-for]').forEach(function (f) { f.hidden = f.getAttribute('data-for') !== select.value; });
  }
  form.querySelectorAll('select.outcome').forEach(function (s) { sync(s); s.addEventListener('change', function () { sync(s); }); });
})();
