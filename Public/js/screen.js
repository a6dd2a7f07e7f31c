// The projection page: one Server-Sent Events connection; the server pushes the ballot's
// state whenever a paper is cast or the ballot closes. No polling, no reloads.
(function () {
  var url = document.body.getAttribute("data-events");
  var source = new EventSource(url);
  var labels = { draft: "等待开始", open: "正在表决", closed: "表决结束" };
  source.onmessage = function (event) {
    var s = JSON.parse(event.data);
    document.getElementById("screen-state").textContent = labels[s.state] || s.state;
    document.getElementById("voted").textContent = s.voted;
    document.getElementById("members").textContent = s.members;
    document.getElementById("needed").textContent = s.yesNeeded;
    // A screen shows only the columns its ballot has (a choice paper: 赞成 and the outcome).
    function put(row, cls, text) { var cell = row.querySelector(cls); if (cell) cell.textContent = text; }
    s.results.forEach(function (r) {
      var row = document.querySelector('tr[data-q="' + r.questionID + '"]');
      if (!row) return;
      put(row, ".yes", r.yes);
      put(row, ".no", r.no);
      put(row, ".abstain", r.abstain);
      put(row, ".nv", r.notVoted);
      var named = s.outcomes && s.outcomes[String(r.questionID)];
      put(row, ".res", named || (r.adopted ? "通过" : "未通过"));
    });
    if (s.seal) {
      document.getElementById("seal").textContent = s.seal;
      document.getElementById("seal-line").hidden = false;
    }
    if (s.state === "closed") source.close();
  };
})();
