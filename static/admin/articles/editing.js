// The story form says every minute that it is still open, and shows who else has it open
// (articles/editing.py). Without JavaScript the notice is the one rendered with the page.
(function () {
  "use strict";
  var notice = document.querySelector(".also-editing[data-editing-url]");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!notice || !csrf || !window.fetch) return;
  function ping() {
    fetch(notice.dataset.editingUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf.value },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        notice.hidden = data.others.length === 0;
        notice.textContent = notice.dataset.template.replace("{names}", data.others.join(", "));
      })
      .catch(function () {});
  }
  window.setInterval(ping, 60000);
})();
