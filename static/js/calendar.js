// The calendar page (templates/reports/calendar.html): FullCalendar over the agenda's JSON feed
// (reports.calendar_views.CalendarEventsView). Dragging a task posts its new start to
// tasks:move, which applies the same rules as editing; a refusal puts the task back and says why.
(function () {
  "use strict";
  var element = document.getElementById("calendar");
  var configTag = document.getElementById("calendar-config");
  if (!element || !configTag || !window.FullCalendar) {
    return;
  }
  var config = JSON.parse(configTag.textContent);
  var errorBox = document.getElementById("calendar-error");
  var language = (document.documentElement.lang || "en").toLowerCase();
  var locale = language.indexOf("zh") === 0 ? "zh-cn" : "en";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.classList.toggle("d-none", !text);
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // The local wall time of a date with its offset, e.g. 2026-12-03T10:00:00+08:00.
  function isoWithOffset(date, allDay) {
    var day = date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
    if (allDay) {
      return day;
    }
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return day + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":00" + sign +
      pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  // The feed sends tasks as a compact table (reports.agenda._task_rows: a busy month holds
  // thousands) and the plan items and visits as events; this makes events of the rows.
  function expand(feed) {
    var tasks = feed.tasks;
    document.getElementById("calendar-truncated").classList.toggle("d-none", !tasks.truncated);
    var kind = { kind: "task" };
    return tasks.rows
      .map(function (row) {
        return {
          id: "task-" + row[0],
          title: row[1],
          start: row[2],
          allDay: row[3],
          editable: row[4],
          classNames: tasks.classes[row[5]],
          url: tasks.url + row[0] + "/",
          extendedProps: kind,
        };
      })
      .concat(feed.events);
  }

  function move(info) {
    var pk = info.event.id.replace("task-", "");
    var body = new URLSearchParams();
    body.set("start", isoWithOffset(info.event.start, info.event.allDay));
    body.set("all_day", info.event.allDay ? "1" : "0");
    fetch(config.moveUrl.replace("/0/", "/" + pk + "/"), {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data.error || response.statusText);
          }
          showError("");
          element.dataset.lastMove = info.event.id + "@" + data.start;
        });
      })
      .catch(function (error) {
        info.revert();
        showError(error.message);
      });
  }

  // The toolbar's arrow icons are decoration inside buttons that carry the label: hide them from
  // assistive technology (FullCalendar marks them role="img" without a name).
  function hideIcons() {
    element.querySelectorAll(".fc-icon[role=img]").forEach(function (icon) {
      icon.removeAttribute("role");
      icon.setAttribute("aria-hidden", "true");
    });
  }

  var calendar = new window.FullCalendar.Calendar(element, {
    plugins: window.FullCalendar.plugins,
    locales: window.FullCalendar.locales,
    locale: locale,
    timeZone: "local",
    firstDay: 1,
    initialView: config.initialView,
    initialDate: config.initialDate || undefined,
    headerToolbar: {
      left: "prev,next today",
      center: "title",
      right: "dayGridMonth,timeGridWeek,timeGridDay",
    },
    height: "auto",
    nowIndicator: true,
    dayMaxEvents: 6,
    eventDisplay: "block",
    editable: false, // per event: the feed says which tasks the viewer may move
    eventStartEditable: true,
    eventDurationEditable: false,
    events: function (info, success, failure) {
      var params = new URLSearchParams({ start: info.startStr, end: info.endStr });
      if (config.owner) {
        params.set("user", config.owner);
      }
      fetch(config.eventsUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              throw new Error(data.error || response.statusText);
            }
            return data;
          });
        })
        .then(function (data) {
          showError("");
          success(expand(data));
        })
        .catch(function (error) {
          showError(error.message);
          failure(error);
        });
    },
    eventDrop: move,
    datesSet: hideIcons,
    eventDidMount: function (info) {
      info.el.setAttribute("data-testid", "calendar-event");
      info.el.setAttribute("data-event-id", info.event.id);
    },
  });
  calendar.render();
  hideIcons();
  element.dataset.ready = "1";
})();
