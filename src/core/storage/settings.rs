//! The settings file `settings.ron`.

use std::path::Path;

use crate::core::error::{Error, Result, check_format, ron_options, ron_parse_error};
use crate::core::model::settings::{SETTINGS_FORMAT_VERSION, Settings};
use crate::core::storage::atomic;

impl Settings {
    /// Loads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self> {
        let text = match atomic::read_text_limited(path, 1024 * 1024) {
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

    /// Writes `path` atomically, in the current format (whatever format it was read in: a
    /// Kartu that reads only older formats then leaves the file alone instead of dropping
    /// what it does not know by saving over it).
    pub fn save(&self, path: &Path) -> Result<()> {
        let current = Self {
            format: SETTINGS_FORMAT_VERSION,
            ..self.clone()
        };
        let config = ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut text = ron::ser::to_string_pretty(&current, config)
            .map_err(|err| Error::Serialize(format!("settings: {err}")))?;
        text.push('\n');
        atomic::atomic_write(path, text.as_bytes())
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
