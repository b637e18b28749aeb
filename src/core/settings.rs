//! Study settings, kept in `settings.ron` in the data directory.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{Error, Result, check_format, ron_options, ron_parse_error};
use super::scheduler::SchedulerConfig;
use super::storage;

/// The newest settings format this build reads and the one it writes.
pub const SETTINGS_FORMAT_VERSION: u32 = 1;

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
        }
    }

    /// Loads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match storage::read_text_limited(path, 1024 * 1024) {
            Ok(text) => text,
            Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(err) => return Err(err),
        };
        let options = ron_options();
        let settings: Self = options
            .from_str(&text)
            .map_err(|err| ron_parse_error(path, &text, &err))?;
        check_format(path, settings.format, SETTINGS_FORMAT_VERSION)?;
        Ok(settings)
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

    /// Writes `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let config = ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut text = ron::ser::to_string_pretty(self, config).unwrap_or_default();
        text.push('\n');
        storage::atomic_write(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fills_missing_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let settings = Settings {
            language: Some("en".into()),
            new_per_day: 5,
            ..Settings::default()
        };
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), settings);
        std::fs::write(&path, "(new_per_day: 7, language: \"id\")").unwrap();
        let partial = Settings::load(&path).unwrap();
        assert_eq!((partial.new_per_day, partial.reviews_per_day), (7, 200));
        assert_eq!(partial.language.as_deref(), Some("id"));
    }

    #[test]
    fn a_retention_that_is_not_a_number_takes_the_default_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        for value in ["NaN", "inf", "-inf"] {
            std::fs::write(&path, format!("(desired_retention: {value})")).unwrap();
            let mut settings = Settings::load(&path).unwrap();
            // Even unrepaired, the scheduler never sees it.
            assert!(
                (settings.scheduler_config().desired_retention - 0.9).abs() < 1e-6,
                "{value}"
            );
            let warnings = settings.repair(&path);
            assert_eq!(warnings.len(), 1, "{value}");
            assert!(warnings[0].contains("desired_retention"), "{warnings:?}");
            assert!((settings.desired_retention - 0.9).abs() < 1e-6);
        }
    }

    #[test]
    fn bad_settings_report_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, "(\n  new_per_day: \"lots\",\n)").unwrap();
        let err = Settings::load(&path).unwrap_err().to_string();
        assert!(err.contains("settings.ron:2:"), "{err}");
    }
}
