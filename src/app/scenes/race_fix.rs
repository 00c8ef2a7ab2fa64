//! The race scene's "Fix it" panel: draws `view::race_fix::Panel` as it is (the fixes and the
//! worker counts as toggle buttons that set the `fix` and `workers` keys, then the words).

use yew::prelude::*;

use crate::view::change::Change;
use crate::view::race_fix::Panel;

fn set(on_change: &Callback<Change>, key: &'static str, value: String) -> Callback<MouseEvent> {
    on_change.reform(move |_: MouseEvent| Change::Field {
        key: key.to_string(),
        value: value.clone(),
    })
}

pub(super) fn fix_panel(p: &Panel, on_change: &Callback<Change>) -> Html {
    html! {
        <section class="al-race-fix" aria-label="Fix it">
            <h3 class="al-race-fix-title">{ "Fix it" }</h3>
            <div class="al-race-fix-row" role="group" aria-label="The fix">
                { for p.choices.iter().map(|c| html! {
                    <button class="al-btn al-choice" data-fix={c.slug} aria-pressed={c.pressed.to_string()}
                        onclick={set(on_change, "fix", c.slug.to_string())}>{ c.label }</button>
                }) }
            </div>
            <div class="al-race-fix-row" role="group" aria-label="Workers">
                { for p.workers.iter().map(|&(w, pressed)| html! {
                    <button class="al-btn al-choice" data-workers={w.to_string()} aria-pressed={pressed.to_string()}
                        onclick={set(on_change, "workers", w.to_string())}>
                        { if w == 1 { "1 worker".to_string() } else { format!("{w} workers") } }
                    </button>
                }) }
            </div>
            <p class="al-race-fix-outcome" data-fix-outcome="">{ p.outcome.clone() }</p>
            if let Some(why) = p.why {
                <p class="al-race-fix-why">{ why }</p>
            }
            <p class="al-note al-race-fix-cost">{ p.cost.clone() }</p>
        </section>
    }
}
