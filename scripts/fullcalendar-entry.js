// The FullCalendar build of this project: the month and day grids, the week and day time grids,
// drag and drop (interaction) and the Simplified Chinese locale, exposed as window.FullCalendar for
// static/js/calendar.js. Bundled by esbuild in scripts/vendor.sh into static/vendor/fullcalendar/.
import { Calendar } from "@fullcalendar/core";
import dayGridPlugin from "@fullcalendar/daygrid";
import timeGridPlugin from "@fullcalendar/timegrid";
import interactionPlugin from "@fullcalendar/interaction";
import zhCnLocale from "@fullcalendar/core/locales/zh-cn";

window.FullCalendar = {
  Calendar,
  plugins: [dayGridPlugin, timeGridPlugin, interactionPlugin],
  locales: [zhCnLocale],
};
