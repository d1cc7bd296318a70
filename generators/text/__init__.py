"""Chinese text: numerals and dates, report phrasing, line rules, the sandboxed expressions of text fields, proofreading."""
