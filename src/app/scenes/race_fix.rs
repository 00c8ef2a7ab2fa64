//! The race scene's "Fix it" panel: draws `view::race_fix::Panel` as it is (the fixes and the
//! worker counts as toggle buttons that set the `fix` and `workers` keys, then the words).

use yew::prelude::*;

use crate::app::markup::{el, list, Markup};
use crate::view::change::Change;
use crate::view::race_fix::Panel;

fn set(key: &'static str, value: String) -> Change {
    Change::Field {
        key: key.to_string(),
        value,
    }
}

pub(super) fn fix_panel(m: &mut Markup, p: &Panel, on_change: &Callback<Change>) {
    let pressed = |on: bool| if on { "true" } else { "false" };
    el!(m, "section", class = "al-race-fix", "aria-label" = "Fix it"; {
        el!(m, "h3", class = "al-race-fix-title"; { m.text("Fix it") });
        el!(m, "div", class = "al-race-fix-row", role = "group", "aria-label" = "The fix"; {
            list!(m, {
                for c in &p.choices {
                    el!(m, "button", class = "al-btn al-choice", "data-fix" = c.slug,
                        "aria-pressed" = pressed(c.pressed); {
                        m.send(on_change, set("fix", c.slug.to_string()));
                        m.text(c.label);
                    });
                }
            });
        });
        el!(m, "div", class = "al-race-fix-row", role = "group", "aria-label" = "Workers"; {
            list!(m, {
                for &(w, on) in &p.workers {
                    el!(m, "button", class = "al-btn al-choice", "data-workers" = w.to_string(),
                        "aria-pressed" = pressed(on); {
                        m.send(on_change, set("workers", w.to_string()));
                        if w == 1 { m.text("1 worker") } else { m.say(format!("{w} workers")) }
                    });
                }
            });
        });
        el!(m, "p", class = "al-race-fix-outcome", "data-fix-outcome" = ""; { m.say(p.outcome.clone()) });
        match p.why {
            Some(why) => el!(m, "p", class = "al-race-fix-why"; { m.text(why) }),
            None => m.node(Html::default()),
        }
        el!(m, "p", class = "al-note al-race-fix-cost"; { m.say(p.cost.clone()) });
    });
}
