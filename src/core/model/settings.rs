//! Study settings: what the learner can change, with defaults and sane ranges.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::ids::DeckId;
use crate::core::scheduler::SchedulerConfig;

/// The newest settings format this build reads and the one it writes. Format 2 adds
/// `fsrs_params`; format 3 adds deck option presets (`presets`, `deck_presets`). Older files
/// load unchanged: their scheduling values are the Default preset's (an older Kartu meets a
/// newer format as newer and keeps its own defaults, never saving over the file).
pub const SETTINGS_FORMAT_VERSION: u32 = 3;

/// The name of the preset every deck uses unless another is chosen. Its values are the
/// settings' own scheduling fields (so files from before presets mean the same).
pub const DEFAULT_PRESET: &str = "Default";

/// Deck options, as in Anki: the scheduling values a deck uses. Sub-decks follow their own
/// preset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preset {
    /// Its name, unique among the presets.
    pub name: String,
    /// New cards introduced per deck per day.
    pub new_per_day: u32,
    /// Reviews per deck per day.
    pub reviews_per_day: u32,
    /// Target probability of recall when a card falls due (0.70–0.99).
    pub desired_retention: f32,
    /// Spread review intervals a little.
    pub fuzz: bool,
    /// No interval is longer than this many days.
    pub maximum_interval_days: u32,
    /// Learning steps for new cards, in seconds.
    pub learning_steps_secs: Vec<u32>,
    /// Relearning steps after a lapse, in seconds.
    pub relearning_steps_secs: Vec<u32>,
    /// The preset's own FSRS parameters (from Optimize); empty: FSRS-6's defaults.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fsrs_params: Vec<f32>,
}

impl Default for Preset {
    fn default() -> Self {
        Settings::default().default_preset()
    }
}

impl Preset {
    /// The scheduler configuration of this preset (values clamped to sane ranges).
    #[must_use]
    pub fn scheduler_config(&self) -> SchedulerConfig {
        // `clamp` passes NaN through; a value that is no number at all takes the default.
        let desired_retention = if self.desired_retention.is_finite() {
            self.desired_retention.clamp(0.7, 0.99)
        } else {
            SchedulerConfig::default().desired_retention
        };
        SchedulerConfig {
            desired_retention,
            maximum_interval_days: self.maximum_interval_days.clamp(1, 36_500),
            learning_steps_secs: self.learning_steps_secs.clone(),
            relearning_steps_secs: self.relearning_steps_secs.clone(),
            fuzz: self.fuzz,
            fsrs_params: self.fsrs_params.clone(),
        }
    }
}

/// The window's colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the system's light or dark setting.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// Every choice, in the order Settings offers them.
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];
}

/// What the learner can change; missing fields take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The file format version.
    pub format: u32,
    /// UI language code (`id`, `en`); `None` follows the system locale.
    pub language: Option<String>,
    /// New cards introduced per deck per day.
    pub new_per_day: u32,
    /// Reviews per deck per day.
    pub reviews_per_day: u32,
    /// Target probability of recall when a card falls due (0.70–0.99).
    pub desired_retention: f32,
    /// Local hour at which a new study day starts (0–23).
    pub day_start_hour: u8,
    /// Spread review intervals a little (off for reproducible schedules).
    pub fuzz: bool,
    /// No interval is longer than this many days.
    pub maximum_interval_days: u32,
    /// Learning steps for new cards, in seconds.
    pub learning_steps_secs: Vec<u32>,
    /// Relearning steps after a lapse, in seconds.
    pub relearning_steps_secs: Vec<u32>,
    /// Once a card of a note is answered, its other cards (siblings) wait until the next
    /// day, as Anki's "bury siblings".
    pub bury_siblings: bool,
    /// The learner's own FSRS parameters (from Optimize); empty: FSRS-6's defaults.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fsrs_params: Vec<f32>,
    /// Light, dark, or the system's.
    pub theme: Theme,
    /// Card text size, as a factor of the default (0.75–2.0).
    pub card_text_scale: f32,
    /// Presets besides the Default one (whose values are the fields above).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub presets: Vec<Preset>,
    /// The preset each deck uses, by name; a deck not here (or naming no preset) uses the
    /// Default one.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub deck_presets: BTreeMap<DeckId, String>,
}

impl Default for Settings {
    fn default() -> Self {
        let scheduler = SchedulerConfig::default();
        Self {
            format: SETTINGS_FORMAT_VERSION,
            language: None,
            new_per_day: 20,
            reviews_per_day: 200,
            desired_retention: scheduler.desired_retention,
            day_start_hour: 4,
            fuzz: scheduler.fuzz,
            maximum_interval_days: scheduler.maximum_interval_days,
            learning_steps_secs: scheduler.learning_steps_secs,
            relearning_steps_secs: scheduler.relearning_steps_secs,
            bury_siblings: true,
            fsrs_params: Vec::new(),
            theme: Theme::System,
            card_text_scale: 1.0,
            presets: Vec::new(),
            deck_presets: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The scheduler configuration of the Default preset (values clamped to sane ranges).
    #[must_use]
    pub fn scheduler_config(&self) -> SchedulerConfig {
        self.default_preset().scheduler_config()
    }

    /// The Default preset: the settings' own scheduling values.
    #[must_use]
    pub fn default_preset(&self) -> Preset {
        Preset {
            name: DEFAULT_PRESET.to_owned(),
            new_per_day: self.new_per_day,
            reviews_per_day: self.reviews_per_day,
            desired_retention: self.desired_retention,
            fuzz: self.fuzz,
            maximum_interval_days: self.maximum_interval_days,
            learning_steps_secs: self.learning_steps_secs.clone(),
            relearning_steps_secs: self.relearning_steps_secs.clone(),
            fsrs_params: self.fsrs_params.clone(),
        }
    }

    /// Every preset, the Default one first.
    #[must_use]
    pub fn all_presets(&self) -> Vec<Preset> {
        std::iter::once(self.default_preset())
            .chain(self.presets.iter().cloned())
            .collect()
    }

    /// The name of the preset `deck` uses.
    #[must_use]
    pub fn preset_name_for(&self, deck: &DeckId) -> &str {
        self.deck_presets
            .get(deck)
            .map(String::as_str)
            .filter(|name| self.presets.iter().any(|p| p.name == *name))
            .unwrap_or(DEFAULT_PRESET)
    }

    /// New cards and reviews a day for `deck`, from its preset (without copying it).
    #[must_use]
    pub fn daily_limits(&self, deck: &DeckId) -> (u32, u32) {
        let name = self.preset_name_for(deck);
        self.presets
            .iter()
            .find(|p| p.name == name)
            .map_or((self.new_per_day, self.reviews_per_day), |p| {
                (p.new_per_day, p.reviews_per_day)
            })
    }

    /// The preset `deck` uses.
    #[must_use]
    pub fn preset_for(&self, deck: &DeckId) -> Preset {
        self.preset(self.preset_name_for(deck))
            .unwrap_or_else(|| self.default_preset())
    }

    /// The preset named `name`.
    #[must_use]
    pub fn preset(&self, name: &str) -> Option<Preset> {
        if name == DEFAULT_PRESET {
            return Some(self.default_preset());
        }
        self.presets.iter().find(|p| p.name == name).cloned()
    }

    /// Puts `preset` in place of the one with its name (the Default one's values are the
    /// settings' own), or adds it.
    pub fn put_preset(&mut self, preset: Preset) {
        if preset.name == DEFAULT_PRESET {
            self.new_per_day = preset.new_per_day;
            self.reviews_per_day = preset.reviews_per_day;
            self.desired_retention = preset.desired_retention;
            self.fuzz = preset.fuzz;
            self.maximum_interval_days = preset.maximum_interval_days;
            self.learning_steps_secs = preset.learning_steps_secs;
            self.relearning_steps_secs = preset.relearning_steps_secs;
            self.fsrs_params = preset.fsrs_params;
        } else if let Some(slot) = self.presets.iter_mut().find(|p| p.name == preset.name) {
            *slot = preset;
        } else {
            self.presets.push(preset);
        }
    }

    /// Renames a preset (not the Default one; not onto a name in use), and the decks that
    /// use it follow. `false` when it cannot be.
    pub fn rename_preset(&mut self, from: &str, to: &str) -> bool {
        let to = to.trim();
        if from == DEFAULT_PRESET || to.is_empty() || self.preset(to).is_some() {
            return false;
        }
        let Some(preset) = self.presets.iter_mut().find(|p| p.name == from) else {
            return false;
        };
        to.clone_into(&mut preset.name);
        for name in self.deck_presets.values_mut() {
            if name == from {
                to.clone_into(name);
            }
        }
        true
    }

    /// Removes a preset (not the Default one): its decks go back to the Default one.
    pub fn remove_preset(&mut self, name: &str) {
        if name == DEFAULT_PRESET {
            return;
        }
        self.presets.retain(|p| p.name != name);
        self.deck_presets.retain(|_, preset| preset != name);
    }

    /// Makes `deck` use the preset named `name` (the Default one: no entry).
    pub fn use_preset(&mut self, deck: &DeckId, name: &str) {
        if name == DEFAULT_PRESET || self.preset(name).is_none() {
            self.deck_presets.remove(deck);
        } else {
            self.deck_presets.insert(deck.clone(), name.to_owned());
        }
    }
    /// Puts back the default of any value that cannot be used at all (a retention that is
    /// not a number), returning a warning for each; `path` names the file in them.
    pub fn repair(&mut self, path: &Path) -> Vec<String> {
        let mut warnings = Vec::new();
        if !self.desired_retention.is_finite() {
            let default = Self::default().desired_retention;
            warnings.push(format!(
                "{}: desired_retention is {}, not a number; using the default {default}",
                path.display(),
                self.desired_retention
            ));
            self.desired_retention = default;
        }
        warnings
    }
}
