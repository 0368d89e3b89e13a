"""Plotly figures shared by pages. Every chart keeps Plotly's toolbar, so officials can save a PNG."""
from __future__ import annotations

import plotly.graph_objects as go

from ui import format as fmt


def stacked_bars(summary, label_column: str, height: int) -> go.Figure:
    """Horizontal bars of status counts, one colour (and legend icon) per status word."""
    fig = go.Figure()
    for word in fmt.STATUS_ORDER:
        fig.add_bar(y=summary[label_column], x=summary[word], name=fmt.status(word), orientation="h",
                    marker_color=fmt.colour(word), text=summary[word].where(summary[word] > 0, None),
                    textposition="inside", textangle=0, insidetextfont=dict(color="white", size=15))
    style(fig, height)
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed"))
    return fig


def style(fig: go.Figure, height: int) -> go.Figure:
    """House style for a projector: larger, darker type; legend in a fixed order below the plot."""
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), font=dict(size=15, color="#222222"),
                      legend=dict(orientation="h", y=-0.15, traceorder="normal", font=dict(size=14)),
                      plot_bgcolor="white")
    fig.update_xaxes(tickfont=dict(size=14, color="#333333"), gridcolor="#E5E5E5")
    fig.update_yaxes(tickfont=dict(size=14, color="#333333"), gridcolor="#E5E5E5")
    return fig
