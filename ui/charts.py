"""Plotly figures shared by pages. Every chart keeps Plotly's toolbar, so officials can save a PNG."""
from __future__ import annotations

import plotly.graph_objects as go

from ui import format as fmt
from ui import strings as S


def stacked_bars(summary, label_column: str, height: int) -> go.Figure:
    """Horizontal bars of status counts, one colour (and legend icon) per status word."""
    fig = go.Figure()
    for word in fmt.STATUS_ORDER:
        fig.add_bar(y=summary[label_column], x=summary[word], name=fmt.status(word), orientation="h",
                    marker_color=fmt.colour(word), text=summary[word].where(summary[word] > 0, None),
                    textposition="inside", insidetextfont=dict(color="white", size=15))
    fig.update_layout(barmode="stack", height=height, margin=dict(l=10, r=10, t=10, b=10),
                      legend=dict(orientation="h", y=-0.12), xaxis_title=S.CHART_COUNT, font=dict(size=15),
                      yaxis=dict(autorange="reversed"))
    return fig
