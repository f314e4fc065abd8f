// The attachments panel (templates/documents/_panel.html): files dropped on the drop zone go into
// its file input and are uploaded; too large or too many files are refused before sending (the
// server refuses them too, while they stream). The file input stays the keyboard's way in.
(function () {
  "use strict";
  if (window.crmAttachmentsReady) {
    return; // included by more than one panel on the page
  }
  window.crmAttachmentsReady = true;

  function refusal(form, files) {
    var maxBytes = Number(form.dataset.maxBytes);
    var maxFiles = Number(form.dataset.maxFiles);
    if (files.length > maxFiles) {
      return form.dataset.tooMany;
    }
    for (var i = 0; i < files.length; i += 1) {
      if (files[i].size > maxBytes) {
        return form.dataset.tooLarge.replace("{name}", files[i].name);
      }
    }
    return "";
  }

  function show(form, message) {
    var box = form.querySelector(".attachment-client-error");
    if (!box) {
      return;
    }
    box.textContent = message;
    box.hidden = !message;
  }

  function checked(form) {
    var input = form.querySelector("input[type=file]");
    var message = input ? refusal(form, input.files) : "";
    show(form, message);
    return !message;
  }

  function submit(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // Cancel a refused upload, with htmx (before the request) or without (the form's submit).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest(".attachment-upload");
    if (form && !checked(form)) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest(".attachment-upload");
    if (form && !checked(form)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest(".attachment-upload");
    if (form && event.target.type === "file") {
      checked(form);
    }
  });

  function zoneOf(event) {
    return event.target.closest && event.target.closest(".attachment-drop");
  }

  ["dragenter", "dragover"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var zone = zoneOf(event);
      if (zone) {
        event.preventDefault();
        zone.classList.add("attachment-drop-active");
      }
    });
  });
  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) {
      zone.classList.remove("attachment-drop-active");
    }
  });
  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone || !event.dataTransfer || !event.dataTransfer.files.length) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("attachment-drop-active");
    var form = zone.closest(".attachment-upload");
    var input = zone.querySelector("input[type=file]");
    input.files = event.dataTransfer.files;
    if (checked(form)) {
      submit(form);
    }
  });
})();
