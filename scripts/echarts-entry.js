// The ECharts build of this project: only the charts and components that reports/rendering.py's
// options use (bar, line, pie, funnel; title, tooltip, save-as-image toolbox, legend, grid),
// drawn with the SVG renderer (static/js/charts.js gives each chart its text alternative). Bundled by esbuild in scripts/vendor.sh into static/vendor/echarts/.
// A chart type or component missing here renders nothing and logs a console error, which the
// browser tests catch: add it to the lists below.
import { init, use } from "echarts/core";
import { BarChart, FunnelChart, LineChart, PieChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
// The toolbox with its "save as image" button only: the full ToolboxComponent also brings the
// data view, magic type, restore and data zoom features (about 30 kB).
import ToolboxModel from "echarts/lib/component/toolbox/ToolboxModel.js";
import ToolboxView from "echarts/lib/component/toolbox/ToolboxView.js";
import { registerFeature } from "echarts/lib/component/toolbox/featureManager.js";
import SaveAsImage from "echarts/lib/component/toolbox/feature/SaveAsImage.js";

function SaveAsImageToolbox(registers) {
  registers.registerComponentModel(ToolboxModel);
  registers.registerComponentView(ToolboxView);
  registerFeature("saveAsImage", SaveAsImage);
}

use([
  BarChart,
  FunnelChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
]);

// Only what static/js/charts.js calls, so that the bundle drops the rest of the API.
window.echarts = { init };
