//! Study settings: what the learner can change, with defaults and sane ranges.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::scheduler::SchedulerConfig;

/// The newest settings format this build reads and the one it writes. Format 2 adds
/// `fsrs_params`; format 1 files load unchanged (an older Kartu meets format 2 as newer and
/// keeps its own defaults, never dropping the parameters by saving over them).
pub const SETTINGS_FORMAT_VERSION: u32 = 2;

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
        }
    }
}

impl Settings {
    /// The scheduler configuration these settings describe (values clamped to sane ranges).
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
