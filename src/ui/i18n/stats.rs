//! The strings of the statistics screen, in both languages.

/// Statistics strings of one language.
#[derive(Debug)]
pub struct StatsTexts {
    /// Button and heading.
    pub statistics: &'static str,
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
