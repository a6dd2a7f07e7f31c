// A choice paper (差额票决): show how many candidates are marked, so a deputy sees the limit
// before submitting. The server still refuses more than the places, with the message.
(function () {
  var boxes = document.querySelectorAll('#vote .mark'), shown = document.getElementById('chosen');
  if (!shown) return;
  function update() { var n = 0; boxes.forEach(function (b) { if (b.checked) n++; }); shown.textContent = n; }
  boxes.forEach(function (b) { b.addEventListener('change', update); });
  update();
})();
