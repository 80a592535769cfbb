"""Figures for readers: the page shows the saved SVG itself, no figure too wide or with text too
small to read where the page shows it, the timeline's labels never overlap, zero stays visible."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from framelens.corpus.units import empty_runs
from framelens.presentation import style as st
from framelens.presentation.figures import corpus as corpus_figures
from framelens.presentation.figures.corpus import decimal_year


@pytest.fixture
def build_here(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    monkeypatch.setenv("FRAMELENS_SEEDS", str(seeds))
    return tmp_path / "_build" / "figures"


def small_figure(width=5.0, fontsize=10.0):
    st.style()
    fig, ax = plt.subplots(figsize=(width, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title", fontsize=fontsize)
    return fig


def test_the_page_shows_the_saved_svg_and_two_saves_are_identical(build_here):
    fig = small_figure()
    shown = st.save_figure(fig, "f_same")
    first = (build_here / "f_same.svg").read_bytes()
    assert shown._repr_svg_() == first.decode("utf-8")
    assert b"<dc:date>" not in first
    assert fig.number not in plt.get_fignums()  # closed: the notebook shows the SVG once, not a PNG beside it
    st.save_figure(small_figure(), "f_same")
    assert (build_here / "f_same.svg").read_bytes() == first


def test_too_wide_or_too_small_text_fails(build_here):
    with pytest.raises(st.FigureSizeError, match="pt wide"):
        st.save_figure(small_figure(width=9.0), "f_wide")
    with pytest.raises(st.FigureSizeError, match="text under"):
        st.save_figure(small_figure(fontsize=6.0), "f_small")
    assert st.svg_width_pt((build_here / "f_wide.svg").read_text(encoding="utf-8")) > st.MAX_WIDTH_PT


def test_room_at_zero_keeps_markers_off_the_axis():
    st.style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 5])
    ax.set_ylim(0, 5)
    st.room_at_zero(ax)
    low, high = ax.get_ylim()
    assert low < 0 and high == 5
    plt.close(fig)


def test_time_axis_helpers():
    assert decimal_year("2015") == 2015.0
    assert decimal_year("2015-07") == pytest.approx(2015 + 181 / 365)
    assert empty_runs([2014, 2015, 2022, 2023, 2025]) == [(2016, 2021), (2024, 2024)]


def test_timeline_labels_never_overlap_and_fit(corpus, build_here):
    fig = corpus_figures.timeline(corpus.units)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in fig.axes[0].texts if t.get_text() and "no texts" not in t.get_text()]
    assert len(labels) == len(corpus.units)
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], start=i + 1):
            assert not a.overlaps(b), f"{labels[i].get_text()!r} overlaps {labels[j].get_text()!r}"
    axes_box = fig.axes[0].get_window_extent(renderer)
    for box, label in zip(boxes, labels):
        assert axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1, f"{label.get_text()!r} runs out of the plot"
    st.save_figure(fig, "timeline_test")  # within the width and text size limits


def test_words_per_unit_fits(corpus, build_here):
    st.save_figure(corpus_figures.words_per_unit(corpus.units), "words_test")
