//! The `load` scene: the p95 wait against the arrival rate, for the setup and the other mode, the
//! capacity marked, and the closed-form mean beside the simulated one where it exists. Each point
//! (and each row of the table under "The numbers") opens its run in a timeline scene. Draws
//! `view::load` as it is; the curves are computed once per run (`SharedTrace::load_curve`).

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::view::change::Change;
use crate::view::format;
use crate::view::load::Plot;

pub fn load(props: &PictureProps) -> Html {
    // Computed once per run (the curve is a run per rate), kept with the run.
    let curve = props.trace.load_curve(&props.config.scenario);
    let plot = Plot::new(curve, props.width);
    let open = |rate: f64, mode| {
        props
            .on_change
            .reform(move |_: MouseEvent| Change::OpenRate { rate, mode })
    };
    let marks = plot.marks(curve, props.config.scenario.rate);
    let key = curve.key(&plot);
    // The setup's curve is drawn last, on top: below capacity the two often coincide, and its
    // points are the ones a reader clicks.
    let lines = curve.curves.iter().enumerate().rev().map(|(i, c)| {
        let d = plot.path(c.points.iter().map(|p| (p.rate, p.p95_s)));
        let closed = c
            .points
            .iter()
            .zip(&c.closed_form)
            .filter_map(|(p, cf)| cf.map(|cf| (p.rate, cf)));
        let closed_d = plot.path(closed);
        let means = c
            .points
            .iter()
            .zip(&c.closed_form)
            .filter(|(_, cf)| cf.is_some())
            .map(|(p, _)| {
                html! { <rect class="al-load-mean" x={format::fixed(plot.x(p.rate) - 3.0, 1)} y={format::fixed(plot.y(p.mean_s) - 3.0, 1)} width="6" height="6" /> }
            });
        html! {
            <g class={format!("al-load-curve al-load-run-{i}")} data-mode={c.mode.to_string()}>
                <path class="al-load-line" d={d} />
                if !closed_d.is_empty() {
                    <path class="al-load-closed" d={closed_d} />
                    { for means }
                }
                { for c.points.iter().map(|p| html! {
                    <circle class="al-load-point" cx={format::fixed(plot.x(p.rate), 1)} cy={format::fixed(plot.y(p.p95_s), 1)} r="5"
                        data-rate={format::plain(p.rate)} data-p95={format::plain(p.p95_s)} onclick={open(p.rate, c.mode)}>
                        <title>{ c.point_title(p) }</title>
                    </circle>
                }) }
            </g>
        }
    });
    let has_closed = curve
        .curves
        .iter()
        .any(|c| c.closed_form.iter().any(Option::is_some));
    let rows = curve.rates.iter().enumerate().map(|(i, &rate)| {
        let cell = |c: usize| {
            curve.curves.get(c).and_then(|c| c.points.iter().find(|p| p.rate == rate)).map_or_else(
                || html! { <td>{ "–" }</td> },
                |p| html! { <td data-p95={format::plain(p.p95_s)}>{ format::secs(p.p95_s) }</td> },
            )
        };
        let own = curve.curves.first().and_then(|c| c.points.get(i));
        html! {
            <tr data-rate={format::plain(rate)}>
                <th scope="row">{ format::per_sec(rate) }</th>
                { cell(0) }
                { cell(1) }
                <td>{ own.map(|p| format::per_sec(p.throughput_per_s)).unwrap_or_default() }</td>
                <td>{ own.map(|p| format::secs(p.mean_s)).unwrap_or_default() }</td>
                if has_closed {
                    <td>{ curve.curves[0].closed_form.get(i).copied().flatten().map(format::secs).unwrap_or_else(|| "–".into()) }</td>
                }
                <td>
                    <button class="al-btn al-btn-small" onclick={open(rate, curve.curves[0].mode)}>{ "Watch" }</button>
                </td>
            </tr>
        }
    });
    let titles: Vec<&str> = curve.curves.iter().map(|c| c.title).collect();
    let clip = plot.clip_top();
    html! {
        <div class="al-load">
            <p class="al-load-key">
                { for key.into_iter().enumerate().map(|(i, words)| html! {
                    <span class={format!("al-load-key-item al-load-run-{i}")}><span class="al-load-swatch" aria-hidden="true"></span>{ words }</span>
                }) }
                if has_closed {
                    <span class="al-load-key-item al-load-key-closed"><span class="al-load-swatch" aria-hidden="true"></span>{ "mean: simulated (squares) and closed form (dotted)" }</span>
                }
            </p>
            <svg class="al-load-plot" width={format::plain(plot.width)} height={format::plain(plot.height)} role="img"
                aria-label={format!("The p95 wait against the arrival rate. {}", curve.caption())}>
                { for plot.wait_ticks().into_iter().map(|(y, label)| html! {
                    <g class="al-load-grid">
                        <line x1={format::plain(plot.left)} x2={format::plain(plot.right)} y1={format::fixed(y, 1)} y2={format::fixed(y, 1)} />
                        <text x={format::plain(plot.left - 6.0)} y={format::fixed(y + 4.0, 1)} text-anchor="end">{ label }</text>
                    </g>
                }) }
                { for plot.rate_ticks().into_iter().map(|(x, label)| html! {
                    <text class="al-load-tick" x={format::fixed(x, 1)} y={format::plain(plot.bottom + 18.0)} text-anchor="middle">{ label }</text>
                }) }
                <text class="al-load-axis" x={format::plain(plot.right)} y={format::plain(plot.height - 2.0)} text-anchor="end">{ "students arriving per second" }</text>
                // The marks' labels sit above the plot, where no curve goes.
                { for marks.into_iter().map(|m| html! {
                    <g class={m.class}>
                        <line x1={format::fixed(m.x, 1)} x2={format::fixed(m.x, 1)} y1={format::plain(plot.top)} y2={format::plain(plot.bottom)} />
                        <text x={format::fixed(m.label_x, 1)} y={format::plain(m.label_y)}>{ m.text }</text>
                    </g>
                }) }
                // A nested svg clips the curves at the top: the other mode's may leave the chart.
                <svg y={format::plain(clip)} width={format::plain(plot.width)} height={format::plain(plot.height - clip)}
                    viewBox={format!("0 {} {} {}", format::plain(clip), format::plain(plot.width), format::plain(plot.height - clip))}>
                    { for lines }
                </svg>
            </svg>
            <p class="al-load-caption" data-caption="">{ curve.caption() }</p>
            <details class="al-more">
                <summary>{ "The numbers" }</summary>
                <table class="al-load-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "Rate" }</th>
                            <th scope="col">{ format!("p95 wait, {}", titles.first().copied().unwrap_or_default()) }</th>
                            <th scope="col">{ format!("p95 wait, {}", titles.get(1).copied().unwrap_or_default()) }</th>
                            <th scope="col">{ "Throughput" }</th>
                            <th scope="col">{ "Mean wait" }</th>
                            if has_closed {
                                <th scope="col">{ "Mean, closed form" }</th>
                            }
                            <th scope="col"><span class="al-visually-hidden">{ "Open" }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </details>
        </div>
    }
}
