// The newsletter box, submitted in place. Without this script the form still works: it posts,
// and the server sends the reader back to the page with the message at the form.
(function () {
  "use strict";

  function show(form, text, status) {
    var message = form.querySelector("[data-newsletter-message]");
    var input = form.querySelector("input[name=email]");
    message.textContent = text;
    message.className = "newsletter-message" + (status ? " is-" + status : "");
    if (status && status !== "subscribed") {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-newsletter-form]") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    show(form, "", "");

    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          show(form, data.message, data.status);
          if (data.rendered) {
            // "Please send the form again": a fresh stamp replaces the refused one.
            form.querySelector("input[name=rendered]").value = data.rendered;
          }
          if (response.ok) {
            form.querySelector("input[name=email]").value = "";
          }
        });
      })
      .catch(function () {
        // Not JSON or no network: fall back to the ordinary post.
        form.submit();
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();
