"""A reliability diagram of an evaluation (``equipid eval --plot``): matplotlib, an optional extra."""

from __future__ import annotations

from typing import Any


def draw_reliability(figures: Any, path: str, title: str = "") -> None:
    """Draw the share right against the mean probability of the leading leaf, per bin, to ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, hx) = plt.subplots(2, 1, figsize=(5, 6), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    xs = [b["mean_p"] for b in figures.bins]
    ys = [b["right"] for b in figures.bins]
    ax.plot(xs, ys, marker="o", color="tab:blue", label="equipid")
    ax.set_ylabel("share right (leading leaf under the truth)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(f"Reliability: {title}\nBrier {figures.brier:.3f}, ECE {figures.ece:.3f}")
    ax.legend(loc="upper left")
    hx.bar([(b["lo"] + b["hi"]) / 2 for b in figures.bins], [b["n"] for b in figures.bins], width=0.09, color="tab:blue")
    hx.set_xlabel("probability of the leading leaf")
    hx.set_ylabel("cases")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
