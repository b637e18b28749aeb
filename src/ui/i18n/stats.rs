//! The strings of the statistics screen, in both languages.

/// Statistics strings of one language.
#[derive(Debug)]
pub struct StatsTexts {
    /// Button and heading.
    pub statistics: &'static str,
    /// While the figures are computed (on the worker), and its job label.
    pub computing: &'static str,
    /// The status while the statistics' counts are brought up to date in the background.
    pub counting: &'static str,
    /// The deck choice for every deck.
    pub all_decks: &'static str,
    /// The ranges: a month, a year, all history.
    pub ranges: [&'static str; 3],
    /// Section headings: today, future due, calendar, reviews, card counts,
    /// distributions, answer buttons, hours, true retention.
    pub sections: [&'static str; 9],
    /// Today's line (`{n}` cards, `{min}` minutes, `{again}` again, `{rate}` correct).
    pub today_line: &'static str,
    /// Nothing studied today.
    pub nothing_today: &'static str,
    /// Future due: overdue and the next week (`{overdue}`, `{today}`, `{week}`).
    pub due_line: &'static str,
    /// Streaks (`{current}`, `{longest}`, `{share}`).
    pub streak_line: &'static str,
    /// Series: learning, review, relearning.
    pub kinds: [&'static str; 3],
    /// Card states: new, learning, relearning, young, mature, suspended, buried.
    pub states: [&'static str; 7],
    /// Distributions: interval (days), stability (days), difficulty, retrievability.
    pub distributions: [&'static str; 4],
    /// Rows of the answer-button table: learning, young, mature.
    pub maturities: [&'static str; 3],
    /// Columns of the true-retention table: period, young, mature, total.
    pub retention_columns: [&'static str; 4],
    /// Rows of the true-retention table: today … all time.
    pub periods: [&'static str; 6],
    /// Axis: days from today.
    pub days_axis: &'static str,
    /// Series: cards due.
    pub due: &'static str,
    /// Series: running total.
    pub running_total: &'static str,
    /// Series: answers.
    pub answers: &'static str,
    /// Series: success rate.
    pub success: &'static str,
    /// Hover text of a calendar day (`{date}`, `{n}`).
    pub calendar_day: &'static str,
}

/// English.
pub static EN: StatsTexts = StatsTexts {
    statistics: "Statistics",
    computing: "Computing the statistics…",
    counting: "Counting the review history for the statistics…",
    all_decks: "All decks",
    ranges: ["1 month", "1 year", "All history"],
    sections: [
        "Today",
        "Future due",
        "Calendar",
        "Reviews",
        "Card counts",
        "Distributions",
        "Answer buttons",
        "Hourly breakdown",
        "True retention",
    ],
    today_line: "{n} cards studied in {min} minutes today; {again} Again; {rate} correct on review cards.",
    nothing_today: "No cards studied today yet.",
    due_line: "{overdue} overdue, {today} due today, {week} in the next 7 days.",
    streak_line: "Current streak {current} days, longest {longest} days; studied on {share} of days.",
    kinds: ["Learning", "Review", "Relearning"],
    states: [
        "New",
        "Learning",
        "Relearning",
        "Young",
        "Mature",
        "Suspended",
        "Buried",
    ],
    distributions: [
        "Interval (days)",
        "Stability (days)",
        "Difficulty",
        "Retrievability",
    ],
    maturities: ["Learning", "Young", "Mature"],
    retention_columns: ["", "Young", "Mature", "Total"],
    periods: [
        "Today",
        "Yesterday",
        "Last week",
        "Last month",
        "Last year",
        "All time",
    ],
    days_axis: "days from today",
    due: "Due",
    running_total: "Running total",
    answers: "Answers",
    success: "Success rate (%)",
    calendar_day: "{date}: {n} answers",
};

/// Bahasa Indonesia.
pub static ID: StatsTexts = StatsTexts {
    statistics: "Statistik",
    computing: "Menghitung statistik…",
    counting: "Menghitung riwayat ulasan untuk statistik…",
    all_decks: "Semua dek",
    ranges: ["1 bulan", "1 tahun", "Seluruh riwayat"],
    sections: [
        "Hari ini",
        "Jatuh tempo mendatang",
        "Kalender",
        "Ulasan",
        "Jumlah kartu",
        "Sebaran",
        "Tombol jawaban",
        "Per jam",
        "Retensi sebenarnya",
    ],
    today_line: "{n} kartu dipelajari dalam {min} menit hari ini; {again} Lagi; {rate} benar pada kartu ulasan.",
    nothing_today: "Belum ada kartu yang dipelajari hari ini.",
    due_line: "{overdue} terlambat, {today} jatuh tempo hari ini, {week} dalam 7 hari ke depan.",
    streak_line: "Beruntun saat ini {current} hari, terpanjang {longest} hari; belajar pada {share} hari.",
    kinds: ["Belajar", "Ulasan", "Belajar ulang"],
    states: [
        "Baru",
        "Belajar",
        "Belajar ulang",
        "Muda",
        "Matang",
        "Ditangguhkan",
        "Dikubur",
    ],
    distributions: [
        "Interval (hari)",
        "Stabilitas (hari)",
        "Kesulitan",
        "Daya ingat",
    ],
    maturities: ["Belajar", "Muda", "Matang"],
    retention_columns: ["", "Muda", "Matang", "Total"],
    periods: [
        "Hari ini",
        "Kemarin",
        "Minggu lalu",
        "Bulan lalu",
        "Tahun lalu",
        "Sepanjang waktu",
    ],
    days_axis: "hari dari sekarang",
    due: "Jatuh tempo",
    running_total: "Total berjalan",
    answers: "Jawaban",
    success: "Tingkat berhasil (%)",
    calendar_day: "{date}: {n} jawaban",
};

/// The optimizer's strings of one language.
#[derive(Debug)]
pub struct OptimizeTexts {
    /// Heading in Settings.
    pub heading: &'static str,
    /// FSRS-6's defaults are in use.
    pub defaults_in_use: &'static str,
    /// Personal parameters are in use.
    pub personal_in_use: &'static str,
    /// Button: optimize.
    pub optimize: &'static str,
    /// Button: evaluate the current parameters.
    pub evaluate: &'static str,
    /// Job label of Evaluate.
    pub evaluating: &'static str,
    /// What Evaluate found (`{reviews}`, `{items}`, `{metrics}`).
    pub evaluated: &'static str,
    /// Button: back to the defaults.
    pub use_defaults: &'static str,
    /// Job label.
    pub running: &'static str,
    /// What it was fitted on (`{reviews}`, `{items}`).
    pub found: &'static str,
    /// Too little history (`{n}` more items needed).
    pub too_little: &'static str,
    /// Column: log loss and RMSE.
    pub metrics: &'static str,
    /// Row: current parameters.
    pub current: &'static str,
    /// Row: new parameters.
    pub new: &'static str,
    /// Too few reviews to evaluate.
    pub not_enough: &'static str,
    /// The current ones are as good or better.
    pub kept: &'static str,
    /// The new ones are better.
    pub better: &'static str,
    /// Button: apply the better ones.
    pub apply: &'static str,
    /// Button: apply anyway.
    pub apply_anyway: &'static str,
    /// Status: cancelled, nothing changed.
    pub cancelled: &'static str,
}

/// English.
pub static OPTIMIZE_EN: OptimizeTexts = OptimizeTexts {
    heading: "Scheduler parameters (FSRS)",
    defaults_in_use: "FSRS-6's default parameters are in use.",
    personal_in_use: "Your own parameters, fitted to your reviews, are in use.",
    optimize: "Optimize…",
    evaluate: "Evaluate",
    evaluating: "Evaluating the scheduler parameters…",
    evaluated: "The parameters in use, on {reviews} reviews ({items} training items): log loss · RMSE {metrics}.",
    use_defaults: "Use the defaults",
    running: "Optimizing the scheduler parameters…",
    found: "Fitted on {reviews} reviews ({items} training items).",
    too_little: "Too little history for a full fit: about {n} more training items are needed (a review a day or more after the card's previous one).",
    metrics: "Log loss · RMSE",
    current: "Current",
    new: "New",
    not_enough: "not enough reviews",
    kept: "The current parameters predict your reviews as well or better.",
    better: "The new parameters predict your reviews better.",
    apply: "Use the new parameters",
    apply_anyway: "Use the new parameters anyway",
    cancelled: "Optimizing cancelled: the parameters are unchanged.",
};

/// Bahasa Indonesia.
pub static OPTIMIZE_ID: OptimizeTexts = OptimizeTexts {
    heading: "Parameter penjadwal (FSRS)",
    defaults_in_use: "Parameter bawaan FSRS-6 sedang dipakai.",
    personal_in_use: "Parameter Anda sendiri, yang disesuaikan dengan ulasan Anda, sedang dipakai.",
    optimize: "Optimalkan…",
    evaluate: "Evaluasi",
    evaluating: "Mengevaluasi parameter penjadwal…",
    evaluated: "Parameter yang dipakai, pada {reviews} ulasan ({items} butir latihan): log loss · RMSE {metrics}.",
    use_defaults: "Pakai bawaan",
    running: "Mengoptimalkan parameter penjadwal…",
    found: "Disesuaikan pada {reviews} ulasan ({items} butir latihan).",
    too_little: "Riwayat terlalu sedikit untuk penyesuaian penuh: perlu sekitar {n} butir latihan lagi (ulasan sehari atau lebih setelah ulasan kartu sebelumnya).",
    metrics: "Log loss · RMSE",
    current: "Sekarang",
    new: "Baru",
    not_enough: "ulasan belum cukup",
    kept: "Parameter sekarang memprediksi ulasan Anda sama baik atau lebih baik.",
    better: "Parameter baru memprediksi ulasan Anda lebih baik.",
    apply: "Pakai parameter baru",
    apply_anyway: "Tetap pakai parameter baru",
    cancelled: "Pengoptimalan dibatalkan: parameter tidak berubah.",
};

/// The workload simulator in Settings.
#[derive(Debug)]
pub struct WorkloadTexts {
    /// Heading.
    pub heading: &'static str,
    /// What it does.
    pub explain: &'static str,
    /// Button: simulate.
    pub simulate: &'static str,
    /// Job label.
    pub running: &'static str,
    /// What it found (`{cards}`, `{days}`, `{optimal}`, `{current}`).
    pub found: &'static str,
    /// Chart: minutes a day.
    pub minutes: &'static str,
    /// Chart: cards known after the simulated year.
    pub known: &'static str,
    /// The charts' x axis.
    pub retention_axis: &'static str,
    /// Marker: the optimal retention.
    pub optimal: &'static str,
    /// Marker: the retention in use.
    pub current: &'static str,
    /// Button: use the optimal retention (`{optimal}`).
    pub use_optimal: &'static str,
    /// Status: cancelled.
    pub cancelled: &'static str,
}

/// English.
pub static WORKLOAD_EN: WorkloadTexts = WorkloadTexts {
    heading: "Workload simulator",
    explain: "Simulates the next year of study of the decks that use this preset, with its parameters and limits and your answer times, at each desired retention from 0.70 to 0.97.",
    simulate: "Simulate…",
    running: "Simulating a year of study…",
    found: "{cards} cards over {days} days. Least time per card remembered at desired retention {optimal} (now {current}).",
    minutes: "Minutes a day",
    known: "Cards known after a year",
    retention_axis: "Desired retention",
    optimal: "Least time per card remembered",
    current: "In use now",
    use_optimal: "Use desired retention {optimal}",
    cancelled: "Simulation cancelled.",
};

/// Bahasa Indonesia.
pub static WORKLOAD_ID: WorkloadTexts = WorkloadTexts {
    heading: "Simulator beban belajar",
    explain: "Mensimulasikan setahun belajar dek yang memakai preset ini, dengan parameter dan batasnya serta waktu jawab Anda, pada setiap retensi yang diinginkan dari 0,70 sampai 0,97.",
    simulate: "Simulasikan…",
    running: "Mensimulasikan setahun belajar…",
    found: "{cards} kartu selama {days} hari. Waktu paling sedikit per kartu yang diingat pada retensi {optimal} (sekarang {current}).",
    minutes: "Menit per hari",
    known: "Kartu yang dikuasai setelah setahun",
    retention_axis: "Retensi yang diinginkan",
    optimal: "Waktu paling sedikit per kartu yang diingat",
    current: "Yang dipakai sekarang",
    use_optimal: "Pakai retensi {optimal}",
    cancelled: "Simulasi dibatalkan.",
};
