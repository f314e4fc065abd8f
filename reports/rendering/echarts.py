"""A table's chart as an ECharts option object, for the page (rendered with json_script)."""

from typing import Any

from reports.rendering.report import Table, number


def echarts_option(table: Table) -> dict[str, Any]:
    """The ECharts option object for a table's chart (rendered with json_script)."""
    chart = table.chart
    if chart is None:
        raise ValueError(f"The table “{table.title}” has no chart.")
    labels = [str(row.get(chart.category, "")) for row in table.rows]
    names = {column.key: column.label for column in table.columns}

    def series_values(key: str) -> list[float]:
        return [number(row.get(key)) for row in table.rows]

    base: dict[str, Any] = {
        "title": {
            "text": chart.title or table.title,
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "item" if chart.kind in ("pie", "funnel") else "axis"},
        "toolbox": {"feature": {"saveAsImage": {}}},
    }
    if chart.kind in ("pie", "funnel"):
        key = chart.values[0]
        data = [
            {"name": label, "value": value}
            for label, value in zip(labels, series_values(key), strict=True)
        ]
        series: dict[str, Any] = {"type": chart.kind, "name": names[key], "data": data}
        if chart.kind == "pie":
            series |= {"radius": ["30%", "65%"], "top": 30}
        else:  # a funnel shows its stages in order, whatever their size
            series |= {"sort": "none", "top": 40, "bottom": 10, "label": {"show": True}}
        return base | {"legend": {"bottom": 0, "type": "scroll"}, "series": [series]}
    return base | {
        "legend": {"bottom": 0} if len(chart.values) > 1 else {"show": False},
        "grid": {"left": 60, "right": 20, "top": 50, "bottom": 60, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": labels,
            "axisLabel": {"interval": 0, "rotate": 30 if len(labels) > 8 else 0},
        },
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": chart.kind,
                "name": names[key],
                "data": series_values(key),
                "smooth": chart.kind == "line",
            }
            for key in chart.values
        ],
    }
