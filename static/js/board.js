// The pipeline board: drag a card to another column (SortableJS) or use its "Move to" form; both
// post the same htmx form, whose answer is the card as the server now sees it. A card whose
// column changed is moved there and the counts follow; a refused move puts the card back.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  var dialog = document.getElementById("lost-dialog");

  function list(key) {
    return board.querySelector('[data-column-list="' + key + '"]');
  }

  function bump(key, delta) {
    var badge = board.querySelector('[data-count="' + key + '"]');
    if (badge) {
      badge.textContent = String(Number(badge.textContent) + delta);
    }
  }

  // Every card sits in the column its data-column names (a drop the server refused goes back).
  function reconcile() {
    board.querySelectorAll(".board-card").forEach(function (card) {
      var from = card.dataset.movedFrom;
      if (from) {
        bump(from, -1);
        bump(card.dataset.column, 1);
        card.dataset.movedFrom = "";
      }
      if (card.parentElement.dataset.columnList !== card.dataset.column) {
        var target = list(card.dataset.column);
        if (target) {
          target.prepend(card);
        } else {
          card.remove();
        }
      }
    });
  }

  function askReason(done, cancelled) {
    var select = dialog.querySelector("select");
    select.value = "";
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "ok" && select.value) {
        done(select.value);
      } else {
        cancelled();
      }
    };
    dialog.showModal();
    select.focus();
  }

  // Won asks for confirmation (开发成功 creates the customer); lost asks for the reason.
  board.addEventListener("htmx:confirm", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("board-move")) {
      return;
    }
    var to = form.elements.to.value;
    if (to === "won") {
      event.preventDefault();
      if (window.confirm(board.dataset.confirmWon)) {
        form.elements.confirm.value = "1";
        event.detail.issueRequest(true);
      } else {
        reconcile();
      }
    } else if (to === "lost") {
      event.preventDefault();
      askReason(function (reason) {
        form.elements.reason.value = reason;
        event.detail.issueRequest(true);
      }, reconcile);
    }
  });

  board.addEventListener("htmx:afterSettle", function (event) {
    reconcile();
    var card = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest(".board-card");
    var select = card && card.querySelector("select[name=to]");
    if (select && event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
      select.focus();
    }
  });

  board.addEventListener("htmx:responseError", reconcile);
  board.addEventListener("htmx:sendError", reconcile);

  board.querySelectorAll("[data-column-list]").forEach(function (column) {
    window.Sortable.create(column, {
      group: { name: "board", pull: true, put: column.dataset.accept === "1" },
      draggable: ".board-card[data-movable]",
      sort: false,
      forceFallback: true,
      onEnd: function (event) {
        if (event.from === event.to) {
          return;
        }
        var form = event.item.querySelector("form.board-move");
        var key = event.to.dataset.columnList;
        var option = form && form.querySelector('option[value="' + key + '"]');
        if (!option) {
          reconcile();
          return;
        }
        form.elements.to.value = key;
        window.htmx.trigger(form, "submit");
      },
    });
  });
})();
