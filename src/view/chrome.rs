//! How much of the page surrounds the picture (`chrome=`): everything on the app's own page, less
//! inside an author's article. Each level is a set of parts, decided here; the app draws the parts
//! it is given and asks nothing else.

/// A level of chrome, from the URL's `chrome` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Chrome {
    /// Everything: the words, the controls, the actions, the numbers, the setup.
    #[default]
    Full,
    /// For an article: the headline, the legend, the picture, the whole playback bar and the
    /// one number that carries the scene's point.
    Article,
    /// The least that still explains itself: the title, a legend of the states drawn, the
    /// picture, play and the scrubber, the one number.
    Min,
}

/// What a scene shows at a level of chrome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// The scene's title with a link to the app's own page ("Open the full version").
    pub title_link: bool,
    /// The lede under the scene tabs.
    pub lede: bool,
    /// The sentence that says what is happening now.
    pub headline: bool,
    /// Step, jump and speed beside play and the scrubber.
    pub full_playback: bool,
    /// Every number, with "More numbers"; otherwise the one that carries the point.
    pub all_numbers: bool,
    /// Everything else: the scene's own choices, the question, the story, the actions, the
    /// formula and the setup.
    pub rest: bool,
}

impl Chrome {
    /// Every level, fullest first.
    pub const ALL: [Chrome; 3] = [Chrome::Full, Chrome::Article, Chrome::Min];

    /// The URL's value.
    pub fn slug(self) -> &'static str {
        match self {
            Chrome::Full => "full",
            Chrome::Article => "article",
            Chrome::Min => "min",
        }
    }

    /// The level a URL's value names.
    pub fn from_slug(s: &str) -> Option<Chrome> {
        Chrome::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// What the embed choice calls it.
    pub fn label(self) -> &'static str {
        match self {
            Chrome::Full => "Everything (chrome=full)",
            Chrome::Article => "Headline, legend, playback, one number (article)",
            Chrome::Min => "Title, legend, play, one number (min)",
        }
    }

    /// What a scene shows at this level. The legend is at every level: colours need their names.
    pub fn parts(self) -> Parts {
        let full = self == Chrome::Full;
        Parts {
            title_link: !full,
            lede: full,
            headline: self != Chrome::Min,
            full_playback: self != Chrome::Min,
            all_numbers: full,
            rest: full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_round_trips_and_keeps_less() {
        for c in Chrome::ALL {
            assert_eq!(Chrome::from_slug(c.slug()), Some(c));
        }
        assert_eq!(Chrome::from_slug("tiny"), None);
        let [full, article, min] = Chrome::ALL.map(Chrome::parts);
        assert!(full.rest && full.all_numbers && full.lede && !full.title_link);
        // An article keeps the headline and the playback bar, and links to the rest.
        assert!(article.headline && article.full_playback && article.title_link);
        assert!(!article.rest && !article.all_numbers);
        assert!(min.title_link && !min.headline && !min.full_playback && !min.rest);
    }
}
